"""What a page shows, shaped from the query layer's DataFrames (no Streamlit here: tests call these).

Long indicator rows become wide tables with Russian headers, KPI cards get their formatted value, change and
colour, structure counts get their display order. Numbers are not rounded here (the formats do that).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ru import fmt
from ui import messages
from ui.views import safe
from warehouse.catalog import area_names
from warehouse.small_groups import SMALL_GROUP_LABEL


# ----------------------------------------------------------------------------------------- catalogue
class Catalog:
    """mart.indicator_catalog with look-ups by code (built once per page run)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._by_code: dict[str, dict[str, Any]] = {}
        for row in frame.to_dict("records"):
            if fmt.is_missing(row.get("target")):
                row["target"] = None
            self._by_code[str(row["indicator_code"])] = row

    def info(self, code: str) -> dict[str, Any]:
        return self._by_code.get(
            code, {"indicator_code": code, "name_ru": code, "unit": "", "direction": "none", "target": None}
        )

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def area_codes(self, area: str) -> list[str]:
        return [c for c, r in self._by_code.items() if r.get("area") == area]

    def key_codes(self, area: str) -> list[str]:
        """The area's KPI indicators (`key` in the catalogue); the first four of the area if none is marked."""
        codes = self.area_codes(area)
        keys = [c for c in codes if bool(self._by_code[c].get("key_indicator"))]
        return keys or codes[:4]


def header(info: dict[str, Any]) -> str:
    """A table header: the indicator's name with its unit."""
    unit = info.get("unit") or ""
    unit_text = "баллы" if unit.startswith("балл") else unit
    return f"{info['name_ru']}, {unit_text}" if unit_text else str(info["name_ru"])


def help_text(info: dict[str, Any]) -> str:
    """The tooltip of a number: formula, direction and where to read more."""
    parts = [str(info.get("name_ru", ""))]
    if info.get("formula_ru"):
        parts.append(f"Формула: {info['formula_ru']}")
    parts.append(f"Направление: {messages.DIRECTIONS.get(str(info.get('direction')), '—')}")
    if info.get("target") is not None:
        parts.append(f"Цель: {fmt.value(info['target'], info.get('unit'))}")
    if info.get("source_ru"):
        parts.append(f"Источник: {info['source_ru']}")
    parts.append(f"Справочник показателей → код {info['indicator_code']}")
    return "\n\n".join(parts)


# ----------------------------------------------------------------------------------------- scope words
def scope_label(municipality: str | None) -> str:
    return municipality or messages.REGION


def total_label(municipality: str | None) -> str:
    return messages.TOTAL_FOR.format(name=municipality) if municipality else messages.REGION_TOTAL


def title(what: str, period: str, where: str) -> str:
    return f"{what} — {where}, {fmt.period(period)}"


def previous_period(periods: Sequence[str], period: str) -> str | None:
    ordered = sorted(periods)
    if period not in ordered:
        return None
    i = ordered.index(period)
    return ordered[i - 1] if i > 0 else None


# ----------------------------------------------------------------------------------------- KPI cards
@dataclass(frozen=True)
class Kpi:
    code: str
    label: str
    value: float | None
    value_text: str
    delta_text: str | None
    delta_color: str
    delta_arrow: str
    help: str
    target_text: str | None
    compare_text: str | None
    spark: list[float] = field(default_factory=list)


def _values(series: pd.DataFrame | None) -> dict[tuple[str, str], float]:
    """{(indicator_code, period): value} of a series, missing values left out."""
    if series is None or series.empty:
        return {}
    return {
        (str(c), str(p)): float(v)
        for c, p, v in zip(series["indicator_code"], series["period"], series["value"], strict=True)
        if not fmt.is_missing(v)
    }


# the overview's rows of KPI cards: the three areas of conditions and the results of education
OVERVIEW_AREAS = ("staff", "ict", "innovation", "results")


def _masked(series: pd.DataFrame | None) -> set[tuple[str, str]]:
    """{(indicator_code, period)} of a series' masked values (warehouse/small_groups.py)."""
    if series is None or series.empty or "masked" not in series.columns:
        return set()
    rows = series[series["masked"].astype(bool)]
    return {(str(c), str(p)) for c, p in zip(rows["indicator_code"], rows["period"], strict=True)}


def delta_style(change: float | None, direction: str) -> tuple[str, str]:
    """(colour, arrow) of a change: green when it goes the indicator's good way, red when not, grey for
    no change or no direction."""
    if change is None or change == 0:
        return "gray", "off"
    arrow = "up" if change > 0 else "down"
    if direction == "up":
        return ("green" if change > 0 else "red"), arrow
    if direction == "down":
        return ("green" if change < 0 else "red"), arrow
    return "gray", arrow


def kpis(
    catalog: Catalog,
    codes: Sequence[str],
    series: pd.DataFrame,
    period: str,
    previous: str | None,
    *,
    compare: pd.DataFrame | None = None,
    compare_label: str = "",
) -> list[Kpi]:
    """KPI cards for `codes` from a series (period, indicator_code, value): value in `period`, change
    against `previous`, the catalogue's target, and (for an institution) the scope's value beside it."""
    cards = []
    own = _values(series)
    other = _values(compare)
    # another institution's small results group, masked by the query layer: «менее 5», never a number
    hidden = _masked(series)
    periods = sorted({p for _, p in own})
    for code in codes:
        info = catalog.info(code)
        unit = info.get("unit")
        current = own.get((code, period))
        before = own.get((code, previous)) if previous else None
        change = None if current is None or before is None else current - before
        delta_text = fmt.delta(current, before, unit)
        if delta_text is not None and not any(ch in "123456789" for ch in delta_text):
            change = 0.0  # a change that rounds to zero is no change (grey, no arrow)
        color, arrow = delta_style(change, str(info.get("direction")))
        compare_value = other.get((code, period))
        cards.append(
            Kpi(
                code=code,
                label=str(info["name_ru"]),
                value=current,
                value_text=(
                    SMALL_GROUP_LABEL
                    if (code, period) in hidden
                    else fmt.value(current, unit)
                    if current is not None
                    else "нет данных"
                ),
                delta_text=delta_text,
                delta_color=color,
                delta_arrow=arrow,
                help=help_text(info),
                target_text=f"цель {fmt.value(info['target'], unit)}"
                if info.get("target") is not None
                else None,
                compare_text=(
                    # Markdown (a card's caption): the scope's name comes from the registry file
                    f"{safe.md(compare_label)}: {fmt.value(compare_value, unit)}"
                    if compare_value is not None
                    else None
                ),
                spark=[own[(code, p)] for p in periods if (code, p) in own],
            )
        )
    return cards


# ----------------------------------------------------------------------------------------- tables
# the rows of a table on a page (ui.widgets.table, the completeness matrix): a country's 40,000 institutions
# would be 440,000 cells (more than pandas' Styler renders, 262,144, and a page nobody scrolls); the Excel
# download has every row
ROWS_ON_PAGE = 3000


@dataclass
class Table:
    """A table ready for display and export: Russian headers, and how each numeric column is formatted."""

    frame: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)  # column → unit of its numbers ("%", "чел." …)
    dates: list[str] = field(default_factory=list)
    help: dict[str, str] = field(default_factory=dict)
    missing: int = 0  # cells shown as «—»
    labels: dict[str, str] = field(default_factory=dict)  # column → its short title on screen (full in help)
    decimals: dict[str, int] = field(default_factory=dict)  # column → decimals of every number in it
    pinned: list[str] = field(default_factory=list)  # columns that stay in view when the table scrolls
    total: pd.DataFrame | None = None  # the scope's row, shown above the table and kept out of its sort

    def column_decimals(self, col: str) -> int:
        """One format per column: the column's own decimals, else those its unit and values call for."""
        if col in self.decimals:
            return self.decimals[col]
        values = self.frame[col] if self.total is None else pd.concat([self.total[col], self.frame[col]])
        return column_decimals(values, self.units.get(col, ""))

    def export_frame(self) -> pd.DataFrame:
        """The rows of the Excel file: the total first, then the table."""
        if self.total is None or self.total.empty:
            return self.frame
        return pd.concat([self.total, self.frame], ignore_index=True)


def column_decimals(values: pd.Series, unit: str | None) -> int:
    """Decimals for a whole column: none for counts whose values are all whole, one for shares, averages
    and any column with a fraction in it (so that «70,0» stands beside «89,5», never «70»)."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if unit != "%" and (numbers.empty or bool(((numbers - numbers.round()).abs() < 1e-9).all())):
        return 0 if unit in ("чел.", "ед.") or numbers.empty else 1
    return 1


# long words of indicator names and their short forms for a column title (the full name is in its help)
_SHORTER = (
    ("Численность педагогических работников", "Педагогов"),
    ("Численность педагогов", "Педагогов"),
    ("педагогических работников", "педагогов"),
    ("Численность обучающихся в расчёте на одного педагогического работника", "Обучающихся на педагога"),
    ("Численность молодых специалистов", "Молодых специалистов"),
    ("квалификационной категорией", "категорией"),
    ("повышение квалификации", "КПК"),
    (", используемых в учебных целях,", " (учебных)"),
    (", используемых в учебных целях", " (учебных)"),
    ("в расчёте на 100", "на 100"),
    ("на 100 обучающихся", "на 100 обуч."),
    ("на 100 педагогов", "на 100 пед."),
    ("и имеющих доступ к Интернету", "с Интернетом"),
    ("имеющих доступ к Интернету", "с Интернетом"),
    ("муниципальный уровень и выше", "от муницип. уровня"),
    ("Доля ", ""),
    ("Число ", ""),
)
SHORT_TITLE = 34  # characters of a column title; longer ones end at a word with «…»


def short_title(info: dict[str, Any]) -> str:
    """A column title that fits a narrow column: the indicator's name in short words, cut at a word
    boundary (never mid-word), with its unit."""
    name = str(info["name_ru"])
    name = name.split(" (")[0] if len(name) > SHORT_TITLE else name
    for long, short in _SHORTER:
        name = name.replace(long, short)
    name = name[:1].upper() + name[1:]
    if len(name) > SHORT_TITLE:
        words = name[: SHORT_TITLE + 1].rsplit(" ", 1)[0].split()
        while len(words) > 1 and len(words[-1].strip(",;:")) <= 2:  # no «олимпиад и…»
            words.pop()
        name = " ".join(words).rstrip(",;:") + "…"
    unit = info.get("unit") or ""
    unit_text = "баллы" if unit.startswith("балл") else unit
    return f"{name}, {unit_text}" if unit_text else name


def indicator_table(
    long: pd.DataFrame,
    catalog: Catalog,
    codes: Sequence[str],
    *,
    by: str,
    total: pd.DataFrame | None = None,
    total_label: str = "",
) -> Table:
    """Rows of institutions (by="institution": long has inst_id, short_name, inst_type, municipality) or
    municipalities (by="municipality"), one column per indicator; the scope's total is a row of its own
    (`Table.total`), shown above the table and out of its sort."""
    if by == "institution":
        keys = ["inst_id", "short_name", "inst_type", "municipality"]
        first = {
            "short_name": "Организация",
            "inst_type": "Тип",
            "municipality": "Муниципалитет",
        }
    else:
        keys = ["municipality"]
        first = {"municipality": "Муниципалитет"}
    base = (
        long[keys].drop_duplicates().reset_index(drop=True) if not long.empty else pd.DataFrame(columns=keys)
    )
    values = long.dropna(subset=["indicator_code"]) if not long.empty else long
    if not values.empty:
        wide = values.pivot_table(index=keys[0], columns="indicator_code", values="value", aggfunc="first")
        wide = wide.reset_index()
        frame = base.merge(wide, on=keys[0], how="left")
    else:
        frame = base.copy()
    for code in codes:
        if code not in frame.columns:
            frame[code] = float("nan")
    frame = frame[keys + list(codes)]
    total_frame = None
    if total is not None:
        row: dict[str, Any] = {k: "" for k in keys}
        row[keys[1] if by == "institution" else keys[0]] = total_label
        for code in codes:
            part = total[total["indicator_code"] == code]
            row[code] = (
                float(part.iloc[0]["value"])
                if not part.empty and not fmt.is_missing(part.iloc[0]["value"])
                else float("nan")
            )
        total_frame = pd.DataFrame([row], columns=keys + list(codes))
    if by == "institution":
        frame["inst_type"] = frame["inst_type"].map(lambda c: messages.inst_type_label(c) if c else "")
        frame = frame.drop(columns=["inst_id"])
        if total_frame is not None:
            total_frame = total_frame.drop(columns=["inst_id"])
    rename = dict(first)
    units: dict[str, str] = {}
    helps: dict[str, str] = {}
    labels: dict[str, str] = {}
    for code in codes:
        info = catalog.info(code)
        head = header(info)
        rename[code] = head
        units[head] = str(info.get("unit") or "")
        helps[head] = help_text(info)
        labels[head] = short_title(info)
    frame = frame.rename(columns=rename)
    for head in units:
        frame[head] = pd.to_numeric(frame[head], errors="coerce").astype("float64")
    if total_frame is not None:
        total_frame = total_frame.rename(columns=rename)
        for head in units:
            total_frame[head] = pd.to_numeric(total_frame[head], errors="coerce").astype("float64")
    missing = int(frame[list(units)].isna().sum().sum()) if units else 0
    tbl = Table(
        frame=frame,
        units=units,
        help=helps,
        missing=missing,
        labels=labels,
        pinned=[first[keys[1] if by == "institution" else keys[0]]],
        total=total_frame,
    )
    tbl.decimals = {head: tbl.column_decimals(head) for head in units}
    return tbl


def values_for_chart(long: pd.DataFrame, code: str, *, by: str) -> tuple[pd.DataFrame, list[str]]:
    """(label, value[, inst_type]) rows of one indicator for a bar chart, and the labels without a value."""
    if long.empty:
        return pd.DataFrame(columns=["label", "value", "inst_type"]), []
    if by == "institution":
        base = long[["inst_id", "short_name", "inst_type"]].drop_duplicates("inst_id")
        vals = long[long["indicator_code"] == code][["inst_id", "value"]]
        frame = base.merge(vals, on="inst_id", how="left").rename(columns={"short_name": "label"})
        frame = frame[["label", "value", "inst_type"]]
    else:
        base = long[["municipality"]].drop_duplicates()
        vals = long[long["indicator_code"] == code][["municipality", "value"]]
        frame = base.merge(vals, on="municipality", how="left").rename(columns={"municipality": "label"})
        frame["inst_type"] = None
    missing = sorted(str(x) for x in frame.loc[frame["value"].isna(), "label"])
    return frame.reset_index(drop=True), missing


CHART_ROWS = 60  # bars one chart shows; a country's 1,440 municipalities go to the table instead


def weakest(frame: pd.DataFrame, direction: str, limit: int = CHART_ROWS) -> tuple[pd.DataFrame, int]:
    """At most `limit` rows of a bar chart's frame (label, value, …): those furthest from good by the
    indicator's direction (lowest when higher is better, highest when lower is better). Returns (rows, number
    of rows with a value), so that the page can say how many were left out."""
    data = frame.dropna(subset=["value"])
    if len(data) <= limit:
        return frame, len(data)
    data = data.sort_values("value", ascending=direction != "down", kind="stable")
    return data.head(limit).reset_index(drop=True), len(data)


def series_frame(series: pd.DataFrame, catalog: Catalog, codes: Sequence[str]) -> pd.DataFrame:
    """period, series (indicator name), value — for a trend chart of several indicators of one scope."""
    rows = series[series["indicator_code"].isin(list(codes))].copy()
    names = {c: str(catalog.info(c)["name_ru"]) for c in codes}
    rows["series"] = rows["indicator_code"].map(names)
    rows["order"] = rows["indicator_code"].map({c: i for i, c in enumerate(codes)})
    return rows.sort_values(["order", "period"])[["period", "series", "value"]]


def compare_frame(
    own: pd.DataFrame, scope: pd.DataFrame, code: str, own_label: str, scope_label: str
) -> pd.DataFrame:
    """period, series, value — one institution against its scope on one indicator."""
    parts = []
    for frame, label in ((own, own_label), (scope, scope_label)):
        rows = frame[frame["indicator_code"] == code][["period", "value"]].copy()
        rows["series"] = label
        parts.append(rows)
    return pd.concat(parts, ignore_index=True)[["period", "series", "value"]]


GAP_KINDS = ("share", "per100", "ratio", "index")  # kinds whose gap says something (not a count: a size)


def gap_codes(catalog: Catalog, codes: Sequence[str], institution_values: pd.DataFrame) -> list[str]:
    """The indicators of `codes` on which an institution can lag in a way that means something: a direction,
    a kind that is a rate (a share of people, a figure per pupil, an average, an index) — and, for shares,
    not a yes/no flag of the institution itself: a share whose every institution-level denominator is 1
    («доля организаций со скоростью не ниже целевой») is 0 or 100 % for one school, so it is left out."""
    vals = institution_values.dropna(subset=["indicator_code"]) if not institution_values.empty else None
    out = []
    for code in codes:
        info = catalog.info(code)
        if info.get("direction") not in ("up", "down") or info.get("kind") not in GAP_KINDS:
            continue
        if info.get("kind") == "share" and vals is not None:
            denominators = pd.to_numeric(vals.loc[vals["indicator_code"] == code, "denominator"], "coerce")
            if not denominators.dropna().empty and bool((denominators.dropna() <= 1).all()):
                continue
        out.append(code)
    return out


def _rate(x: float, unit: str | None) -> str:
    """A rate with one decimal, whole or not («0,0 ед. при 1,0 ед.», never «0 ед. при 1,0 ед.»)."""
    return fmt.number(x, 1) + fmt.unit_suffix(unit)


def _lower_first(text: str) -> str:
    """«Доля педагогических…» → «доля педагогических…» (an abbreviation such as «ПК» keeps its case)."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


# «… при 36,4 % по общеобразовательным организациям (г. Бор)»: the scope value is the same type's
SAME_TYPE = {
    "school": "по общеобразовательным организациям",
    "preschool": "по дошкольным организациям",
    "additional": "по организациям дополнительного образования",
}


def attention_items(attention: pd.DataFrame, catalog: Catalog, where: str) -> list[dict[str, Any]]:
    """One entry per institution of the attention list: its full short name, and why it is there («доля
    педагогов с высшей категорией 12,0 % при 36,4 % по организациям того же типа, г. Бор»)."""
    items = []
    for row in attention.itertuples(index=False):
        info = catalog.info(str(row.indicator_code))
        unit = info.get("unit")
        gap = fmt.number(row.shortfall, 1) + (f"{fmt.NBSP}п.п." if unit == "%" else fmt.unit_suffix(unit))
        others = int(row.indicators_below) - 1
        tail = (
            f"; ниже среднего ещё по {others} {fmt.plural(others, 'показателю', 'показателям', 'показателям')}"
            if others > 0
            else ""
        )
        type_word = messages.inst_type_label(row.inst_type).lower()
        items.append(
            {
                "inst_id": row.inst_id,
                "indicator_code": str(row.indicator_code),
                "label": f"{row.short_name} ({type_word})",
                "text": (
                    f"{_lower_first(str(info['name_ru']))} — {_rate(row.value, unit)} при "
                    f"{_rate(row.scope_value, unit)} "
                    f"{SAME_TYPE.get(str(row.inst_type), 'по организациям того же типа')} ({where}): "
                    f"{'меньше' if info.get('direction') == 'up' else 'больше'} на {gap}{tail}"
                ),
            }
        )
    return items


# ----------------------------------------------------------------------------------------- staff
def _labels(codes: pd.Series, label: Any) -> pd.Series:
    """codes mapped through `label`, called once per distinct code (a country list has 300,000 rows)."""
    distinct = codes.dropna().unique()
    return codes.map({c: label(c) for c in distinct}).astype(object).where(codes.notna(), None)


def due_table(rows: pd.DataFrame, kind: str) -> Table:
    """The list of who is due, with Russian headers and labels; the status (истекла / истекает,
    просрочено …) comes first, as the list is ordered by it."""
    frame = pd.DataFrame(
        {
            "Статус": rows["status"].map(messages.DUE_STATUSES[kind]),
            "Организация": rows["short_name"],
            "ФИО": rows["full_name"].fillna("(не указано)"),
            "Табельный номер": rows["staff_id"],
            "Должность": _labels(rows["position"], messages.position_label),
        }
    )
    if kind == "attestation":
        frame["Категория"] = _labels(rows["category"], messages.category_label)
        frame["Дата присвоения"] = pd.to_datetime(rows["category_date"])
        frame["Категория действует до"] = pd.to_datetime(rows["category_valid_until"])
        dates = ["Дата присвоения", "Категория действует до"]
    else:
        frame["Дата окончания последних КПК"] = pd.to_datetime(rows["last_training_date"])
        frame["Срок следующих КПК"] = pd.to_datetime(rows["training_due_date"])
        dates = ["Дата окончания последних КПК", "Срок следующих КПК"]
    return Table(frame=frame.reset_index(drop=True), dates=dates)


def due_counts(kind: str, statuses: dict[str, int]) -> str:
    """The counts of a due list by status, in the list's order: «категория уже истекла — 3 чел.;
    истекает в ближайшие 12 месяцев — 5 чел.» (only the statuses that occur)."""
    words = messages.DUE_STATUS_COUNTS[kind]
    parts = [f"{words[s]} — {fmt.integer(statuses[s])} чел." for s in words if statuses.get(s)]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


# ----------------------------------------------------------------------------------------- ICT
COMPONENT_COLUMNS = (
    "c1_pc_per_pupil",
    "c2_pc_internet",
    "c3_rooms_workstation",
    "c4_speed",
    "c5_digital_services",
    "readiness_index",
)


def readiness_rows(ict: pd.DataFrame, *, by: str, limit: int = 60) -> tuple[pd.DataFrame, int, list[str]]:
    """Rows of the readiness heat map: institutions, or municipalities (pupil-weighted means, as the
    index itself aggregates), lowest index first, at most `limit`. Returns (rows, total rows, missing)."""
    have = ict.dropna(subset=["readiness_index"])
    missing = sorted(str(x) for x in ict.loc[ict["readiness_index"].isna(), "short_name"])
    if by == "municipality":
        weights = pd.to_numeric(have["students"], errors="coerce").astype("float64")
        weighted = pd.DataFrame(
            {
                col: pd.to_numeric(have[col], errors="coerce").astype("float64") * weights
                for col in COMPONENT_COLUMNS
            }
        )
        weighted["_weight"] = weights
        sums = weighted.groupby(have["municipality"].to_numpy(), sort=True).sum(min_count=1)
        rows = sums[list(COMPONENT_COLUMNS)].div(sums["_weight"], axis=0)
        rows = rows.rename_axis("label").reset_index()[["label", *COMPONENT_COLUMNS]]
    else:
        rows = have.rename(columns={"short_name": "label"})[["label", *COMPONENT_COLUMNS]]
    rows = rows.sort_values("readiness_index", kind="stable").reset_index(drop=True)
    return rows.head(limit), len(rows), missing


def speed_summary(ict: pd.DataFrame, targets: dict[str, float]) -> Table:
    """By locality: institutions with an ict row, meeting the target, share, median speed."""
    rows = []
    for loc in ("urban", "rural"):
        part = ict[(ict["locality"] == loc) & ict["internet_speed_mbps"].notna()]
        if part.empty:
            continue
        meets = int(part["meets_speed_target"].astype(bool).sum())
        rows.append(
            {
                "Местность": messages.locality_label(loc),
                "Целевая скорость, Мбит/с": targets.get(loc),
                "Организаций": len(part),
                "Достигли цели": meets,
                "Доля достигших цели, %": meets / len(part) * 100,
                "Медианная скорость, Мбит/с": float(part["internet_speed_mbps"].median()),
            }
        )
    frame = pd.DataFrame(rows)
    units = {
        "Целевая скорость, Мбит/с": "ед.",
        "Организаций": "ед.",
        "Достигли цели": "ед.",
        "Доля достигших цели, %": "%",
        "Медианная скорость, Мбит/с": "ед.",
    }
    return Table(frame=frame, units=units if not frame.empty else {})


# ----------------------------------------------------------------------------------------- innovation
LEVEL_ORDER = ("institution", "municipal", "regional", "federal", "international")


def sites_frame(sites: pd.DataFrame, *, by: str, limit: int = CHART_ROWS) -> tuple[pd.DataFrame, int]:
    """label, level, sites — by institution or municipality, fewest sites first (the chart's bottom); at
    most the `limit` labels with the most sites. Returns (rows, number of labels with sites)."""
    if sites.empty:
        return pd.DataFrame(columns=["label", "level", "sites"]), 0
    key = "short_name" if by == "institution" else "municipality"
    out = sites.groupby([key, "level"], as_index=False)["sites"].sum().rename(columns={key: "label"})
    totals = out.groupby("label")["sites"].sum().sort_values(kind="stable")
    kept = totals.index[-limit:]
    out = out[out["label"].isin(kept)]
    out["order"] = out["label"].map({k: i for i, k in enumerate(kept)})
    return out.sort_values(["order", "level"]).drop(columns="order"), len(totals)


def sites_by_level(sites: pd.DataFrame) -> pd.DataFrame:
    """level (code), label, sites, names — the sites of the scope counted by level (in LEVEL_ORDER), with
    the institutions that hold them: «Муниципальный: 3 (СОШ № 2, СОШ № 4, СОШ № 15)». A chart of
    institutions each holding one site is five bars all equal to 1; this one says something."""
    rows = []
    for level in LEVEL_ORDER:
        part = sites[sites["level"] == level] if not sites.empty else sites
        if part.empty:
            continue
        names = sorted(set(part["short_name"].astype(str)))
        rows.append(
            {
                "level": level,
                "label": messages.level_label(level),
                "sites": float(part["sites"].sum()),
                # one string, a name a line: a list in a cell cannot be hashed by the figures' cache
                "names": "\n".join(names),
            }
        )
    return pd.DataFrame(rows, columns=["level", "label", "sites", "names"])


SITES_NAMED = 8  # institutions a level's sentence names


def sites_sentence(levels: pd.DataFrame) -> str:
    """«Всего 5 площадок: муниципальный уровень — 3 (МОБУ «СОШ № 15», …); региональный — 2 (…).»"""
    total = int(levels["sites"].sum()) if not levels.empty else 0
    parts = []
    for i, row in enumerate(levels.itertuples(index=False)):
        names = str(row.names).split("\n")
        shown = ", ".join(names[:SITES_NAMED]) + (
            f" и ещё {len(names) - SITES_NAMED}" if len(names) > SITES_NAMED else ""
        )
        level = str(row.label).lower() + (" уровень" if i == 0 else "")
        parts.append(f"{level} — {fmt.integer(row.sites)} ({shown})")
    word = fmt.plural(total, "площадка", "площадки", "площадок")
    return f"Всего {fmt.integer(total)} {word}: {'; '.join(parts)}."


def units_differ(site_rows: pd.DataFrame) -> bool:
    """Whether the institutions (municipalities) of sites_frame hold different numbers of sites: if every
    one holds the same number, a bar per institution is a row of equal bars and is not drawn."""
    if site_rows.empty:
        return False
    totals = site_rows.groupby("label")["sites"].sum()
    return bool(totals.nunique() > 1)


def binary_codes(series: pd.DataFrame, codes: Sequence[str]) -> list[str]:
    """The codes of `codes` that are yes/no for the one institution of `series`: shares whose every
    denominator is 1 («доля организаций со скоростью не ниже целевой» of one school is 0 or 100 %). A line
    of them jumps 0 → 100 → 0 % and says «доля организаций» of one institution: shown as words instead."""
    out = []
    for code in codes:
        rows = series[series["indicator_code"] == code]
        denominators = pd.to_numeric(rows["denominator"], errors="coerce").dropna()
        if not denominators.empty and bool((denominators <= 1).all()):
            out.append(code)
    return out


def yes_no_lines(series: pd.DataFrame, catalog: Catalog, codes: Sequence[str]) -> list[str]:
    """One sentence per yes/no indicator of one institution, by year: «Скорость Интернета не ниже целевой
    (…): нет — 2020/2021–2023/2024; да — 2024/2025.» The names lose «Доля организаций»: it is one school."""
    lines = []
    for code in codes:
        rows = series[series["indicator_code"] == code].dropna(subset=["value"]).sort_values("period")
        if rows.empty:
            continue
        runs: list[tuple[bool, list[str]]] = []
        for period, value in zip(rows["period"], rows["value"], strict=True):
            yes = float(value) > 0
            if runs and runs[-1][0] == yes:
                runs[-1][1].append(str(period))
            else:
                runs.append((yes, [str(period)]))
        parts = [
            f"{'да' if yes else 'нет'} — {periods[0]}" + (f"–{periods[-1]}" if len(periods) > 1 else "")
            for yes, periods in runs
        ]
        lines.append(f"{yes_no_name(str(catalog.info(code)['name_ru']))}: {'; '.join(parts)}.")
    return lines


def yes_no_name(name: str) -> str:
    """«Доля организаций, использующих электронный журнал…» → «Использует электронный журнал…»;
    «Доля организаций со скоростью…» → «Скорость…»; other names as they are."""
    for prefix, replacement in YES_NO_PREFIXES:
        if name.startswith(prefix):
            rest = name[len(prefix) :]
            return replacement + rest
    return name


YES_NO_PREFIXES = (
    ("Доля организаций, использующих ", "Использует "),
    ("Доля организаций, реализующих ", "Реализует "),
    ("Доля организаций, имеющих ", "Имеет "),
    ("Доля организаций со скоростью ", "Скорость "),
    ("Доля организаций с ", "Есть "),
)


def contests_frame(contests: pd.DataFrame, activity_type: str) -> pd.DataFrame:
    """level (label), measure, value — participants, winners and prize-winners by level."""
    part = contests[contests["activity_type"] == activity_type]
    rows = []
    for level in LEVEL_ORDER:
        lv = part[part["level"] == level]
        if lv.empty:
            continue
        for measure in messages.CONTEST_MEASURES:
            rows.append(
                {"level": messages.level_label(level), "measure": measure, "value": float(lv[measure].sum())}
            )
    return pd.DataFrame(rows, columns=["level", "measure", "value"])


def activity_ranking(activity: pd.DataFrame, *, by: str) -> Table:
    """Innovation records per 100 pedagogical workers and per 100 pupils, most active first."""
    data = activity.copy()
    if by == "municipality":
        numbers = data[["records", "staff", "students"]].apply(pd.to_numeric, errors="coerce")
        data = numbers.groupby(data["municipality"].to_numpy()).sum(min_count=1)
        data = data.rename_axis("municipality").reset_index()
        data["label"] = data["municipality"]
        first = {"label": "Муниципалитет"}
    else:
        data["label"] = data["short_name"]
        data["type_label"] = data["inst_type"].map(messages.inst_type_label)
        first = {"label": "Организация", "type_label": "Тип"}
    staff = pd.to_numeric(data["staff"], errors="coerce").astype("float64")
    pupils = pd.to_numeric(data["students"], errors="coerce").astype("float64")
    records = pd.to_numeric(data["records"], errors="coerce").astype("float64")
    data["per_staff"] = (records / staff.where(staff > 0)) * 100
    data["per_pupils"] = (records / pupils.where(pupils > 0)) * 100
    data["records_f"] = records
    data = data.sort_values(["per_staff", "per_pupils"], ascending=False, na_position="last")
    cols = {
        **first,
        "records_f": "Записей о деятельности, ед.",
        "per_staff": "На 100 педагогических работников, ед.",
        "per_pupils": "На 100 обучающихся, ед.",
    }
    frame = data[list(cols)].rename(columns=cols).reset_index(drop=True)
    units = {
        "Записей о деятельности, ед.": "ед.",
        "На 100 педагогических работников, ед.": "ед.",
        "На 100 обучающихся, ед.": "ед.",
    }
    missing = int(frame[list(units)].isna().sum().sum())
    return Table(frame=frame, units=units, missing=missing, pinned=[first["label"]])


# ----------------------------------------------------------------------------------------- catalogue page
def catalog_table(catalog: Catalog, query: str = "", area: str | None = None) -> pd.DataFrame:
    """The catalogue with Russian headers, filtered by a search text (name, code, formula, description)."""
    data = catalog.frame
    if area:
        data = data[data["area"] == area]
    q = query.strip().lower()
    if q:
        hay = (
            data["name_ru"].fillna("")
            + " "
            + data["indicator_code"].fillna("")
            + " "
            + data["formula_ru"].fillna("")
            + " "
            + data["description_ru"].fillna("")
        ).str.lower()
        data = data[hay.str.contains(q, regex=False)]
    return pd.DataFrame(
        {
            "Код": data["indicator_code"],
            "Показатель": data["name_ru"],
            "Раздел": data["area"].map(lambda a: area_names().get(a, a)),
            "Единица": data["unit"],
            "Направление": data["direction"].map(lambda d: messages.DIRECTIONS.get(d, d)),
            "Формула": data["formula_ru"],
            "Источник": data["source_ru"],
            "Цель": [
                fmt.value(t, u) if not fmt.is_missing(t) else ""
                for t, u in zip(data["target"], data["unit"], strict=True)
            ],
            "Описание": data["description_ru"],
        }
    ).reset_index(drop=True)


def min_scores_table(scores: pd.DataFrame) -> pd.DataFrame:
    """The ЕГЭ minimum scores for the catalogue page: subject (Russian name), the score, and the periods whose
    minimum differs («2025/2026 — 44»)."""
    return pd.DataFrame(
        {
            "Предмет": [str(n)[:1].upper() + str(n)[1:] for n in scores["name_ru"]],
            "Минимальный балл": [fmt.integer(int(v)) for v in scores["score"]],
            "Иной минимум в отдельные учебные годы": [
                "; ".join(f"{p} — {fmt.integer(v)}" for p, v in sorted(o.items())) or "—"
                for o in scores["overrides"]
            ],
        }
    )
