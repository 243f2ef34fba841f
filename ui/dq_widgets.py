"""Streamlit pieces of the data pages and the KPI badges: the start of a page that works before any
indicator exists, the badges of a dashboard's KPI cards, and the
colour-coded completeness matrix with its Excel download.

Its queries go through the pages' one cache (ui.data.cached_call, as `ctx.q(quality.completeness, …)`).
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from ru import fmt
from ui import messages
from ui.data import Context, context, require_router
from ui.filters import Selection
from ui.views import export, safe, tables
from ui.views import quality as views
from ui.views.tables import Catalog
from warehouse import quality

QUALITY_PAGE = "pages/quality.py"


def start(title: str) -> Context:
    """A data page starts here: the router check and the title; unlike a dashboard it goes on when the
    warehouse is missing or holds no indicators yet (that is when files are loaded)."""
    require_router()  # before anything is drawn: no page runs without the router's sign-in check
    st.title(title)
    ctx = context()
    if ctx.state.status == "broken":
        st.error(messages.BROKEN_BODY.format(detail=safe.md(ctx.state.detail[:200])))
        st.stop()
    return ctx


def kpi_badges(ctx: Context, sel: Selection, catalog: Catalog) -> dict[str, views.Badge]:
    """The badges of a dashboard's KPI cards for the selected period and scope (by indicator code)."""
    gaps = ctx.q(quality.submission_gaps, sel.period, sel.municipality, sel.inst_type, sel.inst_id)
    params = {k: v for k, v in sel.params().items() if k != "inst"}
    codes = [str(c) for c in catalog.frame["indicator_code"]]
    return views.kpi_badges(catalog, codes, gaps, params)


def excel_button(frame: Any, *, title: str, file_stem: str, period: str | None, key: str, label: str) -> None:
    st.download_button(
        label,
        data=functools.partial(export.excel_bytes, frame, sheet=title[:31], title=title),
        file_name=export.file_name(file_stem, period),
        mime=export.XLSX_MIME,
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def completeness_matrix(matrix: views.Matrix, *, key: str, title: str, period: str) -> None:
    """The matrix, coloured by status (its first tables.ROWS_ON_PAGE rows: problems first), with an Excel
    download of every row."""
    st.markdown(f"**{safe.md(title)}**")
    if matrix.table.frame.empty:
        st.caption("В справочнике нет организаций для выбранных фильтров.")
        return
    st.caption(messages.STATUS_LEGEND)
    total = len(matrix.table.frame)
    shown = views.matrix_head(matrix, tables.ROWS_ON_PAGE)
    rows = len(shown.table.frame)
    if rows < total:
        st.caption(messages.MATRIX_PREVIEW.format(shown=fmt.integer(rows), total=fmt.integer(total)))
    # every institution of a municipality at a glance; a region's list scrolls
    st.dataframe(views.styled_matrix(shown), hide_index=True, key=key, height=min(36 * (rows + 1) + 3, 760))
    excel_button(
        matrix.table.frame,
        title=title,
        file_stem="polnota",
        period=period,
        key=f"{key}_xlsx",
        label="Скачать в Excel",
    )
