"""Hand-built warehouses whose peer groups, medians, percentiles and ranks are worked out by hand, and the
demo warehouse for the page.

City «Город» (one municipality: bands are cut within it), period P = 2024/2025, previous PREV = 2023/2024.
Schools and their pupils (ict.students) in P:

    S1 100  S2 200  S3 300 | S4 400  S5 500  S6 600 | S7 700  S8 800  S9 900 (from PREV: no ict row in P)
    S10 — in the registry only, sends nothing in P: not reporting, moves no band limits

n = 9 schools with a size → bands 1 + ⌊3(r − 1)/9⌋: {S1–S3}, {S4–S6}, {S7–S9}. Band 2 by hand:

    indicator                  S4     S5     S6    median  S5: percentile, rank
    ICT_PC_LEARNING_PER_100    5,0   10,0   15,0    10,0   50 (S4 worse), 2 of 3   (PREV S5: 8,0 → +2,0 better)
    STAFF_55_PLUS (down)      25,0   50,0    0,0    25,0    0, 3 of 3              (PREV S5: 25,0 → +25 п.п. worse)
    STAFF_HIGHER_EDU          50,0   50,0  100,0    50,0   50 (S4 ties), 2 of 3 (S4 also 2)
    ICT_READINESS_INDEX       90    100    100     100    100, 1 of 3 (S6 ties at 1)

Band 3 has only S7 and S8 with ict values → ICT indicators fall back to the schools' municipal value
(Σ computers_learning / Σ students = 210 / 3600 × 100), ranked among the 8 schools with a value.
Kindergartens D1 (50 pupils, 5 PCs → 10,0) and D2 (80 pupils, 12 PCs → 15,0): n = 2 → each alone in its
band → the small-group fallback (benchmark 17 / 130 × 100; no percentile with two values).

Region warehouse (two municipalities → bands over the region): schools N1 100, U1 200, N2 300 | U2 400,
N3 500, U3 600 | N4 700, U4 800, N5 900 — N3's peers are U2, N3, U3 (within Север alone they would be N3, N4).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.helpers import ict, insert_rows, institution, staff
from warehouse import queries
from warehouse.build import build_marts
from warehouse.db import apply_schema

REPO = Path(__file__).resolve().parents[2]
P = "2024/2025"
PREV = "2023/2024"
CITY = "Город"
NORTH, SOUTH = "Север", "Юг"
OLD = dt.date(1964, 1, 1)  # 60 at both reporting dates
MID = dt.date(1980, 1, 1)  # 44
# a personal value held in quarantine: it must never reach a passport
QUARANTINED_NAME = "Карантинова Мария Ивановна"


def _school_ict(period: str, inst_id: str, students: int, learning: int = 10) -> dict:
    total = max(learning, 10)
    return ict(
        period,
        inst_id,
        students=students,
        computers_total=total,
        computers_learning=learning,
        computers_internet=total,
        computers_learning_internet=learning,
    )


def _people(period: str, inst_id: str, spec: list[tuple[str, dt.date]]) -> list[dict]:
    """Teachers never trained and without a category: (education_level, birth_date) each."""
    return [
        staff(period, inst_id, f"{inst_id}-{i}", education_level=edu, birth_date=born)
        for i, (edu, born) in enumerate(spec)
    ]


def fill_city(con: duckdb.DuckDBPyConnection) -> None:
    schools = [f"S{i}" for i in range(1, 11)]
    insert_rows(
        con,
        "core.institutions",
        [institution(s, "school", CITY) for s in schools]
        + [institution("D1", "preschool", CITY), institution("D2", "preschool", CITY)],
    )
    higher, voc = "higher", "secondary_vocational"
    rows = []
    for s in schools[:9]:
        if s not in ("S4", "S5", "S6"):
            rows += _people(P, s, [(higher, MID), (higher, MID)])
    rows += _people(P, "S4", [(higher, OLD), (higher, MID), (voc, MID), (voc, MID)])
    rows += _people(P, "S5", [(higher, OLD), (higher, OLD), (voc, MID), (voc, MID)])
    rows += _people(P, "S6", [(higher, MID)] * 4)
    rows += _people(PREV, "S5", [(higher, OLD), (higher, MID), (voc, MID), (voc, MID)])
    rows += _people(P, "D1", [(higher, MID)]) + _people(P, "D2", [(higher, MID)])
    insert_rows(con, "core.staff", rows)
    learning = {"S4": 20, "S5": 50, "S6": 90}
    ict_rows = [_school_ict(P, s, 100 * i, learning.get(s, 10)) for i, s in enumerate(schools[:8], start=1)]
    ict_rows += [
        _school_ict(PREV, "S9", 900),
        _school_ict(PREV, "S5", 500, 40),
        ict(P, "D1", students=50, computers_total=10, computers_learning=5, computers_learning_internet=5),
        ict(P, "D2", students=80, computers_total=12, computers_learning=12, computers_internet=12,
            computers_learning_internet=12),
    ]  # fmt: skip
    insert_rows(con, "core.ict", ict_rows)


def fill_quality(con: duckdb.DuckDBPyConnection) -> None:
    """Load log, quarantine and warnings for S5 (and one quarantined row of S4 that S5 must not see)."""
    at = dt.datetime(2024, 10, 1, 12, 0)
    insert_rows(
        con,
        "dq.load_log",
        [
            {"batch_id": "b-staff-S5-2024", "loaded_at": at, "source_file": "staff_S5.xlsx", "dataset": "staff",
             "status": "partial", "rows_read": 7, "rows_loaded": 4, "rows_quarantined": 3},
            {"batch_id": "b-ict-S5-2024", "loaded_at": at, "source_file": "ict_all.csv", "dataset": "ict",
             "status": "loaded", "rows_read": 8, "rows_loaded": 8, "rows_quarantined": 0},
            {"batch_id": "b-staff-S4-2024", "loaded_at": at, "source_file": "staff_S4.xlsx", "dataset": "staff",
             "status": "partial", "rows_read": 5, "rows_loaded": 4, "rows_quarantined": 1},
        ],
    )  # fmt: skip
    q = {"batch_id": "b-staff-S5-2024", "source_file": "staff_S5.xlsx", "dataset": "staff", "period": P}
    insert_rows(
        con,
        "dq.quarantine",
        [
            # row 5 breaks two rules: one row, two problems
            {**q, "row_number": 5, "inst_id": "S5", "column_name": "birth_date", "value": "01.01.1900",
             "rule": "age_range", "message_ru": f"строка 5: {QUARANTINED_NAME}"},
            {**q, "row_number": 5, "inst_id": "S5", "column_name": "ped_experience_years", "value": "70",
             "rule": "experience_vs_age", "message_ru": f"строка 5: {QUARANTINED_NAME}"},
            {**q, "row_number": 6, "inst_id": "S5", "column_name": "staff_id", "value": "S5-1",
             "rule": "duplicate_key", "message_ru": "строка 6"},
            {**q, "row_number": 7, "inst_id": "S5", "column_name": "full_name", "value": QUARANTINED_NAME,
             "rule": "required", "message_ru": "строка 7"},
            {**q, "batch_id": "b-staff-S4-2024", "source_file": "staff_S4.xlsx", "row_number": 3,
             "inst_id": "S4", "column_name": "gender", "value": "X", "rule": "allowed_values",
             "message_ru": "строка 3"},
        ],
    )  # fmt: skip
    insert_rows(
        con,
        "dq.warnings",
        [
            {"batch_id": "b-staff-S5-2024", "period": P, "dataset": "staff", "inst_id": "S5",
             "rule": "manual_check", "message_ru": "Проверьте численность педагогов СОШ S5."},
        ],
    )  # fmt: skip


def fill_region(con: duckdb.DuckDBPyConnection) -> None:
    sizes = {
        "N1": 100,
        "U1": 200,
        "N2": 300,
        "U2": 400,
        "N3": 500,
        "U3": 600,
        "N4": 700,
        "U4": 800,
        "N5": 900,
    }
    insert_rows(
        con,
        "core.institutions",
        [institution(s, "school", NORTH if s.startswith("N") else SOUTH) for s in sizes],
    )
    learning = {"U2": 20, "N3": 50, "U3": 90}
    insert_rows(con, "core.ict", [_school_ict(P, s, n, learning.get(s, 10)) for s, n in sizes.items()])
    insert_rows(con, "core.staff", [r for s in sizes for r in _people(P, s, [("higher", MID)])])


def _build(path: Path, core: Callable[..., None], after: Callable[..., None] | None = None) -> Path:
    """Core rows, the marts, then `after` (dq rows: the build refills the warnings of its own rules)."""
    con = duckdb.connect(str(path))
    try:
        apply_schema(con)
        core(con)
        build_marts(con)
        if after is not None:
            after(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def city_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("city") / "city.duckdb", fill_city, fill_quality)


@pytest.fixture(scope="session")
def region_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("region") / "region.duckdb", fill_region)


@pytest.fixture(scope="session", autouse=True)
def _close_connections() -> Iterator[None]:
    yield
    queries.close_all()


def mart(db: Path, code: str, level: str, **where: object) -> float | None:
    """One value of mart.indicator_values: `where` holds period (default P), inst_id, municipality,
    inst_type (each compared with IS NOT DISTINCT FROM when given)."""
    period = where.pop("period", P)
    sql = "SELECT value FROM mart.indicator_values WHERE indicator_code = ? AND period = ? AND level = ?"
    params: list[object] = [code, period, level]
    for column in ("inst_id", "municipality", "inst_type"):
        if column in where:
            sql += f" AND {column} IS NOT DISTINCT FROM ?"
            params.append(where[column])
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(sql, params).fetchall()
    finally:
        con.close()
    assert len(rows) <= 1, rows
    return rows[0][0] if rows else None


@pytest.fixture
def env_db(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Point the app at a warehouse (IMC_DB) for one test."""

    def use(db: Path) -> None:
        monkeypatch.setenv("IMC_DB", str(db))

    yield use
    queries.close_all()
    os.environ.pop("IMC_DB", None)
