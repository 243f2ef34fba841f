"""A small hand-made warehouse whose every indicator value is computed by hand in the tests.

Period 2024/2025, reporting date D = 2024-09-20 (the default setting), so:
  last 3 years   = (2021-09-20, 2024-09-20]
  next 12 months = [2024-09-20, 2025-09-20)
  training due   = no training, or last training + 3 years < 2025-09-20

Registry (municipality, type, locality) and what each sends for 2024/2025:
  S1  Северный  school      urban  staff, ict, innovation
  Z1  Северный  school      urban  staff (administrators only: |P| = 0), ict, one innovation record
  K1  Северный  preschool   urban  staff, ict, innovation
  S2  Южный     school      rural  staff, ict, no innovation
  A1  Южный     additional  urban  staff only (no ict), no innovation
  W1  Южный     preschool   urban  innovation only
  X1  Южный     school      urban  nothing (it sent staff and ict for 2023/2024)
2023/2024 (D = 2023-09-20) only feeds the year-on-year warnings: S1 |P| 5, S2 2, K1 2, X1 3;
pupils S1 301, S2 100, K1 180, X1 200.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.helpers import ict, innovation, insert_institutions, insert_rows, staff
from warehouse import read
from warehouse.build import build_marts
from warehouse.db import apply_schema

P = "2024/2025"
PREV = "2023/2024"
d = dt.date


def new_warehouse(folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(folder / "w.duckdb"))
    apply_schema(con)
    return con


def built_warehouse(
    folder: Path, fill: Callable[[duckdb.DuckDBPyConnection], None]
) -> duckdb.DuckDBPyConnection:
    """A new warehouse in `folder` with the rows of `fill` and its marts built."""
    con = new_warehouse(folder)
    fill(con)
    build_marts(con)
    return con


def warehouse_file(
    tmp_path_factory: pytest.TempPathFactory, name: str, fill: Callable[[duckdb.DuckDBPyConnection], None]
) -> Iterator[Path]:
    """For a module fixture (`yield from`): the warehouse of `fill` as a closed file, read through the read
    API, whose shared connections are closed afterwards."""
    folder = tmp_path_factory.mktemp(name)
    built_warehouse(folder, fill).close()
    yield folder / "w.duckdb"
    read.close_all()


def fill_main(con: duckdb.DuckDBPyConnection) -> None:
    insert_institutions(
        con,
        ("S1", "school", "Северный"),
        ("Z1", "school", "Северный"),
        ("K1", "preschool", "Северный"),
        ("S2", "school", "Южный", "rural"),
        ("A1", "additional", "Южный"),
        ("W1", "preschool", "Южный"),
        ("X1", "school", "Южный"),
    )
    insert_rows(
        con,
        "core.staff",
        [
            # --- S1: eight pedagogical staff (a, b, c, d, e, f, g, k) and three who are not counted
            # a: born exactly 35 years before D -> 35, not under 35; highest of 2019-05-15, derived validity
            #    2024-05-15 < D -> expired, no category; trained 2021-09-21 (just inside the 3 years)
            staff(
                P, "S1", "a", birth_date=d(1989, 9, 20), category="highest", category_date=d(2019, 5, 15),
                last_training_date=d(2021, 9, 21), ict_training=True, ped_experience_years=12,
            ),
            # b: 34, higher non-pedagogical; first of 2020-09-20 valid until 2025-09-20 = D + 1 year (valid,
            #    not due); trained 2021-09-20 = D − 3 years (outside); young specialist (34, 2 years)
            staff(
                P, "S1", "b", birth_date=d(1989, 9, 21), pedagogical_education=False, category="first",
                category_date=d(2020, 9, 20), last_training_date=d(2021, 9, 20), ped_experience_years=2,
            ),
            # c: internal part-timer, 55 on D; first valid until exactly D -> still valid and due for
            #    attestation; trained on D itself (inside); 31 years of experience
            staff(
                P, "S1", "c", employment="internal", birth_date=d(1969, 9, 20), category="first",
                category_date=d(2019, 9, 20), last_training_date=d(2024, 9, 20), ict_training=True,
                ped_experience_years=31,
            ),
            # d: psychologist, 54 (birthday the day after D), vocational education; highest assigned after
            #    2023-09-01 -> indefinite; never trained
            staff(
                P, "S1", "d", position="psychologist", birth_date=d(1969, 9, 21),
                education_level="secondary_vocational", category="highest", category_date=d(2024, 1, 10),
                ped_experience_years=30,
            ),
            # e: педагог-методист (counts as highest), indefinite; trained 2022-09-19: inside the 3 years,
            #    but 2025-09-19 < 2025-09-20 -> training due
            staff(
                P, "S1", "e", birth_date=d(1980, 1, 1), category="methodist", category_date=d(2022, 1, 1),
                last_training_date=d(2022, 9, 19), ict_training=True, ped_experience_years=20,
            ),
            # f: соответствие занимаемой должности = no category; trained 2022-09-20: + 3 years = D + 1 year,
            #    not before it -> not due; 34 with 4 years (not a young specialist)
            staff(
                P, "S1", "f", birth_date=d(1990, 1, 1), category="compliance",
                last_training_date=d(2022, 9, 20), ped_experience_years=4,
            ),
            # g: highest of 2018 whose derived term would have ended, but the file gives 2026-01-01 -> valid
            staff(
                P, "S1", "g", birth_date=d(1975, 6, 15), category="highest", category_date=d(2018, 1, 1),
                category_valid_until=d(2026, 1, 1), last_training_date=d(2020, 1, 1), ped_experience_years=25,
            ),
            # k: vocational, non-pedagogical; first of 2024 with an explicit term 2025-03-01 -> due
            staff(
                P, "S1", "k", birth_date=d(1985, 3, 10), education_level="secondary_vocational",
                pedagogical_education=False, category="first", category_date=d(2024, 3, 1),
                category_valid_until=d(2025, 3, 1), last_training_date=d(2023, 9, 20), ict_training=True,
                ped_experience_years=8,
            ),
            # not pedagogical staff: the head, a deputy head, an external part-timer (young, trained, ...)
            staff(P, "S1", "h", position="head", birth_date=d(1995, 1, 1), ped_experience_years=1),
            staff(P, "S1", "i", position="deputy_head", birth_date=d(1995, 1, 1), ped_experience_years=1),
            staff(
                P, "S1", "j", employment="external", birth_date=d(1995, 1, 1), category="highest",
                category_date=d(2024, 1, 1), last_training_date=d(2024, 1, 1), ped_experience_years=1,
            ),
            # --- Z1: administrators only -> |P| = 0
            staff(P, "Z1", "z1", position="head"),
            staff(P, "Z1", "z2", position="deputy_head"),
            # --- K1: two pedagogical staff and the head
            # a: 53; highest of 2023-08-31 (pre-rule) -> valid until 2028-08-31; trained 2024-01-15
            staff(
                P, "K1", "ka", position="preschool_teacher", birth_date=d(1970, 12, 31), category="highest",
                category_date=d(2023, 8, 31), last_training_date=d(2024, 1, 15), ict_training=True,
                ped_experience_years=29,
            ),
            # b: internal, 25 on D (birthday on D), vocational, compliance, never trained, 3 years
            staff(
                P, "K1", "kb", position="preschool_teacher", employment="internal", birth_date=d(1999, 9, 20),
                education_level="secondary_vocational", category="compliance", ped_experience_years=3,
            ),
            staff(P, "K1", "kc", position="head"),
            # --- S2: two pedagogical staff and an external part-timer
            # a: 24, no category, never trained, 1 year -> young specialist
            staff(P, "S2", "sa", birth_date=d(2000, 1, 1), ped_experience_years=1),
            # b: 64, vocational; first of 2023-10-01 -> indefinite; trained 2023-01-01; 40 years
            staff(
                P, "S2", "sb", birth_date=d(1960, 5, 5), education_level="secondary_vocational",
                category="first", category_date=d(2023, 10, 1), last_training_date=d(2023, 1, 1),
                ict_training=True, ped_experience_years=40,
            ),
            staff(P, "S2", "sc", employment="external", birth_date=d(1980, 1, 1)),
            # --- A1: one pedagogical worker (40, higher non-pedagogical, first valid to 2026-01-01) + deputy
            staff(
                P, "A1", "aa", position="additional_teacher", birth_date=d(1984, 9, 19),
                pedagogical_education=False, category="first", category_date=d(2021, 1, 1),
                last_training_date=d(2023, 5, 5), ict_training=True, ped_experience_years=10,
            ),
            staff(P, "A1", "ab", position="deputy_head"),
            # --- 2023/2024
            *[staff(PREV, "S1", f"p{i}") for i in range(5)],
            *[staff(PREV, "S2", f"p{i}") for i in range(2)],
            *[staff(PREV, "K1", f"p{i}", position="preschool_teacher") for i in range(2)],
            *[staff(PREV, "X1", f"p{i}") for i in range(3)],
        ],
    )  # fmt: skip
    insert_rows(
        con,
        "core.ict",
        [
            # S1: 400 pupils, 50 PCs (30 learning, 40 online, 25 both), 15 of 20 rooms, 8 boards, 100 Mbit/s
            #     (urban target 100: met, the boundary), e-journal yes, distance learning no
            ict(
                P, "S1", students=400, computers_total=50, computers_learning=30, computers_internet=40,
                computers_learning_internet=25, classrooms_total=20, classrooms_workstation=15,
                interactive_boards=8, internet_speed_mbps=100, e_journal=True, distance_learning=False,
            ),
            # Z1: 80 pupils, 4 PCs all online and for learning, 4 of 4 rooms, no boards, 200 Mbit/s
            ict(
                P, "Z1", students=80, computers_total=4, computers_learning=4, computers_internet=4,
                computers_learning_internet=4, classrooms_total=4, classrooms_workstation=4,
                interactive_boards=0, internet_speed_mbps=200, e_journal=True, distance_learning=True,
            ),
            # K1: 120 children, 10 PCs (6 learning, 10 online, 6 both), 2 of 8 rooms, 3 boards, 60 Mbit/s
            #     (urban: not met), no e-journal (irrelevant for a preschool), distance learning yes
            ict(
                P, "K1", students=120, computers_total=10, computers_learning=6, computers_internet=10,
                computers_learning_internet=6, classrooms_total=8, classrooms_workstation=2,
                interactive_boards=3, internet_speed_mbps=60, e_journal=False, distance_learning=True,
            ),
            # S2: 100 pupils, no PCs, no rooms, no boards, 50 Mbit/s (rural target 50: met), no e-journal,
            #     distance learning yes
            ict(
                P, "S2", students=100, computers_total=0, computers_learning=0, computers_internet=0,
                computers_learning_internet=0, classrooms_total=0, classrooms_workstation=0,
                interactive_boards=0, internet_speed_mbps=50, e_journal=False, distance_learning=True,
            ),
            # 2023/2024
            ict(PREV, "S1", students=301),
            ict(PREV, "S2", students=100),
            ict(PREV, "K1", students=180),
            ict(PREV, "X1", students=200),
        ],
    )  # fmt: skip
    insert_rows(
        con,
        "core.innovation",
        [
            # S1
            innovation(P, "S1", "r1", "innovation_site", "regional"),
            innovation(P, "S1", "r2", "innovation_site", "municipal"),
            innovation(P, "S1", "r3", "project"),
            innovation(P, "S1", "r4", "event"),
            innovation(P, "S1", "r5", "event", "municipal"),
            innovation(P, "S1", "r6", "staff_contest", participants=3, result="participant"),
            innovation(P, "S1", "r7", "staff_contest", "municipal", participants=2, result="winner"),
            # a prize at the institution's own level does not count towards winners
            innovation(P, "S1", "r8", "staff_contest", participants=1, result="prize_winner"),
            innovation(P, "S1", "r9", "student_contest", "regional", participants=10, result="winner"),
            innovation(P, "S1", "r10", "student_contest", participants=5, result="prize_winner"),
            innovation(P, "S1", "r11", "student_contest", "federal", participants=4, result="participant"),
            innovation(P, "S1", "r12", "publication"),
            # Z1
            innovation(P, "Z1", "r1", "project"),
            # K1: a site at the institution level still counts as a site
            innovation(P, "K1", "r1", "innovation_site"),
            innovation(P, "K1", "r2", "student_contest", "municipal", participants=3, result="winner"),
            innovation(
                P, "K1", "r3", "staff_contest", "international", participants=1, result="prize_winner"
            ),
            innovation(P, "K1", "r4", "publication"),
            innovation(P, "K1", "r5", "publication"),
            # W1: not a reporting institution (no staff, no ict)
            innovation(P, "W1", "r1", "event"),
        ],
    )


@pytest.fixture(scope="module")
def main_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    con = built_warehouse(tmp_path_factory.mktemp("main"), fill_main)
    yield con
    con.close()


@pytest.fixture()
def empty_warehouse(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = new_warehouse(tmp_path)
    yield con
    con.close()
