"""reports/xlsx_builder.py: formula-safe texts, one number format per column, unique sheet names."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pandas as pd

from reports import xlsx_builder as xb


def test_texts_never_become_formulas_and_numbers_stay_numbers() -> None:
    frame = pd.DataFrame(
        {
            "ФИО": ['=HYPERLINK("http://x")', "  +1", "Иванова\x07 Анна"],
            "Человек": [-5, 12, 1234],
            "Доля, %": [1.0, 2.5, 3.0],
            "Срок": [dt.date(2025, 3, 15), None, pd.Timestamp("2025-01-10")],
        }
    )
    data = xb.workbook_bytes(
        [xb.Sheet("Лист: один?", frame, title="=Заголовок", units={"Доля, %": "%"}, dates=("Срок",))]
    )
    ws = openpyxl.load_workbook(io.BytesIO(data))["Лист один"]
    assert ws["A1"].value == "'=Заголовок"
    assert [ws.cell(row=r, column=1).value for r in (4, 5, 6)] == [
        '\'=HYPERLINK("http://x")',
        "'  +1",
        "Иванова Анна",
    ]
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in (4, 5, 6))
    assert ws["B4"].value == -5 and ws["B4"].number_format == "#,##0"
    assert ws["C5"].value == 2.5 and ws["C4"].number_format == "#,##0.0"  # a share keeps one decimal
    assert ws["D4"].value == dt.datetime(2025, 3, 15) and ws["D4"].number_format == "DD.MM.YYYY"
    assert ws["D5"].value is None
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref == "A3:D6"


def test_sheet_names_are_unique_and_clean() -> None:
    frame = pd.DataFrame({"a": [1]})
    data = xb.workbook_bytes(
        [xb.Sheet("Список  людей", frame), xb.Sheet("список людей", frame), xb.Sheet("", frame)]
    )
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == [
        "Список людей",
        "список людей (2)",
        "Данные",
    ]
