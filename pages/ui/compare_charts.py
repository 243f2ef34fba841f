"""«Сравнение» and the passport: the words, tables and figures of an institution's comparison.

Shaped from warehouse/compare.py's DataFrames: gaps in words («выше медианы группы на 12,3 п.п.»), the
profile as a table with Russian formats, a bullet chart per area (the institution against the municipality
and its peers' range), a radar of percentiles, side-by-side bars. No Streamlit here: the tests and the
passport (etl/passport.py) call these directly.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pages.ui import charts, export, fmt, messages
from warehouse.compare import MIN_GROUP, PeerGroup

# ----------------------------------------------------------------------------------------- words
PAGE_TITLE = "Сравнение"
BAND_NAMES = {1: "малые", 2: "средние", 3: "крупные"}
TYPE_PLURAL = {
    "school": "общеобразовательные организации",
    "preschool": "дошкольные образовательные организации",
    "additional": "организации дополнительного образования",
}
BASIS_NAMES = {
    "peers": "медиана группы",
    "municipality_type": "муниципалитет, тот же тип",
}
# what the gap is measured against, in the genitive after «выше / ниже»
BASIS_GENITIVE = {
    "peers": "медианы группы",
    "municipality_type": "значения муниципалитета по организациям того же типа",
}
ASSESSMENT_WORDS = {"better": "лучше", "worse": "хуже", "same": "без изменений"}
SIDE_TITLES = {"strength": "Сильные стороны", "weakness": "Зоны роста"}
NO_SIDE = {
    "strength": "Показателей заметно лучше группы сравнения нет.",
    "weakness": "Показателей заметно хуже группы сравнения нет.",
}
PROFILE_NOTE = (
    "Ориентир — медиана группы сравнения (организации того же типа и близкой численности обучающихся); "
    "«*» — группа слишком мала, ориентир — значение муниципалитета по организациям того же типа. "
    "Место: 1 — лучшее значение с учётом направления показателя; процентиль — доля остальных организаций, "
    "у которых значение не лучше. Для показателей-численностей значения муниципалитета — в среднем на "
    "одну организацию. Изменения долей — в процентных пунктах (п.п.)."
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
MEMBERS_HEADERS = {
    "short_name": "Организация",
    "municipality": "Муниципалитет",
    "students": "Численность обучающихся (воспитанников), чел.",
    "size_period": "По данным за",
}
LEGEND = {
    "inst": "Организация",
    "city": "Муниципалитет, все типы",
    "city_type": "Муниципалитет, тот же тип",
    "median": "Медиана группы",
    "range": "Разброс группы (мин. – макс.)",
    "iqr": "Средняя половина группы",
}


def gap_amount(gap: Any, unit: str | None) -> str:
    """The size of a gap in the indicator's unit: «12,3 п.п.» for shares, «2 чел.», «5,1 балла»."""
    size = abs(float(gap))
    if unit == "%":
        return f"{fmt.number(size, 1)}{fmt.NBSP}п.п."
    if (unit or "").startswith("балл"):
        return f"{fmt.number(size, 1)}{fmt.NBSP}балла"
    return fmt.number(size, fmt.decimals_for(size, unit)) + fmt.unit_suffix(unit)


def gap_phrase(gap: Any, unit: str | None, basis: str) -> str | None:
    """«выше медианы группы на 12,3 п.п.», «ниже значения муниципалитета … на 2 чел.», «на уровне медианы
    группы» (a gap that rounds to zero); None when there is no gap."""
    if fmt.is_missing(gap):
        return None
    against = BASIS_GENITIVE.get(basis, BASIS_GENITIVE["peers"])
    amount = gap_amount(gap, unit)
    if amount.startswith("0,0") or amount.split(fmt.NBSP)[0] == "0":
        return f"на уровне {against}"
    side = "выше" if float(gap) > 0 else "ниже"
    return f"{side} {against} на {amount}"


def change_text(row: Mapping[Any, Any]) -> str:
    """«+1,2 п.п. (лучше)», «−3 чел. (хуже)», «—» without a previous value."""
    text = fmt.delta(row.get("value"), row.get("prev_value"), row.get("unit"))
    if text is None:
        return fmt.MISSING
    word = ASSESSMENT_WORDS.get(str(row.get("change_assessment")))
    return f"{text} ({word})" if word else text


def band_label(group: PeerGroup) -> str:
    """«средние по численности обучающихся (от 506 до 558)»."""
    if group.band is None:
        return "размер не известен"
    bounds = (
        fmt.integer(group.size_min)
        if group.size_min == group.size_max
        else f"от {fmt.integer(group.size_min)} до {fmt.integer(group.size_max)}"
    )
    return f"{BAND_NAMES.get(group.band, str(group.band))} по численности обучающихся ({bounds})"


def peer_group_text(group: PeerGroup, where: str) -> str:
    """What the peer group is, in one sentence, and what happens when it is too small."""
    kind = TYPE_PLURAL.get(group.inst_type, group.inst_type)
    scope = "все муниципалитеты региона" if group.scope == "region" else where
    if group.band is None:
        return (
            f"Численность обучающихся организации за период не известна (нет сведений об информатизации), "
            f"поэтому группа сопоставимых организаций не определена: показатели сравниваются со значением "
            f"муниципалитета по организациям того же типа ({kind})."
        )
    members = f"{fmt.integer(group.size)}{fmt.NBSP}{fmt.plural(group.size, 'организация', 'организации', 'организаций')}"
    text = (
        f"Группа сравнения: {kind} ({scope}), {band_label(group)}, — {members}, "
        f"включая саму организацию. Границы групп — трети организаций этого типа по численности обучающихся."
    )
    if group.too_small:
        text += (
            f" В группе меньше {MIN_GROUP} организаций, поэтому сравнение с группой не проводится: "
            f"ориентир — значение муниципалитета по организациям того же типа."
        )
    return text


def position_text(row: Mapping[Any, Any]) -> str:
    """«2 из 4 (процентиль 67)» or «—»."""
    if fmt.is_missing(row.get("rank")):
        return fmt.MISSING
    pct = row.get("percentile")
    tail = f" (процентиль {fmt.integer(pct)})" if not fmt.is_missing(pct) else ""
    return f"{fmt.integer(row['rank'])} из {fmt.integer(row['rank_n'])}{tail}"


def strengths_items(sw: pd.DataFrame) -> dict[str, list[str]]:
    """{side: sentences}: «Доля … — 53,2 % (медиана группы 41,7 %): выше медианы группы на 11,5 п.п.»."""
    out: dict[str, list[str]] = {"strength": [], "weakness": []}
    for row in sw.to_dict("records"):
        unit = row.get("unit")
        phrase = gap_phrase(row["gap"], unit, str(row["basis"]))
        benchmark_name = BASIS_NAMES.get(str(row["basis"]), "")
        out[str(row["side"])].append(
            f"{row['name_ru']} — {fmt.value(row['value'], unit)} "
            f"({benchmark_name} {fmt.value(row['benchmark'], unit)}): {phrase}"
        )
    return out


# ----------------------------------------------------------------------------------------- tables
PROFILE_HEADERS = {
    "area_name": "Раздел",
    "name_ru": "Показатель",
    "value": "Значение",
    "change": "Изменение к прошлому году",
    "municipality_value": "Муниципалитет, все типы",
    "type_value": "Муниципалитет, тот же тип",
    "benchmark": "Ориентир (медиана группы)",
    "gap": "Отклонение от ориентира",
    "position": "Место в группе",
}


def _benchmark_cell(row: Mapping[Any, Any]) -> str:
    text = fmt.value(row.get("benchmark"), row.get("unit"))
    if row.get("basis") == "municipality_type" and text != fmt.MISSING:
        text += " *"
    return text


def profile_table(profile: pd.DataFrame) -> pd.DataFrame:
    """The profile as it reads on the page: every number with its unit, changes and gaps in words.
    A benchmark marked * is the type's municipal value (the peer group was too small)."""
    rows = []
    for row in profile.to_dict("records"):
        unit = row.get("unit")
        rows.append(
            {
                "area_name": messages.AREA_NAMES.get(str(row["area"]), str(row["area"])),
                "name_ru": row["name_ru"],
                "value": fmt.value(row["value"], unit),
                "change": change_text(row),
                "municipality_value": fmt.value(row["municipality_value"], unit),
                "type_value": fmt.value(row["type_value"], unit),
                "benchmark": _benchmark_cell(row),
                "gap": gap_phrase(row["gap"], unit, str(row["basis"])) or fmt.MISSING,
                "position": position_text(row),
            }
        )
    return pd.DataFrame(rows, columns=list(PROFILE_HEADERS)).rename(columns=PROFILE_HEADERS)


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


def profile_export(profile: pd.DataFrame) -> pd.DataFrame:
    """The profile for Excel: numbers as numbers (unrounded), a unit column, Russian headers."""
    data = profile.copy()
    data["area_name"] = data["area"].map(lambda a: messages.AREA_NAMES.get(a, a))
    data["direction_name"] = data["direction"].map(lambda d: messages.DIRECTIONS.get(d, d))
    data["change_word"] = data["change_assessment"].map(lambda a: ASSESSMENT_WORDS.get(a, "") if a else "")
    data["basis_name"] = data["basis"].map(BASIS_NAMES)
    return data[list(EXPORT_HEADERS)].rename(columns=EXPORT_HEADERS)


def members_table(members: pd.DataFrame) -> pd.DataFrame:
    """The peer group's members, smallest first; the institution itself is marked «(эта организация)»."""
    frame = members.copy()
    frame["short_name"] = [
        f"{name} (эта организация)" if own else str(name)
        for name, own in zip(frame["short_name"], frame["is_self"], strict=True)
    ]
    return frame[list(MEMBERS_HEADERS)].rename(columns=MEMBERS_HEADERS)


def missing_names(profile: pd.DataFrame) -> list[str]:
    """The indicators of `profile` without the institution's value (named under a chart)."""
    return [str(n) for n in profile.loc[profile["value"].isna(), "name_ru"]]


def passport_file_name(inst_id: str, period: str) -> str:
    """`pasport_BGR-S01_2024-2025.docx`."""
    return export.file_name(f"pasport_{inst_id}", period).removesuffix(".xlsx") + ".docx"


# ----------------------------------------------------------------------------------------- figures
def wrap(text: str, width: int = 28, lines: int = 3) -> str:
    """A long indicator name on a few lines of a chart (the full name is in the hover)."""
    parts = textwrap.wrap(str(text), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1].rstrip(",.") + "…"
    return "<br>".join(parts)


def _hover(label: str, unit: str | None) -> str:
    return f"{label}: %{{x:{charts.hover_format(unit)}}}{fmt.unit_suffix(unit)}<extra></extra>"


def bullet_chart(profile: pd.DataFrame, title: str, inst_label: str, inst_type: str) -> go.Figure:
    """One row per indicator of `profile` (one area), each on its own axis: the peers' range and middle
    half, their median (or the type's municipal value for a small group), the municipality's values and
    the institution. Indicators without any value are left out (the page names them)."""
    data = profile[profile[["value", "benchmark", "municipality_value"]].notna().any(axis=1)]
    n = max(len(data), 1)
    titles = [f"{row['name_ru']}, {charts.axis_title(row['unit'])}" for row in data.to_dict("records")]
    fig = make_subplots(
        rows=n, cols=1, subplot_titles=[wrap(t, 95, 2) for t in titles], vertical_spacing=0.5 / n
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
    fig.update_annotations(font_size=12, xanchor="left", x=0)
    fig.update_layout(
        title={"text": title, "font": {"size": 15}},
        separators=charts.SEPARATORS,
        height=130 + 95 * n,
        margin={"l": 10, "r": 10, "t": 60, "b": 70},
        legend={"orientation": "h", "yanchor": "top", "y": -35 / (95 * n), "x": 0},
        hoverlabel={"namelength": -1},
    )
    return fig


def radar_frame(profile: pd.DataFrame) -> pd.DataFrame:
    """The key indicators (the catalogue's `key`) with a direction and a percentile — all directed
    indicators with a percentile when fewer than three key ones have one: indicator_code, name_ru, area,
    percentile."""
    data = profile[profile["direction"].isin(["up", "down"]) & profile["percentile"].notna()]
    key = data[data["key_indicator"].astype(bool)]
    if len(key) >= 3:
        data = key
    return data[["indicator_code", "name_ru", "area", "percentile"]].reset_index(drop=True)


def percentile_radar(profile: pd.DataFrame, title: str, inst_label: str, inst_type: str) -> go.Figure:
    """Percentiles of the directed indicators around a circle: 100 at the rim = nobody in the group is
    better, the dashed circle at 50 is the group's middle."""
    data = radar_frame(profile)
    theta = [wrap(name, 26, 3) for name in data["name_ru"]]
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
        title={"text": title, "font": {"size": 15}},
        separators=charts.SEPARATORS,
        height=560,
        margin={"l": 60, "r": 60, "t": 70, "b": 40},
        legend={"orientation": "h", "yanchor": "top", "y": -0.05, "x": 0},
    )
    return fig


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
                    text=[fmt.value(v, unit) for v in rows["value"]],
                    textposition="outside",
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
            height=420,
            margin={"l": 10, "r": 10, "t": 60, "b": 10},
            legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0},
            hoverlabel={"namelength": -1},
        )
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=[names[c] for c in unit_codes])
        fig.update_yaxes(rangemode="tozero", title=charts.axis_title(unit))
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
