"""The page «Планирование» on the hand-built city (tests/pages/handmade.py) with a needs survey and mentors
added, every number computed by hand.

2024/2025, D = 2024-09-20, the planning year [2024-09-20, 2025-09-20); P (pedagogical, main or internal):
  S1 (г. Тестовск): T1 Иванова (34 y., 10 y. of service; last КПК 2021-06-01 -> overdue; highest to 2025-03-01),
     T2 Петров (64 y., 35; КПК 2024-05-01 -> not due), T3 Сидорова (24 y., 1 -> young; never trained ->
     overdue; her mentor T7 works in S3 -> does not count). H1 the head and X1 the external part-timer are not P.
  S2: T4 Кузнецов (born 1966-05-01 here: 58 y., 20; КПК 2023-01-01 -> due 2026, not in the plan).
  D1: T5 Смирнова (38 y., 12; КПК 2022-10-01 -> due 2025-10-01, after the year; first to 2025-01-15),
     T8 Новикова (added: 24 y., 2 -> young, mentor T5; КПК 2022-03-15 -> due March 2025; first to 2028-05-01).
  A1: T6 Орлова (29 y., 6; methodist, not in the attestation plan).
  S3 (Примерный район): T7 Волков (born 1969-01-15 here: 55 y., 20; КПК 2020 -> overdue; highest lapsed
     2024-05-05).
Training plan: Сентябрь 2024 (overdue) Иванова, Сидорова (СОШ № 1), Волков (СОШ № 3); Март 2025 Новикова.
Needs: T1 functional_literacy/course and digital/seminar, T3 functional_literacy/course, T8 digital/course,
  T7 gia_preparation (no form); H1 (not P) and G9 (no staff row) count nowhere.
Attestation: lapsed 1 (S3); 2024/25: 2 (S1 T1, D1 T5); 2027/28: 1 (D1 T8).
60 or older: within 1 year T2 (1); 3 years T2, T4 (2); 5 years T2, T4, T7 (3).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from auth.identity import User
from tests.pages import handmade
from ui.views import plan as views
from warehouse.build import build_marts

D = dt.date(2024, 9, 20)
P = handmade.P_NEW
S1_NAMES = {"Иванова Анна Петровна", "Петров Пётр Ильич", "Сидорова Ольга Ивановна"}
NEEDS = [
    ("S1", "T1", "functional_literacy", "course"),
    ("S1", "T1", "digital", "seminar"),
    ("S1", "T3", "functional_literacy", "course"),
    ("D1", "T8", "digital", "course"),
    ("S3", "T7", "gia_preparation", None),
    ("S1", "H1", "management", "course"),  # the head: not P
    ("S2", "G9", "functional_literacy", "course"),  # no staff row
]


@pytest.fixture(scope="module")
def plan_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = handmade.build(tmp_path_factory.mktemp("plan") / "imc.duckdb")
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "INSERT INTO core.staff (period, inst_id, staff_id, full_name, position, employment, gender, "
            "birth_date, education_level, pedagogical_education, category, category_date, "
            "category_valid_until, last_training_date, ict_training, ped_experience_years, mentor_staff_id) "
            "VALUES (?, 'D1', 'T8', 'Новикова Дарья Олеговна', 'preschool_teacher', 'main', 'Ж', ?, "
            "'higher', TRUE, 'first', ?, ?, ?, TRUE, 2.0, 'T5')",
            [P, dt.date(2000, 1, 1), dt.date(2023, 5, 1), dt.date(2028, 5, 1), dt.date(2022, 3, 15)],
        )
        con.execute("UPDATE core.staff SET mentor_staff_id = 'T7' WHERE period = ? AND staff_id = 'T3'", [P])
        for staff_id, born in (("T4", dt.date(1966, 5, 1)), ("T7", dt.date(1969, 1, 15))):
            con.execute(
                "UPDATE core.staff SET birth_date = ? WHERE period = ? AND staff_id = ?", [born, P, staff_id]
            )
        con.executemany(
            "INSERT INTO core.staff_needs (period, inst_id, staff_id, need, form, batch_id) "
            "VALUES (?, ?, ?, ?, ?, 'b-needs')",
            [[P, *row] for row in NEEDS],
        )
        build_marts(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return path


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def frame_with(at, column: str, index: int = 0) -> pd.DataFrame:
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert len(found) > index, [list(df.value.columns) for df in at.dataframe]
    return found[index]


def all_names(at) -> set[str]:
    names: set[str] = set()
    for df in at.dataframe:
        for col in ("ФИО", "Наставник", "Молодой специалист"):
            if col in df.value.columns:
                names |= set(df.value[col])
    return names


def open_plan(open_app, db, params=None, user=None):
    at = open_app(db, "pages/plan.py", params=params, user=user)
    assert_clean(at)
    return at


def test_training_plan_by_month_and_institution(open_app, plan_db):
    at = open_plan(open_app, plan_db)
    plan = frame_with(at, "Отметка")
    assert list(zip(plan["Месяц"], plan["Отметка"], plan["ФИО"], strict=True)) == [
        ("Сентябрь 2024", "просрочено", "Иванова Анна Петровна"),
        ("Сентябрь 2024", "просрочено", "Сидорова Ольга Ивановна"),
        ("Сентябрь 2024", "просрочено", "Волков Андрей Андреевич"),
        ("Март 2025", "", "Новикова Дарья Олеговна"),
    ]
    assert list(plan["Потребности"]) == [
        "Цифровые образовательные технологии; Функциональная грамотность",
        "Функциональная грамотность",
        "Подготовка обучающихся к ГИА",
        "Цифровые образовательные технологии",
    ]
    assert any("Новикова" not in m.value and ": 4 чел." in m.value for m in at.markdown)
    # counts by month: the total in its own row above, then the months
    total, months = (
        df.value for df in at.dataframe if "Месяц" in df.value.columns and "Отметка" not in df.value
    )
    assert total.iloc[0].tolist() == ["Итого", 4, 3]
    assert months.values.tolist() == [["Сентябрь 2024", 3, 3], ["Март 2025", 1, 0]]
    by_inst = [
        df.value for df in at.dataframe if list(df.value.columns)[:2] == ["Организация", "Всего, чел."]
    ]
    assert by_inst[1].values.tolist() == [["СОШ № 1", 2, 2], ["Детский сад № 1", 1, 0], ["СОШ № 3", 1, 1]]
    assert len(at.get("download_button")) >= 8, "every table downloads as Excel"


def test_needs_summary_table_and_chart(open_app, plan_db):
    at = open_plan(open_app, plan_db, params={"mun": handmade.CITY})
    needs = frame_with(at, "Потребность")
    # the city: T7's need (Примерный район) is not in it; the head's and G9's count nowhere
    assert needs.to_dict("list") == {
        "Потребность": ["Функциональная грамотность", "Цифровые образовательные технологии"],
        "Всего, чел.": [2, 2],
        "Курсы повышения квалификации, чел.": [2, 1],
        "Семинар, вебинар, чел.": [0, 1],
    }
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    chart = [s for s in specs if "потребности" in s["layout"]["title"]["text"]]
    assert chart, "the needs summary is a chart"
    bars = {t["name"]: (t["y"], t["x"]) for t in chart[0]["data"] if t["type"] == "bar"}
    # the most wanted need on top (plotly draws the first category at the bottom)
    assert bars == {
        "Курсы повышения квалификации": (
            ["Цифровые образовательные технологии", "Функциональная грамотность"],
            [1, 2],
        ),
        "Семинар, вебинар": (["Цифровые образовательные технологии", "Функциональная грамотность"], [1, 0]),
    }
    assert chart[0]["layout"]["separators"] == ", ", "Russian number format"


def test_attestation_plan_lapsed_first(open_app, plan_db):
    at = open_plan(open_app, plan_db)
    lapsed = "Истекла до 20.09.2024, чел."
    total, table = (df.value for df in at.dataframe if lapsed in df.value.columns)
    years = [c for c, _, _ in views.year_columns(D)]
    assert years[0] == "Истекает с 20.09.2024 по 19.09.2025, чел."
    assert total[[lapsed, *years]].iloc[0].tolist() == [1, 2, 0, 0, 1, 0]
    # the institution with a lapsed category first
    assert table["Организация"].tolist() == ["СОШ № 3", "Детский сад № 1", "СОШ № 1"]
    assert table[[lapsed, years[0], years[3]]].values.tolist() == [[1, 0, 0], [0, 1, 1], [0, 1, 0]]
    assert any("2028" in c.value for c in at.caption), "the pre-2023 wave is explained"


def test_mentoring_lists(open_app, plan_db):
    at = open_plan(open_app, plan_db)
    assert any(
        c.value == "Молодых специалистов — 2 чел.: с наставником — 1, без наставника — 1." for c in at.caption
    )
    without = frame_with(at, "ФИО", index=1)
    assert without["ФИО"].tolist() == ["Сидорова Ольга Ивановна"], "a mentor in another school does not count"
    pairs = frame_with(at, "Наставник")
    assert pairs[["Наставник", "Молодой специалист"]].values.tolist() == [
        ["Смирнова Елена Юрьевна", "Новикова Дарья Олеговна"]
    ]


def test_age_and_service_in_oo1_bands(open_app, plan_db):
    at = open_plan(open_app, plan_db)
    total, table = (df.value for df in at.dataframe if "Возраст" in df.value.columns)
    assert total.iloc[0].tolist() == ["Итого", 2, 0, 1, 2, 0, 3, 8]
    rows = {r[0]: r[1:] for r in table.values.tolist()}
    assert rows["до 25"] == [2, 0, 0, 0, 0, 0, 2]
    assert rows["55–59"] == [0, 0, 0, 0, 0, 2, 2]
    assert rows["60–64"] == [0, 0, 0, 0, 0, 1, 1]
    retire = frame_with(at, "Срок")
    assert retire.values.tolist() == [["через 1 год", 1], ["через 3 года", 2], ["через 5 лет", 3]]
    cards = {m.label: m.value for m in at.metric}
    assert cards == {
        "Через 1 год": "1\u00a0чел.",
        "Через 3 года": "2\u00a0чел.",
        "Через 5 лет": "3\u00a0чел.",
    }


def test_director_sees_only_own_people(open_app, plan_db):
    director = User(login="dir", role="director", inst_id="D1")
    at = open_plan(open_app, plan_db, params={"mun": handmade.CITY}, user=director)
    assert all_names(at) == {"Новикова Дарья Олеговна", "Смирнова Елена Юрьевна"}
    assert any("Показаны только работники вашей организации (Детский сад № 1)" in c.value for c in at.caption)
    plan = frame_with(at, "Отметка")
    assert plan["ФИО"].tolist() == ["Новикова Дарья Олеговна"]
    assert any("Детский сад № 1" in m.value and ": 1 чел." in m.value for m in at.markdown)


def test_director_of_another_school_sees_no_names_of_it(open_app, plan_db):
    """S3's director opens S1: a plain notice, S3's own people only, no name of S1's staff anywhere; the
    counts (attestation, ОО-1) are S1's, as for every role."""
    director = User(login="dir3", role="director", inst_id="S3")
    at = open_plan(open_app, plan_db, params={"inst": "S1"}, user=director)
    assert any("только по вашей организации (СОШ № 3)" in i.value for i in at.info)
    assert not all_names(at) & S1_NAMES
    assert all_names(at) == {"Волков Андрей Андреевич"}
    assert any(i.value == views.EMPTY["mentoring"] for i in at.info), "S3 has no young specialists"
    total = [df.value for df in at.dataframe if "Возраст" in df.value.columns][0]
    assert total.iloc[0].tolist()[-1] == 3, "S1's three people in the ОО-1 table"


def test_head_sees_the_lists_as_on_staff_page(open_app, plan_db):
    """interfaces.md: the head sees person-level data of every institution (as the due lists on «Кадры»)."""
    head = User(login="head", role="head")
    at = open_plan(open_app, plan_db, user=head)
    assert S1_NAMES - {"Петров Пётр Ильич"} <= all_names(at)


def test_a_period_without_a_survey_says_so(open_app, plan_db):
    at = open_plan(open_app, plan_db, params={"period": handmade.P_OLD})
    assert any(i.value == views.EMPTY["needs"] for i in at.info)
    assert at.query_params["period"] == handmade.P_OLD


def test_empty_warehouse(open_app, empty_db):
    at = open_plan(open_app, empty_db)
    assert any("Данные не загружены" in i.value for i in at.info)


def test_views_on_empty_rows_say_nothing_wrong():
    empty_plan = pd.DataFrame(columns=["short_name", "overdue", "due_month"])
    assert views.training_by_month(empty_plan).frame.empty
    assert views.training_by_institution(empty_plan).frame.empty
    assert views.needs_table(pd.DataFrame(columns=["need", "form", "people"])).frame.empty
    assert views.attestation_table(
        pd.DataFrame(columns=["short_name", "year_index", "people"]), D
    ).frame.empty
    assert views.age_service_table(
        pd.DataFrame(columns=["age_band", "oo1_experience_band", "people"])
    ).frame.empty
    assert views.needs_figure(pd.DataFrame(columns=["need", "form", "people"]), "т").data == ()


def test_plan_file_name():
    assert views.plan_file_name("2024/2025", "docx") == "plan_2024-2025.docx"


def test_the_plan_downloads_as_the_command_writes_it(open_app, plan_db):
    """The page's two plan buttons: the same documents as `python -m etl plan` (reports/plan.py), named by
    the period; their bytes are built only when clicked (a callable), so the page does not wait for them."""
    at = open_plan(open_app, plan_db)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:2] == ["Скачать план (XLSX)", "Скачать план-график (DOCX)"]
