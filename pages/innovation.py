"""Инновации: innovation sites, projects, events and publications, contests and olympiads, and the
institutions ranked by activity."""

import streamlit as st

from ru import fmt
from ui import area, messages, widgets
from ui.views import charts, safe
from ui.views import tables as views
from warehouse import queries

page = area.start("innovation")
kpi_codes = page.data.catalog.key_codes("innovation") + [
    c for c in ("INNO_SITES", "INNO_PROJECTS") if c in page.data.codes
]
area.kpi_row(page, kpi_codes)

st.subheader("Инновационные площадки")
# the shaped rows are cached by how their rows are read (ui.data.Ref), not by the rows
sites = page.ctx.ref(queries.innovation_sites, page.sel.scope)
site_rows, site_labels = page.ctx.view(
    views.sites_frame, sites, by="institution" if page.sel.inst_id else page.sel.by
)
unit_word = "муниципалитетам" if page.sel.by == "municipality" and not page.sel.inst_id else "организациям"
if site_rows.empty:
    st.caption(safe.md(f"Инновационных площадок в {page.sel.period} уч. г. нет ({page.subject})."))
else:
    levels = page.ctx.view(views.sites_by_level, sites)
    if not page.sel.inst_id:  # one school's one or two sites are said in words
        fig = widgets.figures.level_bars(
            levels, views.title("Инновационные площадки по уровню", page.sel.period, page.subject)
        )
        widgets.chart(fig, key="inno_levels")
    st.caption(safe.md(views.sites_sentence(levels)))
if views.units_differ(site_rows):
    # a bar per institution only when they differ: five bars all equal to 1 said nothing
    fig = widgets.figures.grouped_bars(
        site_rows,
        views.title(f"Инновационные площадки по уровню и {unit_word}", page.sel.period, page.subject),
        x="label",
        series="level",
        value="sites",
        series_labels={lv: messages.level_label(lv) for lv in views.LEVEL_ORDER},
        colors=charts.LEVEL_COLORS,
        x_order=list(dict.fromkeys(site_rows["label"])),
        unit="ед.",
        stacked=True,
        horizontal=True,
    )
    widgets.chart(fig, key="inno_sites")
    shown = site_rows["label"].nunique()
    if site_labels > shown:
        st.caption(messages.CHART_MOST_SITES.format(shown=shown, total=fmt.integer(site_labels)))

st.subheader("Проекты, мероприятия, публикации")
period_codes = [
    c for c in ("INNO_PROJECTS", "INNO_EVENTS", "INNO_PUBLICATIONS", "INNO_SITES") if c in page.data.codes
]
by_period = page.data.series[page.data.series["indicator_code"].isin(period_codes)]
fig = widgets.figures.grouped_bars(
    by_period,
    f"Инновационная и методическая деятельность — {page.subject}, по годам",
    x="period",
    series="indicator_code",
    value="value",
    series_labels={c: page.data.catalog.info(c)["name_ru"] for c in period_codes},
    colors=dict(zip(period_codes, charts.SERIES_COLORS, strict=False)),
    x_order=sorted(set(by_period["period"])),
    unit="ед.",
)
widgets.chart(fig, key="inno_periods")

st.subheader("Конкурсы и олимпиады")
contests = page.ctx.ref(queries.innovation_contests, page.sel.scope)
left, right = st.columns(2)
for col, kind in ((left, "staff_contest"), (right, "student_contest")):
    with col:
        data = page.ctx.view(views.contests_frame, contests, kind)
        title = views.title(
            messages.CONTEST_TITLES[kind] + ": участники, победители и призёры", page.sel.period, page.subject
        )
        if data.empty:
            st.markdown(f"**{safe.md(title)}**")
            st.caption("Нет записей за период.")
            continue
        fig = widgets.figures.grouped_bars(
            data,
            title,
            x="level",
            series="measure",
            value="value",
            series_labels=messages.CONTEST_MEASURES,
            colors=charts.MEASURE_COLORS,
            x_order=list(dict.fromkeys(data["level"])),
            unit="чел.",
        )
        widgets.chart(fig, key=f"inno_{kind}")

st.subheader("Организации")
area.lag_chart(page, area.institution_values(page), key="inno_lag")

st.subheader("Активность организаций")
st.caption(
    "Число записей об инновационной и методической деятельности за период (площадки, проекты, мероприятия, "
    "конкурсы, публикации) на 100 педагогических работников и на 100 обучающихся."
)
ranking = page.ctx.view(
    views.activity_ranking, page.ctx.q(queries.innovation_activity, page.sel.scope), by=page.sel.by
)
widgets.table(
    ranking,
    key="inno_ranking",
    title=views.title("Рейтинг активности", page.sel.period, page.where),
    file_stem="innovacii_reiting",
    period=page.sel.period,
)
widgets.catalog_link()
