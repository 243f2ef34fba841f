"""Кадры: the structure of the pedagogical staff, its trends, the institutions' staff indicators and the
lists of who is due for attestation and training."""

import streamlit as st

from ui import area, due_lists, messages, widgets
from ui.views import safe
from ui.views import tables as views
from warehouse import queries

page = area.start("staff")
head_codes = [
    "STAFF_COUNT",
    "STAFF_YOUNG_SPECIALISTS",
    "STAFF_CATEGORY_LAPSED",
    "STAFF_ATTESTATION_DUE",
    "STAFF_TRAINING_DUE",
]
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
            data = page.ctx.ref(queries.staff_structure, page.sel.scope, dim)
            fig = widgets.figures.structure(
                data,
                views.title(messages.STAFF_GROUP_TITLES[dim], page.sel.period, page.subject),
                messages.STAFF_GROUPS[dim],
            )
            widgets.chart(fig, key=f"structure_{dim}")
    left, right = st.columns(2)
    with left:
        data = page.ctx.ref(queries.staff_structure, page.sel.scope, "age_band", by_gender=True)
        fig = widgets.figures.age_pyramid(
            data,
            views.title("Возраст и пол", page.sel.period, page.subject),
            messages.STAFF_GROUPS["age_band"],
        )
        widgets.chart(fig, key="structure_age")
    with right:
        data = page.ctx.ref(queries.staff_structure, page.sel.scope, "experience_band")
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
            page.ctx.later(views.series_frame, page.data.series_ref, page.data.catalog_ref, trend_codes),
            f"{what} — {page.subject}, по годам",
            "%",
        )
        widgets.chart(fig, key=f"staff_trend_{i}")
    if page.sel.inst_id:
        fig = widgets.figures.trend(
            page.ctx.later(
                views.compare_frame,
                page.data.series_ref,
                page.data.scope_series_ref,
                "STAFF_CAT_ANY",
                page.inst_name or "",
                page.where,
            ),
            f"Доля педагогов с высшей или первой категорией — {page.inst_name} и {page.where}, по годам",
            "%",
        )
        widgets.chart(fig, key="staff_trend_compare")

with tab_table:
    area.lag_chart(page, area.institution_values(page), key="staff_lag")
    area.institutions_table(
        page,
        area.values_ref(page),
        key="staff_table",
        title="Кадровые показатели организаций",
        file_stem="kadry",
    )

with tab_due:
    due_lists.due_lists(page)

widgets.catalog_link()
