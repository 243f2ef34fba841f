"""mart.result_flags (indicators.md, «Flags that need attention») against values computed by hand.

Six schools F1–F6 of Северный and an additional-education centre D1 write the ВПР in mathematics, grade 5.
2024/2025 (marks «2»/«3»/«4»/«5» by count; J = journal marks):
  F1  20 rows: 6×2, 4×3, 5×4, 5×5            bad 6 (30 %), quality 10 of 20
  F2  19 rows: 10×2, 9×3                     bad 10, but under 20 rows: never flagged
  F3  20 rows: 20×5                          quality 100 %
  F4  20 rows: 20×3, J 4 for 10 and 3 for 10 below the journal exactly 50 %
  F5  20 rows: 20×3, J 4 for 9 and 3 for 11  below 45 %; plus ЕГЭ Russian 10 (not passed) and 50, ОГЭ «2»
  F6  20 rows: 20×3, J 5 for 19, one without  below 19 of 19, but under 20 rows with a journal mark
  D1  20 rows: 20×2 (not a school: in no flag and in no "all schools" share)
All schools: 20 + 19 + 4 × 20 + 3 (F5's ГИА) = 122 rows, bad 6 + 10 + 2 = 18: 14.754 %; twice that 29.51 %.
F1's 30 % is at least 10 % and at least twice → low_results. ВПР quality of all schools: (10 + 20) / 119 =
25.21 %; F3's 100 % exceeds it by 74.79 points (≥ 30, 6 schools wrote it) → vpr_high_outlier.
2022/2023: F1 20×2, F3 20×5 → F1 100 % against 50 % (twice = 100 %: on the threshold) → low_results there;
2023/2024: F1 20×5 → nothing. So in 2024/2025 F1 is low_results_persistent (2022/2023 is two periods back).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.warehouse.conftest import built_warehouse, new_warehouse
from tests.warehouse.helpers import insert_rows, institution
from tests.warehouse.test_results import exam, vpr
from warehouse.build import build_marts
from warehouse.settings import set_period_setting

P = "2024/2025"
NBSP = "\u00a0"


def _vpr_rows(inst_id: str, marks: list[tuple[int, int | None]], period: str = P) -> list[dict[str, Any]]:
    return [vpr(inst_id, 5, "math", n, mark, journal, period) for n, (mark, journal) in enumerate(marks)]


def fill_flags(con: duckdb.DuckDBPyConnection) -> None:
    registry = [institution(f"F{n}", "school", "Северный") for n in range(1, 7)]
    registry.append(institution("D1", "additional", "Северный"))
    insert_rows(con, "core.institutions", registry)
    rows = _vpr_rows("F1", [(2, None)] * 6 + [(3, None)] * 4 + [(4, None)] * 5 + [(5, None)] * 5)
    rows += _vpr_rows("F2", [(2, None)] * 10 + [(3, None)] * 9)
    rows += _vpr_rows("F3", [(5, None)] * 20)
    rows += _vpr_rows("F4", [(3, 4)] * 10 + [(3, 3)] * 10)
    rows += _vpr_rows("F5", [(3, 4)] * 9 + [(3, 3)] * 11)
    rows += _vpr_rows("F6", [(3, 5)] * 19 + [(3, None)])
    rows += _vpr_rows("D1", [(2, None)] * 20)
    rows += _vpr_rows("F1", [(2, None)] * 20, "2022/2023") + _vpr_rows("F3", [(5, None)] * 20, "2022/2023")
    rows += _vpr_rows("F1", [(5, None)] * 20, "2023/2024")
    insert_rows(con, "core.vpr_results", rows)
    insert_rows(
        con,
        "core.exam_results",
        [
            exam("F5", "ege", 11, "russian", 0, score=10),
            exam("F5", "ege", 11, "russian", 1, score=50),
            exam("F5", "oge", 9, "russian", 0, mark=2),
        ],
    )


@pytest.fixture(scope="module")
def flags_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    con = built_warehouse(tmp_path_factory.mktemp("flags"), fill_flags)
    yield con
    con.close()


def flags(con: duckdb.DuckDBPyConnection, period: str = P) -> list[tuple[Any, ...]]:
    return con.execute(
        "SELECT inst_id, flag, subject, grade, value, threshold, message_ru, municipality FROM mart.result_flags "
        "WHERE period = ? ORDER BY inst_id, flag",
        [period],
    ).fetchall()


def test_flags_of_the_period(flags_warehouse: duckdb.DuckDBPyConnection) -> None:
    found = flags(flags_warehouse)
    assert [(r[0], r[1], r[2], r[3]) for r in found] == [
        ("F1", "low_results", None, None),
        ("F1", "low_results_persistent", None, None),
        ("F3", "vpr_high_outlier", "math", 5),
        ("F4", "vpr_journal_gap", "math", 5),
    ]
    by_flag = {(r[0], r[1]): r for r in found}
    low = by_flag[("F1", "low_results")]
    assert low[4] == pytest.approx(30.0) and low[5] == pytest.approx(1800 / 122)
    assert low[6] == (
        f"доля неудовлетворительных результатов 30,0{NBSP}% — вдвое выше, чем по всем школам (14,8{NBSP}%)"
    )
    assert low[7] == "Северный"
    persistent = by_flag[("F1", "low_results_persistent")]
    assert persistent[4:6] == low[4:6]
    assert persistent[6].endswith("и так же было в 2022/2023 уч. г.")
    outlier = by_flag[("F3", "vpr_high_outlier")]
    assert outlier[4] == pytest.approx(100.0) and outlier[5] == pytest.approx(3000 / 119)
    assert outlier[6] == (
        f"ВПР, математика, 5 класс: качество знаний 100,0{NBSP}% — на 74,8 п. п. выше, чем по всем школам "
        f"(25,2{NBSP}%)"
    )
    gap = by_flag[("F4", "vpr_journal_gap")]
    assert gap[4] == pytest.approx(50.0) and gap[5] == pytest.approx(50.0)  # exactly on the threshold
    assert gap[6] == (
        f"ВПР, математика, 5 класс: 50,0{NBSP}% участников получили отметку ниже, чем по журналу "
        f"(порог — 50,0{NBSP}%)"
    )


def test_earlier_periods(flags_warehouse: duckdb.DuckDBPyConnection) -> None:
    # 2022/2023: 100 % against all schools' 50 %: twice exactly; two schools are too few for an outlier
    found = flags(flags_warehouse, "2022/2023")
    assert [(r[0], r[1], r[4], r[5]) for r in found] == [("F1", "low_results", 100.0, 50.0)]
    assert flags(flags_warehouse, "2023/2024") == []


def test_thresholds_are_settings_per_period(tmp_path: Path) -> None:
    con = new_warehouse(tmp_path)
    fill_flags(con)
    # seven schools needed for an outlier in 2024/2025 (six wrote it), and a 60 % journal gap
    set_period_setting(con, P, "flag_vpr_outlier_min_schools", "7")
    set_period_setting(con, P, "flag_journal_gap_min_share", "60")
    build_marts(con)
    assert [(r[0], r[1]) for r in flags(con)] == [("F1", "low_results"), ("F1", "low_results_persistent")]
    con.close()
