"""Shaping of the page «Результаты обучения»: tables and figures of ГИА-11, ГИА-9, ВПР and ВсОШ (pure: no
streamlit, unit-tested).

Values come from warehouse/results.py, where the small-group rule is already applied: a row with `masked`
TRUE has no value and is shown as «менее 5» (warehouse/small_groups.py). Tables of institutions therefore
hold text cells (a number in Russian format, «—» for a missing value, «менее 5» for a masked one); tables of
aggregates, which are never masked, hold numbers with their units.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from ru import fmt
from ui.views import charts
from ui.views.tables import Table
from warehouse.small_groups import SMALL_GROUP_LABEL

GIA11_CODES = ["EGE_PARTICIPANTS", "EGE_MEAN_SCORE", "GIA11_NOT_PASSED", "EGE_HIGH_SCORE", "EGE_100"]
GIA9_CODES = ["GIA9_PARTICIPANTS", "GIA9_MEAN_MARK", "GIA9_SUCCESS", "GIA9_QUALITY"]
VPR_CODES = [
    "VPR_PARTICIPANTS",
    "VPR_SUCCESS",
    "VPR_QUALITY",
    "VPR_CONFIRMED",
    "VPR_BELOW_JOURNAL",
    "VPR_ABOVE_JOURNAL",
]
OLY_CODES = ["OLY_MUNICIPAL_PARTICIPANTS", "OLY_MUNICIPAL_WINNERS", "OLY_MUNICIPAL_EFFECTIVENESS"]
ALL_CODES = [*GIA11_CODES, *GIA9_CODES, *VPR_CODES, *OLY_CODES, "OLY_REGIONAL_PARTICIPANTS"]

# short column headers of the page's tables (the catalogue's names are long); units as in the catalogue
SHORT = {
    "EGE_PARTICIPANTS": ("Участников", "чел."),
    "EGE_MEAN_SCORE": ("Средний балл", "балл"),
    "GIA11_NOT_PASSED": ("Ниже минимума, %", "%"),
    "EGE_HIGH_SCORE": ("81–100 баллов, %", "%"),
    "EGE_100": ("100 баллов", "чел."),
    "GIA9_PARTICIPANTS": ("Участников", "чел."),
    "GIA9_MEAN_MARK": ("Средняя отметка", "балл"),
    "GIA9_SUCCESS": ("Успеваемость, %", "%"),
    "GIA9_QUALITY": ("Качество, %", "%"),
    "VPR_PARTICIPANTS": ("Участников", "чел."),
    "VPR_SUCCESS": ("Успеваемость, %", "%"),
    "VPR_QUALITY": ("Качество, %", "%"),
    "VPR_CONFIRMED": ("Подтвердили отметку, %", "%"),
    "VPR_BELOW_JOURNAL": ("Ниже отметки по журналу, %", "%"),
    "VPR_ABOVE_JOURNAL": ("Выше отметки по журналу, %", "%"),
    "OLY_MUNICIPAL_PARTICIPANTS": ("Участий в муниципальном этапе", "чел."),
    "OLY_MUNICIPAL_WINNERS": ("Победителей и призёров", "чел."),
    "OLY_MUNICIPAL_EFFECTIVENESS": ("Результативность, %", "%"),
}
STAGE_LABELS = {
    "school": "Школьный этап",
    "municipal": "Муниципальный этап",
    "regional": "Региональный этап",
    "final": "Заключительный этап",
}
JOURNAL_PARTS = {
    "VPR_CONFIRMED": ("Подтвердили", "#59A14F"),
    "VPR_BELOW_JOURNAL": ("Ниже отметки по журналу", "#E15759"),
    "VPR_ABOVE_JOURNAL": ("Выше отметки по журналу", "#4E79A7"),
}
FLAG_LABELS = {
    "low_results": "Низкие результаты",
    "low_results_persistent": "Низкие результаты несколько лет подряд",
    "vpr_journal_gap": "ВПР ниже отметок по журналу",
    "vpr_high_outlier": "Необъективно высокие результаты ВПР",
}
ALL_SUBJECTS = "all"
ALL_SUBJECTS_LABEL = "Все предметы"


def subject_label(subject: Any, names: Mapping[str, str]) -> str:
    """«Русский язык» for `russian`; an olympiad's normalised subject with a capital letter; «Все предметы»."""
    if subject == ALL_SUBJECTS:
        return ALL_SUBJECTS_LABEL
    text = names.get(str(subject)) or str(subject)
    return text[:1].upper() + text[1:]


def cell(value: Any, masked: bool, unit: str) -> str:
    """A table cell's text: «менее 5» for a masked small group, «—» for no value, else the number."""
    if masked:
        return SMALL_GROUP_LABEL
    if fmt.is_missing(value):
        return fmt.MISSING
    return _number(float(value), unit)


@functools.lru_cache(maxsize=100_000)  # a region's tables print ~10,000 cells a run, most values repeat
def _number(value: float, unit: str) -> str:
    return fmt.number(value, fmt.decimals_for(value, unit))


def _lookup(frame: pd.DataFrame, keys: Sequence[str]) -> dict[tuple[Any, ...], tuple[Any, bool]]:
    """{(keys…): (value, masked)} of a long frame of values."""
    if frame.empty:
        return {}
    # whole columns as Python lists: indexing a frame row by row costs seconds at region scale
    masked = (
        [bool(m) for m in frame["masked"].tolist()] if "masked" in frame.columns else [False] * len(frame)
    )
    columns = []
    for k in keys:
        if k == "grade":
            # a NULL grade must stay None (an Int32 Series would turn it back into NA)
            columns.append([None if fmt.is_missing(g) else int(g) for g in frame["grade"].tolist()])
        else:
            columns.append(frame[k].tolist())
    return dict(
        zip(zip(*columns, strict=True), zip(frame["value"].tolist(), masked, strict=True), strict=True)
    )


# ----------------------------------------------------------------------------------------- by subject
def subject_summary(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    compare: pd.DataFrame | None,
    codes: Sequence[str],
    names: Mapping[str, str],
    *,
    compare_label: str = "",
    by_grade: bool = False,
) -> Table:
    """One row per subject (and grade for ВПР) of what the page looks at: each indicator of `codes`, its
    change against last year and, when `compare` is given, the value of the comparison scope.

    `current`/`previous`/`compare`: long frames (indicator_code, subject[, grade], value[, masked]) of one
    place. A masked value is «менее 5» and has no change. The 'all' row comes first."""
    keys = ["indicator_code", "subject", "grade"] if by_grade else ["indicator_code", "subject"]

    def of(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["indicator_code"].isin(list(codes))]

    now, before = _lookup(of(current), keys), _lookup(of(previous), keys)
    other = _lookup(of(compare), keys) if compare is not None else {}
    place_keys = sorted(
        {k[1:] for k in now},
        key=lambda k: (k[0] != ALL_SUBJECTS, subject_label(k[0], names), k[1] or 0 if by_grade else 0),
    )
    rows = []
    for place in place_keys:
        row: dict[str, Any] = {"Предмет": subject_label(place[0], names)}
        if by_grade:
            row["Класс"] = "" if place[1] is None else str(place[1])
        for code in codes:
            head, unit = SHORT[code]
            value, masked = now.get((code, *place), (None, False))
            row[head] = cell(value, masked, unit)
            old, old_masked = before.get((code, *place), (None, False))
            change = None if masked or old_masked else fmt.delta(value, old, unit)
            if code not in ("EGE_PARTICIPANTS", "GIA9_PARTICIPANTS", "VPR_PARTICIPANTS"):
                row[f"{head}: изменение за год"] = change or fmt.MISSING
                if compare is not None:
                    cmp_value, cmp_masked = other.get((code, *place), (None, False))
                    row[f"{head}: {compare_label}"] = cell(cmp_value, cmp_masked, unit)
        rows.append(row)
    frame = pd.DataFrame(rows)
    return Table(frame=frame, missing=int((frame == fmt.MISSING).sum().sum()) if not frame.empty else 0)


# ----------------------------------------------------------------------------------------- by institution
def institutions_by_subject(values: pd.DataFrame, code: str, names: Mapping[str, str]) -> Table:
    """Institutions × subjects for one indicator (`values`: institution_values rows), «менее 5» where masked.
    Subjects in the order of their names, 'all' last; institutions by name."""
    part = values[values["indicator_code"] == code]
    if part.empty:
        return Table(frame=pd.DataFrame(columns=["Организация"]))
    _, unit = SHORT[code]
    subjects = sorted(set(part["subject"]), key=lambda s: (s == ALL_SUBJECTS, subject_label(s, names)))
    found = _lookup(part, ["inst_id", "subject"])
    schools = part[["inst_id", "short_name", "municipality"]].drop_duplicates("inst_id")
    schools = schools.sort_values(["municipality", "short_name"], kind="stable")
    rows = []
    for school in schools.itertuples(index=False):
        row = {"Организация": school.short_name, "Муниципалитет": school.municipality}
        for subject in subjects:
            value, masked = found.get((school.inst_id, subject), (None, False))
            row[subject_label(subject, names)] = cell(value, masked, unit)
        rows.append(row)
    frame = pd.DataFrame(rows)
    return Table(frame=frame, missing=int((frame == fmt.MISSING).sum().sum()))


def institutions_table(values: pd.DataFrame, codes: Sequence[str], subject: str = ALL_SUBJECTS) -> Table:
    """Institutions × indicators of `codes` for one subject (the 'all' row by default)."""
    part = values[values["subject"] == subject]
    found = _lookup(part, ["inst_id", "indicator_code"])
    schools = part[["inst_id", "short_name", "municipality"]].drop_duplicates("inst_id")
    schools = schools.sort_values(["municipality", "short_name"], kind="stable")
    rows = []
    for school in schools.itertuples(index=False):
        row = {"Организация": school.short_name, "Муниципалитет": school.municipality}
        for code in codes:
            head, unit = SHORT[code]
            value, masked = found.get((school.inst_id, code), (None, False))
            row[head] = cell(value, masked, unit)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["Организация", "Муниципалитет", *(SHORT[c][0] for c in codes)])
    return Table(frame=frame, missing=int((frame == fmt.MISSING).sum().sum()))


def journal_bars(values: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The ВПР confirmations by school for the stacked bar (all subjects and grades): rows short_name, part,
    value; and the schools left out because their values are masked («менее 5»)."""
    part = values[(values["subject"] == ALL_SUBJECTS) & values["indicator_code"].isin(list(JOURNAL_PARTS))]
    hidden = sorted(set(part.loc[part["masked"], "short_name"]))
    shown = part[~part["short_name"].isin(hidden)].dropna(subset=["value"])
    out = shown[["short_name", "indicator_code", "value"]].rename(columns={"indicator_code": "part"})
    return out.sort_values(["short_name", "part"]).reset_index(drop=True), hidden


def journal_figure(bars: pd.DataFrame, title: str) -> go.Figure:
    """Confirmed / below / above the journal mark by school, stacked to 100 %."""
    order = (
        bars[bars["part"] == "VPR_CONFIRMED"].sort_values("value")["short_name"].tolist()
        if not bars.empty
        else []
    )
    return charts.grouped_bars(
        bars,
        title,
        x="short_name",
        series="part",
        value="value",
        series_labels={code: label for code, (label, _) in JOURNAL_PARTS.items()},
        colors={code: color for code, (_, color) in JOURNAL_PARTS.items()},
        x_order=order,
        unit="%",
        stacked=True,
        horizontal=True,
    )


# ----------------------------------------------------------------------------------------- scores
def score_subjects(dist: pd.DataFrame, names: Mapping[str, str]) -> dict[str, str]:
    """Subject code → label of the subjects in a distribution, by label."""
    subjects = sorted(set(dist["subject"]), key=lambda s: subject_label(s, names))
    return {s: subject_label(s, names) for s in subjects}


def score_figure(dist: pd.DataFrame, subject: str, title: str) -> go.Figure | None:
    """The number of results by score of one subject, with its minimum score as a dashed line; None when the
    subject is masked (another school's small group) or has no scores."""
    part = dist[(dist["subject"] == subject) & ~dist["masked"]].dropna(subset=["score"])
    if part.empty:
        return None
    fig = go.Figure(
        go.Bar(
            x=part["score"],
            y=part["results"],
            marker_color=charts.SERIES_COLORS[0],
            hovertemplate="%{x} баллов: %{y:,.0f} чел.<extra></extra>",
            name="Результаты",
        )
    )
    minimum = part["min_score"].dropna()
    if not minimum.empty:
        fig.add_vline(
            x=float(minimum.iloc[0]) - 0.5,
            line_dash="dash",
            line_color=charts.TARGET_COLOR,
            annotation_text=f"минимальный балл {fmt.integer(minimum.iloc[0])}",
            annotation_position="top right",
        )
    fig.update_xaxes(title="Тестовый балл", range=[-0.5, 100.5])
    fig.update_yaxes(title="Число результатов, чел.", rangemode="tozero")
    fig.update_layout(title=title, height=340, separators=charts.SEPARATORS, showlegend=False, bargap=0.05)
    return fig


def masked_subject(dist: pd.DataFrame, subject: str) -> bool:
    return bool(dist.loc[dist["subject"] == subject, "masked"].any())


# ----------------------------------------------------------------------------------------- olympiad
def olympiad_table(funnel: pd.DataFrame, effectiveness: pd.DataFrame, names: Mapping[str, str]) -> Table:
    """The funnel by subject: participations at each stage, the municipal stage's winners and prize winners
    and its effectiveness (from the mart: `effectiveness` has subject, value[, masked])."""
    found = _lookup(funnel.rename(columns={"participants": "value"}), ["subject", "stage"])
    winners = _lookup(funnel.rename(columns={"winners": "value"}), ["subject", "stage"])
    eff = _lookup(effectiveness, ["subject"])
    rows = []
    subjects = sorted(set(funnel["subject"]), key=lambda s: subject_label(s, names))
    for subject in subjects:
        row: dict[str, Any] = {"Предмет": subject_label(subject, names)}
        for stage, label in STAGE_LABELS.items():
            value, masked = found.get((subject, stage), (0, False))
            row[label] = cell(value, masked, "чел.")
        value, masked = winners.get((subject, "municipal"), (0, False))
        row["Победителей и призёров муниципального этапа"] = cell(value, masked, "чел.")
        value, masked = eff.get((subject,), (None, False))
        row["Результативность муниципального этапа, %"] = cell(value, masked, "%")
        rows.append(row)
    columns = [
        "Предмет",
        *STAGE_LABELS.values(),
        "Победителей и призёров муниципального этапа",
        "Результативность муниципального этапа, %",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return Table(frame=frame, missing=int((frame == fmt.MISSING).sum().sum()))


def funnel_totals(funnel: pd.DataFrame) -> pd.DataFrame:
    """Participations by stage over all subjects (masked stages left out): stage (label), participants."""
    shown = funnel[~funnel["masked"]]
    totals = shown.groupby("stage", as_index=False)["participants"].sum()
    totals["order"] = totals["stage"].map({s: n for n, s in enumerate(STAGE_LABELS)})
    totals = totals.sort_values("order")
    totals["stage"] = totals["stage"].map(STAGE_LABELS)
    return totals[["stage", "participants"]].reset_index(drop=True)


def funnel_figure(totals: pd.DataFrame, title: str) -> go.Figure:
    fig = go.Figure(
        go.Funnel(
            y=totals["stage"],
            x=totals["participants"],
            marker_color=charts.SERIES_COLORS[0],
            textinfo="value+percent initial",
        )
    )
    fig.update_layout(title=title, height=320, separators=charts.SEPARATORS)
    return fig


# ----------------------------------------------------------------------------------------- flags
def flag_items(flags: pd.DataFrame, names: Mapping[str, str]) -> list[dict[str, Any]]:
    """The flags as items for the page: inst_id (for the link), school, what (the flag in words, with the
    subject and grade), message (the mart's explanation)."""
    items = []
    for row in flags.itertuples(index=False):
        what = FLAG_LABELS.get(str(row.flag), str(row.flag))
        if not fmt.is_missing(row.subject):
            what += f": {subject_label(row.subject, names)}"
            if not fmt.is_missing(row.grade):
                what += f", {int(row.grade)} класс"
        items.append(
            {"inst_id": row.inst_id, "school": row.short_name, "what": what, "message": row.message_ru}
        )
    return items


def flags_table(items: Sequence[Mapping[str, Any]]) -> Table:
    frame = pd.DataFrame(
        [{"Организация": i["school"], "Признак": i["what"], "Пояснение": i["message"]} for i in items],
        columns=["Организация", "Признак", "Пояснение"],
    )
    return Table(frame=frame)


# ----------------------------------------------------------------------------------------- the place
def place_frames(
    aggregates: pd.DataFrame,
    period: str,
    previous: str | None,
    *,
    inst_now: pd.DataFrame | None = None,
    inst_before: pd.DataFrame | None = None,
    where: str,
    region: bool,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None, str]:
    """What the summary tables show: the values of the place in the period and the year before, the values it
    is compared with and their label.

    With an institution chosen (`inst_now`, `inst_before`: its institution_values) the place is the institution,
    compared with its scope (`where`); otherwise it is the scope (the `scope` rows of aggregate_values),
    compared with the region unless the scope is the region (`region`)."""
    scope = aggregates[aggregates["role"] == "scope"]
    of_region = aggregates[(aggregates["role"] == "region") | region]
    empty = aggregates.iloc[0:0]
    if inst_now is not None:
        before = inst_before if inst_before is not None else inst_now.iloc[0:0]
        return inst_now, before, scope[scope["period"] == period], where
    before = scope[scope["period"] == previous] if previous else empty
    compare = None if region else of_region[of_region["period"] == period]
    return scope[scope["period"] == period], before, compare, "регион"


def place_frame(
    aggregates: pd.DataFrame,
    period: str,
    previous: str | None,
    part: str,
    *,
    inst_now: pd.DataFrame | None = None,
    inst_before: pd.DataFrame | None = None,
    where: str,
    region: bool,
) -> pd.DataFrame | None:
    """One frame of `place_frames` by name (`current`, `before`, `compare`), for a page that hands it on by
    reference (`ctx.later`) to a cached table."""
    current, before, compare, _ = place_frames(
        aggregates, period, previous, inst_now=inst_now, inst_before=inst_before, where=where, region=region
    )
    return {"current": current, "before": before, "compare": compare}[part]


def compare_label(inst_chosen: bool, where: str) -> str:
    """The label of the values a place is compared with (as `place_frames` gives it)."""
    return where if inst_chosen else "регион"


def effectiveness(current: pd.DataFrame) -> pd.DataFrame:
    """The municipal stage's effectiveness rows of the place's values (for `olympiad_table`)."""
    return current[current["indicator_code"] == "OLY_MUNICIPAL_EFFECTIVENESS"]


def journal_rows(values: pd.DataFrame) -> pd.DataFrame:
    """The rows of the stacked bar of `journal_bars` (without the hidden schools)."""
    return journal_bars(values)[0]
