"""build_marts: settings, idempotency, the catalogue table, and invariants on a region-size warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.conftest import built_warehouse, fill_main, new_warehouse
from tests.warehouse.helpers import ict, insert_rows, inst_value, institution, staff
from tests.warehouse.synthetic import fill_synthetic
from warehouse.build import build_marts
from warehouse.catalog import load_catalog
from warehouse.settings import DEFAULTS


def test_empty_warehouse_builds_with_default_settings(empty_warehouse: duckdb.DuckDBPyConnection) -> None:
    build_marts(empty_warehouse)
    assert dict(empty_warehouse.execute("SELECT key, value FROM meta.settings").fetchall()) == DEFAULTS
    assert empty_warehouse.execute("SELECT count(*) FROM mart.indicator_values").fetchone() == (0,)
    assert empty_warehouse.execute("SELECT count(*) FROM dq.warnings").fetchone() == (0,)


def test_settings_already_present_are_kept(empty_warehouse: duckdb.DuckDBPyConnection) -> None:
    empty_warehouse.execute("INSERT INTO meta.settings VALUES ('report_month_day', '10-01')")
    build_marts(empty_warehouse)
    settings = dict(empty_warehouse.execute("SELECT key, value FROM meta.settings").fetchall())
    assert settings["report_month_day"] == "10-01"
    assert settings["speed_target_urban_mbps"] == "100"  # the missing keys were filled in


def test_catalogue_table(empty_warehouse: duckdb.DuckDBPyConnection) -> None:
    build_marts(empty_warehouse)
    rows = empty_warehouse.execute(
        """
        SELECT indicator_code, name_ru, area, unit, direction, kind, target, key_indicator, inst_types
        FROM mart.indicator_catalog ORDER BY sort_order
        """
    ).fetchall()
    assert [r[0] for r in rows] == [i.code for i in load_catalog()]
    by_code = {r[0]: r for r in rows}
    assert by_code["STAFF_TRAINED_3Y"][1:8] == (
        "Доля педагогических работников, прошедших повышение квалификации за последние 3 года",
        "staff", "%", "up", "share", 100.0, True,
    )  # fmt: skip
    assert by_code["ICT_EJOURNAL"][8] == "school"
    assert by_code["STAFF_COUNT"][6] is None
    columns = {r[0] for r in empty_warehouse.execute("DESCRIBE mart.indicator_catalog").fetchall()}
    assert {
        "indicator_code", "name_ru", "area", "unit", "direction", "description_ru", "formula_ru", "source_ru",
        "target", "kind", "key_indicator", "sort_order",
    } <= columns  # fmt: skip


def test_rebuild_is_idempotent(tmp_path: Path) -> None:
    con = built_warehouse(tmp_path, fill_main)
    snapshot = con.execute("SELECT * FROM mart.indicator_values ORDER BY ALL").fetchall()
    warnings = con.execute("SELECT * FROM dq.warnings ORDER BY ALL").fetchall()
    build_marts(con)
    assert con.execute("SELECT * FROM mart.indicator_values ORDER BY ALL").fetchall() == snapshot
    assert con.execute("SELECT * FROM dq.warnings ORDER BY ALL").fetchall() == warnings
    assert con.execute("SELECT count(*) FROM mart.indicator_catalog").fetchone() == (57,)


def test_build_inside_a_rolled_back_transaction_leaves_nothing(tmp_path: Path) -> None:
    con = new_warehouse(tmp_path)
    fill_main(con)
    con.execute("BEGIN")
    build_marts(con)
    con.execute("ROLLBACK")
    assert con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'indicator_values'"
    ).fetchone() == (0,)


def test_settings_change_the_indicators(tmp_path: Path) -> None:
    con = built_warehouse(tmp_path, fill_main)
    # K1 (urban, 60 Mbit/s) misses the urban target of 100
    assert inst_value(con, "ICT_SPEED_TARGET", "K1")[2] == pytest.approx(0.0)
    con.execute("UPDATE meta.settings SET value = '60' WHERE key = 'speed_target_urban_mbps'")
    # young specialists: under 35 with under 5 years -> S1's b (2 years) and f (4 years)
    con.execute("UPDATE meta.settings SET value = '5' WHERE key = 'young_specialist_max_experience'")
    build_marts(con)
    assert inst_value(con, "ICT_SPEED_TARGET", "K1")[2] == pytest.approx(100.0)
    assert inst_value(con, "STAFF_YOUNG_SPECIALISTS", "S1")[2] == pytest.approx(2.0)


def test_age_on_29_february_birthdays(tmp_path: Path) -> None:
    con = new_warehouse(tmp_path)
    # a reporting date of 28 February: D = 2023-02-28 for 2023/2024, 2024-02-28 for 2024/2025
    con.execute("INSERT INTO meta.settings VALUES ('report_month_day', '02-28')")
    insert_rows(con, "core.institutions", [institution("S1", "school", "М")])
    insert_rows(
        con,
        "core.staff",
        [
            # born 29.02.2000: on 28.02.2023 the birthday has not come yet -> 22; on 28.02.2024 -> 23
            staff(p, "S1", "leap", birth_date=dt.date(2000, 2, 29), ped_experience_years=1)
            for p in ("2023/2024", "2024/2025")
        ]
        + [
            # born 28.02.2000: the birthday is on D -> 23 on 28.02.2023, 24 on 28.02.2024
            staff(p, "S1", "eve", birth_date=dt.date(2000, 2, 28), ped_experience_years=1)
            for p in ("2023/2024", "2024/2025")
        ],
    )
    insert_rows(con, "core.ict", [ict("2024/2025", "S1")])
    build_marts(con)
    ages = con.execute("SELECT period, staff_id, age FROM mart.staff_person ORDER BY ALL").fetchall()
    assert ages == [
        ("2023/2024", "eve", 23),
        ("2023/2024", "leap", 22),
        ("2024/2025", "eve", 24),
        ("2024/2025", "leap", 23),
    ]
    assert inst_value(con, "STAFF_MEAN_AGE", "S1", "2023/2024")[2] == pytest.approx(22.5)  # (22 + 23) / 2


def test_region_scale_invariants(tmp_path: Path) -> None:
    """~1,000 institutions, 30 staff each, 5 periods: aggregates are sums (speed is measured in benchmarks/)."""
    con = new_warehouse(tmp_path)
    fill_synthetic(con)
    build_marts(con)  # warm-up: the first build also creates the objects
    build_marts(con)  # a rebuild of a built warehouse gives the same invariants
    # region aggregates (all types) equal the sums of the institution rows, except the pupil-weighted index
    mismatches = con.execute(
        """
        WITH inst AS (
            SELECT period, indicator_code, sum(numerator) AS n, sum(denominator) AS d
            FROM mart.indicator_values WHERE level = 'institution' GROUP BY ALL
        )
        SELECT count(*) FROM mart.indicator_values AS r JOIN inst USING (period, indicator_code)
        WHERE r.level = 'region' AND r.inst_type = 'all' AND r.indicator_code <> 'ICT_READINESS_INDEX'
          AND (abs(r.numerator - inst.n) > 1e-6 OR coalesce(abs(r.denominator - inst.d) > 1e-6, FALSE)
               OR (r.denominator IS NULL) <> (inst.d IS NULL))
        """
    ).fetchone()
    assert mismatches == (0,)
    # municipality rows of one type add up to the region row of that type
    mismatches = con.execute(
        """
        WITH muni AS (
            SELECT period, indicator_code, inst_type, sum(numerator) AS n
            FROM mart.indicator_values WHERE level = 'municipality' GROUP BY ALL
        )
        SELECT count(*) FROM mart.indicator_values AS r JOIN muni USING (period, indicator_code, inst_type)
        WHERE r.level = 'region' AND abs(r.numerator - muni.n) > 1e-6 * greatest(1, abs(muni.n))
        """
    ).fetchone()
    assert mismatches == (0,)
    counts = con.execute(
        """
        SELECT count(DISTINCT period), count(DISTINCT inst_id), count(DISTINCT indicator_code)
        FROM mart.indicator_values WHERE level = 'institution'
        """
    ).fetchone()
    # no needs survey at region scale here: STAFF_NEEDS_SURVEYED is not published
    assert counts == (5, 1000, 36)
    # 20 institutions never send ict rows (inst i % 50 = 7)
    missing = con.execute("SELECT count(*) FROM dq.warnings WHERE rule = 'missing_submission'").fetchone()
    assert missing == (20,)


def test_rebuild_of_some_periods_equals_full_rebuild(tmp_path: Path) -> None:
    """A load that touched one period rebuilds that period only, with the same result as a full build."""
    con = built_warehouse(tmp_path, fill_synthetic)
    period = con.execute("SELECT max(period) FROM core.staff").fetchone()[0]
    # a corrected file: one institution loses half of its staff in the latest period
    inst_id = con.execute("SELECT min(inst_id) FROM core.staff WHERE period = ?", [period]).fetchone()[0]
    con.execute(
        "DELETE FROM core.staff WHERE period = ? AND inst_id = ? AND hash(staff_id) % 2 = 0",
        [period, inst_id],
    )
    # parallel sums may differ in the last bit: compare to 6 decimals
    rows_sql = (
        "SELECT period, level, municipality, inst_type, inst_id, indicator_code, round(numerator, 6), "
        "round(denominator, 6), round(value, 6) FROM mart.indicator_values ORDER BY ALL"
    )
    build_marts(con, periods={period})
    partial = con.execute(rows_sql).fetchall()
    before = con.execute(
        "SELECT value FROM mart.indicator_values WHERE level = 'institution' AND inst_id = ? "
        "AND period = ? AND indicator_code = 'STAFF_COUNT'",
        [inst_id, period],
    ).fetchone()
    build_marts(con)
    full = con.execute(rows_sql).fetchall()
    assert partial == full
    staff_count = con.execute(
        "SELECT count(*) FROM core.staff WHERE period = ? AND inst_id = ? "
        "AND position NOT IN ('head', 'deputy_head') AND employment <> 'external'",
        [period, inst_id],
    ).fetchone()
    assert before == (float(staff_count[0]),)
