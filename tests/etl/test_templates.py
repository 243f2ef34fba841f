"""XLSX templates: one per dataset, the contract's headers, drop-down lists, formats and instructions."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from etl import contract as c
from etl.templates import INSTRUCTION_SHEET, LISTS_SHEET, choice_label, write_templates


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths = write_templates(tmp_path_factory.mktemp("templates"))
    return {name: path for name, path in zip(c.LOAD_ORDER, paths, strict=True)}


def _validations(ws: Worksheet) -> dict[str, openpyxl.worksheet.datavalidation.DataValidation]:
    """Column letter -> the validation covering its cells from row 2."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            assert cell_range.min_row == 2 and cell_range.max_row >= 1000
            found[get_column_letter(cell_range.min_col)] = dv
    return found


def _list_values(wb: openpyxl.Workbook, formula: str) -> list[str]:
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    sheet, ref = formula.split("!")
    assert sheet.strip("'") == LISTS_SHEET
    first, last = ref.replace("$", "").split(":")
    column = column_index_from_string(first.rstrip("0123456789"))
    rows = range(
        int(first.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) + 1
    )
    return [str(wb[LISTS_SHEET].cell(row=r, column=column).value) for r in rows]


def test_one_template_per_dataset(templates: dict[str, Path]) -> None:
    assert list(templates) == list(c.LOAD_ORDER)
    for name, path in templates.items():
        assert path.suffix == ".xlsx" and name in path.name and path.exists()


@pytest.mark.parametrize("name", c.LOAD_ORDER)
def test_data_sheet_first_with_contract_headers_and_no_data(templates: dict[str, Path], name: str) -> None:
    dataset = c.DATASETS[name]
    wb = openpyxl.load_workbook(templates[name])
    ws = wb.worksheets[0]
    assert ws.title == name
    assert [cell.value for cell in ws[1]] == [col.header_ru for col in dataset.columns]
    assert all(cell.font.bold for cell in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 1  # no example row: it would be loaded as data
    for idx in range(1, len(dataset.columns) + 1):
        assert ws.column_dimensions[get_column_letter(idx)].width >= 12
    assert wb.sheetnames == [name, INSTRUCTION_SHEET, LISTS_SHEET]
    assert wb[LISTS_SHEET].sheet_state == "hidden"


@pytest.mark.parametrize("name", c.LOAD_ORDER)
def test_drop_downs_for_every_enumerated_and_yes_no_column(templates: dict[str, Path], name: str) -> None:
    dataset = c.DATASETS[name]
    wb = openpyxl.load_workbook(templates[name])
    ws = wb.worksheets[0]
    validations = _validations(ws)
    for idx, col in enumerate(dataset.columns, start=1):
        letter = get_column_letter(idx)
        dv = validations.get(letter)
        if col.kind == c.ENUM:
            assert dv is not None and dv.type == "list", col.name
            assert _list_values(wb, dv.formula1) == [choice_label(col.labels, code) for code in col.labels]
        elif col.kind == c.BOOL:
            assert dv is not None and dv.type == "list", col.name
            assert _list_values(wb, dv.formula1) == ["да", "нет"]
        elif col.kind == c.DATE:
            assert dv is not None and dv.type == "date", col.name
            assert ws.column_dimensions[letter].number_format == "DD.MM.YYYY"
        elif col.kind in (c.INT, c.NUMBER):
            assert dv is not None and dv.type in ("whole", "decimal"), col.name
        elif col.kind == c.TEXT:
            assert dv is None and ws.column_dimensions[letter].number_format == "@", col.name


def test_staff_lists_show_russian_labels(templates: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(templates["staff"])
    ws = wb.worksheets[0]
    validations = _validations(ws)
    names = c.STAFF.column_names
    position = validations[get_column_letter(names.index("position") + 1)]
    assert "учитель" in _list_values(wb, position.formula1)
    gender = validations[get_column_letter(names.index("gender") + 1)]
    assert _list_values(wb, gender.formula1) == ["М", "Ж"]
    category = validations[get_column_letter(names.index("category") + 1)]
    assert _list_values(wb, category.formula1)[:2] == ["высшая", "первая"]


@pytest.mark.parametrize("name", c.LOAD_ORDER)
def test_instructions_explain_every_column(templates: dict[str, Path], name: str) -> None:
    dataset = c.DATASETS[name]
    ws = openpyxl.load_workbook(templates[name])[INSTRUCTION_SHEET]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(rows) if r[:2] == ["№", "Заголовок столбца"])
    table = rows[header_at + 1 :]
    assert [r[1] for r in table] == [col.header_ru for col in dataset.columns]
    for row, col in zip(table, dataset.columns, strict=True):
        assert row[2] == ("да" if col.required else "нет")
        assert row[5] and row[6], col.name  # a rule and an example for every column
        if col.kind == c.ENUM:
            assert all(choice_label(col.labels, code) in row[4] for code in col.labels)
    notes = " ".join(str(r[0]) for r in rows[:header_at] if r and r[0])
    assert "ДД.ММ.ГГГГ" in notes
    assert ("152-ФЗ" in notes) == any(col.personal for col in dataset.columns)


def test_templates_are_reproducible(tmp_path: Path, templates: dict[str, Path]) -> None:
    again = write_templates(tmp_path)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in templates.values()]
