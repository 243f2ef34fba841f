"""«Сравнение»: the page's texts, its Excel export, a bullet chart per area (the institution against the
municipality and its peers' range), a radar of percentiles, side-by-side bars, the link parameters.

The words and tables of a comparison (gaps in words, the profile table, the peer group in a sentence) are
reports/peers.py's, shared with the passport; they are re-exported here for the page. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from reports.peers import (  # the words and tables of a comparison, shared with the passport
    ASSESSMENT_WORDS as ASSESSMENT_WORDS,
)
from reports.peers import (
    BASIS_NAMES as BASIS_NAMES,
)
from reports.peers import (
    LEGEND as LEGEND,
)
from reports.peers import (
    NO_SIDE as NO_SIDE,
)
from reports.peers import (
    PROFILE_HEADERS,
)
from reports.peers import (
    PROFILE_NOTE as PROFILE_NOTE,
)
from reports.peers import (
    SIDE_TITLES as SIDE_TITLES,
)
from reports.peers import (
    gap_phrase as gap_phrase,
)
from reports.peers import (
    members_table as members_table,
)
from reports.peers import (
    missing_names as missing_names,
)
from reports.peers import (
    peer_group_text as peer_group_text,
)
from reports.peers import (
    profile_table as profile_table,
)
from reports.peers import (
    radar_frame as radar_frame,
)
from reports.peers import (
    strengths_items as strengths_items,
)
from reports.peers import (
    wrap as wrap,
)
from ru import fmt
from ui import messages
from ui.views import charts, export
from warehouse.catalog import area_names
from warehouse.compare import NOT_COMPARED
from warehouse.small_groups import SMALL_GROUP_LABEL

# ----------------------------------------------------------------------------------------- words
PAGE_TITLE = "Сравнение"
AREAS = ("staff", "ict", "innovation", "results")
RESULTS_NOTE = (
    "Результаты обучения сравниваются по всем предметам и классам вместе. Значения, рассчитанные по "
    "результатам менее 5 участников другой организации, руководителям показываются как «менее 5» и не "
    "входят в медиану, размах и место в группе."
)
SIDE_MASKED_NOTE = (
    "«—» у результатов обучения другой организации: значение рассчитано по результатам менее 5 участников "
    "и руководителям не показывается."
)
RADAR_NOTE = (
    "Ключевые показатели. Процентиль 100 — ни у одной организации группы значение не лучше, 0 — у всех "
    "остальных лучше; пунктир — середина группы. Все показатели — на графиках по разделам выше."
)
DROPPED_NOTICE = (
    "Часть организаций или показателей из ссылки не найдена (или их больше шести) — они пропущены."
)
SIDE_BY_SIDE_HINT = "Выберите от 2 до 6 организаций и хотя бы один показатель, чтобы сравнить их рядом."
SHARE_NOTE = (
    "Ссылка в адресной строке сохраняет всё сравнение: учебный год, организацию, выбранные организации и "
    "показатели — её можно отправить коллегам."
)
PASSPORT_ABOUT = (
    "Паспорт организации — документ Word: общие сведения, положение среди сопоставимых организаций с "
    "графиками, динамика показателей по годам и состояние представленных данных."
)
PASSPORT_DENIED = "Паспорт руководитель организации может получить только для своей организации."
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXPORT_HEADERS = {
    "area_name": "Раздел",
    "indicator_code": "Код",
    "name_ru": "Показатель",
    "unit": "Единица",
    "direction_name": "Направление",
    "value": "Значение",
    "prev_value": "Значение за прошлый год",
    "change": "Изменение",
    "change_word": "Оценка изменения",
    "municipality_value": "Муниципалитет, все типы",
    "type_value": "Муниципалитет, тот же тип",
    "basis_name": "Ориентир",
    "benchmark": "Значение ориентира",
    "peer_n": "Организаций в сравнении",
    "peer_min": "Минимум группы",
    "peer_max": "Максимум группы",
    "percentile": "Процентиль",
    "rank": "Место",
    "gap": "Отклонение от ориентира",
}


def profile_rows(profile: pd.DataFrame) -> pd.DataFrame:
    """The profile table of the page (reports/peers.py's), «менее 5» for a masked small results group."""
    table = profile_table(profile)
    masked = profile["masked"].to_numpy(dtype=bool) if "masked" in profile.columns else None
    if masked is not None and masked.any():
        table.loc[masked, PROFILE_HEADERS["value"]] = SMALL_GROUP_LABEL
    return table


def compared_codes(codes: Sequence[str]) -> list[str]:
    """The catalogue's codes that can be compared between institutions (not the ЕГЭ mean over subjects)."""
    return [c for c in codes if c not in NOT_COMPARED]


def profile_export(profile: pd.DataFrame) -> pd.DataFrame:
    """The profile for Excel: numbers as numbers (unrounded), a unit column, Russian headers."""
    data = profile.copy()
    data["area_name"] = data["area"].map(lambda a: area_names().get(a, a))
    data["direction_name"] = data["direction"].map(lambda d: messages.DIRECTIONS.get(d, d))
    data["change_word"] = data["change_assessment"].map(lambda a: ASSESSMENT_WORDS.get(a, "") if a else "")
    data["basis_name"] = data["basis"].map(BASIS_NAMES)
    return data[list(EXPORT_HEADERS)].rename(columns=EXPORT_HEADERS)


def passport_file_name(inst_id: str, period: str) -> str:
    """`pasport_BGR-S01_2024-2025.docx`."""
    return export.file_name(f"pasport_{inst_id}", period).removesuffix(".xlsx") + ".docx"


# ----------------------------------------------------------------------------------------- figures
def _hover(label: str, unit: str | None) -> str:
    return f"{label}: %{{x:{charts.hover_format(unit)}}}{fmt.unit_suffix(unit)}<extra></extra>"


def bullet_chart(profile: pd.DataFrame, title: str, inst_label: str, inst_type: str) -> go.Figure:
    """One row per indicator of `profile` (one area), each on its own axis: the peers' range and middle
    half, their median (or the type's municipal value for a small group), the municipality's values and
    the institution. Indicators without any value are left out (the page names them)."""
    data = profile[profile[["value", "benchmark", "municipality_value"]].notna().any(axis=1)]
    n = max(len(data), 1)
    titles = [f"{row['name_ru']}, {charts.axis_title(row['unit'])}" for row in data.to_dict("records")]
    # in pixels: each row's strip, and the gap under it for its tick labels and the next row's title (two
    # lines at most) — a gap as a fraction of a tall figure put the ticks on the next title
    plot_px = n * BULLET_ROW_PX + (n - 1) * BULLET_GAP_PX
    fig = make_subplots(
        rows=n,
        cols=1,
        subplot_titles=[wrap(t, 95, 2) for t in titles],
        vertical_spacing=BULLET_GAP_PX / plot_px if n > 1 else 0.0,
    )
    color = charts.TYPE_COLORS.get(inst_type, charts.SERIES_COLORS[0])
    shown: set[str] = set()

    def legend(key: str) -> dict[str, Any]:
        first = key not in shown
        shown.add(key)
        return {"name": inst_label if key == "inst" else LEGEND[key], "legendgroup": key, "showlegend": first}

    for i, row in enumerate(data.to_dict("records"), start=1):
        unit = row["unit"]
        y = [""]
        if not fmt.is_missing(row["peer_min"]) and not fmt.is_missing(row["peer_max"]):
            fig.add_trace(
                go.Scatter(
                    x=[row["peer_min"], row["peer_max"]],
                    y=y * 2,
                    mode="lines",
                    line={"color": "#D9D9D9", "width": 14},
                    hovertemplate=(
                        f"{LEGEND['range']}: %{{x:{charts.hover_format(unit)}}}{fmt.unit_suffix(unit)}<extra></extra>"
                    ),
                    **legend("range"),
                ),
                row=i,
                col=1,
            )
        if not fmt.is_missing(row["peer_q1"]) and not fmt.is_missing(row["peer_q3"]):
            fig.add_trace(
                go.Scatter(
                    x=[row["peer_q1"], row["peer_q3"]],
                    y=y * 2,
                    mode="lines",
                    line={"color": "#A6A6A6", "width": 14},
                    hovertemplate=_hover(LEGEND["iqr"], unit),
                    **legend("iqr"),
                ),
                row=i,
                col=1,
            )
        points = [
            ("median", row["benchmark"] if row["basis"] == "peers" else None, "line-ns", "#000000", 22),
            ("city_type", row["type_value"], "diamond", charts.MUNICIPALITY_COLOR, 11),
            ("city", row["municipality_value"], "square-open", charts.SCOPE_COLOR, 10),
            ("inst", row["value"], "circle", color, 14),
        ]
        for key, x, symbol, c, size in points:
            if fmt.is_missing(x):
                continue
            fig.add_trace(
                go.Scatter(
                    x=[x],
                    y=y,
                    mode="markers",
                    marker={"symbol": symbol, "color": c, "size": size, "line": {"width": 2, "color": c}},
                    hovertemplate=_hover(inst_label if key == "inst" else LEGEND[key], unit),
                    **legend(key),
                ),
                row=i,
                col=1,
            )
        drawn = [
            row[k] for k in ("peer_min", "peer_max", "type_value", "municipality_value", "value", "benchmark")
        ]
        top = max([float(v) for v in drawn if not fmt.is_missing(v)] + [0.0]) or 1.0
        # a little room beyond the largest value, so that a marker at the edge is drawn whole
        fig.update_xaxes(range=[-top * 0.02, top * 1.06], row=i, col=1)
        fig.update_yaxes(showticklabels=False, row=i, col=1)
    fig.update_annotations(font_size=12, xanchor="left", x=0, align="left")  # a wrapped title's 2nd line too
    fig.update_layout(
        title={"text": title, "font": {"size": 15}},
        separators=charts.SEPARATORS,
        height=BULLET_TOP_PX + plot_px,
        margin={"l": 10, "r": 10, "t": BULLET_TOP_PX},
        hoverlabel={"namelength": -1},
    )
    # the six marks' names under the last axis's ticks, one to a line (each is a legend group of its own,
    # and plotly puts every group on a line of its own)
    charts.legend_below(fig)
    return fig


BULLET_ROW_PX = 30  # one indicator's strip
BULLET_GAP_PX = 72  # its tick labels (18 px) and the next indicator's title (two lines, 34 px), with air
BULLET_TOP_PX = 90  # the figure's title and the first indicator's title


def percentile_radar(profile: pd.DataFrame, title: str, inst_label: str, inst_type: str) -> go.Figure:
    """Percentiles of the directed indicators around a circle: 100 at the rim = nobody in the group is
    better, the dashed circle at 50 is the group's middle."""
    data = radar_frame(profile)
    # narrow names: at 1024 px the side ones were cut by the figure's edge
    theta = [wrap(name, 22, 3) for name in data["name_ru"]]
    color = charts.TYPE_COLORS.get(inst_type, charts.SERIES_COLORS[0])
    fig = go.Figure()
    if len(data):
        fig.add_trace(
            go.Scatterpolar(
                r=[50] * (len(data) + 1),
                theta=[*theta, theta[0]],
                mode="lines",
                line={"color": charts.MUNICIPALITY_COLOR, "dash": "dash"},
                name="Середина группы (50)",
                hoverinfo="skip",
            )
        )
        fig.add_trace(
            go.Scatterpolar(
                r=[*data["percentile"], data["percentile"].iloc[0]],
                theta=[*theta, theta[0]],
                customdata=[*data["name_ru"], data["name_ru"].iloc[0]],
                mode="lines+markers",
                fill="toself",
                line={"color": color},
                name=inst_label,
                hovertemplate="%{customdata}: процентиль %{r:.0f}<extra></extra>",
            )
        )
    fig.update_layout(
        polar={
            "radialaxis": {"range": [0, 100], "tickvals": [0, 25, 50, 75, 100]},
            "angularaxis": {"direction": "clockwise", "rotation": 90},
        },
        # the title at the very top of the figure; the top margin holds the uppermost indicator's name
        # (three lines) under it — at t=70 that name was printed over the title
        # wrapped: on one line it ran under the toolbar in a 1024 px window
        title={
            "text": wrap(title, RADAR_TITLE_CHARS, 2),
            "font": {"size": 15},
            "yref": "container",
            "y": 0.98,
            "yanchor": "top",
            "pad": {"t": 6},
        },
        separators=charts.SEPARATORS,
        height=560 + 20 * (len(title) > RADAR_TITLE_CHARS),
        margin={"l": 150, "r": 150, "t": RADAR_TOP_PX + 20 * (len(title) > RADAR_TITLE_CHARS)},
    )
    charts.legend_below(fig, ticks_px=40)
    return fig


RADAR_TOP_PX = 40 + 3 * 16 + 30  # the title, the top name's three lines, the gap to the rim
RADAR_TITLE_CHARS = 55


def side_by_side_figures(
    long: pd.DataFrame,
    info: Mapping[str, Mapping[str, Any]],
    codes: Sequence[str],
    labels: Mapping[str, str],
    period: str,
) -> list[tuple[str, go.Figure]]:
    """Grouped bars of the chosen institutions, one figure per unit (a share and a count never share an
    axis): indicators along the axis, one colour per institution in the chosen order. `info`: code →
    catalogue row (name_ru, unit); `labels`: inst_id → label, in the chosen order."""
    figures: list[tuple[str, go.Figure]] = []
    data = long.dropna(subset=["indicator_code", "value"])
    units: dict[str, list[str]] = {}
    for code in codes:
        units.setdefault(str(info[code].get("unit") or ""), []).append(code)
    for unit, unit_codes in units.items():
        part = data[data["indicator_code"].isin(unit_codes)]
        if part.empty:
            continue
        names = {c: wrap(str(info[c]["name_ru"]), 30, 3) for c in unit_codes}
        lines = max(n.count("<br>") + 1 for n in names.values())
        fig = go.Figure()
        for i, (inst_id, label) in enumerate(labels.items()):
            rows = part[part["inst_id"] == inst_id]
            if rows.empty:
                continue
            fig.add_trace(
                go.Bar(
                    x=[names[c] for c in rows["indicator_code"]],
                    y=rows["value"],
                    name=label,
                    marker_color=charts.SERIES_COLORS[i % len(charts.SERIES_COLORS)],
                    # the number without its unit (the axis says it); upright, small, hidden where it does
                    # not fit above its bar (uniformtext) — side by side they printed over each other
                    text=[fmt.number(v, fmt.decimals_for(v, unit)) for v in rows["value"]],
                    textposition="outside",
                    textangle=0,
                    cliponaxis=False,
                    hovertemplate=f"{label}: %{{y:{charts.hover_format(unit)}}}{fmt.unit_suffix(unit)}<extra></extra>",
                )
            )
        fig.update_layout(
            barmode="group",
            title={
                "text": f"Показатели в единицах «{charts.axis_title(unit)}» — {period} уч. г.",
                "font": {"size": 15},
            },
            separators=charts.SEPARATORS,
            height=340,
            margin={"l": 10, "r": 10, "t": 60},
            hoverlabel={"namelength": -1},
            uniformtext={"minsize": 10, "mode": "hide"},
        )
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=[names[c] for c in unit_codes])
        # room above the highest bar for its number
        top = float(part["value"].max()) if len(part) else 0.0
        fig.update_yaxes(range=[0, (top or 1.0) * 1.15], title=charts.axis_title(unit))
        # the institutions under the indicators' names (up to three lines), two to a line of the legend
        charts.legend_below(fig, per_row=2, wrap=45, ticks_px=16 * lines + 22)
        figures.append((unit, fig))
    return figures


# ----------------------------------------------------------------------------------------- link parameters
LIST_SEPARATOR = ","


def parse_list(raw: Any, allowed: Sequence[str], limit: int | None = None) -> tuple[list[str], int]:
    """A comma-separated link parameter (`with=S1,S2`, `codes=…`) → (the known values in the given order
    without repeats, at most `limit`; how many were dropped as unknown or over the limit)."""
    if raw is None:
        return [], 0
    items = raw if isinstance(raw, list | tuple) else [raw]
    values = [v.strip() for item in items for v in str(item).split(LIST_SEPARATOR) if v.strip()]
    known = set(allowed)
    out: list[str] = []
    dropped = 0
    for value in values:
        if value not in known or value in out or (limit is not None and len(out) >= limit):
            dropped += 1
            continue
        out.append(value)
    return out, dropped


def join_list(values: Sequence[str]) -> str:
    return LIST_SEPARATOR.join(values)


def default_side_by_side(inst_id: str, members: pd.DataFrame, size: int = 4) -> list[str]:
    """The institution and the peers closest to it in size (at most `size` in all)."""
    if members.empty or inst_id not in set(members["inst_id"]):
        return [inst_id]
    own = float(members.loc[members["inst_id"] == inst_id, "students"].iloc[0])
    others = members[members["inst_id"] != inst_id].copy()
    others["distance"] = (others["students"] - own).abs()
    nearest = others.sort_values(["distance", "inst_id"]).head(size - 1)
    return [inst_id, *nearest["inst_id"].astype(str)]
