"""Загрузка данных: the templates to send to institutions, the upload of their files (the command line's
load function, a progress bar per file) and the per-file summary with the errors as an Excel table."""

import streamlit as st

from ui import dq_widgets, messages, upload
from ui.views import safe
from warehouse import quality

ctx = dq_widgets.start(messages.PAGE_TITLES["upload"])

st.subheader("Шаблоны для организаций")
upload.templates()

st.subheader("Загрузка файлов")
if ctx.user.role == "head":
    st.info(messages.UPLOAD_HEAD_ONLY_VIEW, icon="ℹ️")
    st.page_link(dq_widgets.QUALITY_PAGE, label=messages.UPLOAD_QUALITY_POINTER, icon=":material/fact_check:")
    st.stop()
if ctx.user.role == "director":
    st.info(messages.UPLOAD_DIRECTOR_SCOPE.format(inst_id=safe.md(ctx.user.inst_id)), icon="ℹ️")

files = upload.uploader(quality.upload_limit_mb(ctx.db_path))
left, right = st.columns([1, 1])
with left:
    dataset = upload.dataset_choice()
with right:
    st.write("")
    force = st.checkbox(messages.UPLOAD_FORCE, key="upload_force")
if st.button(
    messages.UPLOAD_BUTTON, type="primary", disabled=not files, key="upload_go", icon=":material/upload:"
):
    upload.run_upload(ctx, files, dataset=dataset, force=force)

upload.show_outcome(upload.last_outcome())
