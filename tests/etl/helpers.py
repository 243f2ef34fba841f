"""Small builders of input files for ETL tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl

from etl.contract import DATASETS


def headers_ru(dataset: str, columns: Sequence[str] | None = None) -> list[str]:
    ds = DATASETS[dataset]
    return [ds.column(c).header_ru for c in (columns or ds.column_names)]


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    encoding: str = "utf-8",
    sep: str = ";",
    title_rows: Sequence[str] = (),
) -> Path:
    buffer = io.StringIO()
    for title in title_rows:
        buffer.write(title + "\r\n")
    writer = csv.writer(
        buffer, delimiter=sep, lineterminator="\r\n"
    )  # quotes cells holding `sep`, as Excel does
    writer.writerow(header)
    writer.writerows(["" if v is None else str(v) for v in row] for row in rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[object]], *, title_rows: Sequence[str] = ()
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for title in title_rows:
        ws.append([title])
    ws.append(list(header))
    for row in rows:
        ws.append([v for v in row])
    wb.save(path)
    return path


INSTITUTIONS_HEADER = headers_ru("institutions")
STAFF_HEADER = headers_ru("staff")
ICT_HEADER = headers_ru("ict")
INNOVATION_HEADER = headers_ru("innovation")
NEEDS_HEADER = headers_ru("staff_needs")


def institution_row(
    inst_id: str, inst_type: str = "общеобразовательная", locality: str = "город"
) -> list[object]:
    return [inst_id, f"Организация {inst_id}", "", inst_type, "г. Тестовск", locality, ""]


def staff_row(
    inst_id: str,
    staff_id: str,
    *,
    period: str = "2024/2025",
    position: str = "учитель",
    employment: str = "основное место работы",
    birth: str = "15.03.1980",
    category: str = "высшая",
    category_date: str = "15.01.2024",
    valid_until: str = "",
    training: str = "01.06.2023",
    ped: object = "20",
    total: object = "22",
    name: str = "Иванова Мария Петровна",
    mentor: str = "",
) -> list[object]:
    return [
        period,
        inst_id,
        staff_id,
        name,
        position,
        employment,
        "Ж",
        birth,
        "высшее",
        "да",
        category,
        category_date,
        valid_until,
        training,
        "да",
        ped,
        total,
        "Математика",
        mentor,
    ]


def ict_row(
    inst_id: str, *, period: str = "2024/2025", students: object = 500, total: object = 60
) -> list[object]:
    return [period, inst_id, students, total, 40, 55, 38, 30, 20, 5, "100", "да", "нет"]


def date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d.%m.%Y").date()
