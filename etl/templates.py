"""XLSX templates that institutions fill in, one per dataset, built from the data contract.

Each template has three sheets:

1. the data sheet (first, so the loader reads it; named after the dataset): the Russian headers in row 1
   (bold, frozen, wide enough to read), drop-down lists for every enumerated and yes/no column, date
   validation and the `ДД.ММ.ГГГГ` format on date columns, text format on text columns (so a табельный
   номер `00123` keeps its zeros);
2. «Инструкция»: how to fill the file in, and for every column its header, whether it is required, the type,
   the allowed values, the rules and an example. Examples live here, never in the data sheet, where they
   would be loaded as data;
3. «Списки» (hidden): the values behind the drop-down lists (an Excel list written inline may not hold
   more than 255 characters, nor a comma inside a value).

Headers and labels come from `etl.contract`; the Russian explanations from `etl/template_notes.yaml`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from etl import contract as c

# rows of the data sheet that carry the validations and formats
TEMPLATE_ROWS = 5000
INSTRUCTION_SHEET = "Инструкция"
LISTS_SHEET = "Списки"
YES, NO = "да", "нет"
DATE_FORMAT = "DD.MM.YYYY"
# a fixed timestamp for the files' metadata, so that the same content gives the same bytes
FIXED_TIMESTAMP = dt.datetime(2024, 9, 20, 0, 0, 0)

KIND_RU = {
    c.TEXT: "текст",
    c.ENUM: "значение из списка",
    c.DATE: "дата ДД.ММ.ГГГГ",
    c.BOOL: "да / нет",
    c.INT: "целое число",
    c.NUMBER: "число (дробная часть — через запятую)",
    c.PERIOD: "учебный год ГГГГ/ГГГГ",
}

# the Russian explanations per dataset: what a row is, what a resubmission replaces, every column's rule
# and example (data, beside this module)
NOTES_YAML = Path(__file__).resolve().parent / "template_notes.yaml"
with open(NOTES_YAML, encoding="utf-8") as _f:
    _NOTES = yaml.safe_load(_f)
ROW_MEANING_RU: dict[str, str] = {name: notes["row_meaning"] for name, notes in _NOTES.items()}
# what a resubmission replaces, where it is not the institution's whole period (data contract)
REPLACE_UNIT_NOTES_RU: dict[str, str] = {
    name: notes["replace_note"] for name, notes in _NOTES.items() if "replace_note" in notes
}
RESULTS_NO_NAMES_NOTE_RU = (
    "Участники указываются только кодом участника, без фамилий: столбец с ФИО, если он есть в файле, "
    "не загружается."
)
# (rules, example) for every column, in Russian; the allowed values of lists come from the contract
COLUMN_NOTES_RU: dict[str, dict[str, tuple[str, str]]] = {
    name: {col: (note["rule"], note["example"]) for col, note in notes["columns"].items()}
    for name, notes in _NOTES.items()
}

GENERAL_NOTES_RU = (
    "Заполняйте первый лист: {row_meaning}. Не изменяйте заголовки в первой строке; порядок столбцов "
    "можно менять, лишние столбцы не загружаются.",
    "Значения столбцов со списком выбирайте в раскрывающемся списке ячейки.",
    "Даты — в формате ДД.ММ.ГГГГ (например, 20.09.2024). Учебный год — в формате ГГГГ/ГГГГ "
    "(например, 2024/2025). Да/нет — словами «да» или «нет». Дробные числа — через запятую (12,5).",
    "Возраст, стаж и сроки считаются на дату среза — 20 сентября первого года учебного года.",
    "Строка, в которой не заполнен обязательный столбец или нарушено правило, не загружается: она попадает "
    "в карантин с объяснением, остальные строки файла загружаются.",
    "Сохраняйте файл в формате XLSX (или CSV в кодировке UTF-8 либо Windows-1251 с разделителем «;»).",
)
REPLACE_NOTE_RU = (
    "Повторная отправка файла за тот же учебный год заменяет ранее загруженные сведения организации — "
    "так исправляются ошибки."
)
UPSERT_NOTE_RU = "Повторная отправка строки с тем же кодом организации обновляет её сведения."
PERSONAL_NOTE_RU = (
    "Файл содержит персональные данные (152-ФЗ): передавайте его только по защищённым каналам связи."
)
INSTRUCTION_HEADER_RU = (
    "№",
    "Заголовок столбца",
    "Обязательный",
    "Тип значения",
    "Допустимые значения",
    "Правила заполнения",
    "Пример",
)
LIST_ERROR_RU = "Выберите значение из раскрывающегося списка."
DATE_ERROR_RU = "Введите дату в формате ДД.ММ.ГГГГ."
NUMBER_ERROR_RU = "Введите неотрицательное число."
WHOLE_ERROR_RU = "Введите целое неотрицательное число."

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def choice_label(labels: dict[str, tuple[str, ...]], code: str) -> str:
    """The value shown in lists and demo files for an enumerated code.

    The Russian label, except where the code itself is already Russian (the gender codes М and Ж).
    """
    return code if not code.isascii() else c.label_ru(labels, code)


def template_path(out_dir: Path, dataset: str) -> Path:
    return out_dir / f"шаблон_{dataset}.xlsx"


def periods_for_lists(today: dt.date | None = None) -> list[str]:
    """Recent and next school years, for the drop-down of the period column."""
    year = (today or dt.date.today()).year
    return [f"{y}/{y + 1}" for y in range(year - 6, year + 3)]


def write_templates(out_dir: Path) -> list[Path]:
    """Write one XLSX template per dataset, in load order; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in c.LOAD_ORDER:
        path = template_path(out_dir, name)
        save_reproducibly(build_template(c.DATASETS[name]), path)
        paths.append(path)
    return paths


def build_template(dataset: c.Dataset) -> Workbook:
    wb = Workbook()
    data = wb.active
    assert isinstance(data, Worksheet)
    data.title = dataset.name
    instructions = wb.create_sheet(INSTRUCTION_SHEET)
    lists = wb.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    _fill_data_sheet(data, lists, dataset)
    _fill_instructions(instructions, dataset)
    return wb


def _fill_data_sheet(ws: Worksheet, lists: Worksheet, dataset: c.Dataset) -> None:
    last = TEMPLATE_ROWS + 1
    list_col = 0
    for idx, col in enumerate(dataset.columns, start=1):
        letter = get_column_letter(idx)
        cell = ws.cell(row=1, column=idx, value=col.header_ru)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[letter].width = min(45, max(14, len(col.header_ru) * 0.9 + 2))
        target = f"{letter}2:{letter}{last}"
        values = _list_values(col)
        if values is not None:
            list_col += 1
            list_letter = get_column_letter(list_col)
            lists.cell(row=1, column=list_col, value=col.header_ru)
            for row, value in enumerate(values, start=2):
                lists.cell(row=row, column=list_col, value=value)
            source = f"'{LISTS_SHEET}'!${list_letter}$2:${list_letter}${len(values) + 1}"
            dv = DataValidation(type="list", formula1=source, allow_blank=True)
            dv.error, dv.errorTitle, dv.errorStyle = LIST_ERROR_RU, col.header_ru, "warning"
        elif col.kind == c.DATE:
            dv = DataValidation(
                type="date",
                operator="between",
                formula1=str(int(to_excel(dt.date(1900, 1, 1)))),
                formula2=str(int(to_excel(dt.date(2100, 12, 31)))),
                allow_blank=True,
            )
            dv.error, dv.errorTitle, dv.errorStyle = DATE_ERROR_RU, col.header_ru, "warning"
            ws.column_dimensions[letter].number_format = DATE_FORMAT
        elif col.kind in (c.INT, c.NUMBER):
            kind = "whole" if col.kind == c.INT else "decimal"
            dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            dv.error = WHOLE_ERROR_RU if col.kind == c.INT else NUMBER_ERROR_RU
            dv.errorTitle, dv.errorStyle = col.header_ru, "warning"
        else:
            # text: keep leading zeros of codes and табельные номера
            ws.column_dimensions[letter].number_format = "@"
            continue
        dv.showErrorMessage = True
        dv.add(target)
        ws.add_data_validation(dv)
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "A2"


def _list_values(col: c.Column) -> list[str] | None:
    if col.kind == c.ENUM:
        return [choice_label(col.labels, code) for code in col.labels]
    if col.kind == c.BOOL:
        return [YES, NO]
    if col.kind == c.PERIOD:
        return periods_for_lists()
    return None


def _allowed_values(col: c.Column) -> str:
    if col.kind == c.ENUM:
        return "; ".join(choice_label(col.labels, code) for code in col.labels)
    if col.kind == c.BOOL:
        return f"{YES}; {NO}"
    return ""


def _fill_instructions(ws: Worksheet, dataset: c.Dataset) -> None:
    ws.append([f"Шаблон «{dataset.title_ru}»: как заполнять"])
    ws["A1"].font = Font(bold=True, size=14)
    notes = [n.format(row_meaning=ROW_MEANING_RU[dataset.name]) for n in GENERAL_NOTES_RU]
    if dataset.name in REPLACE_UNIT_NOTES_RU:
        notes.append(REPLACE_UNIT_NOTES_RU[dataset.name])
        notes.append(RESULTS_NO_NAMES_NOTE_RU)
    else:
        notes.append(REPLACE_NOTE_RU if dataset.replace_by_period else UPSERT_NOTE_RU)
    if any(col.personal for col in dataset.columns):
        notes.append(PERSONAL_NOTE_RU)
    for note in notes:
        ws.append([f"• {note}"])
    ws.append([])
    ws.append(list(INSTRUCTION_HEADER_RU))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    for number, col in enumerate(dataset.columns, start=1):
        rule, example = COLUMN_NOTES_RU[dataset.name][col.name]
        ws.append(
            [
                number,
                col.header_ru,
                "да" if col.required else "нет",
                KIND_RU[col.kind],
                _allowed_values(col),
                rule,
                example,
            ]
        )
        for cell in ws[ws.max_row]:
            cell.alignment = WRAP
    for letter, width in zip("ABCDEFG", (5, 34, 13, 22, 40, 70, 28), strict=True):
        ws.column_dimensions[letter].width = width


def save_reproducibly(wb: Workbook, path: Path) -> Path:
    """Save a workbook so that the same content always gives the same bytes.

    openpyxl stamps the file with the current time twice: in docProps/core.xml and in every ZIP entry.
    Both are replaced by FIXED_TIMESTAMP.
    """
    wb.properties.created = FIXED_TIMESTAMP
    buffer = io.BytesIO()
    wb.save(buffer)
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = payload.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)", rf"\g<1>{stamp}\g<2>", text
                )
                payload = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, payload)
    return path
