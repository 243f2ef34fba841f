"""Результаты обучения: ГИА-11, ГИА-9, ВПР, ВсОШ and the schools that need attention. Another institution's
small groups reach a director as «менее 5» (the query layer masks them: warehouse/small_groups.py)."""

import streamlit as st

from ui import filters, messages, widgets
from ui.views import results as views
from ui.views import safe
from ui.views.tables import previous_period, scope_label, title
from warehouse import results

ctx = widgets.start(messages.PAGE_TITLES["results"])
sel = filters.sidebar_filters(ctx)
names = ctx.q(results.subject_names)
previous = previous_period(ctx.state.periods, sel.period)
where = scope_label(sel.municipality)
schools = sel.scope
aggregates = ctx.q(results.aggregate_values, sel.scope, views.ALL_CODES)
values = ctx.q(results.institution_values, schools, views.ALL_CODES)
inst_now = values if sel.inst_id else None
inst_before = (
    ctx.q(results.institution_values, schools, views.ALL_CODES, previous)
    if sel.inst_id and previous
    else None
)
current, before, compare, compare_label = views.place_frames(
    aggregates,
    sel.period,
    previous,
    inst_now=inst_now,
    inst_before=inst_before,
    where=where,
    region=sel.municipality is None,
)
subject = str(values["short_name"].iloc[0]) if sel.inst_id and not values.empty else where
st.caption(messages.RESULTS_SMALL_GROUPS)

gia11, gia9, vpr, olympiad, attention = st.tabs(["ГИА-11", "ГИА-9", "ВПР", "ВсОШ", "Требуют внимания"])

with gia11:
    widgets.table(
        views.subject_summary(
            current, before, compare, views.GIA11_CODES, names, compare_label=compare_label
        ),
        key="res_gia11",
        title=title("ГИА-11 по предметам", sel.period, subject),
        file_stem="gia11_predmety",
        period=sel.period,
    )
    dist = ctx.q(results.score_distribution, schools)
    options = views.score_subjects(dist, names)
    if options:
        chosen = st.selectbox("Предмет ЕГЭ", list(options), format_func=options.get, key="res_subject")
        fig = views.score_figure(
            dist, chosen, title(f"Распределение баллов ЕГЭ: {options[chosen]}", sel.period, subject)
        )
        if fig is None:
            st.caption(
                messages.RESULTS_MASKED_DISTRIBUTION if views.masked_subject(dist, chosen) else "Нет баллов."
            )
        else:
            widgets.chart(fig, key="res_scores")
    widgets.table(
        views.institutions_by_subject(values, "EGE_MEAN_SCORE", names),
        key="res_gia11_schools",
        title=title("Средний тестовый балл ЕГЭ по организациям и предметам", sel.period, subject),
        file_stem="ege_srednii_ball",
        period=sel.period,
    )

with gia9:
    widgets.table(
        views.subject_summary(current, before, compare, views.GIA9_CODES, names, compare_label=compare_label),
        key="res_gia9",
        title=title("ГИА-9 по предметам", sel.period, subject),
        file_stem="gia9_predmety",
        period=sel.period,
    )
    widgets.table(
        views.institutions_table(values, views.GIA9_CODES),
        key="res_gia9_schools",
        title=title("ГИА-9 по организациям (все предметы)", sel.period, subject),
        file_stem="gia9_organizacii",
        period=sel.period,
    )

with vpr:
    widgets.table(
        views.subject_summary(
            current, before, compare, views.VPR_CODES, names, compare_label=compare_label, by_grade=True
        ),
        key="res_vpr",
        title=title("ВПР по предметам и классам", sel.period, subject),
        file_stem="vpr_predmety",
        period=sel.period,
    )
    bars, hidden = views.journal_bars(values)
    if not bars.empty:
        widgets.chart(
            views.journal_figure(
                bars, title("Соответствие отметок ВПР отметкам по журналу", sel.period, subject)
            ),
            key="res_vpr_journal",
        )
    if hidden:
        st.caption(safe.md(messages.RESULTS_HIDDEN_SCHOOLS.format(schools=", ".join(hidden))))
    widgets.table(
        views.institutions_table(values, views.VPR_CODES),
        key="res_vpr_schools",
        title=title("ВПР по организациям (все предметы и классы)", sel.period, subject),
        file_stem="vpr_organizacii",
        period=sel.period,
    )

with olympiad:
    funnel = ctx.q(results.olympiad_funnel, schools)
    totals = views.funnel_totals(funnel)
    if not totals.empty:
        widgets.chart(
            views.funnel_figure(
                totals, title("Всероссийская олимпиада школьников: участия по этапам", sel.period, subject)
            ),
            key="res_funnel",
        )
    effectiveness = current[current["indicator_code"] == "OLY_MUNICIPAL_EFFECTIVENESS"]
    widgets.table(
        views.olympiad_table(funnel, effectiveness, names),
        key="res_olympiad",
        title=title("ВсОШ по предметам", sel.period, subject),
        file_stem="vsosh_predmety",
        period=sel.period,
    )

with attention:
    items = views.flag_items(ctx.q(results.result_flags, schools), names)
    if not items:
        st.caption(messages.RESULTS_NO_FLAGS)
    for item in items:
        st.markdown(f"**{safe.md(item['school'])}** — {safe.md(item['what'])}. {safe.md(item['message'])}")
        st.page_link(
            "pages/results.py",
            label=f"Открыть результаты: {item['school']}",
            icon=":material/school:",
            query_params={**sel.params(), "inst": item["inst_id"]},
        )
    widgets.table(
        views.flags_table(items),
        key="res_flags",
        title=title("Требуют внимания", sel.period, where),
        file_stem="rezultaty_vnimanie",
        period=sel.period,
    )
widgets.catalog_link()
