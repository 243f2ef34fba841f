"""Кадры: the structure of the pedagogical staff, its trends, the institutions' staff indicators and the
lists of who is due for attestation and training."""

import functools

import streamlit as st

from auth import identity
from ru import fmt
from ui import area, messages, widgets
from ui.views import safe
from ui.views import tables as views
from warehouse import queries

DUE_SHOWN = 500


def full_due_table(db_path: str, user: identity.User, scope: queries.Scope, kind: str) -> views.Table:
    return views.due_table(queries.staff_due_list(db_path, user, scope, kind), kind)


page = area.start("staff")
head_codes = ["STAFF_COUNT", "STAFF_YOUNG_SPECIALISTS", "STAFF_ATTESTATION_DUE", "STAFF_TRAINING_DUE"]
head_codes = [c for c in head_codes if c in page.data.codes]
area.kpi_row(page, head_codes)

tab_structure, tab_trends, tab_table, tab_due = st.tabs(
    ["Структура", "Динамика", "Организации", "Аттестация и КПК"], key="tab", bind="query-params"
)

with tab_structure:
    st.caption(
        safe.md(
            f"Педагогические работники (без внешних совместителей) — {page.subject}, {page.sel.period} уч. г."
        )
    )
    left, right = st.columns(2)
    for col, dim in ((left, "category"), (right, "education")):
        with col:
            data = page.ctx.q(queries.staff_structure, page.sel.scope, dim)
            fig = widgets.figures.structure(
                data,
                views.title(messages.STAFF_GROUP_TITLES[dim], page.sel.period, page.subject),
                messages.STAFF_GROUPS[dim],
            )
            widgets.chart(fig, key=f"structure_{dim}")
    left, right = st.columns(2)
    with left:
        data = page.ctx.q(queries.staff_structure, page.sel.scope, "age_band", by_gender=True)
        fig = widgets.figures.age_pyramid(
            data,
            views.title("Возраст и пол", page.sel.period, page.subject),
            messages.STAFF_GROUPS["age_band"],
        )
        widgets.chart(fig, key="structure_age")
    with right:
        data = page.ctx.q(queries.staff_structure, page.sel.scope, "experience_band")
        fig = widgets.figures.structure(
            data,
            views.title(messages.STAFF_GROUP_TITLES["experience_band"], page.sel.period, page.subject),
            messages.STAFF_GROUPS["experience_band"],
        )
        widgets.chart(fig, key="structure_experience")

with tab_trends:
    trend_sets = [
        ("Категории и повышение квалификации", ["STAFF_CAT_ANY", "STAFF_CAT_HIGHEST", "STAFF_TRAINED_3Y"]),
        ("Образование", ["STAFF_HIGHER_EDU", "STAFF_HIGHER_PED_EDU", "STAFF_ICT_TRAINED"]),
        ("Возраст и стаж", ["STAFF_UNDER_35", "STAFF_55_PLUS", "STAFF_EXP_UNDER_5", "STAFF_EXP_OVER_30"]),
    ]
    for i, (what, trend_codes) in enumerate(trend_sets):
        trend_codes = [c for c in trend_codes if c in page.data.codes]
        fig = widgets.figures.trend(
            views.series_frame(page.data.series, page.data.catalog, trend_codes),
            f"{what} — {page.subject}, по годам",
            "%",
        )
        widgets.chart(fig, key=f"staff_trend_{i}")
    if page.sel.inst_id:
        fig = widgets.figures.trend(
            views.compare_frame(
                page.data.series, page.data.scope_series, "STAFF_CAT_ANY", page.inst_name or "", page.where
            ),
            f"Доля педагогов с высшей или первой категорией — {page.inst_name} и {page.where}, по годам",
            "%",
        )
        widgets.chart(fig, key="staff_trend_compare")

with tab_table:
    long = area.institution_values(page)
    area.lag_chart(page, long, key="staff_lag")
    total = page.data.scope_series[page.data.scope_series["period"] == page.sel.period]
    tbl = views.indicator_table(
        long,
        page.data.catalog,
        page.data.codes,
        by=page.sel.by,
        total=total,
        total_label=views.total_label(page.sel.municipality),
    )
    widgets.table(
        tbl,
        key="staff_table",
        title=views.title("Кадровые показатели организаций", page.sel.period, page.where),
        file_stem="kadry",
        period=page.sel.period,
    )

with tab_due:
    st.caption(messages.PERSONAL_DATA_NOTE)
    if page.ctx.user.person_scope:
        st.caption("Показаны только работники вашей организации.")
    settings = page.ctx.q(queries.methodology_settings)
    for kind in ("attestation", "training"):
        total = page.ctx.q(queries.staff_due_count, page.sel.scope, kind)
        title = views.title(messages.DUE_TITLES[kind], page.sel.period, page.subject)
        if not total:
            st.markdown(f"**{safe.md(title)}**")
            st.caption(messages.DUE_EMPTY)
            continue
        # the page shows the soonest DUE_SHOWN people; the Excel file is the whole list, read when clicked
        widgets.table(
            views.due_table(page.ctx.q(queries.staff_due_list, page.sel.scope, kind, limit=DUE_SHOWN), kind),
            key=f"due_{kind}",
            title=f"{title}: {fmt.integer(total)} чел.",
            file_stem=kind,
            period=page.sel.period,
            full=functools.partial(full_due_table, page.ctx.db_path, page.ctx.user, page.sel.scope, kind),
            total_rows=total,
        )

widgets.catalog_link()
