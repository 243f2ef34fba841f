"""dq.warnings computed by the build: year-on-year jumps, outliers, missing submissions."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.warehouse.conftest import new_warehouse
from tests.warehouse.helpers import ict, insert_rows, institution, staff
from warehouse.build import build_marts

NBSP = "\u00a0"


def warnings(con: duckdb.DuckDBPyConnection, rule: str | None = None) -> list[tuple]:
    return con.execute(
        """
        SELECT batch_id, period, dataset, inst_id, rule, message_ru FROM dq.warnings
        WHERE ? IS NULL OR rule = ?
        ORDER BY rule, inst_id, dataset
        """,
        [rule, rule],
    ).fetchall()


def test_year_on_year_changes(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    assert warnings(main_warehouse, "yoy_change") == [
        # K1 pupils 180 -> 120: (120 − 180) / 180 = −33.3 %, beyond 33 %
        (
            "b-ict-K1-2024",
            "2024/2025",
            "ict",
            "K1",
            "yoy_change",
            "Численность обучающихся (воспитанников) изменилась на −33,3 % (с 180 до 120) "
            "по сравнению с 2023/2024 учебным годом",
        ),
        # S1 |P| 5 -> 8: +60 %. S1's pupils 301 -> 400 (+32.9 %) stay under the threshold; S2 and K1's
        # staff did not change; X1 sent nothing for 2024/2025 (a missing submission, not a change)
        (
            "b-staff-S1-2024",
            "2024/2025",
            "staff",
            "S1",
            "yoy_change",
            "Численность педагогических работников изменилась на +60,0 % (с 5 до 8) "
            "по сравнению с 2023/2024 учебным годом",
        ),
    ]


def test_missing_submissions_for_the_latest_period(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    got = [(w[0], w[1], w[2], w[3]) for w in warnings(main_warehouse, "missing_submission")]
    # A1 sent no ict; W1 (innovation only) and X1 (nothing) sent neither. No batch: nothing was loaded
    assert got == [
        (None, "2024/2025", "ict", "A1"),
        (None, "2024/2025", "ict", "W1"),
        (None, "2024/2025", "staff", "W1"),
        (None, "2024/2025", "ict", "X1"),
        (None, "2024/2025", "staff", "X1"),
    ]
    messages = {(w[3], w[2]): w[5] for w in warnings(main_warehouse, "missing_submission")}
    assert (
        messages[("X1", "staff")]
        == "Не представлены сведения о педагогических работниках за 2024/2025 учебный год"
    )
    assert messages[("X1", "ict")] == "Не представлены сведения об информатизации за 2024/2025 учебный год"


def test_no_outliers_in_the_small_warehouse(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    # 2024/2025 schools' PCs per 100 pupils: S1 7.5, Z1 5, S2 0 -> median 5, MAD 2.5, S2's z = −1.35;
    # boards per 100: 2, 0, 0 -> MAD 0, skipped; preschools: K1 alone -> MAD 0
    assert warnings(main_warehouse, "outlier_mad") == []


def outlier_warehouse(folder: Path) -> duckdb.DuckDBPyConnection:
    """Six schools and two preschools with only ict rows; learning PCs per 100 pupils = the PC count."""
    con = new_warehouse(folder)
    schools = {"S1": 10, "S2": 11, "S3": 12, "S4": 13, "S5": 14, "S6": 60}
    preschools = {"K1": 1, "K2": 100}
    insert_rows(
        con,
        "core.institutions",
        [institution(i, "school", "М") for i in schools]
        + [institution(i, "preschool", "М") for i in preschools],
    )
    insert_rows(
        con,
        "core.ict",
        [
            # every school has the same boards (0) -> MAD 0 for ICT_INTERACTIVE_PER_100: no warnings
            ict(
                "2024/2025", i, students=100, computers_total=100, computers_learning=n, computers_internet=n,
                computers_learning_internet=n, interactive_boards=0,
            )
            for i, n in (schools | preschools).items()
        ],
    )  # fmt: skip
    build_marts(con)
    return con


def test_outliers_among_institutions_of_the_same_type(tmp_path: Path) -> None:
    con = outlier_warehouse(tmp_path)
    got = warnings(con, "outlier_mad")
    # schools: 10 11 12 13 14 60 -> median 12.5; |x − 12.5| = 2.5 1.5 0.5 0.5 1.5 47.5 -> MAD 1.5
    # S6: 0.6745 × 47.5 / 1.5 = 21.36 > 3.5 (S1: 0.6745 × 2.5 / 1.5 = 1.12). Both per-100 ratios of the
    # learning PCs (with and without Internet) are checked.
    # Preschools 1 and 100: median 50.5, MAD 49.5, |z| = 0.6745. Pooled with the schools (median 12.5,
    # MAD 2) K1 would have scored −3.88: the comparison is within a type.
    assert [(w[0], w[2], w[3]) for w in got] == [("b-ict-S6-2024", "ict", "S6")] * 2
    assert sorted(w[5] for w in got) == [
        "Значение показателя «Число ПК, используемых в учебных целях и имеющих доступ к Интернету, на 100 "
        "обучающихся» (60,0 ед.) резко отличается от значений организаций того же типа "
        "(медиана 12,5 ед.; модифицированная z-оценка 21,4, порог 3,5)",
        "Значение показателя «Число ПК, используемых в учебных целях, в расчёте на 100 обучающихся» "
        "(60,0 ед.) резко отличается от значений организаций того же типа "
        "(медиана 12,5 ед.; модифицированная z-оценка 21,4, порог 3,5)",
    ]


def test_outlier_threshold_is_a_setting(tmp_path: Path) -> None:
    con = outlier_warehouse(tmp_path)
    con.execute("UPDATE meta.settings SET value = '25' WHERE key = 'outlier_z'")
    build_marts(con)
    assert warnings(con, "outlier_mad") == []  # 21.36 < 25


def test_yoy_threshold_is_a_setting(tmp_path: Path) -> None:
    con = new_warehouse(tmp_path)
    insert_rows(con, "core.institutions", [institution("S1", "school", "М")])
    insert_rows(
        con, "core.ict", [ict("2023/2024", "S1", students=1000), ict("2024/2025", "S1", students=1200)]
    )
    insert_rows(con, "core.staff", [staff(p, "S1", "a") for p in ("2023/2024", "2024/2025")])
    build_marts(con)
    assert warnings(con) == []  # +20 %
    con.execute("UPDATE meta.settings SET value = '0.1' WHERE key = 'yoy_warning_share'")
    build_marts(con)
    # thousands are separated by a non-breaking space
    assert [w[5] for w in warnings(con)] == [
        f"Численность обучающихся (воспитанников) изменилась на +20,0 % (с 1{NBSP}000 до 1{NBSP}200) "
        "по сравнению с 2023/2024 учебным годом"
    ]


def test_yoy_needs_the_immediately_previous_period(tmp_path: Path) -> None:
    con = new_warehouse(tmp_path)
    insert_rows(con, "core.institutions", [institution("S1", "school", "М")])
    # 2022/2023 -> 2024/2025 skips a year: nothing to compare with
    insert_rows(con, "core.ict", [ict("2022/2023", "S1", students=100), ict("2024/2025", "S1", students=300)])
    insert_rows(con, "core.staff", [staff(p, "S1", "a") for p in ("2022/2023", "2024/2025")])
    build_marts(con)
    assert warnings(con) == []


@pytest.mark.parametrize("rule", ["yoy_change", "outlier_mad", "missing_submission"])
def test_rebuild_does_not_duplicate_warnings(tmp_path: Path, rule: str) -> None:
    con = outlier_warehouse(tmp_path)
    insert_rows(con, "core.institutions", [institution("NEW", "school", "М")])
    insert_rows(con, "core.ict", [ict("2023/2024", "S1", students=10)])
    build_marts(con)
    first = warnings(con, rule)
    assert first  # every rule fires here: S1 10 -> 100 pupils, S6's outlier, staff of every school missing
    build_marts(con)
    assert warnings(con, rule) == first


def test_warnings_of_other_rules_are_kept(tmp_path: Path) -> None:
    con = new_warehouse(tmp_path)
    con.execute(
        "INSERT INTO dq.warnings VALUES ('b1', '2024/2025', 'staff', 'S1', 'loader_notice', 'Неизвестный столбец')"
    )
    build_marts(con)
    build_marts(con)
    assert warnings(con) == [("b1", "2024/2025", "staff", "S1", "loader_notice", "Неизвестный столбец")]
