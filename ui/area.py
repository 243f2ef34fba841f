"""The common start of the area pages (Кадры, Информатизация, Инновации): filters, the catalogue, the KPI
badges, the chosen institution's name, the previous period and the indicator series of the scope; and their
KPI row."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
