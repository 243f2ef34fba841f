"""Workbooks of several sheets for the documents the system writes (the plans), in the manner of the
dashboards' Excel downloads (ui/views/export.py, one sheet, which calls this module): Russian headers in bold, numbers as numbers with
one format per column (`#,##0` for whole counts, `#,##0.0` otherwise — ru/fmt.column_decimals), dates as
dates (`DD.MM.YYYY`), missing values as empty cells, a frozen header row and an autofilter over every table.

    from reports import xlsx_builder as xb

    data = xb.workbook_bytes([xb.Sheet("План-график КПК", frame, title="…", dates=("Срок",)), …])

Every text cell is formula-safe (OWASP, «CSV injection»), as in the dashboards' downloads: a text that a
spreadsheet would take for a formula — beginning with `=`, `+`, `-`, `@`, a tab or a line break, also after
leading spaces — is written with an apostrophe in front and stored as text. The dashboards' one-sheet
downloads (ui/views/export.py) are written by this module too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ru import fmt

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_WIDTH = 60
BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=12)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True, eq=False)
class Sheet:
    """One table on its own sheet: `name` (cleaned by sheet_name), an optional bold title line above the
    header, the units of numeric columns (a unit such as «%» keeps one decimal) and the date columns."""

    name: str
    frame: pd.DataFrame
    title: str | None = None
    units: Mapping[str, str] = field(default_factory=dict)
    dates: Sequence[str] = ()
    bold_last_row: bool = False


def neutralise(text: str) -> str:
    """`'=1+1` for `=1+1`: a text cell that no spreadsheet evaluates."""
    if text.startswith(FORMULA_START) or text.lstrip(" \u00a0").startswith(FORMULA_START):
        return "'" + text
    return text


def sheet_name(text: str) -> str:
    """A sheet name Excel accepts and a person reads: no `[]:*?/\\`, no runs of spaces, at most 31 characters,
    not starting or ending with an apostrophe or a dash cut off from what followed it."""
    clean = " ".join(_SHEET_BAD.sub(" ", text).split())
    return clean[:31].strip("' —–-") or "Данные"


def number_format(column: pd.Series, unit: str | None) -> str:
    """`#,##0` for whole counts, `#,##0.0` for shares, averages and any column with a fraction."""
    return "#,##0" if fmt.column_decimals(column, unit) == 0 else "#,##0.0"


def _numeric(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def _excel_value(value: object) -> object:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if fmt.is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()  # type: ignore[union-attr]
    return value


def _clean(text: str) -> str:
    """A text as a text cell: control characters dropped (a workbook may not hold them), formula-safe."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("", text))


def _unique_names(names: Sequence[str]) -> list[str]:
    """Sheet names as sheet_name makes them, unique regardless of case (Excel's rule): «Имя (2)» for a repeat."""
    seen: set[str] = set()
    out = []
    for name in names:
        base = sheet_name(name)
        candidate, n = base, 1
        while candidate.lower() in seen:
            n += 1
            suffix = f" ({n})"
            candidate = base[: 31 - len(suffix)].rstrip() + suffix
        seen.add(candidate.lower())
        out.append(candidate)
    return out


def _column_width(frame: pd.DataFrame, col: Any) -> float:
    width = min(MAX_WIDTH, max(10, len(str(col)) // 2 + 4))
    texts = [len(x) + 2 for x in (_excel_value(v) for v in frame[col].head(200)) if isinstance(x, str)]
    return min(MAX_WIDTH, max(width, *texts)) if texts else width


def _fill(wb: Workbook, name: str, sheet: Sheet) -> None:
    """One sheet, streamed (openpyxl's write-only mode: a region's named list is some 100,000 cells)."""
    ws = wb.create_sheet(title=name)
    frame = sheet.frame
    units = dict(sheet.units)
    dates = set(sheet.dates)
    columns = [str(c) for c in frame.columns]
    row0 = 3 if sheet.title else 1
    formats: dict[int, str] = {}
    for j, col in enumerate(frame.columns):
        if str(col) in dates:
            formats[j] = DATE_FORMAT
        elif str(col) in units or _numeric(frame[col]):
            formats[j] = number_format(frame[col], units.get(str(col)))
    for j, col in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = _column_width(frame, col)
    ws.freeze_panes = f"A{row0 + 1}"
    last = len(frame)
    if columns:
        # a filter on the header row over every row, as a table in Excel is used
        ws.auto_filter.ref = f"A{row0}:{get_column_letter(len(columns))}{row0 + max(last, 1)}"

    def text(value: str, font: Font | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=_clean(value))
        if font is not None:
            cell.font = font
        return cell

    if sheet.title:
        ws.append([text(sheet.title, TITLE_FONT)])
        ws.append([])
    header = []
    for col in columns:
        cell = text(col, BOLD)
        cell.alignment = HEADER_ALIGNMENT
        header.append(cell)
    ws.append(header)
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        bold = sheet.bold_last_row and i == last
        cells: list[Any] = []
        for j, value in enumerate(row):
            v = _excel_value(value)
            if isinstance(v, dt.datetime) and formats.get(j) == DATE_FORMAT:
                v = v.date()
            if isinstance(v, str):
                # a cleaned text never starts with «=», so openpyxl keeps it a text without a styled cell
                cells.append(text(v, BOLD) if bold else _clean(v))
            elif v is not None and (j in formats or bold):
                cell = WriteOnlyCell(ws, value=v)
                if j in formats:
                    cell.number_format = formats[j]
                if bold:
                    cell.font = BOLD
                cells.append(cell)
            else:
                cells.append(v)
        ws.append(cells)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one sheet per `Sheet`, in order (an empty table keeps its header row)."""
    wb = Workbook(write_only=True)
    for sheet, name in zip(sheets, _unique_names([s.name for s in sheets]), strict=True):
        _fill(wb, name, sheet)
    if not sheets:
        wb.create_sheet(title="Данные")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
