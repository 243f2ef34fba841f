"""A hand-built warehouse for the data-quality tests: every status, warning and quarantine case is known.

Registry: one municipality «г. Контрольск», twelve institutions; periods 2023/2024 and 2024/2025.
Every school has 100 pupils and 100 PCs, all with Internet, and no interactive boards, so that only the
number of learning PCs per 100 pupils (= the learning PC count, also with Internet) varies.

2024/2025, what each sends:
  S1–S4  school     staff (2 teachers), ict (learning PCs 10, 11, 13, 14 — S4 has 14)
  S5     school     staff 2 (it had 4 in 2023/2024: −50 %, a year-on-year warning), ict 12
  S6     school     staff 2, ict 60 learning PCs: an outlier among schools (both per-100 ratios)
  P1     school     staff: its latest load brought 2 rows and quarantined 1 (status partial), ict 12
  Q1     school     staff 2; ict: its only row was quarantined (status quarantined = not submitted)
  R1     school     staff: a first file quarantined a row, the corrected file loaded clean (superseded)
  X1     school     nothing (it sent staff and ict for 2023/2024): missing both
  K1     preschool  staff 2, ict (1 learning PC; pupils 200 → 100: −50 %, a year-on-year warning)
  K2     preschool  staff 2, ict (100 learning PCs); two preschools: no outlier (MAD 49,5)
Schools' learning PCs per 100 pupils: 10 11 12 12 12 13 14 60 → median 12, MAD 1; S6: 0,6745 × 48 = 32,4.
Staff rows are identical teachers, so every staff ratio is equal (MAD 0: no staff outliers); pupils per
teacher = 100 / 2 = 50 everywhere.

Quarantine (dq.quarantine) and the load log (dq.load_log) are written by hand for P1, Q1, R1, and one row
of an institution code not in the registry (ZZZ).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from tests.warehouse.helpers import ict, innovation, insert_rows, institution, staff
from warehouse.build import build_marts
from warehouse.db import apply_schema

P = "2024/2025"
PREV = "2023/2024"
CITY = "г. Контрольск"
SCHOOLS = ["S1", "S2", "S3", "S4", "S5", "S6", "P1", "Q1", "R1", "X1"]
PRESCHOOLS = ["K1", "K2"]
LEARNING_PCS = {"S1": 10, "S2": 11, "S3": 12, "S4": 14, "S5": 12, "S6": 60, "P1": 12, "R1": 13, "Q1": 12}
LEARNING_PCS.update({"X1": 12, "K1": 1, "K2": 100})

# batches: a timestamp then a number, as etl.loader names them
B_P1 = "20241001T100000000000-001"
B_Q1 = "20241001T100000000000-002"
B_MISC = "20241001T100000000000-003"
B_R1_V1 = "20240915T090000000000-001"
B_R1_V2 = "20241002T090000000000-001"

# expected, 2024/2025
MISSING_STAFF = {"X1"}
MISSING_ICT = {"X1", "Q1"}
STATUS = {
    ("P1", "staff"): "partial",
    ("Q1", "ict"): "quarantined",
    ("X1", "staff"): "missing",
    ("X1", "ict"): "missing",
}
SCORES = {
    "S1": 100.0,
    "S2": 100.0,
    "S3": 100.0,
    "S4": 100.0,
    "S5": 95.0,  # staff: one year-on-year warning (−10)
    "S6": 90.0,  # ict: two outlier warnings (−20)
    "P1": (100.0 - 100.0 / 3 + 100.0) / 2,  # staff: 1 of 3 rows of the latest load quarantined
    "Q1": 50.0,  # ict not submitted
    "R1": 100.0,  # the corrected file replaced the first one
    "X1": 0.0,
    "K1": 95.0,  # ict: one year-on-year warning
    "K2": 100.0,
}


def _staff_rows(period: str, inst_id: str, n: int, batch: str | None = None) -> list[dict]:
    rows = [staff(period, inst_id, f"{inst_id}-{k}") for k in range(n)]
    if batch:
        for r in rows:
            r["batch_id"] = batch
    return rows


def _ict_row(period: str, inst_id: str, students: int = 100) -> dict:
    n = LEARNING_PCS[inst_id]
    return ict(
        period, inst_id, students=students, computers_total=100, computers_learning=n, computers_internet=100,
        computers_learning_internet=n, interactive_boards=0,
    )  # fmt: skip


def _quarantine(
    batch: str, file: str, dataset: str, row: int, inst_id: str, column: str, value: str, rule: str
):
    return {
        "batch_id": batch,
        "source_file": file,
        "dataset": dataset,
        "row_number": row,
        "inst_id": inst_id,
        "column_name": column,
        "value": value,
        "rule": rule,
        "message_ru": f"Файл «{file}», строка {row}, столбец «{column}»: значение «{value}» — ошибка {rule}.",
        "period": P,
    }


def _log(batch: str, file: str, dataset: str, status: str, read: int, loaded: int, quarantined: int, when):
    return {
        "batch_id": batch,
        "loaded_at": when,
        "source_file": file,
        "sha256": batch,
        "dataset": dataset,
        "status": status,
        "rows_read": read,
        "rows_loaded": loaded,
        "rows_quarantined": quarantined,
        "message_ru": f"Загружено строк: {loaded} из {read}.",
        "archive_path": None,
    }


def build(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        apply_schema(con)
        insert_rows(
            con,
            "core.institutions",
            [institution(i, "school", CITY) for i in SCHOOLS]
            + [institution(i, "preschool", CITY) for i in PRESCHOOLS],
        )
        rows: list[dict] = []
        ict_rows: list[dict] = []
        for inst in SCHOOLS + PRESCHOOLS:
            # 2023/2024: everybody sent everything; S5 had 4 teachers, K1 200 pupils
            rows += _staff_rows(PREV, inst, 4 if inst == "S5" else 2)
            ict_rows.append(_ict_row(PREV, inst, students=200 if inst == "K1" else 100))
            if inst == "X1":
                continue
            if inst == "P1":
                rows += _staff_rows(P, inst, 2, batch=B_P1)
            elif inst == "R1":
                rows += _staff_rows(P, inst, 2, batch=B_R1_V2)
            else:
                rows += _staff_rows(P, inst, 2)
            if inst != "Q1":
                ict_rows.append(_ict_row(P, inst))
        insert_rows(con, "core.staff", rows)
        insert_rows(con, "core.ict", ict_rows)
        insert_rows(con, "core.innovation", [innovation(P, "S1", "R1", "project")])
        insert_rows(
            con,
            "dq.quarantine",
            [
                _quarantine(B_P1, "kadry_P1.csv", "staff", 4, "P1", "birth_date", "01.01.2020", "age_range"),
                _quarantine(
                    B_Q1, "ikt_Q1.csv", "ict", 2, "Q1", "computers_learning", "170", "learning_le_total"
                ),
                _quarantine(B_R1_V1, "kadry_R1.csv", "staff", 3, "R1", "gender", "X", "allowed_values"),
                _quarantine(
                    B_MISC, "kadry_misc.csv", "staff", 2, "ZZZ", "inst_id", "ZZZ", "unknown_institution"
                ),
            ],
        )
        insert_rows(
            con,
            "dq.load_log",
            [
                _log(B_R1_V1, "kadry_R1.csv", "staff", "partial", 3, 2, 1, dt.datetime(2024, 9, 15, 9, 0)),
                _log(B_P1, "kadry_P1.csv", "staff", "partial", 3, 2, 1, dt.datetime(2024, 10, 1, 10, 0)),
                _log(B_Q1, "ikt_Q1.csv", "ict", "partial", 1, 0, 1, dt.datetime(2024, 10, 1, 10, 1)),
                _log(B_MISC, "kadry_misc.csv", "staff", "partial", 1, 0, 1, dt.datetime(2024, 10, 1, 10, 2)),
                _log(
                    B_R1_V2, "kadry_R1_ispr.csv", "staff", "loaded", 2, 2, 0, dt.datetime(2024, 10, 2, 9, 0)
                ),
            ],
        )
        build_marts(con)
    finally:
        con.close()
    return path
