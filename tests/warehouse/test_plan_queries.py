"""The planning lists by hand: the month each person falls due for training (overdue first), their named
needs, the five-year attestation counts across the 01.09.2023 rule, and a director seeing only their own people.

D = 2024-09-20; the planning year is [2024-09-20, 2025-09-20); training is due 3 years after the last one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from auth.identity import User
from tests.warehouse.conftest import new_warehouse
from tests.warehouse.helpers import insert_rows, institution, staff
from warehouse import queries
from warehouse.build import build_marts

P = "2024/2025"
d = dt.date
ADMIN = User(login="a", role="admin")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(tmp_path_factory.mktemp("plan"))
    con = new_warehouse(folder)
    insert_rows(
        con, "core.institutions", [institution("S1", "school", "Север"), institution("S2", "school", "Юг")]
    )
    insert_rows(
        con,
        "core.staff",
        [
            # training: t1 never trained and t2's term ended 2024-06-01 (overdue, D's month); t3 due 2025-03-15;
            # t4's term ends exactly on D + 1 year (not due); t5's ends exactly on D (due, not overdue)
            staff(P, "S1", "t1"),
            staff(P, "S1", "t2", last_training_date=d(2021, 6, 1)),
            staff(P, "S1", "t3", last_training_date=d(2022, 3, 15)),
            staff(P, "S1", "t4", last_training_date=d(2022, 9, 20)),
            staff(P, "S1", "t5", last_training_date=d(2021, 9, 20)),
            # attestation (all trained recently, so not in the training plan)
            # a1: highest of 2019-09-20 -> 2024-09-20 = D: year 0, not lapsed; a2: first of 2019-05-15 lapsed
            staff(P, "S1", "a1", category="highest", category_date=d(2019, 9, 20), last_training_date=d(2024, 1, 1)),
            staff(P, "S1", "a2", category="first", category_date=d(2019, 5, 15), last_training_date=d(2024, 1, 1)),
            # a3: -> 2025-09-19 (year 0); a4: -> 2025-09-20 (year 1)
            staff(P, "S1", "a3", category="highest", category_date=d(2020, 9, 19), last_training_date=d(2024, 1, 1)),
            staff(P, "S1", "a4", category="first", category_date=d(2020, 9, 20), last_training_date=d(2024, 1, 1)),
            # a5: the last day of the old rule -> 2028-08-31 (year 3); a6: the first of the new -> indefinite
            staff(P, "S1", "a5", category="highest", category_date=d(2023, 8, 31), last_training_date=d(2024, 1, 1)),
            staff(P, "S1", "a6", category="highest", category_date=d(2023, 9, 1), last_training_date=d(2024, 1, 1)),
            # a7: an explicit term 2029-09-19 (year 4)
            staff(
                P, "S1", "a7", category="first", category_date=d(2024, 1, 1), category_valid_until=d(2029, 9, 19),
                last_training_date=d(2024, 1, 1),
            ),
            staff(P, "S2", "t6"),
        ],
    )  # fmt: skip
    insert_rows(
        con,
        "core.staff_needs",
        [
            {"period": P, "inst_id": "S1", "staff_id": "t3", "need": n, "form": "course", "batch_id": "b"}
            for n in ("functional_literacy", "digital")
        ],
    )
    build_marts(con)
    con.close()
    return folder / "w.duckdb"


def test_training_plan_months_and_overdue_first(db: Path) -> None:
    plan = queries.training_plan(db, ADMIN, queries.Scope(P))
    got = [(r.staff_id, bool(r.overdue), str(r.due_month)[:10]) for r in plan.itertuples()]
    assert got == [
        ("t1", True, "2024-09-01"),
        ("t2", True, "2024-09-01"),
        ("t6", True, "2024-09-01"),
        ("t5", False, "2024-09-01"),
        ("t3", False, "2025-03-01"),
    ]
    needs = {r.staff_id: list(r.needs) for r in plan.itertuples()}
    assert needs["t3"] == ["digital", "functional_literacy"] and needs["t1"] == []


def test_director_sees_only_their_people(db: Path) -> None:
    director = User(login="d", role="director", inst_id="S2")
    plan = queries.training_plan(db, director, queries.Scope(P))
    assert list(plan["staff_id"]) == ["t6"]


def test_attestation_plan_five_years(db: Path) -> None:
    plan = queries.attestation_plan(db, ADMIN, queries.Scope(P, inst_id="S1"))
    counts = {int(r.year_index): int(r.people) for r in plan.itertuples()}
    assert counts == {-1: 1, 0: 2, 1: 1, 3: 1, 4: 1}
    starts = {int(r.year_index): str(r.year_start)[:10] for r in plan.itertuples() if r.year_index >= 0}
    assert starts[0] == "2024-09-20" and starts[3] == "2027-09-20"
    assert int(plan.iloc[0]["year_index"]) == -1  # the lapsed first


def test_needs_summary_counts_people_of_p(db: Path) -> None:
    summary = queries.needs_summary(db, ADMIN, queries.Scope(P))
    assert [tuple(r) for r in summary[["need", "form", "people"]].itertuples(index=False)] == [
        ("digital", "course", 1),
        ("functional_literacy", "course", 1),
    ]


def test_retirement_forecast(db: Path) -> None:
    # everyone is born 1980-01-01 (44 at D): nobody reaches 60 within 5 years
    forecast = queries.retirement_age_forecast(db, ADMIN, queries.Scope(P))
    assert [tuple(r) for r in forecast.itertuples(index=False)] == [(1, 0), (3, 0), (5, 0)]
