"""A load of some institutions' corrected files recomputes only their mart rows, the aggregates containing
them and the warnings they or the period's outliers give (warehouse/build.py, `Changed`). Each test loads a
file into a copy of the region demo warehouse, then rebuilds everything in a second copy of the result and
requires every derived table to be the same (values to 1e-9), and that the load took the incremental path
(or, where it must not, did not)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from etl.loader import load_files
from tests.db import sql
from tests.etl.helpers import ICT_HEADER, STAFF_HEADER, headers_ru, ict_row, staff_row, write_csv
from warehouse import build

# the derived tables and their key columns (the rows are compared in the order of the keys)
DERIVED = {
    "staging.indicator_inputs": "period, inst_id, indicator_code, subject, grade",
    "mart.indicator_values": "period, level, municipality, inst_type, inst_id, indicator_code, subject, grade",
    "mart.result_flags": "period, inst_id, flag, subject, grade, message_ru",
    "dq.warnings": "period, inst_id, dataset, rule, message_ru",
}
LATEST = "2024/2025"


@pytest.fixture
def db(region_demo_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "region.duckdb"
    shutil.copy(region_demo_db, copy)
    return copy


def _rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    if table == "dq.warnings":
        columns = "period, inst_id, dataset, rule, message_ru, batch_id"
        where = f"WHERE rule IN ({', '.join(repr(r) for r in build.WARNING_RULES)})"
    else:
        columns, where = "*", ""
    return sql(db, f"SELECT {columns} FROM {table} {where} ORDER BY {DERIVED[table]}")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


def assert_equals_full_rebuild(db: Path, tmp_path: Path) -> None:
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copy(db, rebuilt)
    con = duckdb.connect(str(rebuilt))
    try:
        build.build_marts(con, None)
    finally:
        con.close()
    for table in DERIVED:
        got, want = _rows(db, table), _rows(rebuilt, table)
        assert len(got) == len(want), f"{table}: {len(got)} rows after the load, {len(want)} rebuilt"
        for row_got, row_want in zip(got, want, strict=True):
            assert all(_same(a, b) for a, b in zip(row_got, row_want, strict=True)), (
                f"{table}: {row_got} after the load, {row_want} rebuilt"
            )


def _institution(db: Path, inst_type: str, n: int = 0) -> tuple[str, str]:
    """The n-th institution of a type that has staff rows in the latest period, and its municipality."""
    rows = sql(
        db,
        "SELECT i.inst_id, i.municipality FROM core.institutions i "
        "WHERE i.inst_type = ? AND EXISTS (SELECT 1 FROM core.staff s WHERE s.inst_id = i.inst_id "
        "AND s.period = ?) ORDER BY i.inst_id",
        [inst_type, LATEST],
    )
    return rows[n]


def _warnings(db: Path, rule: str, inst_id: str, dataset: str = "staff") -> list[str]:
    """The periods of an institution's warnings of a rule and dataset."""
    rows = sql(
        db,
        "SELECT period FROM dq.warnings WHERE rule = ? AND inst_id = ? AND dataset = ? ORDER BY period",
        [rule, inst_id, dataset],
    )
    return [r[0] for r in rows]


def _region_staff_count(db: Path) -> float:
    return sql(
        db,
        "SELECT value FROM mart.indicator_values WHERE period = ? AND level = 'region' AND inst_type = 'all' "
        "AND indicator_code = 'STAFF_COUNT'",
        [LATEST],
    )[0][0]


def _staff_file(path: Path, inst_id: str, count: int, period: str = LATEST, **values: Any) -> Path:
    rows = [
        staff_row(inst_id, f"T{n:03d}", period=period, name=f"Петрова Анна {n}", **values)
        for n in range(count)
    ]
    return write_csv(path, STAFF_HEADER, rows)


def test_a_corrected_staff_file_equals_a_full_rebuild(
    db: Path, tmp_path: Path, incremental_calls: list[build.Changed]
) -> None:
    school, municipality = _institution(db, "school", 3)
    before = _region_staff_count(db)
    old_count = sql(
        db,
        "SELECT value FROM mart.indicator_values WHERE period = ? AND inst_id = ? AND indicator_code = 'STAFF_COUNT'",
        [LATEST, school],
    )[0][0]
    # 3 teachers instead of dozens: a year-on-year drop, a changed municipality and region, a category share
    # of 100 % (an outlier among schools)
    result = load_files([_staff_file(tmp_path / "staff.csv", school, 3)], db)
    assert result.files[0].rows_loaded == 3, result.files[0].message_ru

    assert [c.inst_ids for c in incremental_calls] == [(school,)]
    assert incremental_calls[0].municipalities == (municipality,)
    assert incremental_calls[0].inst_types == ("school",)
    assert _region_staff_count(db) == before - old_count + 3
    assert LATEST in _warnings(db, "yoy_change", school)
    assert_equals_full_rebuild(db, tmp_path)


def test_a_correction_of_an_earlier_period_renews_the_next_periods_warnings(
    db: Path, tmp_path: Path, incremental_calls: list[build.Changed]
) -> None:
    kindergarten, _ = _institution(db, "preschool", 2)
    # twice as many people in 2022/2023: both that year's change and 2023/2024's are over a third
    count = len(
        sql(db, "SELECT 1 FROM core.staff WHERE inst_id = ? AND period = '2022/2023'", [kindergarten])
    )
    path = _staff_file(
        tmp_path / "staff_2022.csv",
        kindergarten,
        2 * count + 4,
        period="2022/2023",
        category_date="15.01.2021",  # dates before that year's reporting date
        training="01.06.2021",
    )
    assert load_files([path], db).files[0].rows_loaded == 2 * count + 4
    assert [c.periods for c in incremental_calls] == [("2022/2023",)]
    assert {"2022/2023", "2023/2024"} <= set(_warnings(db, "yoy_change", kindergarten))
    assert_equals_full_rebuild(db, tmp_path)


def test_an_ict_file_of_two_institutions_of_two_municipalities(
    db: Path, tmp_path: Path, incremental_calls: list[build.Changed]
) -> None:
    first, first_municipality = _institution(db, "school", 0)
    others = sql(
        db,
        "SELECT inst_id, municipality FROM core.institutions WHERE inst_type = 'preschool' "
        "AND municipality <> ? ORDER BY inst_id LIMIT 1",
        [first_municipality],
    )
    second, second_municipality = others[0]
    # the readiness index is pupil-weighted above the institution: the pupils change, so does the weight
    path = write_csv(
        tmp_path / "ict.csv",
        ICT_HEADER,
        [ict_row(first, students=4000), ict_row(second, students=7, total=90)],
    )
    assert load_files([path], db).files[0].rows_loaded == 2
    assert incremental_calls[0].inst_ids == tuple(sorted([first, second]))
    assert incremental_calls[0].municipalities == tuple(sorted([first_municipality, second_municipality]))
    assert incremental_calls[0].inst_types == ("preschool", "school")
    assert_equals_full_rebuild(db, tmp_path)


def test_a_results_file_of_one_school(
    db: Path, tmp_path: Path, incremental_calls: list[build.Changed]
) -> None:
    school = sql(
        db,
        "SELECT inst_id FROM core.exam_results WHERE period = ? AND exam = 'ege' AND subject = 'russian' "
        "GROUP BY inst_id ORDER BY count(*) DESC, inst_id LIMIT 1",
        [LATEST],
    )[0][0]
    # every ЕГЭ Russian of the school below the minimum: a school flag and a lower regional mean
    rows = [[LATEST, school, "ЕГЭ", 11, "Русский язык", f"P{n}", "", 20, ""] for n in range(12)]
    path = write_csv(tmp_path / "ege_russian.csv", headers_ru("exam_results"), rows)
    assert load_files([path], db).files[0].rows_loaded == 12
    assert [c.inst_ids for c in incremental_calls] == [(school,)]
    assert sql(
        db,
        "SELECT value FROM mart.indicator_values WHERE period = ? AND inst_id = ? AND subject = 'russian' "
        "AND indicator_code = 'EGE_MEAN_SCORE'",
        [LATEST, school],
    ) == [(20.0,)]
    assert_equals_full_rebuild(db, tmp_path)


def test_a_first_submission_into_an_existing_period(
    db: Path, tmp_path: Path, incremental_calls: list[build.Changed]
) -> None:
    # an institution without staff rows in the latest period sends them: its missing-submission warning goes.
    # The demo's institutions all submitted: one school's rows are taken away first (and everything rebuilt)
    inst, _ = _institution(db, "school", 4)
    con = duckdb.connect(str(db))
    try:
        con.execute("DELETE FROM core.staff WHERE inst_id = ? AND period = ?", [inst, LATEST])
        build.build_marts(con, None)
    finally:
        con.close()
    assert _warnings(db, "missing_submission", inst) == [LATEST]
    assert load_files([_staff_file(tmp_path / "staff.csv", inst, 5)], db).files[0].rows_loaded == 5
    assert [c.inst_ids for c in incremental_calls] == [(inst,)]
    assert _warnings(db, "missing_submission", inst) == []
    assert_equals_full_rebuild(db, tmp_path)


def test_a_new_period_rebuilds_the_period_not_the_institution(
    db: Path, tmp_path: Path, incremental_calls: list[build.Changed]
) -> None:
    # a new latest period moves every institution's missing-submission warnings: not an institution's change
    school, _ = _institution(db, "school", 1)
    path = _staff_file(tmp_path / "staff_2025.csv", school, 4, period="2025/2026")
    assert load_files([path], db).files[0].rows_loaded == 4
    assert incremental_calls == []
    assert sql(db, "SELECT count(DISTINCT period) FROM dq.warnings WHERE rule = 'missing_submission'") == [
        (1,)
    ]
    assert_equals_full_rebuild(db, tmp_path)


def test_changed_models_or_settings_rebuild_whole_periods(
    db: Path, tmp_path: Path, incremental_calls: list[build.Changed]
) -> None:
    # a warehouse whose last build was made under other settings (or by other models) is not patched
    con = duckdb.connect(str(db))
    try:
        con.execute("UPDATE meta.settings SET value = '0.5' WHERE key = 'yoy_warning_share'")
    finally:
        con.close()
    school, _ = _institution(db, "school", 2)
    assert load_files([_staff_file(tmp_path / "staff.csv", school, 6)], db).files[0].rows_loaded == 6
    assert incremental_calls == []
    assert_equals_full_rebuild(db, tmp_path)
    # the build after it recorded the new settings: the next correction is incremental again
    assert load_files([_staff_file(tmp_path / "staff2.csv", school, 7)], db).files[0].rows_loaded == 7
    assert [c.inst_ids for c in incremental_calls] == [(school,)]
    assert_equals_full_rebuild(db, tmp_path)
