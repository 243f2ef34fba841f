"""Streamlit building blocks shared by the pages: the no-data notice, KPI cards, charts with their missing-
data note, tables with Russian formats and an Excel download."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import streamlit as st

from ru import fmt
from ui import data, dq_widgets, messages, plotly_ru
from ui.data import Context
from ui.views import charts, export, safe, tables
from ui.views import results as results_views
from ui.views.quality import Badge
from ui.views.tables import Kpi, Table

# the toolbar in Russian (ui.plotly_ru); selection tools removed: a dashboard chart selects nothing
PLOTLY_CONFIG = plotly_ru.config(displaylogo=False, modeBarButtonsToRemove=["lasso2d", "select2d"])


def start(title: str) -> Context:
    """Every dashboard page starts here: the router check, the title, and a stop with instructions when
    there is nothing to show (the demo banner and who is signed in come from the router)."""
    ctx = dq_widgets.start(title)  # the router check, the title, a stop if the warehouse is broken
    if not ctx.state.ready:
        st.info(f"**{messages.NO_DATA_TITLE}.** {messages.NO_DATA_BODY}", icon="ℹ️")
        st.stop()
    return ctx


def kpi_row(cards: Sequence[Kpi], per_row: int = 4, badges: Mapping[str, Badge] | None = None) -> None:
    """KPI cards: the indicator's full name (with its formula in the tooltip), the value, the change
    against last year coloured by the indicator's direction, a sparkline, and the target or the scope's
    value beneath; and, when the value is built on incomplete data, a badge linking to the quality page
    (`badges` by indicator code, ui.dq_widgets.kpi_badges)."""
    for start_at in range(0, len(cards), per_row):
        cols = st.columns(per_row)
        for col, card in zip(cols, cards[start_at : start_at + per_row], strict=False):
            with col, st.container(border=True, height="stretch"):
                st.markdown(
                    f"<small>{html.escape(card.label)}</small>", help=card.help, unsafe_allow_html=True
                )
                st.metric(
                    card.label,
                    card.value_text,
                    delta=card.delta_text,
                    delta_color=card.delta_color,  # type: ignore[arg-type]
                    delta_arrow=card.delta_arrow,  # type: ignore[arg-type]
                    label_visibility="collapsed",
                    chart_data=card.spark if len(card.spark) > 1 else None,
                    delta_description="к прошлому году" if card.delta_text else None,
                )
                notes = [t for t in (card.compare_text, card.target_text) if t]
                if notes:
                    st.caption(" · ".join(notes))  # the scope's name is escaped in views.kpis
                badge = badges.get(card.code) if badges else None
                if badge is not None:
                    incomplete_badge(badge)


def incomplete_badge(badge: Badge) -> None:
    """«данные неполные: 3 из 30 организаций не представили сведения» (who exactly — in the tooltip) and a
    link to the quality page for the same period and scope. The sentence is a caption, not the link's label:
    a link's label does not wrap and would be cut in a narrow card."""
    # counts only in the text; the names in the tooltip are escaped where it is written (ui.views.quality)
    st.caption(f":orange[:material/warning: {badge.text}]", help=badge.help)
    st.page_link(
        "pages/quality.py",
        label=messages.BADGE_LINK,
        icon=":material/arrow_forward:",
        help=messages.BADGE_LINK_HELP,
        query_params=dict(badge.params) or None,
    )


def missing_note(labels: Sequence[str], what: str = "нет данных") -> None:
    if not labels:
        return
    shown = ", ".join(labels[:12])
    more = len(labels) - 12
    tail = f" и ещё {more}" if more > 0 else ""
    st.caption(safe.md(f"{what.capitalize()}: {shown}{tail} — на графике не показаны."))


# the modules whose figure builders `figures` / `results_figures` call (pure functions of ui/views)
_FIGURE_MODULES = {"ui.views.charts": charts, "ui.views.results": results_views}


@st.cache_resource(show_spinner=False, max_entries=2048)
def _figure(
    name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...], module: str = "ui.views.charts"
) -> go.Figure | None:
    # A validated Figure, shared by every session that asks for the same chart. Not st.cache_data: a
    # Figure read back from its pickle, or a dict handed to st.plotly_chart, is validated by plotly again
    # on every run (~50 ms a chart, most of a page's run). The figure is never changed after this point:
    # chart() only hands it to st.plotly_chart, which copies it (to_dict) before serialising.
    builder = getattr(_FIGURE_MODULES[module], name)
    built = builder(*(data.resolve(a) for a in args), **{k: data.resolve(v) for k, v in kwargs})
    if built is None:  # a builder may have nothing to draw (views.score_figure of a masked subject)
        return None
    fig = go.Figure(safe.figure(built.to_dict()))
    fig._imc_safe = True  # chart() shows it without another pass of safe.figure  # type: ignore[attr-defined]
    return fig


class _Figures:
    """`figures.trend(...)`: a chart builder of ui.views.charts whose figure (its texts already made
    literal, ui.views.safe) is built and validated once per arguments and shared by every session. The
    arguments may be Refs (`ctx.ref`, `ctx.later`): the key is then how the data is computed, not its rows."""

    def __init__(self, module: str = "ui.views.charts") -> None:
        self._module = module

    def __getattr__(self, name: str) -> Callable[..., go.Figure]:
        if name.startswith("_") or not callable(getattr(_FIGURE_MODULES[self._module], name, None)):
            raise AttributeError(name)

        def build(*args: Any, **kwargs: Any) -> go.Figure:
            return _figure(name, args, tuple(sorted(kwargs.items())), self._module)  # type: ignore[return-value]

        return build


figures = _Figures()
# the results page's figures (ui/views/results.py), cached the same way; score_figure may give None
results_figures = _Figures("ui.views.results")


def chart(fig: go.Figure | dict[str, Any], key: str, missing: Sequence[str] = ()) -> None:
    """A plotly chart whose every text (names from files among them) shows literally (ui.views.safe);
    a figure of `figures` is already safe and validated, and is shown as it is."""
    if isinstance(fig, go.Figure) and getattr(fig, "_imc_safe", False):
        st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG)
    else:
        spec = safe.figure(fig.to_dict() if isinstance(fig, go.Figure) else fig)
        # Streamlit refuses a dict without traces (an empty chart says so itself); a Figure it takes
        st.plotly_chart(spec if spec.get("data") else go.Figure(spec), key=key, config=PLOTLY_CONFIG)
    missing_note(list(missing))


@functools.lru_cache(maxsize=100_000)  # a country table re-renders ~25,000 cells
def _cell(x: float, decimals: int) -> str:
    return fmt.number(x, decimals)


def _formatter(decimals: int):  # type: ignore[no-untyped-def]
    """A table cell's text, every number of a column with the same decimals (remembered per value, as a
    country table re-renders 25,000 cells a run)."""

    def format_cell(x: object) -> str:
        return fmt.MISSING if fmt.is_missing(x) else _cell(float(x), decimals)  # type: ignore[arg-type]

    return format_cell


def _column_config(tbl: Table) -> dict[str, object]:
    """Short titles with the full name and formula as help, pinned name columns, Russian dates. Numbers
    are formatted by a Styler (st.dataframe keeps the column configuration, pinning included, over it) —
    a NumberColumn's "localized" format would follow the browser's language, not Russian."""
    config: dict[str, object] = {
        col: st.column_config.DateColumn(tbl.labels.get(col, col), format="DD.MM.YYYY") for col in tbl.dates
    }
    aligned = tbl.total is not None  # the total's own row above: both grids get the same column widths
    for col in tbl.frame.columns:
        label = tbl.labels.get(col, col)
        width = _width(tbl, col, label) if aligned else None
        if col in tbl.units:
            config[col] = st.column_config.NumberColumn(
                label,
                help=tbl.help.get(col) or (col if label != col else None),
                pinned=col in tbl.pinned,
                width=width,
            )
        elif col in tbl.pinned or col in tbl.help or col in tbl.labels or aligned:
            config[col] = st.column_config.Column(
                label, help=tbl.help.get(col), pinned=col in tbl.pinned, width=width
            )
    return config


def _width(tbl: Table, col: str, label: str) -> int:
    """A column's width in pixels from its title and its longest text (about 7.5 px a character)."""
    texts = [label] + [str(v) for v in tbl.frame[col].head(200) if not fmt.is_missing(v)]
    if tbl.total is not None:
        texts += [str(v) for v in tbl.total[col] if not fmt.is_missing(v)]
    longest = max(len(t) for t in texts) if col not in tbl.units else len(label)
    return int(min(max(80, 7.5 * longest + 28), 340))


def _styled(frame: Any, tbl: Table) -> object:
    if not tbl.units:
        return frame
    return frame.style.format({col: _formatter(tbl.column_decimals(col)) for col in tbl.units})


def table(
    tbl: Table,
    *,
    key: str,
    title: str,
    file_stem: str,
    period: str | None = None,
    height: int | str = "auto",
    preview_rows: int | None = None,
    full: Callable[[], Table] | None = None,
    total_rows: int | None = None,
) -> None:
    """The table (sortable; numbers and dates in Russian) with an Excel download of the same rows.

    `preview_rows` shows only the first rows on the page (long lists of people), and never more than
    tables.ROWS_ON_PAGE; the download has them all.
    `full` (with `total_rows`): `tbl` holds only the first rows of a longer list; the download builds the
    whole list with `full` when it is clicked (a country's due list has 100,000 people).
    """
    st.markdown(f"**{safe.md(title)}**")
    if tbl.frame.empty:
        st.caption("Нет строк для выбранных фильтров.")
        return
    config = _column_config(tbl)
    shown = tbl.frame
    total = total_rows if full is not None and total_rows is not None else len(tbl.frame)
    on_page = min(preview_rows, tables.ROWS_ON_PAGE) if preview_rows is not None else tables.ROWS_ON_PAGE
    if len(shown) > on_page:
        shown = shown.head(on_page)
    if total > len(shown):
        st.caption(
            f"Показаны первые {fmt.integer(len(shown))} из {fmt.integer(total)} строк; "
            "полный список — в файле Excel."
        )
    if tbl.total is not None and not tbl.total.empty:
        # the scope's total: a row of its own above the table, so that sorting never moves it
        st.dataframe(
            _styled(tbl.total, tbl),  # type: ignore[arg-type]
            hide_index=True,
            column_config=config,  # type: ignore[arg-type]
            key=f"{key}_total",
            placeholder=fmt.MISSING,
        )
    st.dataframe(
        _styled(shown, tbl),  # type: ignore[arg-type]
        hide_index=True,
        column_config=config,  # type: ignore[arg-type]
        key=key,
        height=height,  # type: ignore[arg-type]
        placeholder=fmt.MISSING,
    )
    if tbl.missing:
        st.caption(messages.MISSING_NOTE)
    st.download_button(
        "Скачать в Excel",
        data=functools.partial(excel_of, tbl if full is None else full, title),
        file_name=export.file_name(file_stem, period),
        mime=export.XLSX_MIME,
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )


def excel_of(tbl: Table | Callable[[], Table], title: str) -> bytes:
    """The Excel file of a table's download, built when the button is clicked."""
    whole = tbl() if callable(tbl) else tbl
    return export.excel_bytes(
        whole.export_frame(), sheet=title[:31], title=title, units=whole.units, dates=whole.dates
    )


def catalog_link(code: str | None = None, label: str | None = None) -> None:
    """A link to the catalogue page, opened on one indicator when `code` is given."""
    st.page_link(
        "pages/catalog.py",
        label=label or messages.CATALOG_POINTER,
        icon=":material/menu_book:",
        query_params={"code": code} if code else None,
    )
