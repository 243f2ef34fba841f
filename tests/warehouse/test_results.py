"""The results indicators (indicators.md, «Results») against values computed by hand.

Period 2024/2025. Registry: R1 and R2 schools of Северный, R3 a school of Южный. Pupils (ict): R1 200,
R3 100; R2 sent no ict form.

ГИА of R1 (ЕГЭ minimum scores: Russian 24, profile mathematics 27):
  ЕГЭ russian        scores 24 (exactly the minimum: passed), 23 (not passed), 80, 81, 100
  ЕГЭ math_profile   scores 27 (passed), 26 (not passed), 81
  ЕГЭ math_base      marks 2 (not passed), 3, 5
  ГВЭ-11 russian     marks 2 (not passed), 4
  ОГЭ russian        marks 2, 3, 4, 5
  ОГЭ math           marks 3, 3;   ГВЭ-9 math   mark 2
ГИА of R2: ЕГЭ russian scores 50, 90.

ВПР of R1 (mark, journal mark):
  math, grade 5      (5, 5) (4, 5) (3, 2) (2, —) (4, 4)
  russian, grade 4   (3, 3) (2, 3)
ВПР of R3: math, grade 5: (5, —).

Olympiad of R1 (subject as written → one normalised subject «математика»):
  school     «Математика » O1, «математика» O2, «Физика» O1
  municipal  «МАТЕМАТИКА» O1 winner, «математика» O2 participant, «Физика» O3 prize winner
  regional   «математика  » O1 participant
Olympiad of R2: school «Химия» O9 (a subject with school-stage rows only).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from etl.results import subject_key
from tests.warehouse.conftest import built_warehouse, new_warehouse
from tests.warehouse.helpers import ict, insert_institutions, insert_rows
from warehouse.build import build_marts
from warehouse.settings import set_period_setting

P = "2024/2025"


def exam(inst_id: str, exam_code: str, grade: int, subject: str, n: int, score: Any = None, mark: Any = None):
    return {
        "period": P,
        "inst_id": inst_id,
        "exam": exam_code,
        "grade": grade,
        "subject": subject,
        "participant_id": f"{inst_id}-{exam_code}-{subject}-{n}",
        "primary_score": None,
        "score": score,
        "mark": mark,
        "batch_id": "b-exam",
    }


def vpr(inst_id: str, grade: int, subject: str, n: int, mark: int, journal: int | None, period: str = P):
    return {
        "period": period,
        "inst_id": inst_id,
        "grade": grade,
        "subject": subject,
        "participant_id": f"{inst_id}-{subject}-{grade}-{n}",
        "primary_score": None,
        "mark": mark,
        "journal_mark": journal,
        "batch_id": "b-vpr",
    }


def oly(inst_id: str, stage: str, subject: str, participant: str, status: str = "participant"):
    # the loader stores the normalised subject beside the written one (etl/results.py)
    key = subject_key(pd.Series([subject], dtype="str")).iloc[0]
    return {
        "period": P,
        "inst_id": inst_id,
        "stage": stage,
        "subject": subject,
        "subject_key": key,
        "grade": 7,
        "participant_id": participant,
        "score": None,
        "status": status,
        "batch_id": "b-oly",
    }


def fill_results(con: duckdb.DuckDBPyConnection) -> None:
    insert_institutions(
        con, ("R1", "school", "Северный"), ("R2", "school", "Северный"), ("R3", "school", "Южный")
    )
    insert_rows(con, "core.ict", [ict(P, "R1", students=200), ict(P, "R3", students=100)])
    rows = []
    for n, score in enumerate([24, 23, 80, 81, 100]):
        rows.append(exam("R1", "ege", 11, "russian", n, score=score))
    for n, score in enumerate([27, 26, 81]):
        rows.append(exam("R1", "ege", 11, "math_profile", n, score=score))
    for n, mark in enumerate([2, 3, 5]):
        rows.append(exam("R1", "ege", 11, "math_base", n, mark=mark))
    for n, mark in enumerate([2, 4]):
        rows.append(exam("R1", "gve", 11, "russian", n, mark=mark))
    for n, mark in enumerate([2, 3, 4, 5]):
        rows.append(exam("R1", "oge", 9, "russian", n, mark=mark))
    for n, mark in enumerate([3, 3]):
        rows.append(exam("R1", "oge", 9, "math", n, mark=mark))
    rows.append(exam("R1", "gve", 9, "math", 0, mark=2))
    for n, score in enumerate([50, 90]):
        rows.append(exam("R2", "ege", 11, "russian", n, score=score))
    insert_rows(con, "core.exam_results", rows)
    marks = [(5, 5), (4, 5), (3, 2), (2, None), (4, 4)]
    vpr_rows = [vpr("R1", 5, "math", n, m, j) for n, (m, j) in enumerate(marks)]
    vpr_rows += [vpr("R1", 4, "russian", n, m, j) for n, (m, j) in enumerate([(3, 3), (2, 3)])]
    vpr_rows.append(vpr("R3", 5, "math", 0, 5, None))
    insert_rows(con, "core.vpr_results", vpr_rows)
    insert_rows(
        con,
        "core.olympiad",
        [
            oly("R1", "school", "Математика ", "O1"),
            oly("R1", "school", "математика", "O2"),
            oly("R1", "school", "Физика", "O1"),
            oly("R1", "municipal", "МАТЕМАТИКА", "O1", "winner"),
            oly("R1", "municipal", "математика", "O2"),
            oly("R1", "municipal", "Физика", "O3", "prize_winner"),
            oly("R1", "regional", "математика  ", "O1"),
            oly("R2", "school", "Химия", "O9"),
        ],
    )


@pytest.fixture(scope="module")
def results_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    con = built_warehouse(tmp_path_factory.mktemp("results"), fill_results)
    yield con
    con.close()


def rows_of(
    con: duckdb.DuckDBPyConnection, code: str, level: str = "institution", **where: Any
) -> dict[tuple[Any, Any], tuple[Any, Any, Any]]:
    """{(subject, grade): (numerator, denominator, value)} of one indicator at one place."""
    conditions = ["period = ?", "indicator_code = ?", "level = ?"]
    params: list[Any] = [P, code, level]
    for column in ("inst_id", "municipality", "inst_type"):
        if column in where:
            conditions.append(f"{column} IS NOT DISTINCT FROM ?")
            params.append(where[column])
    found = con.execute(
        "SELECT subject, grade, numerator, denominator, value FROM mart.indicator_values WHERE "
        + " AND ".join(conditions),
        params,
    ).fetchall()
    result = {(r[0], r[1]): (r[2], r[3], r[4]) for r in found}
    assert len(result) == len(found), found
    return result


def approx(expected: dict[tuple[Any, Any], tuple[Any, Any, Any]]) -> Any:
    return {k: tuple(pytest.approx(x) if x is not None else None for x in v) for k, v in expected.items()}


# (subject, grade) -> (numerator, denominator, value) for R1, every results indicator
R1_EXPECTED: dict[str, dict[tuple[Any, Any], tuple[Any, Any, Any]]] = {
    # 5 Russian + 3 profile + 3 base = 11 ЕГЭ rows; ГВЭ-11 is not ЕГЭ
    "EGE_PARTICIPANTS": {
        ("russian", None): (5, None, 5),
        ("math_profile", None): (3, None, 3),
        ("math_base", None): (3, None, 3),
        ("all", None): (11, None, 11),
    },
    # (24 + 23 + 80 + 81 + 100) / 5 = 61.6; (27 + 26 + 81) / 3; base mathematics has no score; no 'all'
    "EGE_MEAN_SCORE": {("russian", None): (308, 5, 61.6), ("math_profile", None): (134, 3, 134 / 3)},
    # 81 and 100 of 5 (80 is not high); 81 of 3; all: 3 of the 8 scored rows
    "EGE_HIGH_SCORE": {
        ("russian", None): (2, 5, 40.0),
        ("math_profile", None): (1, 3, 100 / 3),
        ("all", None): (3, 8, 37.5),
    },
    "EGE_100": {
        ("russian", None): (1, None, 1),
        ("math_profile", None): (0, None, 0),
        ("all", None): (1, None, 1),
    },
    # Russian: ЕГЭ 23 and ГВЭ-11 «2» of 5 + 2 (24 on the minimum passes); profile: 26 of 3; base: «2» of 3
    "GIA11_NOT_PASSED": {
        ("russian", None): (2, 7, 200 / 7),
        ("math_profile", None): (1, 3, 100 / 3),
        ("math_base", None): (1, 3, 100 / 3),
        ("all", None): (4, 13, 400 / 13),
    },
    # ГИА-9: ОГЭ and ГВЭ-9 alike
    "GIA9_PARTICIPANTS": {
        ("russian", None): (4, None, 4),
        ("math", None): (3, None, 3),
        ("all", None): (7, None, 7),
    },
    "GIA9_MEAN_MARK": {
        ("russian", None): (14, 4, 3.5),
        ("math", None): (8, 3, 8 / 3),
        ("all", None): (22, 7, 22 / 7),
    },
    "GIA9_SUCCESS": {
        ("russian", None): (3, 4, 75.0),
        ("math", None): (2, 3, 200 / 3),
        ("all", None): (5, 7, 500 / 7),
    },
    "GIA9_QUALITY": {
        ("russian", None): (2, 4, 50.0),
        ("math", None): (0, 3, 0.0),
        ("all", None): (2, 7, 200 / 7),
    },
    "VPR_PARTICIPANTS": {
        ("math", 5): (5, None, 5),
        ("russian", 4): (2, None, 2),
        ("all", None): (7, None, 7),
    },
    "VPR_SUCCESS": {("math", 5): (4, 5, 80.0), ("russian", 4): (1, 2, 50.0), ("all", None): (5, 7, 500 / 7)},
    "VPR_QUALITY": {("math", 5): (3, 5, 60.0), ("russian", 4): (0, 2, 0.0), ("all", None): (3, 7, 300 / 7)},
    # the row without a journal mark enters neither side: math 2 of 4, Russian 1 of 2, all 3 of 6
    "VPR_CONFIRMED": {("math", 5): (2, 4, 50.0), ("russian", 4): (1, 2, 50.0), ("all", None): (3, 6, 50.0)},
    "VPR_BELOW_JOURNAL": {
        ("math", 5): (1, 4, 25.0),
        ("russian", 4): (1, 2, 50.0),
        ("all", None): (2, 6, 100 / 3),
    },
    "VPR_ABOVE_JOURNAL": {
        ("math", 5): (1, 4, 25.0),
        ("russian", 4): (0, 2, 0.0),
        ("all", None): (1, 6, 100 / 6),
    },
    # distinct school-stage participants O1, O2 (O1 wrote two subjects) of 200 pupils
    "OLY_SCHOOL_PER_100": {("all", None): (2, 200, 1.0)},
    # «МАТЕМАТИКА», «математика» are one subject: O1 and O2
    "OLY_MUNICIPAL_PARTICIPANTS": {
        ("математика", None): (2, None, 2),
        ("физика", None): (1, None, 1),
        ("all", None): (3, None, 3),
    },
    "OLY_MUNICIPAL_WINNERS": {
        ("математика", None): (1, None, 1),
        ("физика", None): (1, None, 1),
        ("all", None): (2, None, 2),
    },
    "OLY_MUNICIPAL_EFFECTIVENESS": {
        ("математика", None): (1, 2, 50.0),
        ("физика", None): (1, 1, 100.0),
        ("all", None): (2, 3, 200 / 3),
    },
    # «математика  » of the regional stage is the same subject; physics has none (0 still published)
    "OLY_REGIONAL_PARTICIPANTS": {
        ("математика", None): (1, None, 1),
        ("физика", None): (0, None, 0),
        ("all", None): (1, None, 1),
    },
}


def test_r1_covers_every_results_indicator() -> None:
    from warehouse.catalog import load_catalog

    assert set(R1_EXPECTED) == {i.code for i in load_catalog() if i.area == "results"}


@pytest.mark.parametrize("code", sorted(R1_EXPECTED))
def test_r1_indicator(results_warehouse: duckdb.DuckDBPyConnection, code: str) -> None:
    assert rows_of(results_warehouse, code, inst_id="R1") == approx(R1_EXPECTED[code])


def test_publication_follows_the_data(results_warehouse: duckdb.DuckDBPyConnection) -> None:
    con = results_warehouse
    # R2 has only ЕГЭ Russian: no ГИА-9 row at all, no base mathematics
    assert rows_of(con, "EGE_MEAN_SCORE", inst_id="R2") == approx({("russian", None): (140, 2, 70.0)})
    assert rows_of(con, "GIA9_PARTICIPANTS", inst_id="R2") == {}
    assert rows_of(con, "VPR_PARTICIPANTS", inst_id="R2") == {}
    # a subject with school-stage rows only gets every olympiad indicator: counts 0, effectiveness NULL
    assert rows_of(con, "OLY_MUNICIPAL_PARTICIPANTS", inst_id="R2") == approx(
        {("химия", None): (0, None, 0), ("all", None): (0, None, 0)}
    )
    assert rows_of(con, "OLY_MUNICIPAL_EFFECTIVENESS", inst_id="R2") == {
        ("химия", None): (0, 0, None),
        ("all", None): (0, 0, None),
    }
    # OLY_SCHOOL_PER_100 needs the pupils of the ict form: R2 sent none, so it is not published
    assert rows_of(con, "OLY_SCHOOL_PER_100", inst_id="R2") == {}
    # R3 has ВПР without journal marks: the confirmation rows exist with NULL values (0 / 0)
    assert rows_of(con, "VPR_CONFIRMED", inst_id="R3") == {
        ("math", 5): (0, 0, None),
        ("all", None): (0, 0, None),
    }
    # R3 sent no olympiad: no coverage row even though it has pupils
    assert rows_of(con, "OLY_SCHOOL_PER_100", inst_id="R3") == {}
    # every other area keeps subject and grade NULL; results rows always carry a subject
    bad = con.execute(
        """
        SELECT count(*) FROM mart.indicator_values v JOIN mart.indicator_catalog c USING (indicator_code)
        WHERE (c.area = 'results') <> (v.subject IS NOT NULL)
           OR (v.grade IS NOT NULL AND c.breakdown <> 'subject_grade')
        """
    ).fetchone()
    assert bad == (0,)


@pytest.mark.parametrize(
    ("code", "level", "municipality", "inst_type", "expected"),
    [
        # R1 + R2 summed: (308 + 140) / (5 + 2) = 64, not the mean of 61.6 and 70
        ("EGE_MEAN_SCORE", "municipality", "Северный", "school", {
            ("russian", None): (448, 7, 64.0), ("math_profile", None): (134, 3, 134 / 3),
        }),
        # no 'all' row for the mean score at any level
        (
            "EGE_MEAN_SCORE",
            "region",
            None,
            "all",
            {("russian", None): (448, 7, 64.0), ("math_profile", None): (134, 3, 134 / 3)},
        ),
        # 'all' sums the institutions' all rows: (3 + 1) / (8 + 2)
        ("EGE_HIGH_SCORE", "municipality", "Северный", "all", {
            ("russian", None): (3, 7, 300 / 7), ("math_profile", None): (1, 3, 100 / 3), ("all", None): (4, 10, 40.0),
        }),
        ("GIA11_NOT_PASSED", "region", None, "school", {
            ("russian", None): (2, 9, 200 / 9), ("math_profile", None): (1, 3, 100 / 3),
            ("math_base", None): (1, 3, 100 / 3), ("all", None): (4, 15, 400 / 15),
        }),
        # math grade 5: R1 3 of 5 and R3 1 of 1 (Южный), all over both
        ("VPR_QUALITY", "region", None, "all", {
            ("math", 5): (4, 6, 400 / 6), ("russian", 4): (0, 2, 0.0), ("all", None): (4, 8, 50.0),
        }),
        ("VPR_QUALITY", "municipality", "Южный", "school", {("math", 5): (1, 1, 100.0), ("all", None): (1, 1, 100.0)}),
        # R3 adds 0 / 0 to the confirmations
        ("VPR_CONFIRMED", "region", None, "all", {
            ("math", 5): (2, 4, 50.0), ("russian", 4): (1, 2, 50.0), ("all", None): (3, 6, 50.0),
        }),
        # R2 (no ict) does not enter the coverage: 2 / 200
        ("OLY_SCHOOL_PER_100", "municipality", "Северный", "all", {("all", None): (2, 200, 1.0)}),
        ("OLY_MUNICIPAL_PARTICIPANTS", "region", None, "school", {
            ("математика", None): (2, None, 2), ("физика", None): (1, None, 1), ("химия", None): (0, None, 0),
            ("all", None): (3, None, 3),
        }),
    ],
)  # fmt: skip
def test_aggregates_sum_numerators_and_denominators(
    results_warehouse: duckdb.DuckDBPyConnection,
    code: str,
    level: str,
    municipality: str | None,
    inst_type: str,
    expected: dict[tuple[Any, Any], tuple[Any, Any, Any]],
) -> None:
    found = rows_of(
        results_warehouse, code, level, municipality=municipality, inst_type=inst_type, inst_id=None
    )
    assert found == approx(expected)


def test_all_rows_are_sums_of_subject_rows(results_warehouse: duckdb.DuckDBPyConnection) -> None:
    """Wherever a subject breakdown has an 'all' row, its numerator and denominator are the subjects' sums
    (a result row counts once)."""
    mismatches = results_warehouse.execute(
        """
        WITH v AS (SELECT * FROM mart.indicator_values WHERE subject IS NOT NULL),
        sums AS (
            SELECT period, level, municipality, inst_type, inst_id, indicator_code,
                   sum(numerator) AS numerator, sum(denominator) AS denominator
            FROM v WHERE subject <> 'all' GROUP BY ALL
        )
        SELECT count(*) FROM v JOIN sums USING (period, level, municipality, inst_type, inst_id, indicator_code)
        WHERE v.subject = 'all'
          AND (v.numerator IS DISTINCT FROM sums.numerator OR v.denominator IS DISTINCT FROM sums.denominator)
        """
    ).fetchone()
    assert mismatches == (0,)
    assert results_warehouse.execute(
        "SELECT count(*) FROM mart.indicator_values WHERE indicator_code = 'EGE_MEAN_SCORE' AND subject = 'all'"
    ).fetchone() == (0,)


def test_minimum_score_is_a_setting_per_period(tmp_path: Path) -> None:
    """A period's override of the Russian minimum (24 → 25) fails the score of 24; other periods keep 24."""
    con = new_warehouse(tmp_path)
    fill_results(con)
    set_period_setting(con, P, "ege_min_score_russian", "25")
    build_marts(con)
    # Russian: 24 and 23 and the ГВЭ «2» now fail: 3 of 7
    assert (
        rows_of(con, "GIA11_NOT_PASSED", inst_id="R1")[("russian", None)] == approx({0: (3, 7, 300 / 7)})[0]
    )
    set_period_setting(con, P, "ege_min_score_russian", None)
    build_marts(con)
    assert rows_of(con, "GIA11_NOT_PASSED", inst_id="R1")[("russian", None)][:2] == (2, 7)
    con.close()


def test_an_older_mart_without_the_breakdown_is_rebuilt_whole(tmp_path: Path) -> None:
    """A warehouse built before the results has mart.indicator_values without subject and grade: a load's
    per-period rebuild cannot append to it, so the table is recreated whole."""
    con = built_warehouse(tmp_path, fill_results)
    con.execute(
        "CREATE OR REPLACE TABLE mart.indicator_values AS SELECT * EXCLUDE (subject, grade) FROM mart.indicator_values WHERE subject IS NULL"
    )
    build_marts(con, {P})
    columns = [r[0] for r in con.execute("DESCRIBE mart.indicator_values").fetchall()]
    assert columns[6:8] == ["subject", "grade"]
    assert rows_of(con, "EGE_MEAN_SCORE", inst_id="R1")[("russian", None)] == approx({0: (308, 5, 61.6)})[0]
    con.close()
