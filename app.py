"""The dashboards' router: page config, who the user is, and the pages by section (nothing else)."""

import streamlit as st

from pages.ui import data, messages

st.set_page_config(page_title=messages.APP_TITLE, page_icon=":material/school:", layout="wide")

# logins arrive with the roles issue; until then every session is the demo admin (the pages say so)
st.session_state[data.USER_KEY] = data.current_user()

pages = {
    messages.SECTIONS["monitoring"]: [
        st.Page(
            "pages/overview.py",
            title=messages.PAGE_TITLES["overview"],
            icon=":material/dashboard:",
            default=True,
        ),
        st.Page("pages/staff.py", title=messages.PAGE_TITLES["staff"], icon=":material/groups:"),
        st.Page("pages/ict.py", title=messages.PAGE_TITLES["ict"], icon=":material/computer:"),
        st.Page("pages/innovation.py", title=messages.PAGE_TITLES["innovation"], icon=":material/lightbulb:"),
    ],
    messages.SECTIONS["help"]: [
        st.Page("pages/catalog.py", title=messages.PAGE_TITLES["catalog"], icon=":material/menu_book:"),
    ],
}
st.navigation(pages).run()
