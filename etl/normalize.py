"""Turning a table of strings into typed values, vectorised.

Enumerated columns map Russian labels and codes (any case) to codes; an unknown value is kept as written, so
that the expectation suite reports it against the allowed set. Values that cannot be parsed at all (a date
that is not a date, «может быть» in a yes/no column) become missing and are reported here as `format_*`
issues. Derived numeric columns (age at the reporting date, days between a date and the reporting date)
are added for the suites, since GX compares numbers faster and more reliably than dates.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from etl import results
from etl.contract import BOOL, DATASETS, DATE, ENUM, INT, NUMBER, PERIOD, TEXT
from etl.readers import RawTable
from warehouse.settings import DEFAULTS

TRUE_WORDS = {"да", "true", "1", "+", "yes", "истина", "д", "y", "1.0"}
FALSE_WORDS = {"нет", "false", "0", "-", "no", "ложь", "н", "n", "0.0"}
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
SERIAL_MIN, SERIAL_MAX = 10000, 80000
BARE_YEAR = r"^\s*(?:19|20)\d{2}(?:\s*(?:г\.?|год))?\s*$"


@dataclass
class ParseIssue:
    """One unparseable cell: index into the table, canonical column, rule code."""

    index: np.ndarray
    column: str
    rule: str


def per_unique(series: pd.Series, func: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """Apply a vectorised parser to the distinct values only and spread the result back.

    A column of a million rows holds a few hundred distinct labels or a few thousand distinct dates:
    parsing those once is what makes the normaliser fast at country scale.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if len(uniques) == len(series):
        return func(series)
    parsed = func(pd.Series(uniques, dtype=series.dtype)).reset_index(drop=True)
    if (codes < 0).any():
        parsed = pd.concat([parsed, pd.Series([None], dtype=parsed.dtype)], ignore_index=True)
        codes = np.where(codes < 0, len(parsed) - 1, codes)
    result = parsed.take(codes)
    result.index = series.index
    return result


def _fold(series: pd.Series) -> pd.Series:
    return (
        series.str.lower()
        .str.replace("ё", "е", regex=False)
        .str.replace("\u00a0", " ", regex=False)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )


def _enum(series: pd.Series, labels: dict[str, tuple[str, ...]]) -> pd.Series:
    lookup: dict[str, str] = {}
    for code, names in labels.items():
        lookup[code.lower().replace("ё", "е")] = code
        for name in names:
            lookup[name.lower().replace("ё", "е")] = code
    folded = _fold(series)
    # "(высшая)" or "высшая (highest)" style: take the text in brackets when the whole is unknown
    mapped = folded.map(lookup)
    bracket = folded.str.extract(r"\(([^)]*)\)", expand=False).str.strip().map(lookup)
    mapped = mapped.fillna(bracket)
    result = mapped.where(mapped.notna(), series)
    return result.where(series != "", None).astype("str")


# thousands separators: the space, the no-break space and its thin and narrow kin (Excel and Word use them)
THOUSANDS_SEPARATORS = " \u00a0\u2009\u202f\u2007"


def _number(series: pd.Series) -> pd.Series:
    cleaned = series.str.replace(f"[{THOUSANDS_SEPARATORS}]", "", regex=True).str.replace(
        ",", ".", regex=False
    )
    return pd.to_numeric(cleaned.where(cleaned != ""), errors="coerce")


def _dates(series: pd.Series) -> pd.Series:
    text = series.where(series != "")
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    for fmt in ("%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M:%S"):
        missing = parsed.isna() & text.notna()
        if not missing.any():
            break
        parsed = parsed.where(~missing, pd.to_datetime(text.where(missing), format=fmt, errors="coerce"))
    # Excel serial numbers that arrived as text (e.g. a date column formatted as number). A serial is plausible
    # from 10000 (1927) to 80000 (2119): a four-digit number is a year, never a date (bare_years says so)
    missing = parsed.isna() & text.notna()
    if missing.any():
        serial = pd.to_numeric(text.where(missing), errors="coerce")
        plausible = serial.between(SERIAL_MIN, SERIAL_MAX)
        parsed = parsed.where(
            ~(missing & plausible), EXCEL_EPOCH + pd.to_timedelta(serial.where(plausible), unit="D")
        )
    return parsed.astype("datetime64[us]").dt.normalize()


PERIOD_PATTERN = re.compile(r"^\s*(\d{4})\s*[/\-–—]\s*(\d{2}|\d{4})\s*(?:уч\.?\s*г(?:од|\.)?)?\s*$")


def normalize_period_text(value: str) -> str | None:
    """`2024/2025`, `2024-2025`, `2024/25` → `2024/2025`; None when it is not a school year."""
    match = PERIOD_PATTERN.match(value)
    if not match:
        return None
    first = int(match.group(1))
    second_raw = match.group(2)
    second = int(second_raw) if len(second_raw) == 4 else (first // 100) * 100 + int(second_raw)
    if len(second_raw) == 2 and second < first:
        second += 100
    if second != first + 1 or not 1990 <= first <= 2100:
        return None
    return f"{first}/{second}"


def _periods(series: pd.Series) -> pd.Series:
    return series.map(lambda v: normalize_period_text(v) if v else None).astype("str")


def _bools(series: pd.Series) -> pd.Series:
    folded = _fold(series)
    values = pd.Series(pd.NA, index=series.index, dtype="boolean")
    values[folded.isin(TRUE_WORDS)] = True
    values[folded.isin(FALSE_WORDS)] = False
    return values


def _full_years(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """Full years from `earlier` to `later` (birthday-based; a 29 February birthday comes on 1 March)."""
    years = later.dt.year - earlier.dt.year
    before_birthday = (later.dt.month < earlier.dt.month) | (
        (later.dt.month == earlier.dt.month) & (later.dt.day < earlier.dt.day)
    )
    return (years - before_birthday.astype("Int64")).astype("Float64")


def reporting_dates(periods: pd.Series, settings: dict[str, str] | None = None) -> pd.Series:
    month, day = (int(x) for x in (settings or DEFAULTS)["report_month_day"].split("-"))

    def dates(values: pd.Series) -> pd.Series:
        first_year = pd.to_numeric(values.str.slice(0, 4), errors="coerce")
        return pd.to_datetime(
            pd.DataFrame({"year": first_year, "month": month, "day": day}), errors="coerce"
        ).astype("datetime64[us]")

    return per_unique(periods, dates)  # a million rows hold one or two periods


def normalize(raw: RawTable, settings: dict[str, str] | None = None) -> tuple[pd.DataFrame, list[ParseIssue]]:
    """Typed frame with the dataset's canonical columns (plus `_`-prefixed derived ones) and parse issues."""
    settings = settings or DEFAULTS
    ds = DATASETS[raw.dataset]
    src = raw.frame
    out = pd.DataFrame(index=src.index)
    issues: list[ParseIssue] = []

    def report(mask: pd.Series, column: str, rule: str) -> None:
        if mask.any():
            issues.append(ParseIssue(np.flatnonzero(mask.to_numpy()), column, rule))

    for col in ds.columns:
        s = src[col.name]
        if col.kind == TEXT:
            out[col.name] = s.where(s != "", None).astype("str")
        elif col.kind == ENUM:
            out[col.name] = per_unique(s, functools.partial(_enum, labels=col.labels))
        elif col.kind == PERIOD:
            values = per_unique(s, _periods)
            report(values.isna() & (s != ""), col.name, "format_period")
            out[col.name] = values
        elif col.kind == DATE:
            values = per_unique(s, _dates)
            unparsed = values.isna() & (s != "")
            # «2019» is a year: the message asks for the full date (not «not a date», not an age)
            year = unparsed & s.str.match(BARE_YEAR) if unparsed.any() else unparsed
            report(year, col.name, "format_date_year")
            report(unparsed & ~year, col.name, "format_date")
            out[col.name] = values
        elif col.kind == BOOL:
            values = per_unique(s, _bools)
            report(values.isna() & (s != ""), col.name, "format_bool")
            out[col.name] = values
        elif col.kind in (INT, NUMBER):
            values = per_unique(s, _number)
            bad = values.isna() & (s != "")
            if col.kind == INT:
                fractional = values.notna() & (values != np.floor(values.fillna(0)))
                report(bad | fractional, col.name, "format_integer")
                values = values.where(~fractional)
                out[col.name] = values.astype("Int64")
            else:
                report(bad, col.name, "format_number")
                out[col.name] = values.astype("Float64")
        else:  # pragma: no cover - the contract has no other kinds
            raise ValueError(col.kind)

    if ds.name == "institutions":
        out["short_name"] = out["short_name"].fillna(out["name"])
    if "period" in out.columns:
        report_date = reporting_dates(out["period"].fillna(""), settings)
        out["_report_date"] = report_date
    if ds.name == "staff":
        _derive_staff(out, settings)
    if ds.name == "innovation":
        out["participants"] = out["participants"].fillna(1)
    results.derive(ds.name, out)
    return out, issues


def _days_before_report(out: pd.DataFrame, column: str) -> pd.Series:
    return (out["_report_date"] - out[column]).dt.days.astype("Float64")


def _derive_staff(out: pd.DataFrame, settings: dict[str, str]) -> None:
    age = _full_years(out["_report_date"], out["birth_date"])
    out["_age"] = age
    out["_max_ped_experience"] = age - 14
    out["_category_date_days_before_report"] = _days_before_report(out, "category_date")
    out["_training_days_before_report"] = _days_before_report(out, "last_training_date")
    out["_training_year"] = out["last_training_date"].dt.year.astype("Float64")
    # the category's validity when the file does not give it (data contract, "Category validity")
    given = out["category_valid_until"].notna()
    term = int(settings["category_term_years"])
    cutoff = pd.Timestamp(settings["indefinite_category_from"])
    termed = out["category"].isin(["highest", "first"]) & (out["category_date"] < cutoff)
    derived = (out["category_date"] + pd.DateOffset(years=term)).where(termed)
    out["category_valid_until"] = out["category_valid_until"].where(given, derived)
    out["category_valid_until_given"] = given
