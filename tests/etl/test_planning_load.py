"""The needs survey (staff_needs) and the staff file's mentor column through the loader: Russian labels of
needs and forms, quarantine with the rule, the replace unit (period, inst_id), a needs row of a person without a
staff row kept, and an unknown mentor loaded with a warning rather than quarantined."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from etl.loader import load_files
from tests.etl.helpers import (
    INSTITUTIONS_HEADER,
    NEEDS_HEADER,
    STAFF_HEADER,
    institution_row,
    staff_row,
    write_csv,
    write_xlsx,
)

P = "2024/2025"


def _query(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    registry = write_csv(
        tmp_path / "registry.csv", INSTITUTIONS_HEADER, [institution_row("G1"), institution_row("G2")]
    )
    staff = write_csv(
        tmp_path / "staff.csv",
        STAFF_HEADER,
        [
            staff_row("G1", "001", ped="1", total="1", birth="01.01.1998", mentor="002"),
            staff_row("G1", "002"),
            # a mentor who works in G2 only: the row loads, the mentor is reported
            staff_row("G1", "003", ped="1", total="1", birth="01.01.1998", mentor="900"),
            staff_row("G2", "900"),
        ],
    )
    path = tmp_path / "w.duckdb"
    assert load_files([registry, staff], path).exit_code == 0
    return path


def test_mentor_column_loads_and_an_unknown_mentor_is_a_warning(db: Path) -> None:
    rows = _query(db, "SELECT staff_id, mentor_staff_id FROM core.staff WHERE inst_id = 'G1' ORDER BY 1")
    assert rows == [("001", "002"), ("002", None), ("003", "900")]
    assert _query(db, "SELECT count(*) FROM dq.quarantine") == [(0,)]
    warnings = _query(db, "SELECT inst_id, message_ru FROM dq.warnings WHERE rule = 'mentor_unknown'")
    assert len(warnings) == 1 and warnings[0][0] == "G1" and "003" in warnings[0][1]
    value = _query(
        db,
        "SELECT numerator, denominator FROM mart.indicator_values WHERE level = 'institution' AND inst_id = 'G1' "
        "AND indicator_code = 'STAFF_YOUNG_WITH_MENTOR'",
    )
    assert value == [(1.0, 2.0)]


def test_needs_survey_loads_with_russian_labels_and_replaces_its_unit(db: Path, tmp_path: Path) -> None:
    first = write_xlsx(
        tmp_path / "needs.xlsx",
        NEEDS_HEADER,
        [
            [P, "G1", "001", "функциональная грамотность", "курсы повышения квалификации"],
            [P, "G1", "001", "цифровые образовательные технологии", "семинар, вебинар"],
            [P, "G1", "002", "Функциональная грамотность", ""],
            # kept although 777 has no staff row yet (the staff file may come later)
            [P, "G1", "777", "воспитательная работа", "наставничество"],
            # an unknown need and a duplicate: quarantined with the rule
            [P, "G1", "002", "астрология", ""],
            [P, "G1", "002", "функциональная грамотность", "стажировка"],
            [P, "G2", "900", "подготовка обучающихся к ГИА", "самообразование"],
        ],
    )
    result = load_files([first], db)
    assert result.files[0].dataset == "staff_needs"
    assert (result.files[0].rows_read, result.files[0].rows_loaded, result.files[0].rows_quarantined) == (
        7,
        4,
        3,
    )
    rules = sorted(r[0] for r in _query(db, "SELECT rule FROM dq.quarantine"))
    assert rules == ["allowed_values", "duplicate_key", "duplicate_key"]
    rows = _query(db, "SELECT inst_id, staff_id, need, form FROM core.staff_needs ORDER BY ALL")
    assert rows == [
        ("G1", "001", "digital", "seminar"),
        ("G1", "001", "functional_literacy", "course"),
        ("G1", "777", "upbringing", "mentoring"),
        ("G2", "900", "gia_preparation", "self_study"),
    ]
    surveyed = _query(
        db,
        "SELECT inst_id, numerator, denominator FROM mart.indicator_values WHERE level = 'institution' "
        "AND indicator_code = 'STAFF_NEEDS_SURVEYED' ORDER BY 1",
    )
    # G1: 001 of 001, 002, 003 (777 has no staff row); G2: 900 of 900
    assert surveyed == [("G1", 1.0, 3.0), ("G2", 1.0, 1.0)]
    # a corrected survey of G1 replaces G1's rows only
    second = write_csv(tmp_path / "needs2.csv", NEEDS_HEADER, [[P, "G1", "003", "ФГОС", ""]])
    assert load_files([second], db).exit_code == 0
    rows = _query(db, "SELECT inst_id, staff_id, need FROM core.staff_needs ORDER BY ALL")
    assert rows == [("G1", "003", "fgos"), ("G2", "900", "gia_preparation")]
