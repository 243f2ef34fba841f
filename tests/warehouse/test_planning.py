"""The planning indicators by hand: STAFF_NEEDS_SURVEYED, STAFF_YOUNG_WITH_MENTOR (and the mentor warning),
and the ОО-1 band edges of stg_staff_person.

Period 2024/2025, D = 2024-09-20; young specialist = under 35 with under 3 years of service.
  S1 (Северный, school): y1 y2 y3 y4 young, m1 a teacher (|P| = 5), h1 the head.
     y1's mentor m1 (P of S1: counts); y2's m2 works in S2 (another institution: does not count); y3's
     mentor is the head h1 (not pedagogical: does not count); y4 has none.
     needs: y1 twice (functional_literacy, digital: one person), m1 once, the head h1 (not in P), and
     'ghost' who has no staff row -> 2 of 5 surveyed.
  S2 (Южный, school): m2 a teacher, y5 young with mentor m2 -> 1 of 1; no survey -> no STAFF_NEEDS_SURVEYED.
  K1 (Южный, preschool): a survey but no staff rows -> nothing published.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from auth.identity import User
from tests.warehouse.conftest import new_warehouse
from tests.warehouse.helpers import insert_institutions, insert_rows, staff
from warehouse import queries
from warehouse.build import build_marts

P = "2024/2025"
d = dt.date
YOUNG = {"birth_date": d(1995, 1, 1), "ped_experience_years": 1}


def need(inst_id: str, staff_id: str, code: str, form: str | None = "course") -> dict[str, object]:
    return {
        "period": P,
        "inst_id": inst_id,
        "staff_id": staff_id,
        "need": code,
        "form": form,
        "batch_id": "b-n",
    }


@pytest.fixture(scope="module")
def planning(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    con = new_warehouse(Path(tmp_path_factory.mktemp("planning")))
    insert_institutions(
        con, ("S1", "school", "Северный"), ("S2", "school", "Южный"), ("K1", "preschool", "Южный")
    )
    insert_rows(
        con,
        "core.staff",
        [
            staff(P, "S1", "y1", mentor_staff_id="m1", **YOUNG),
            staff(P, "S1", "y2", mentor_staff_id="m2", **YOUNG),
            staff(P, "S1", "y3", mentor_staff_id="h1", **YOUNG),
            staff(P, "S1", "y4", **YOUNG),
            # m1: exactly 3 years of service -> ОО-1 band 3–5; born 25 years before D -> 25–29
            staff(P, "S1", "m1", birth_date=d(1999, 9, 20), ped_experience_years=3),
            staff(P, "S1", "h1", position="head"),
            staff(P, "S2", "m2", birth_date=d(2000, 9, 21), ped_experience_years=15),
            staff(P, "S2", "y5", mentor_staff_id="m2", birth_date=d(1990, 1, 1), ped_experience_years=2.9),
        ],
    )
    insert_rows(
        con,
        "core.staff_needs",
        [
            need("S1", "y1", "functional_literacy"),
            need("S1", "y1", "digital", "seminar"),
            need("S1", "m1", "functional_literacy", None),
            need("S1", "h1", "management"),
            need("S1", "ghost", "functional_literacy"),
            need("K1", "kx", "inclusive"),
        ],
    )
    build_marts(con)
    return con


def value(
    con: duckdb.DuckDBPyConnection, code: str, level: str, key: str | None
) -> tuple[float, float | None, float | None] | None:
    column = {"institution": "inst_id", "municipality": "municipality", "region": "level"}[level]
    row = con.execute(
        f"""
        SELECT numerator, denominator, value FROM mart.indicator_values
        WHERE period = ? AND indicator_code = ? AND level = ? AND inst_type = ?
          AND {column} = ?
        """,
        [P, code, level, "all" if level != "institution" else "school", key or level],
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


@pytest.mark.parametrize(
    ("code", "level", "key", "expected"),
    [
        # y1 only of y1..y4: the mentor in S2 and the head do not count
        ("STAFF_YOUNG_WITH_MENTOR", "institution", "S1", (1, 4, 25.0)),
        ("STAFF_YOUNG_WITH_MENTOR", "institution", "S2", (1, 1, 100.0)),
        ("STAFF_YOUNG_WITH_MENTOR", "region", None, (2, 5, 40.0)),
        ("STAFF_YOUNG_SPECIALISTS", "institution", "S1", (4, None, 4)),
        # y1 (two needs, one person) and m1; the head and 'ghost' count nowhere
        ("STAFF_NEEDS_SURVEYED", "institution", "S1", (2, 5, 40.0)),
        ("STAFF_NEEDS_SURVEYED", "region", None, (2, 5, 40.0)),
        ("STAFF_NEEDS_SURVEYED", "municipality", "Северный", (2, 5, 40.0)),
        # S2 ran no survey: not published, and not 0
        ("STAFF_NEEDS_SURVEYED", "institution", "S2", None),
        ("STAFF_NEEDS_SURVEYED", "municipality", "Южный", None),
    ],
)
def test_planning_indicators(
    planning: duckdb.DuckDBPyConnection,
    code: str,
    level: str,
    key: str | None,
    expected: tuple[float, float | None, float] | None,
) -> None:
    got = value(planning, code, level, key)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert (got[0], got[1]) == (expected[0], expected[1])
        assert got[2] == pytest.approx(expected[2])


def test_a_survey_without_staff_publishes_nothing(planning: duckdb.DuckDBPyConnection) -> None:
    rows = planning.execute("SELECT count(*) FROM mart.indicator_values WHERE inst_id = 'K1'").fetchone()
    assert rows == (0,)


def test_unknown_mentors_are_warnings(planning: duckdb.DuckDBPyConnection) -> None:
    rows = planning.execute(
        "SELECT inst_id, dataset, message_ru FROM dq.warnings WHERE rule = 'mentor_unknown' ORDER BY message_ru"
    ).fetchall()
    assert [(r[0], r[1]) for r in rows] == [("S1", "staff"), ("S1", "staff")]
    assert "y2" in rows[0][2] and "m2" in rows[0][2]
    assert "y3" in rows[1][2] and "h1" in rows[1][2]
    # the rows themselves are loaded and keep their values
    kept = planning.execute("SELECT mentor_staff_id FROM core.staff WHERE staff_id = 'y2'").fetchone()
    assert kept == ("m2",)


def test_oo1_band_edges(planning: duckdb.DuckDBPyConnection) -> None:
    rows = dict(
        (r[0], (r[1], r[2], r[3]))
        for r in planning.execute(
            "SELECT staff_id, age, age_band, oo1_experience_band FROM staging.stg_staff_person"
        ).fetchall()
    )
    # a 25-year-old is in 25–29; 3 years of service is in 3–5
    assert rows["m1"] == (25, "25-29", "3-5")
    # 23 (birthday the day after D): under 25; 15 years: 15–20
    assert rows["m2"] == (23, "<25", "15-20")
    # 2.9 years: under 3
    assert rows["y5"][2] == "<3"


@pytest.fixture(scope="module")
def forecast_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Birthdays on the edges of the 60+ forecast (D = 2024-09-20; k years: born on or before D + k − 60)."""
    folder = Path(tmp_path_factory.mktemp("forecast"))
    con = new_warehouse(folder)
    insert_institutions(con, ("S1", "school", "Северный"))
    insert_rows(
        con,
        "core.staff",
        [
            staff(P, "S1", "sixty_at_d", birth_date=d(1964, 9, 20)),  # 60 on D: in every horizon
            staff(P, "S1", "sixty_at_1y", birth_date=d(1965, 9, 20)),  # 60 exactly on D + 1 year: within 1
            staff(P, "S1", "day_after_1y", birth_date=d(1965, 9, 21)),  # a day later: within 3, not 1
            staff(P, "S1", "sixty_at_5y", birth_date=d(1969, 9, 20)),  # 60 exactly on D + 5 years: within 5
            staff(P, "S1", "day_after_5y", birth_date=d(1969, 9, 21)),  # never within 5
        ],
    )
    build_marts(con)
    con.close()
    return folder / "w.duckdb"


def test_retirement_forecast_edges(forecast_db: Path) -> None:
    forecast = queries.retirement_age_forecast(forecast_db, User(login="a", role="admin"), queries.Scope(P))
    assert [tuple(int(v) for v in r) for r in forecast.itertuples(index=False)] == [(1, 2), (3, 3), (5, 4)]
