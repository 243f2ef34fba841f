"""Excel downloads of the dashboards' tables: Russian headers, numbers as numbers, dates as dates.

One sheet per table, written by the documents' workbook writer (reports/xlsx_builder.py) so that a table
downloaded from a page and the same table in a plan or the note's appendix look and behave alike. Every text
cell is formula-safe (OWASP, «CSV injection»): a text that a spreadsheet would take for a formula — beginning
with `=`, `+`, `-`, `@`, a tab or a line break, also after leading spaces — is written with an apostrophe in
front and stored as text, so `=HYPERLINK("http://…")` from a file never becomes a live formula, here or when
the workbook is saved again as CSV. Numbers (a real −5) stay numbers; only strings are touched.
"""

from __future__ import annotations

import re

import pandas as pd

from reports import xlsx_builder as xb

XLSX_MIME = xb.XLSX_MIME
neutralise = xb.neutralise
number_format = xb.number_format
sheet_name = xb.sheet_name


def excel_bytes(
    frame: pd.DataFrame,
    *,
    sheet: str = "Данные",
    title: str | None = None,
    units: dict[str, str] | None = None,
    dates: list[str] | None = None,
) -> bytes:
    """One sheet: an optional title line, the Russian headers, the rows. Missing values stay empty cells;
    a frozen header, an autofilter, one number format per column (`#,##0` or `#,##0.0`)."""
    return xb.workbook_bytes([xb.Sheet(sheet, frame, title=title, units=units or {}, dates=dates or ())])


def file_name(stem: str, period: str | None = None) -> str:
    """`kadry_2024-2025.xlsx`: safe for every file system."""
    safe = re.sub(r"[^0-9A-Za-zА-Яа-яЁё_-]+", "_", stem).strip("_") or "table"
    if period:
        safe += "_" + period.replace("/", "-")
    return safe + ".xlsx"
