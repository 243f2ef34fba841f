"""The page «Результаты обучения» on a hand-built results warehouse (tests/warehouse/test_results.py's rows,
values by hand there, plus R1's Russian of the year before), for an administrator and for directors: another
school's small group is «менее 5», the director's own school and every group of 5 and more show the value.

2024/2025: R1 Russian ЕГЭ 24, 23, 80, 81, 100 (mean 61.6), profile mathematics 27, 26, 81 (134 / 3 = 44.7),
R2 Russian 50, 90 (mean 70). 2023/2024: R1 Russian 60, 70, 50, 40, 55 (mean 55).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from auth.identity import User
from tests.warehouse.conftest import new_warehouse
from tests.warehouse.helpers import insert_rows
from tests.warehouse.test_results import exam, fill_results
from warehouse.build import build_marts
from warehouse.settings import set_period_setting

PAGE = "pages/results.py"
P = "2024/2025"
P_OLD = "2023/2024"
ADMIN = User("admin", "admin")
DIRECTOR_R2 = User("d2", "director", "R2")


@pytest.fixture(scope="module")
def results_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("results_page")
    con = new_warehouse(folder)
    fill_results(con)
    old = [exam("R1", "ege", 11, "russian", n, score=s) for n, s in enumerate([60, 70, 50, 40, 55])]
    insert_rows(con, "core.exam_results", [{**row, "period": P_OLD} for row in old])
    build_marts(con)
    con.close()
    return folder / "w.duckdb"


def mart(db: Path, code: str, subject: str, **where: str | None) -> float:
    con = duckdb.connect(str(db), read_only=True)
    try:
        conditions = ["indicator_code = ?", "subject = ?", "period = ?"]
        params: list[object] = [code, subject, P]
        for column, value in where.items():
            conditions.append(f"{column} IS NOT DISTINCT FROM ?")
            params.append(value)
        row = con.execute(
            "SELECT value FROM mart.indicator_values WHERE " + " AND ".join(conditions), params
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return float(row[0])


def table_with(at, *columns: str):
    found = [df.value for df in at.dataframe if set(columns) <= set(df.value.columns)]
    assert found, [list(df.value.columns) for df in at.dataframe]
    return found[0]


def clean(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_admin_sees_every_value_checked_against_the_mart(open_app, results_db: Path) -> None:
    at = open_app(results_db, PAGE, user=ADMIN)
    clean(at)
    summary = table_with(at, "Предмет", "Средний балл", "Ниже минимума, %")
    russian = summary[summary["Предмет"] == "Русский язык"].iloc[0]
    region = mart(results_db, "EGE_MEAN_SCORE", "russian", level="region", inst_type="all")
    assert region == pytest.approx(448 / 7)
    assert russian["Средний балл"] == "64,0"
    assert russian["Участников"] == "7"
    schools = table_with(at, "Организация", "Математика профильного уровня")
    r1 = schools[schools["Организация"] == "R1"].iloc[0]
    assert r1["Математика профильного уровня"] == "44,7"
    assert r1["Русский язык"] == "61,6"
    assert schools.loc[schools["Организация"] == "R2", "Русский язык"].iloc[0] == "70,0"
    assert "менее 5" not in schools.to_numpy()


def test_director_sees_another_schools_small_group_as_fewer_than_5(open_app, results_db: Path) -> None:
    at = open_app(results_db, PAGE, user=DIRECTOR_R2)
    clean(at)
    schools = table_with(at, "Организация", "Математика профильного уровня")
    r1 = schools[schools["Организация"] == "R1"].iloc[0]
    assert r1["Математика профильного уровня"] == "менее 5"
    assert r1["Русский язык"] == "61,6"  # 5 results: not a small group
    # the director's own 2 results
    assert schools.loc[schools["Организация"] == "R2", "Русский язык"].iloc[0] == "70,0"
    # nothing of the number reaches the page: 134 / 3 in any format
    assert "44,7" not in schools.to_numpy()
    # ВПР: R1's groups are small (5 rows, 4 with a journal mark in mathematics of grade 5; 2 in Russian)
    vpr = table_with(at, "Организация", "Подтвердили отметку, %")
    # all subjects and grades of R1: 3 confirmed of 6 with a journal mark (not small); R3: none of 1 row
    assert vpr.loc[vpr["Организация"] == "R1", "Подтвердили отметку, %"].iloc[0] == "50,0"
    assert vpr.loc[vpr["Организация"] == "R3", "Подтвердили отметку, %"].iloc[0] == "менее 5"
    assert any("менее 5" in str(c.value) for c in at.caption)


def test_director_crafting_a_link_to_another_school_gets_fewer_than_5(open_app, results_db: Path) -> None:
    at = open_app(results_db, PAGE, params={"inst": "R1", "period": P}, user=DIRECTOR_R2)
    clean(at)
    summary = table_with(at, "Предмет", "Средний балл")
    profile = summary[summary["Предмет"] == "Математика профильного уровня"].iloc[0]
    assert profile["Средний балл"] == "менее 5"
    assert profile["Средний балл: изменение за год"] == "—"
    russian = summary[summary["Предмет"] == "Русский язык"].iloc[0]
    # R1's Russian against the year before: 61.6 − 55 = +6.6
    assert russian["Средний балл"] == "61,6"
    assert russian["Средний балл: изменение за год"] == "+6,6"
    # the distribution of profile mathematics (the first subject by name) is not drawn
    assert at.selectbox(key="res_subject").value == "math_profile"
    assert any("менее 5 результатов" in str(c.value) for c in at.caption)
    assert "res_scores" not in [c.key for c in at.get("plotly_chart")]


def test_admin_opening_the_school_sees_the_distribution(open_app, results_db: Path) -> None:
    at = open_app(results_db, PAGE, params={"inst": "R1", "period": P}, user=ADMIN)
    clean(at)
    summary = table_with(at, "Предмет", "Средний балл")
    assert (
        summary.loc[summary["Предмет"] == "Математика профильного уровня", "Средний балл"].iloc[0] == "44,7"
    )
    assert "res_scores" in [c.key for c in at.get("plotly_chart")]


# ----------------------------------------------------------------------------------------- the overview's row
# Over all subjects (the mart's `subject = 'all'` rows), 2024/2025:
#   GIA11_NOT_PASSED  R1: ЕГЭ Russian 23, profile mathematics 26, base mathematics «2», ГВЭ-11 «2» — 4 of 13
#                     (30,8 %); R2 0 of 2; the region 4 of 15 = 26,7 %
#   GIA9_SUCCESS      R1: ОГЭ Russian 3 of 4, ОГЭ mathematics 2 of 2, ГВЭ-9 0 of 1 — 5 of 7 = 71,4 %
#   VPR_CONFIRMED     R1: 3 of the 6 works with a journal mark (R3's one work has none) — 50,0 %
#   OLY_MUNICIPAL_WINNERS  R1: a winner and a prize-winner among its 3 municipal participations — 2
OVERVIEW = "pages/overview.py"


def card(at, name: str):
    found = [m for m in at.metric if m.label == name]
    assert found, [m.label for m in at.metric]
    return found[0]


def test_overview_has_a_results_row_checked_against_the_mart(open_app, results_db: Path) -> None:
    at = open_app(results_db, OVERVIEW, params={"period": P}, user=ADMIN)
    clean(at)
    assert "Результаты обучения" in [h.value for h in at.subheader]
    region = mart(results_db, "GIA11_NOT_PASSED", "all", level="region", inst_type="all")
    assert region == pytest.approx(4 / 15 * 100)
    assert card(at, "Доля результатов ГИА-11 ниже минимального порога").value == "26,7\xa0%"
    assert card(at, "Успеваемость по результатам ГИА-9 (отметки «3», «4», «5»)").value == "71,4\xa0%"
    assert card(at, "Доля участников ВПР, подтвердивших отметку по журналу").value == "50,0\xa0%"
    assert card(at, "Число победителей и призёров муниципального этапа ВсОШ").value == "2\xa0чел."


def test_overview_results_of_another_school_for_a_director(open_app, results_db: Path) -> None:
    at = open_app(results_db, OVERVIEW, params={"period": P, "inst": "R1"}, user=DIRECTOR_R2)
    clean(at)
    # 13, 7 and 6 results: shown
    assert card(at, "Доля результатов ГИА-11 ниже минимального порога").value == "30,8\xa0%"
    assert card(at, "Успеваемость по результатам ГИА-9 (отметки «3», «4», «5»)").value == "71,4\xa0%"
    # 3 municipal participations: a small group
    assert card(at, "Число победителей и призёров муниципального этапа ВсОШ").value == "менее 5"
    # and R1's director sees R2's 2 ЕГЭ results as «менее 5», their own school's number
    at = open_app(results_db, OVERVIEW, params={"period": P, "inst": "R2"}, user=User("d1", "director", "R1"))
    clean(at)
    assert card(at, "Доля результатов ГИА-11 ниже минимального порога").value == "менее 5"
    at = open_app(results_db, OVERVIEW, params={"period": P, "inst": "R2"}, user=DIRECTOR_R2)
    clean(at)
    assert card(at, "Доля результатов ГИА-11 ниже минимального порога").value == "0,0\xa0%"


# ----------------------------------------------------------------------------------------- the catalogue
def test_catalog_shows_the_ege_minimum_scores_with_a_periods_override(open_app, tmp_path: Path) -> None:
    con = new_warehouse(tmp_path)
    fill_results(con)
    set_period_setting(con, "2025/2026", "ege_min_score_informatics", "44")
    build_marts(con)
    con.close()
    at = open_app(tmp_path / "w.duckdb", "pages/catalog.py", user=ADMIN)
    clean(at)
    table = table_with(at, "Предмет", "Минимальный балл")
    by_subject = table.set_index("Предмет")
    # the Рособрнадзор minimums of 2022–2025 (warehouse/settings.py), informatics 44 from 2025/2026
    assert by_subject.loc["Русский язык", "Минимальный балл"] == "24"
    assert by_subject.loc["Математика профильного уровня", "Минимальный балл"] == "27"
    assert by_subject.loc["Русский язык", "Иной минимум в отдельные учебные годы"] == "—"
    informatics = by_subject.loc["Информатика"]
    assert informatics["Минимальный балл"] == "40"
    assert informatics["Иной минимум в отдельные учебные годы"] == "2025/2026 — 44"
