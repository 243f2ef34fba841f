"""Обзор: the key indicators of each area against last year and the targets, and who needs attention."""

import streamlit as st

from ui import dq_widgets, filters, messages, widgets
from ui.views import safe
from ui.views import tables as views
from warehouse import queries
from warehouse.catalog import area_names

ctx = widgets.start(messages.PAGE_TITLES["overview"])
sel = filters.sidebar_filters(ctx)
catalog = views.Catalog(ctx.q(queries.indicator_catalog))
badges = dq_widgets.kpi_badges(ctx, sel, catalog)
where = views.scope_label(sel.municipality)
previous = views.previous_period(ctx.state.periods, sel.period)
institutions = ctx.q(queries.list_institutions)
inst_name = None
if sel.inst_id:
    inst_name = str(institutions.loc[institutions["inst_id"] == sel.inst_id, "short_name"].iloc[0])

st.caption(
    safe.md(
        f"{inst_name + ' · ' if inst_name else ''}{where} · {messages.inst_type_label(sel.inst_type)} · "
        f"{sel.period} учебный год" + (f" · изменение к {previous}" if previous else "")
    )
)

# the KPI cards and trends are cached by how their rows are computed (ui.data.Ref), not by the rows
catalog_ref = ctx.later(views.Catalog, ctx.ref(queries.indicator_catalog))
# the conditions of education, then its results (their key indicators over all subjects together)
for area in views.OVERVIEW_AREAS:
    codes = catalog.key_codes(area)
    scope_series = ctx.ref(queries.aggregate_series, codes, sel.municipality, sel.inst_type)
    if area == "results" and scope_series.value().empty:
        # no ГИА, ВПР or olympiad file loaded for the scope: a line saying so, not four empty cards
        st.subheader(area_names()[area])
        st.caption(messages.RESULTS_NOT_LOADED)
        continue
    if sel.inst_id:
        own = ctx.ref(queries.institution_series, sel.inst_id, codes)
        cards = ctx.view(
            views.kpis,
            catalog_ref,
            codes,
            own,
            sel.period,
            previous,
            compare=scope_series,
            compare_label=where,
        )
    else:
        cards = ctx.view(views.kpis, catalog_ref, codes, scope_series, sel.period, previous)
    st.subheader(area_names()[area])
    widgets.kpi_row(cards, badges=badges)
    trend_codes = [c for c in codes if catalog.info(c)["unit"] == "%"] or codes[:1]
    series = own if sel.inst_id else scope_series
    # one institution: «доля организаций, …» is yes or no — said in words, not drawn as a 0/100 % line
    yes_no = views.binary_codes(own.value(), trend_codes) if sel.inst_id else []
    drawn = [c for c in trend_codes if c not in yes_no]
    if drawn:
        fig = widgets.figures.trend(
            ctx.later(views.series_frame, series, catalog_ref, drawn),
            f"Динамика: {area_names()[area].lower()} — {inst_name or where}",
            catalog.info(drawn[0])["unit"],
            height=260,
        )
        widgets.chart(fig, key=f"trend_{area}")
    if yes_no:
        st.markdown(f"**{safe.md(f'По годам — {inst_name}')}**")
        for line in views.yes_no_lines(own.value(), catalog, yes_no):
            st.caption(safe.md(line))
    if area == "results":
        st.caption(messages.RESULTS_OVERVIEW_NOTE)

st.subheader("Требуют внимания")
# every directed rate of the three areas; counts (sizes) and an institution's yes/no flags (a share of
# organisations is 0 or 100 % for one school) are left out by views.gap_codes
area_codes = [c for area in ("staff", "ict", "innovation") for c in catalog.area_codes(area)]
attention_codes = views.gap_codes(
    catalog,
    area_codes,
    ctx.q(queries.institution_values, sel.period, area_codes, sel.municipality, sel.inst_type),
)
attention = ctx.q(
    queries.attention_list, sel.period, attention_codes, sel.municipality, sel.inst_type, limit=10
)
st.caption(
    f"Организации, сильнее всего отстающие от значения «{safe.md(where)}» по организациям того же типа "
    f"(доли работников, показатели на 100 обучающихся и педагогов, индексы), {sel.period} уч. г. "
    "Нажмите на название, чтобы открыть организацию."
)
items = views.attention_items(attention, catalog, where)
if not items:
    st.success("Организаций, отстающих от среднего по показателям, нет.")
for item in items:
    with st.container(border=True):
        # the institution's own view, in the link: a copied address opens the same school
        st.button(
            safe.md(item["label"]),
            key=f"attention_{item['inst_id']}",
            icon=":material/school:",
            type="tertiary",
            on_click=filters.open_institution,
            args=(sel.params(), item["inst_id"]),
        )
        st.markdown(safe.md(item["text"][:1].upper() + item["text"][1:]))

widgets.catalog_link()
