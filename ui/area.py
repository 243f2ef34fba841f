"""The common start of the area pages (Кадры, Информатизация, Инновации): filters, the catalogue, the KPI
badges, the chosen institution's name, the previous period and the indicator series of the scope; and their
KPI row."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ui import dq_widgets, filters, messages, widgets
from ui.data import Context, Ref
from ui.filters import Selection
from ui.views import tables as views
from ui.views.quality import Badge
from warehouse import queries


@dataclass(frozen=True)
class AreaData:
    """What the warehouse says about the area for the selection: the catalogue, its indicator codes, the KPI
    badges and the indicator series of the scope (`series` is the chosen institution's when there is one)."""

    catalog: views.Catalog
    codes: list[str]
    badges: dict[str, Badge]
    scope_series: pd.DataFrame
    series: pd.DataFrame
    # the same by name, for cached figures and views (ui.data.Ref): keyed by how they are computed
    catalog_ref: Ref
    scope_series_ref: Ref
    series_ref: Ref


@dataclass(frozen=True)
class AreaPage:
    """An area page's start, read by name: `page.sel.period`, `page.data.series`, `page.subject`."""

    ctx: Context
    sel: Selection
    data: AreaData
    where: str  # the scope in words: «Все муниципалитеты», «г. Бор»
    inst_name: str | None  # the chosen institution's short name
    previous: str | None  # the period before the selected one, if the warehouse has it

    @property
    def subject(self) -> str:
        """What the page is about: the chosen institution, else the scope."""
        return self.inst_name or self.where


def start(area: str) -> AreaPage:
    """Lay out the page's title and filters and read what every area page needs."""
    ctx = widgets.start(messages.PAGE_TITLES[area])
    sel = filters.sidebar_filters(ctx)
    catalog = views.Catalog(ctx.q(queries.indicator_catalog))
    codes = catalog.area_codes(area)
    institutions = ctx.q(queries.list_institutions)
    inst_name = (
        str(institutions.loc[institutions["inst_id"] == sel.inst_id, "short_name"].iloc[0])
        if sel.inst_id
        else None
    )
    scope_series = ctx.q(queries.aggregate_series, codes, sel.municipality, sel.inst_type)
    series = ctx.q(queries.institution_series, sel.inst_id, codes) if sel.inst_id else scope_series
    scope_series_ref = ctx.ref(queries.aggregate_series, codes, sel.municipality, sel.inst_type)
    data = AreaData(
        catalog=catalog,
        codes=codes,
        badges=dq_widgets.kpi_badges(ctx, sel, catalog),
        scope_series=scope_series,
        series=series,
        catalog_ref=ctx.later(views.Catalog, ctx.ref(queries.indicator_catalog)),
        scope_series_ref=scope_series_ref,
        series_ref=(
            ctx.ref(queries.institution_series, sel.inst_id, codes) if sel.inst_id else scope_series_ref
        ),
    )
    return AreaPage(
        ctx=ctx,
        sel=sel,
        data=data,
        where=views.scope_label(sel.municipality),
        inst_name=inst_name,
        previous=views.previous_period(ctx.state.periods, sel.period),
    )


def kpi_row(page: AreaPage, codes: list[str]) -> None:
    """The page's KPI cards: `codes` in the scope (or the chosen institution against its scope), with badges."""
    widgets.kpi_row(
        page.ctx.view(
            views.kpis,
            page.data.catalog_ref,
            codes,
            page.data.series_ref,
            page.sel.period,
            page.previous,
            compare=page.data.scope_series_ref if page.sel.inst_id else None,
            compare_label=page.where,
        ),
        badges=page.data.badges,
    )


def values_ref(page: AreaPage) -> Ref:
    """The area's values by institution (or by municipality at region level) in the selected period, by name
    (ui.data.Ref): cached charts and tables are keyed by how the values are read, not by the rows."""
    if page.sel.by == "municipality":
        return page.ctx.ref(queries.municipality_values, page.sel.period, page.data.codes, page.sel.inst_type)
    return page.ctx.ref(
        queries.institution_values,
        page.sel.period,
        page.data.codes,
        page.sel.municipality,
        page.sel.inst_type,
    )


def institution_values(page: AreaPage) -> pd.DataFrame:
    """The rows of `values_ref`."""
    return values_ref(page).value()


def _keep_indicator() -> None:
    """The lag chart's indicator goes into the link (`?ind=CODE`), so that a copied address shows it."""
    st.query_params["ind"] = str(st.session_state.get("_imc_ind") or "")


def lag_chart(page: AreaPage, long: pd.DataFrame, key: str) -> None:
    """«Which schools lag on X?»: one chosen indicator (the choice is in the URL, `?ind=CODE`), its
    institutions (or municipalities) sorted, with the scope's value and the target as lines."""
    catalog = page.data.catalog
    codes = [c for c in page.data.codes if catalog.info(c).get("direction") in ("up", "down")]
    if not codes:
        return
    asked = st.query_params.get("ind")
    st.session_state["_imc_ind"] = asked if asked in codes else codes[0]
    code = st.selectbox(
        "Показатель для сравнения организаций",
        codes,
        format_func=lambda c: str(catalog.info(c)["name_ru"]),
        key="_imc_ind",
        placeholder="Выберите показатель…",
        on_change=_keep_indicator,
    )
    code = code if code in codes else codes[0]
    info = catalog.info(code)
    data, missing = views.values_for_chart(long, code, by=page.sel.by)
    shown, total = views.weakest(data, str(info.get("direction")))
    current = page.data.scope_series[
        (page.data.scope_series["period"] == page.sel.period)
        & (page.data.scope_series["indicator_code"] == code)
    ]
    unit_word = "муниципалитетам" if page.sel.by == "municipality" else "организациям"
    fig = widgets.figures.bars_by_unit(
        shown,
        views.title(f"{info['name_ru']} по {unit_word}", page.sel.period, page.where),
        info["unit"],
        scope_value=None if current.empty else float(current.iloc[0]["value"]),
        scope_label=page.where,
        target=info["target"],
    )
    widgets.chart(fig, key=key, missing=missing)
    if total > len(shown):
        st.caption(messages.CHART_WEAKEST.format(shown=len(shown), total=total))


def institutions_table(page: AreaPage, long: Ref, *, key: str, title: str, file_stem: str) -> None:
    """The area's indicators by institution (or municipality) in the period, the scope's total in a row of its
    own above, downloadable as Excel."""
    total = page.data.scope_series[page.data.scope_series["period"] == page.sel.period]
    tbl = page.ctx.view(
        views.indicator_table,
        long,
        page.data.catalog_ref,
        page.data.codes,
        by=page.sel.by,
        total=total,
        total_label=views.total_label(page.sel.municipality),
    )
    widgets.table(
        tbl,
        key=key,
        title=views.title(title, page.sel.period, page.where),
        file_stem=file_stem,
        period=page.sel.period,
    )
