"""Excel downloads of the dashboards' tables: Russian headers, numbers as numbers, dates as dates.

Every text cell is formula-safe (OWASP, «CSV injection»): a text that a spreadsheet would take for a formula —
beginning with `=`, `+`, `-`, `@`, a tab or a line break, also after leading spaces — is written with an
apostrophe in front and stored as text, so `=HYPERLINK("http://…")` from a file never becomes a live formula,
here or when the workbook is saved again as CSV. Numbers (a real −5) stay numbers; only strings are touched.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ru import fmt

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(text: str) -> str:
    """`'=1+1` for `=1+1`: a text cell that no spreadsheet evaluates."""
    if text.startswith(FORMULA_START) or text.lstrip(" \u00a0").startswith(FORMULA_START):
        return "'" + text
    return text


def _text_cell(cell: Any, text: str) -> None:
    """Put a string into a cell as a string (openpyxl would store a text beginning with `=` as a formula)."""
    # control characters are not allowed in a workbook (openpyxl refuses them): a hostile value loses them
    cell.value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))
    cell.data_type = "s"


def _excel_value(value: object) -> object:
    if fmt.is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()  # type: ignore[union-attr]
    return value


def excel_bytes(
    frame: pd.DataFrame,
    *,
    sheet: str = "Данные",
    title: str | None = None,
    units: dict[str, str] | None = None,
    dates: list[str] | None = None,
) -> bytes:
    """One sheet: an optional title line, the Russian headers, the rows. Missing values stay empty cells."""
    units = units or {}
    dates = dates or []
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name(sheet)
    row0 = 1
    if title:
        title_cell = ws.cell(row=1, column=1)
        _text_cell(title_cell, title)
        title_cell.font = Font(bold=True, size=12)
        row0 = 3
    for j, col in enumerate(frame.columns, start=1):
        cell = ws.cell(row=row0, column=j)
        _text_cell(cell, str(col))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats: dict[int, str] = {}
    for j, col in enumerate(frame.columns, start=1):
        if col in dates:
            formats[j] = "DD.MM.YYYY"
        elif col in units or _numeric(frame[col]):
            formats[j] = number_format(frame[col], units.get(col))
    for i, row in enumerate(frame.itertuples(index=False), start=row0 + 1):
        for j, value in enumerate(row, start=1):
            v = _excel_value(value)
            if isinstance(v, dt.datetime) and j in formats and formats[j] == "DD.MM.YYYY":
                v = v.date()
            if isinstance(v, str):
                cell = ws.cell(row=i, column=j)
                _text_cell(cell, v)
            else:
                cell = ws.cell(row=i, column=j, value=v)
            if j in formats and v is not None:
                cell.number_format = formats[j]
    for j, col in enumerate(frame.columns, start=1):
        width = min(60, max(10, len(str(col)) // 2 + 4))
        sample = frame[col].head(200)
        if sample.dtype == object or str(sample.dtype) in ("str", "string"):
            width = min(60, max(width, *(len(str(x)) + 2 for x in sample if not fmt.is_missing(x)), 10))
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = ws.cell(row=row0 + 1, column=1)
    if len(frame.columns):
        # a filter on the header row over every row, as a table in Excel is used
        last = get_column_letter(len(frame.columns))
        ws.auto_filter.ref = f"A{row0}:{last}{row0 + max(len(frame), 1)}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sheet_name(text: str) -> str:
    """A sheet name Excel accepts and a person reads: no `[]:*?/\\`, no runs of spaces, at most 31 characters,
    not starting or ending with an apostrophe or a dash cut off from what followed it."""
    clean = " ".join(_SHEET_BAD.sub(" ", text).split())
    return clean[:31].strip("' —–-") or "Данные"


def _numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def number_format(column: pd.Series, unit: str | None) -> str:
    """One Excel format for a column: `#,##0` for whole counts (never `#,##0.##`, which Excel shows as
    «770,»), `#,##0.0` for shares, averages and any column with a fraction (fmt.column_decimals)."""
    return "#,##0" if fmt.column_decimals(column, unit) == 0 else "#,##0.0"


def file_name(stem: str, period: str | None = None) -> str:
    """`kadry_2024-2025.xlsx`: safe for every file system."""
    safe = re.sub(r"[^0-9A-Za-zА-Яа-яЁё_-]+", "_", stem).strip("_") or "table"
    if period:
        safe += "_" + period.replace("/", "-")
    return safe + ".xlsx"
