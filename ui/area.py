"""The common start of the area pages (Кадры, Информатизация, Инновации): filters, the catalogue, the KPI
badges, the chosen institution's name, the previous period and the indicator series of the scope; and their
KPI row."""

from __future__ import annotations

from typing import Any, NamedTuple

from ui import dq_widgets, filters, messages, widgets
from ui.views import tables as views
from warehouse import queries


class AreaPage(NamedTuple):
    ctx: Any
    sel: Any
    catalog: views.Catalog
    badges: Any
    codes: list[str]
    where: str
    institutions: Any
    inst_name: str | None
    subject: str
    previous: str | None
    scope_series: Any
    series: Any


def start(area: str) -> AreaPage:
    """Lay out the page's title and filters and read what every area page needs."""
    ctx = widgets.start(messages.PAGE_TITLES[area])
    sel = filters.sidebar_filters(ctx)
    catalog = views.Catalog(ctx.q(queries.indicator_catalog))
    badges = dq_widgets.kpi_badges(ctx, sel, catalog)
    codes = catalog.area_codes(area)
    where = views.scope_label(sel.municipality)
    institutions = ctx.q(queries.list_institutions)
    inst_name = (
        str(institutions.loc[institutions["inst_id"] == sel.inst_id, "short_name"].iloc[0])
        if sel.inst_id
        else None
    )
    previous = views.previous_period(ctx.state.periods, sel.period)
    scope_series = ctx.q(queries.aggregate_series, codes, sel.municipality, sel.inst_type)
    series = ctx.q(queries.institution_series, sel.inst_id, codes) if sel.inst_id else scope_series
    return AreaPage(
        ctx, sel, catalog, badges, codes, where, institutions, inst_name, inst_name or where, previous,
        scope_series, series,
    )  # fmt: skip


def kpi_row(page: AreaPage, codes: list[str]) -> None:
    """The page's KPI cards: `codes` in the scope (or the chosen institution against its scope), with badges."""
    widgets.kpi_row(
        views.kpis(
            page.catalog,
            codes,
            page.series,
            page.sel.period,
            page.previous,
            compare=page.scope_series if page.sel.inst_id else None,
            compare_label=page.where,
        ),
        badges=page.badges,
    )
