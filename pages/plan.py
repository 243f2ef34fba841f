"""Планирование: the training plan (план-график КПК) with the needs people named, the five-year attestation
plan, mentoring of young specialists, and the age and service structure in the bands of form ОО-1
(indicators.md, «Planning»). The lists of people are person-level: a director sees their own institution's
people and is told so (as on «Кадры»); the counts of the other tabs follow the filters for every role."""

import streamlit as st

from reports import docx_builder, plan, xlsx_builder
from ru import fmt
from ui import filters, messages, widgets
from ui.views import plan as views
from ui.views import safe
from ui.views.tables import scope_label, title
from warehouse import queries

ctx = widgets.start(messages.PAGE_TITLES["plan"])
sel = filters.sidebar_filters(ctx)
institutions = ctx.q(queries.list_institutions)
where = scope_label(sel.municipality)
subject = views.institution_name(institutions, sel.inst_id) or where
d = views.planning_date(sel.period, ctx.q(queries.methodology_settings))
# the person-level lists' scope and whose people they hold (a director: their own institution, whatever is shown)
people_scope = queries.due_scope(ctx.user, sel.scope)
people_of, own_notice, notice_stands_out = views.people_subject(
    ctx.user.person_scope, institutions, sel.inst_id, subject
)


def plan_table(tbl: views.Table, key: str, heading: str, file_stem: str, *, fit: bool = False) -> None:
    """One of the page's tables for the chosen period, downloadable; `fit`: as tall as its rows."""
    height = views.fit_height(tbl) if fit else "auto"
    widgets.table(tbl, key=key, title=heading, file_stem=file_stem, period=sel.period, height=height)


def people_notice() -> None:
    st.caption(messages.PERSONAL_DATA_NOTE)
    if own_notice:
        (st.info if notice_stands_out else st.caption)(safe.md(own_notice))


# the plan as documents: the same functions as `python -m etl plan`, built only when a button is clicked
# (a region's plan takes seconds), for the filters' scope and with the viewer's person-level rights
documents = (
    ("Скачать план (XLSX)", plan.plan_xlsx, "xlsx", xlsx_builder.XLSX_MIME, ":material/table_view:"),
    ("Скачать план-график (DOCX)", plan.plan_docx, "docx", docx_builder.DOCX_MIME, ":material/description:"),
)
for column, (label, make, extension, mime, icon) in zip(st.columns([1, 1, 2]), documents, strict=False):
    column.download_button(
        label,
        data=lambda make=make: make(ctx.db_path, ctx.user, sel.scope),
        file_name=views.plan_file_name(sel.period, extension),
        mime=mime,
        icon=icon,
        on_click="ignore",
        key=f"plan_{extension}",
    )

tab_training, tab_attestation, tab_mentoring, tab_structure = st.tabs(
    list(views.TAB_TITLES), key="tab", bind="query-params"
)

with tab_training:
    people_notice()
    st.caption(safe.md(views.planning_year_text(d)))
    rows = ctx.q(queries.training_plan, people_scope)
    plan_title = title("План-график повышения квалификации", sel.period, people_of)
    if rows.empty:
        st.markdown(f"**{safe.md(plan_title)}**")
        st.info(views.EMPTY["training"])
    else:
        widgets.table(
            views.training_plan_table(rows),
            key="plan_training",
            title=f"{plan_title}: {fmt.integer(len(rows))} чел.",
            file_stem="plan_grafik_kpk",
            period=sel.period,
            preview_rows=views.PEOPLE_SHOWN,
        )
        by_month, by_inst = st.columns(2)
        with by_month:
            heading = title("Повышение квалификации по месяцам", sel.period, people_of)
            plan_table(
                views.training_by_month(rows), "plan_training_months", heading, "kpk_po_mesyatsam", fit=True
            )
        with by_inst:
            heading = title("Повышение квалификации по организациям", sel.period, people_of)
            plan_table(
                views.training_by_institution(rows),
                "plan_training_institutions",
                heading,
                "kpk_po_organizaciyam",
            )
    summary = ctx.q(queries.needs_summary, sel.scope)
    needs_title = title("Профессиональные потребности педагогов", sel.period, subject)
    if summary.empty:
        st.markdown(f"**{safe.md(needs_title)}**")
        st.info(views.EMPTY["needs"])
    else:
        widgets.chart(
            views.needs_figure(summary, f"{needs_title}: число педагогов по темам и формам"),
            key="plan_needs_chart",
        )
        plan_table(
            views.needs_table(summary),
            "plan_needs",
            f"{needs_title}: по темам и формам",
            "potrebnosti",
            fit=True,
        )

with tab_attestation:
    rows = ctx.q(queries.attestation_plan, sel.scope)
    st.caption(views.ATTESTATION_WAVE_NOTE)
    att_title = title("Перспективный план аттестации", sel.period, subject)
    if rows.empty:
        st.markdown(f"**{safe.md(att_title)}**")
        st.info(views.EMPTY["attestation"])
    else:
        widgets.chart(
            views.attestation_figure(
                rows,
                institutions,
                d,
                title("Высшая и первая категории по году истечения срока", sel.period, subject),
            ),
            key="plan_attestation_chart",
        )
        plan_table(
            views.attestation_table(rows, d),
            "plan_attestation",
            f"{att_title}: по организациям",
            "plan_attestacii",
        )

with tab_mentoring:
    people_notice()
    rows = ctx.q(queries.mentoring, people_scope)
    if rows.empty:
        st.info(views.EMPTY["mentoring"])
    else:
        st.caption(views.mentoring_text(rows))
        for tbl, key, heading, stem in (
            (
                views.without_mentor_table(rows),
                "plan_no_mentor",
                "Молодые специалисты без наставника",
                "bez_nastavnika",
            ),
            (
                views.mentor_pairs_table(rows),
                "plan_mentor_pairs",
                "Наставники и молодые специалисты",
                "nastavniki",
            ),
        ):
            plan_table(tbl, key, title(heading, sel.period, people_of), stem)

with tab_structure:
    structure = ctx.q(queries.age_service_structure, sel.scope)
    forecast = ctx.q(queries.retirement_age_forecast, sel.scope)
    if structure.empty:
        st.info(views.EMPTY["structure"])
    else:
        st.markdown(f"**{safe.md(views.RETIREMENT_TITLE)}**")
        st.caption(views.RETIREMENT_NOTE.format(d=fmt.date(d)))
        for col, (label, value) in zip(st.columns(3), views.retirement_cards(forecast), strict=False):
            col.metric(label, value)
        left, right = st.columns(2)
        with left:
            widgets.chart(
                views.age_pyramid(structure, title("Возрастная пирамида", sel.period, subject)),
                key="plan_pyramid",
            )
        with right:
            heading = title(views.RETIREMENT_TITLE, sel.period, subject)
            plan_table(views.retirement_table(forecast), "plan_retirement", heading, "vozrast_60")
        heading = title("Возраст и педагогический стаж (полосы ОО-1)", sel.period, subject)
        plan_table(
            views.age_service_table(structure), "plan_age_service", heading, "vozrast_stazh_oo1", fit=True
        )

widgets.catalog_link()
