"""Russian number and date formats for everything the dashboards print.

`1 234,5`, `36,4 %`, `20.09.2024`: a decimal comma, a non-breaking space between thousands and before a
unit, a true minus sign (−) — the same shapes as the warehouse's `staging.ru_*` macros, so that a number
reads the same on a page, in an export and in a note. A missing value is printed as «—», never as 0.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "—"


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value: Any, decimals: int = 1) -> str:
    """`1 234,5`; «—» for a missing value."""
    if is_missing(value):
        return MISSING
    x = float(value)
    if math.isinf(x):
        return MISSING
    # half away from zero, as in reports and DuckDB's round() (Python's format rounds 41.25 to 41.2)
    rounded = Decimal(repr(abs(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    # −0,0 would read as a change; a value that rounds to zero has no sign
    if x < 0 and any(ch not in "0,\u00a0" for ch in text):
        return MINUS + text
    return text


def integer(value: Any) -> str:
    return number(value, 0)


def percent(value: Any, decimals: int = 1) -> str:
    """`36,4 %` (the value is already × 100)."""
    if is_missing(value):
        return MISSING
    return f"{number(value, decimals)}{NBSP}%"


def _is_whole(value: Any) -> bool:
    return not is_missing(value) and float(value).is_integer()


def unit_suffix(unit: str | None, decimals: int = 0) -> str:
    """What follows a number of this unit: ` %`, ` чел.`; nothing for points of an index. A decimal fraction
    of years takes the genitive singular: «45,1 года», never «45,1 лет»."""
    if not unit or unit.startswith("балл"):
        return ""
    if unit == "лет" and decimals > 0:
        return f"{NBSP}года"
    return f"{NBSP}{unit}"


def decimals_for(value: Any, unit: str | None) -> int:
    """Shares and averages keep one decimal; whole counts are printed as integers."""
    if unit == "%":
        return 1
    if unit in ("чел.", "ед.") and _is_whole(value):
        return 0
    return 1


def column_decimals(values: Any, unit: str | None) -> int:
    """One number of decimals for a whole column (a table never mixes «0», «30» and «2,1»): 0 when every
    value is a whole count (чел., ед., or no unit), else 1; shares, ages and index points keep one."""
    if unit is not None and unit not in ("чел.", "ед."):
        return 1
    present = [v for v in values if not is_missing(v)]
    return 0 if all(_is_whole(v) for v in present) else 1


def value(x: Any, unit: str | None) -> str:
    """An indicator value with its unit: `36,4 %`, `912 чел.`, `12,3 ед.`, `67,5` (index)."""
    if is_missing(x):
        return MISSING
    decimals = decimals_for(x, unit)
    return number(x, decimals) + unit_suffix(unit, decimals)


def signed(x: Any, decimals: int = 1) -> str:
    """`+1,2`, `−0,4`, `0,0`."""
    if is_missing(x):
        return MISSING
    text = number(x, decimals)
    if text.startswith(MINUS) or float(x) == 0 or text.strip("0,\u00a0") == "":
        return text.lstrip(MINUS) if text.strip(MINUS + "0,\u00a0") == "" else text
    return "+" + text


def delta(current: Any, previous: Any, unit: str | None) -> str | None:
    """The change against the previous period: `+1,2 п.п.` for shares, `+3 чел.` for counts; None if either
    value is missing."""
    if is_missing(current) or is_missing(previous):
        return None
    change = float(current) - float(previous)
    if unit == "%":
        return f"{signed(change, 1)}{NBSP}п.п."
    decimals = 0 if _is_whole(current) and _is_whole(previous) and unit in ("чел.", "ед.") else 1
    return signed(change, decimals) + unit_suffix(unit, decimals)


def date(value: Any) -> str:
    """`20.09.2024`; «—» for a missing date."""
    if is_missing(value):
        return MISSING
    if isinstance(value, str):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        value = value.date()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def period(value: str) -> str:
    """`2024/2025 уч. г.`"""
    return f"{value} уч.{NBSP}г."


def plural(n: int, one: str, few: str, many: str) -> str:
    """Russian plural: 1 организация, 2 организации, 5 организаций."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
