"""An institution among its peers, in words and tables: what the passport (reports/passport.py) prints and
the «Сравнение» page shows (ui/views/compare.py draws the figures from the same pieces).

Shaped from warehouse/compare.py's DataFrames: gaps in words («выше медианы группы на 12,3 п.п.»), the
profile as a table with Russian formats, the members of the peer group, the radar's indicators.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ru import fmt
from warehouse.catalog import area_names
from warehouse.compare import MIN_GROUP, PeerGroup

# ----------------------------------------------------------------------------------------- words
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
    "у которых значение не лучше. У показателей-численностей места нет, а значения муниципалитета — в среднем "
    "на одну организацию. Изменения долей — в процентных пунктах (п.п.)."
)
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
    """«2 из 4 (процентиль 67)» or «—». A count (a head count in «чел.», a number of records) is a size,
    not a result: a rank on it («Место 3 из 4» for the number of teachers) says nothing, so none is given."""
    if fmt.is_missing(row.get("rank")) or row.get("kind") == "count" or row.get("unit") == "чел.":
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
                "area_name": area_names().get(str(row["area"]), str(row["area"])),
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


def wrap(text: str, width: int = 28, lines: int = 3) -> str:
    """A long indicator name on a few lines of a chart (the full name is in the hover)."""
    parts = textwrap.wrap(str(text), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1].rstrip(",.") + "…"
    return "<br>".join(parts)


def radar_frame(profile: pd.DataFrame) -> pd.DataFrame:
    """The key indicators (the catalogue's `key`) with a direction and a percentile — all directed
    indicators with a percentile when fewer than three key ones have one: indicator_code, name_ru, area,
    percentile."""
    data = profile[profile["direction"].isin(["up", "down"]) & profile["percentile"].notna()]
    key = data[data["key_indicator"].astype(bool)]
    if len(key) >= 3:
        data = key
    return data[["indicator_code", "name_ru", "area", "percentile"]].reset_index(drop=True)
