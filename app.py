"""The dashboards' router: page config, who the user is, and the pages by section for their role (nothing
else). Every page runs inside `data.routed()`: a page started any other way stops (ui.data)."""

import streamlit as st

from ui import auth, data, messages
from ui.navigation import NAMES, PAGES

st.set_page_config(page_title=messages.APP_TITLE, page_icon=":material/school:", layout="wide")

visitor = auth.resolve()
if visitor.user is None:
    # the sign-in form (or how to create the first administrator), whatever page's URL was opened
    st.navigation(auth.entry_pages(visitor, NAMES), position="hidden").run()
    st.stop()
auth.chrome(visitor)

sections: dict[str, list] = {}
for name, section, icon in PAGES:
    if auth.may_open(visitor.user, name):
        sections.setdefault(messages.SECTIONS[section], []).append(
            st.Page(
                f"pages/{name}.py", title=messages.PAGE_TITLES[name], icon=icon, default=name == "overview"
            )
        )
with data.routed():
    st.navigation(sections).run()
