"""Аналитическая справка: choose the period, the comparison, the areas and the scope; preview the note and
download it as DOCX. The note is written by reports/note.py (the same function as `python -m etl note`); who
may see names is decided there, from the user, not here."""

import datetime as dt

import streamlit as st

from auth.identity import User
from reports import docx_builder, note
from ru import fmt
from ui import messages, widgets
from ui.views import safe
from warehouse import queries

TITLE = "Аналитическая справка"
AREA_LABELS = {
    "staff": "Кадры",
    "ict": "Информатизация",
    "innovation": "Инновации",
    "results": "Результаты ГИА и ВПР",
}
SCOPES = {"municipality": "Муниципалитет целиком", "type": "Тип организаций", "institution": "Организация"}
PREVIOUS = "предыдущий учебный год"
NONE = "без сравнения"
REQUEST_KEY = "_imc_note_request"


@st.cache_data(show_spinner=False, max_entries=16)
def _note(
    db_path: str,
    version: tuple[int, int] | None,
    user: User,
    period: str,
    compare: str | None,
    areas: tuple[str, ...],
    scope: note.NoteScope,
    include_names: bool,
    today: dt.date,
) -> tuple[note.Note, bytes]:
    model = note.build_note_model(
        db_path, user, period, compare, areas, scope, include_names=include_names, today=today
    )
    return model, note.render_docx(model)


ctx = widgets.start(TITLE)
st.caption(
    "Черновик аналитической справки по данным мониторинга: цифры берутся из хранилища, текст, таблицы и "
    "диаграммы формируются автоматически. Проверьте выводы перед отправкой."
)
periods = list(ctx.state.periods)
institutions = ctx.q(queries.list_institutions)
director = ctx.user.role == "director"

left, right = st.columns(2)
with left:
    period = st.selectbox(messages.F_PERIOD, periods[::-1], key="note_period")
    earlier = [p for p in periods[::-1] if p < period]
    compare_label = st.selectbox("Период сравнения", [PREVIOUS, *earlier, NONE], key="note_compare")
    areas = st.multiselect(
        "Направления",
        list(AREA_LABELS),
        default=list(AREA_LABELS),
        format_func=AREA_LABELS.get,
        key="note_areas",
    )
with right:
    municipalities = sorted(set(institutions["municipality"]))
    municipality = None
    if len(municipalities) > 1:
        municipality = st.selectbox(messages.F_MUNICIPALITY, municipalities, key="note_mun")
    scope_kind = st.radio(
        "Охват",
        list(SCOPES),
        format_func=SCOPES.get,
        index=2 if director else 0,
        horizontal=True,
        disabled=director,
        key="note_scope",
    )
    scope = note.NoteScope(municipality=municipality)
    if scope_kind == "type":
        inst_type = st.selectbox(
            messages.F_INST_TYPE, list(note.INST_TYPES), format_func=messages.inst_type_label, key="note_type"
        )
        scope = note.NoteScope(municipality=municipality, inst_type=inst_type)
    elif scope_kind == "institution":
        pool = (
            institutions
            if municipality is None
            else institutions[institutions["municipality"] == municipality]
        )
        names = dict(zip(pool["inst_id"], pool["short_name"], strict=True))
        ids = [ctx.user.inst_id] if director and ctx.user.inst_id else list(names)
        inst_id = st.selectbox(messages.F_INST, ids, format_func=lambda i: names.get(i, i), key="note_inst")
        scope = note.NoteScope(inst_id=inst_id)
    include_names = st.checkbox(
        "Приложить поимённые списки (аттестация, курсы повышения квалификации)",
        value=False,  # personal data: an explicit choice, never the default
        help=messages.PERSONAL_DATA_NOTE,
        key="note_names",
    )

compare = (
    None if compare_label == PREVIOUS else (note.NO_COMPARISON if compare_label == NONE else compare_label)
)
request = (period, compare, tuple(areas), scope, include_names)
if st.button("Сформировать справку", type="primary", icon=":material/description:", disabled=not areas):
    st.session_state[REQUEST_KEY] = request
asked = st.session_state.get(REQUEST_KEY)
if asked is None:
    st.info("Выберите параметры и нажмите «Сформировать справку».", icon="ℹ️")
    st.stop()
if asked != request:
    st.caption("Параметры изменены — нажмите «Сформировать справку», чтобы обновить текст.")

try:
    with st.spinner("Формирование справки…"):
        model, docx = _note(ctx.db_path, ctx.version, ctx.user, *asked, dt.date.today())
except note.NoteError as exc:
    st.error(safe.md(str(exc)))
    st.stop()

st.download_button(
    "Скачать DOCX",
    data=docx,
    file_name=model.file_name,
    mime=docx_builder.DOCX_MIME,
    icon=":material/download:",
    on_click="ignore",
    type="primary",
)
if model.has_personal_data:
    st.caption(messages.PERSONAL_DATA_NOTE)

with st.container(border=True):
    st.caption(safe.md(f"{model.organisation} · Дата составления: {fmt.date(model.date)}"))
    for item in note.preview(model):
        if item.kind in ("title", "subtitle"):
            st.markdown(f"**{item.text}**", text_alignment="center")
        elif item.kind == "heading":
            st.subheader(item.text)
        elif item.kind == "paragraph":
            st.markdown(item.text)
        elif item.kind == "note":
            st.caption(item.text)
        elif item.kind == "table" and item.frame is not None:
            st.markdown(f"*{item.text}*")
            st.dataframe(item.frame, hide_index=True, height=min(38 + 35 * len(item.frame), 420))
        elif item.kind == "figure":
            st.image(item.png, caption=safe.md(item.text))
