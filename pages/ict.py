"""Информатизация: computers per 100 pupils, internet speed against the target, workstations and boards,
the ICT readiness index by component, and trends."""

import streamlit as st

from ru import fmt
from ui import area, messages, widgets
from ui.views import charts, safe
from ui.views import tables as views
from warehouse import queries

page = area.start("ict")
kpi_codes = page.data.catalog.key_codes("ict")
area.kpi_row(page, kpi_codes)

# by name (ui.data.Ref): the cached chart rows and table are keyed by how the values are read, not by them
long = area.values_ref(page)
unit_word = "муниципалитетам" if page.sel.by == "municipality" else "организациям"
current = page.data.scope_series[page.data.scope_series["period"] == page.sel.period]


def scope_value(code: str) -> float | None:
    rows = current[current["indicator_code"] == code]
    return None if rows.empty else rows.iloc[0]["value"]


def unit_bars(code: str, key: str, title: str) -> None:
    """Bars of one indicator by institution or municipality (the weakest ones when there are too many)."""
    info = page.data.catalog.info(code)
    data, missing = page.ctx.view(views.values_for_chart, long, code, by=page.sel.by)
    shown, total = views.weakest(data, str(info.get("direction")))
    fig = widgets.figures.bars_by_unit(
        shown,
        views.title(title, page.sel.period, page.where),
        info["unit"],
        scope_value=scope_value(code),
        scope_label=page.where,
        target=info["target"],
    )
    widgets.chart(fig, key=key, missing=missing)
    if total > len(shown):
        st.caption(messages.CHART_WEAKEST.format(shown=len(shown), total=fmt.integer(total)))


pc = page.data.catalog.info("ICT_PC_LEARNING_PER_100")
unit_bars("ICT_PC_LEARNING_PER_100", "ict_pc", f"{pc['name_ru']} по {unit_word}")

ict = page.ctx.q(queries.ict_institutions, page.sel.scope)
settings = page.ctx.q(queries.methodology_settings)
targets = {
    "urban": float(settings["speed_target_urban_mbps"]),
    "rural": float(settings["speed_target_rural_mbps"]),
}
st.subheader("Скорость подключения к Интернету")
left, right = st.columns([3, 2])
with left:
    speed = ict.rename(columns={"short_name": "label"})[["label", "locality", "internet_speed_mbps"]]
    fig = widgets.figures.speed_by_locality(
        speed, views.title("Скорость Интернета по местности, Мбит/с", page.sel.period, page.where), targets
    )
    widgets.chart(
        fig,
        key="ict_speed",
        missing=sorted(speed.loc[speed["internet_speed_mbps"].isna(), "label"].astype(str)),
    )
    if charts.box_without_points(speed):
        st.caption(messages.BOX_NO_POINTS.format(limit=fmt.integer(charts.BOX_POINTS_LIMIT)))
with right:
    widgets.table(
        views.speed_summary(ict, targets),
        key="ict_speed_table",
        title=views.title("Достижение целевой скорости", page.sel.period, page.where),
        file_stem="skorost",
        period=page.sel.period,
    )

st.subheader("Оснащённость")
left, right = st.columns(2)
for col, code, key in (
    (left, "ICT_WORKSTATION_ROOMS", "ict_rooms"),
    (right, "ICT_INTERACTIVE_PER_100", "ict_boards"),
):
    with col:
        unit_bars(code, key, str(page.data.catalog.info(code)["name_ru"]))

st.subheader("Индекс ИКТ-готовности")
rows, total_rows, missing = views.readiness_rows(ict, by=page.sel.by)
fig = widgets.figures.heatmap(
    rows,
    views.title(
        f"Компоненты индекса ИКТ-готовности по {unit_word} (0 — нет, 1 — полностью)",
        page.sel.period,
        page.where,
    ),
    messages.COMPONENTS,
)
widgets.chart(fig, key="ict_heatmap", missing=missing)
if total_rows > len(rows):
    st.caption(
        f"Показаны {len(rows)} из {total_rows} с наименьшим индексом; выберите муниципалитет или тип, "
        "чтобы увидеть остальные."
    )

st.subheader("Динамика")
trend_codes = [
    "ICT_PC_INTERNET_SHARE",
    "ICT_WORKSTATION_ROOMS",
    "ICT_SPEED_TARGET",
    "ICT_EJOURNAL",
    "ICT_DISTANCE",
]
trend_codes = [c for c in trend_codes if c in page.data.codes]
# one institution: «доля организаций, …» is yes or no — said in words, not drawn as a 0/100 % line
yes_no = views.binary_codes(page.data.series, trend_codes) if page.sel.inst_id else []
left, right = st.columns(2)
with left:
    fig = widgets.figures.trend(
        page.ctx.later(
            views.series_frame,
            page.data.series_ref,
            page.data.catalog_ref,
            [c for c in trend_codes if c not in yes_no],
        ),
        f"Доли, % — {page.subject}, по годам",
        "%",
        target=100.0,
        narrow=True,
    )
    widgets.chart(fig, key="ict_trend_shares")
    for line in views.yes_no_lines(page.data.series, page.data.catalog, yes_no):
        st.caption(safe.md(line))
with right:
    per100 = [
        c
        for c in ("ICT_PC_LEARNING_PER_100", "ICT_PC_LEARNING_INTERNET_PER_100", "ICT_INTERACTIVE_PER_100")
        if c in page.data.codes
    ]
    fig = widgets.figures.trend(
        page.ctx.later(views.series_frame, page.data.series_ref, page.data.catalog_ref, per100),
        f"На 100 обучающихся — {page.subject}, по годам",
        "ед.",
        narrow=True,
    )
    widgets.chart(fig, key="ict_trend_per100")
fig = widgets.figures.trend(
    page.ctx.later(views.series_frame, page.data.series_ref, page.data.catalog_ref, ["ICT_READINESS_INDEX"]),
    f"Индекс ИКТ-готовности — {page.subject}, по годам",
    "балл",
)
widgets.chart(fig, key="ict_trend_index")

st.subheader("Организации")
area.lag_chart(page, long.value(), key="ict_lag")
area.institutions_table(
    page, long, key="ict_table", title="Показатели информатизации", file_stem="informatizaciya"
)
widgets.catalog_link()
