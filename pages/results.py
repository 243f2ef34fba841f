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
# the rows are named, not fetched (ctx.ref, ctx.later): a warm run takes the shaped tables and the figures
# from their caches without unpickling or hashing the region's institution rows
values = ctx.ref(results.institution_values, schools, views.ALL_CODES)
inst_now = values if sel.inst_id else None
inst_before = (
    ctx.ref(results.institution_values, schools, views.ALL_CODES, previous)
    if sel.inst_id and previous
    else None
)
place = {
    part: ctx.later(
        views.place_frame,
        ctx.ref(results.aggregate_values, sel.scope, views.ALL_CODES),
        sel.period,
        previous,
        part,
        inst_now=inst_now,
        inst_before=inst_before,
        where=where,
        region=sel.municipality is None,
    )
    for part in ("current", "before", "compare")
}
current, before, compare = place["current"], place["before"], place["compare"]
compare_label = views.compare_label(sel.inst_id is not None, where)
inst_values = ctx.q(results.institution_values, schools, views.ALL_CODES) if sel.inst_id else None
subject = (
    str(inst_values["short_name"].iloc[0]) if inst_values is not None and not inst_values.empty else where
)
st.caption(messages.RESULTS_SMALL_GROUPS)


def result_table(tbl: views.Table, key: str, heading: str, file_stem: str, whose: str = subject) -> None:
    """One of the page's tables for the period, titled for `whose` (the school or the scope), downloadable."""
    widgets.table(
        tbl, key=key, title=title(heading, sel.period, whose), file_stem=file_stem, period=sel.period
    )


def summary(codes: list[str], **options: bool) -> views.Table:
    """The subjects' summary of `codes` against the year before and the compared level."""
    return ctx.view(
        views.subject_summary, current, before, compare, codes, names, compare_label=compare_label, **options
    )


gia11, gia9, vpr, olympiad, attention = st.tabs(["ГИА-11", "ГИА-9", "ВПР", "ВсОШ", "Требуют внимания"])

with gia11:
    result_table(summary(views.GIA11_CODES), "res_gia11", "ГИА-11 по предметам", "gia11_predmety")
    dist = ctx.q(results.score_distribution, schools)
    options = views.score_subjects(dist, names)
    if options:
        chosen = st.selectbox("Предмет ЕГЭ", list(options), format_func=options.get, key="res_subject")
        fig = widgets.results_figures.score_figure(
            ctx.ref(results.score_distribution, schools),
            chosen,
            title(f"Распределение баллов ЕГЭ: {options[chosen]}", sel.period, subject),
        )
        if fig is None:
            st.caption(
                messages.RESULTS_MASKED_DISTRIBUTION if views.masked_subject(dist, chosen) else "Нет баллов."
            )
        else:
            widgets.chart(fig, key="res_scores")
    result_table(
        ctx.view(views.institutions_by_subject, values, "EGE_MEAN_SCORE", names),
        "res_gia11_schools",
        "Средний тестовый балл ЕГЭ по организациям и предметам",
        "ege_srednii_ball",
    )

with gia9:
    result_table(summary(views.GIA9_CODES), "res_gia9", "ГИА-9 по предметам", "gia9_predmety")
    result_table(
        ctx.view(views.institutions_table, values, views.GIA9_CODES),
        "res_gia9_schools",
        "ГИА-9 по организациям (все предметы)",
        "gia9_organizacii",
    )

with vpr:
    result_table(
        summary(views.VPR_CODES, by_grade=True), "res_vpr", "ВПР по предметам и классам", "vpr_predmety"
    )
    bars, hidden = ctx.view(views.journal_bars, values)
    if not bars.empty:
        widgets.chart(
            widgets.results_figures.journal_figure(
                ctx.later(views.journal_rows, values),
                title("Соответствие отметок ВПР отметкам по журналу", sel.period, subject),
            ),
            key="res_vpr_journal",
        )
    if hidden:
        st.caption(safe.md(messages.RESULTS_HIDDEN_SCHOOLS.format(schools=", ".join(hidden))))
    result_table(
        ctx.view(views.institutions_table, values, views.VPR_CODES),
        "res_vpr_schools",
        "ВПР по организациям (все предметы и классы)",
        "vpr_organizacii",
    )

with olympiad:
    funnel = ctx.q(results.olympiad_funnel, schools)
    totals = views.funnel_totals(funnel)
    if not totals.empty:
        widgets.chart(
            widgets.results_figures.funnel_figure(
                totals, title("Всероссийская олимпиада школьников: участия по этапам", sel.period, subject)
            ),
            key="res_funnel",
        )
    result_table(
        ctx.view(
            views.olympiad_table,
            ctx.ref(results.olympiad_funnel, schools),
            ctx.later(views.effectiveness, current),
            names,
        ),
        "res_olympiad",
        "ВсОШ по предметам",
        "vsosh_predmety",
    )

with attention:
    items = ctx.view(views.flag_items, ctx.ref(results.result_flags, schools), names)
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
    result_table(views.flags_table(items), "res_flags", "Требуют внимания", "rezultaty_vnimanie", where)
widgets.catalog_link()
