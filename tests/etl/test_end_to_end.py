"""From hand-written files to the indicator mart: every step of a load, checked against arithmetic by hand.

Two institutions of «г. Тестовск», period 2024/2025, reporting date D = 20.09.2024. The files use the formats
institutions really send: an XLSX registry with title rows, a Windows-1251 staff CSV with Russian labels and a
decimal comma, a UTF-8-with-BOM ICT CSV with commas, an innovation XLSX. The warehouse models are tested in
depth in tests/warehouse; here the point is that what the files say arrives in the mart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from etl.loader import load_files
from tests.etl.helpers import (
    ICT_HEADER,
    INNOVATION_HEADER,
    INSTITUTIONS_HEADER,
    STAFF_HEADER,
    write_csv,
    write_xlsx,
)

P = "2024/2025"


def _staff(inst, sid, position, employment, birth, edu, ped, category, cat_date, valid, training, ict, exp):
    return [P, inst, sid, f"Работник {sid}", position, employment, "Ж", birth, edu, ped, category, cat_date,
            valid, training, ict, exp, exp, ""]  # fmt: skip


STAFF_ROWS = [
    # A1: exactly 35 at D (not under 35); «высшая» of 15.05.2019 expired on 15.05.2024; trained 21.09.2021 (in)
    _staff("A", "1", "учитель", "основное место работы", "20.09.1989", "высшее", "да", "высшая", "15.05.2019",
           "", "21.09.2021", "да", "10"),
    # A2: 34, a young specialist; «первая» of 10.10.2023 is indefinite; trained exactly D − 3 years (out)
    _staff("A", "2", "Учитель", "основное место работы", "21.09.1989", "высшее", "нет", "первая", "10.10.2023",
           "", "20.09.2021", "нет", "2"),
    # A3: internal part-timer (counted), 64; «высшая» valid until the given 01.01.2030; never trained
    _staff("A", "3", "педагог-психолог", "внутреннее совместительство", "01.01.1960", "высшее", "да", "высшая",
           "01.02.2020", "01.01.2030", "", "да", "40"),
    # external part-timer and head: not pedagogical staff P
    _staff("A", "4", "учитель", "внешнее совместительство", "01.01.1970", "высшее", "да", "первая", "01.10.2023",
           "", "", "да", "20"),
    _staff("A", "5", "руководитель", "основное место работы", "01.01.1970", "высшее", "да", "без категории", "",
           "", "", "да", "25"),
    # A6: 33, «соответствие занимаемой должности» = no category; 4,5 years of experience
    _staff("A", "6", "учитель", "основное место работы", "10.10.1990", "среднее профессиональное", "да",
           "соответствие занимаемой должности", "", "", "10.10.2023", "да", "4,5"),
    # A7: 49; «первая» of 01.06.2020 runs until 01.06.2025: due for attestation within 12 months
    _staff("A", "7", "учитель", "основное место работы", "05.05.1975", "высшее", "да", "первая", "01.06.2020",
           "", "01.03.2022", "да", "25"),
    # B: a kindergarten with two teachers
    _staff("B", "1", "воспитатель", "основное место работы", "01.01.1980", "высшее", "да", "высшая", "01.10.2023",
           "", "01.01.2024", "да", "20"),
    _staff("B", "2", "воспитатель", "основное место работы", "01.01.2000", "среднее профессиональное", "да",
           "без категории", "", "", "", "нет", "1"),
]  # fmt: skip

ICT_ROWS = [
    [P, "A", 400, 50, 40, 45, 36, 20, 15, 8, "100", "да", "нет"],
    [P, "B", 100, 10, 5, 10, 5, 8, 2, 1, "50", "нет", "да"],
]
INNOVATION_ROWS = [
    [P, "A", "1", "инновационная площадка", "региональный", "Площадка", "", "", "", ""],
    [
        P,
        "A",
        "2",
        "профессиональный конкурс педагогов",
        "муниципальный",
        "Учитель года",
        "",
        2,
        "победитель",
        "",
    ],
    [P, "A", "3", "олимпиада или конкурс обучающихся", "региональный", "ВсОШ", "", 3, "призёр", ""],
    [
        P,
        "A",
        "4",
        "олимпиада или конкурс обучающихся",
        "уровень ОО",
        "Школьный этап",
        "",
        5,
        "победитель",
        "",
    ],
    [P, "A", "5", "публикация, обобщение опыта", "всероссийский", "Статья", "", "", "", ""],
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("e2e")
    files = [
        write_xlsx(
            folder / "registry.xlsx",
            INSTITUTIONS_HEADER,
            [
                ["A", "МОБУ «СОШ № 1»", "СОШ № 1", "общеобразовательная", "г. Тестовск", "город", ""],
                ["B", "МДОБУ «Детский сад № 2»", "", "дошкольная", "г. Тестовск", "село", ""],
            ],
            title_rows=["Справочник организаций", "по состоянию на 01.09.2024"],
        ),
        write_csv(folder / "staff.csv", STAFF_HEADER, STAFF_ROWS, encoding="cp1251"),
        write_csv(folder / "ict.csv", ICT_HEADER, ICT_ROWS, encoding="utf-8-sig", sep=","),
        write_xlsx(folder / "innovation.xlsx", INNOVATION_HEADER, INNOVATION_ROWS),
    ]
    db = folder / "w.duckdb"
    result = load_files(files, db)
    assert [(f.source_file, f.status, f.rows_loaded) for f in result.files] == [
        ("registry.xlsx", "loaded", 2),
        ("staff.csv", "loaded", 9),
        ("ict.csv", "loaded", 2),
        ("innovation.xlsx", "loaded", 5),
    ]
    return db


def value(db: Path, code: str, level: str = "institution", inst_id: str | None = "A", inst_type: str = "all"):
    sql = "SELECT numerator, denominator, value FROM mart.indicator_values WHERE period = ? AND indicator_code = ? AND level = ?"
    params: list[object] = [P, code, level]
    if level == "institution":
        sql += " AND inst_id = ?"
        params.append(inst_id)
    else:
        sql += " AND inst_type = ?"
        params.append(inst_type)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(sql, params).fetchall()
    assert len(rows) == 1, (code, level, inst_id, inst_type, rows)
    return rows[0]


# institution A: P = {A1, A2, A3, A6, A7}, |P| = 5 (A4 external part-timer and A5 head excluded)
INSTITUTION_A = {
    "STAFF_COUNT": 5,
    "STAFF_HIGHER_EDU": 80.0,  # A1 A2 A3 A7
    "STAFF_HIGHER_PED_EDU": 60.0,  # A1 A3 A7
    "STAFF_CAT_HIGHEST": 20.0,  # A3 (A1's expired)
    "STAFF_CAT_FIRST": 40.0,  # A2 A7
    "STAFF_CAT_ANY": 60.0,
    "STAFF_TRAINED_3Y": 60.0,  # A1 A6 A7; A2 trained on D − 3 years exactly, outside (D − 3y, D]
    "STAFF_ICT_TRAINED": 80.0,
    "STAFF_UNDER_35": 40.0,  # A2 (34) A6 (33); A1 turned 35 on D
    "STAFF_55_PLUS": 20.0,  # A3
    "STAFF_MEAN_AGE": 43.0,  # (35 + 34 + 64 + 33 + 49) / 5
    "STAFF_EXP_UNDER_5": 40.0,  # A2 (2), A6 (4,5)
    "STAFF_EXP_OVER_30": 20.0,  # A3 (40)
    "STAFF_YOUNG_SPECIALISTS": 1,  # A2
    "STAFF_STUDENTS_PER_PED": 80.0,  # 400 / 5
    "STAFF_ATTESTATION_DUE": 1,  # A7 until 01.06.2025
    "STAFF_TRAINING_DUE": 4,  # A1 A2 A7 (before 20.09.2022) and A3 (never)
    "ICT_PC_LEARNING_PER_100": 10.0,  # 40 / 400 × 100
    "ICT_PC_LEARNING_INTERNET_PER_100": 9.0,
    "ICT_PC_INTERNET_SHARE": 90.0,
    "ICT_WORKSTATION_ROOMS": 75.0,
    "ICT_INTERACTIVE_PER_100": 2.0,
    "ICT_SPEED_TARGET": 100.0,  # 100 Mbit/s in a city
    "ICT_EJOURNAL": 100.0,
    "ICT_DISTANCE": 0.0,
    "ICT_READINESS_INDEX": 83.0,  # 100 × (1 + 0,9 + 0,75 + 1 + (1 + 0) / 2) / 5
    "INNO_SITES": 1,
    "INNO_ORGS_WITH_SITE": 100.0,
    "INNO_PROJECTS": 0,
    "INNO_EVENTS": 0,
    "INNO_STAFF_CONTEST_PER_100": 40.0,  # 2 participants / 5 × 100
    "INNO_STAFF_CONTEST_WINNERS": 2,
    "INNO_STUDENT_WINNERS_PER_100": 0.75,  # 3 regional prize-winners / 400 × 100; the school stage is out
    "INNO_PUBLICATIONS": 1,
}


def test_every_indicator_of_institution_a(warehouse: Path) -> None:
    for code, expected in INSTITUTION_A.items():
        assert value(warehouse, code)[2] == pytest.approx(expected), code


def test_institution_b_and_aggregates(warehouse: Path) -> None:
    # B: readiness 100 × (0,5 + 1 + 0,25 + 1 (50 Mbit/s in a village) + 1 (distance learning)) / 5 = 75
    assert value(warehouse, "ICT_READINESS_INDEX", inst_id="B")[2] == pytest.approx(75.0)
    assert value(warehouse, "INNO_SITES", inst_id="B")[2] == 0  # reporting, no records: 0, not missing
    # the city: pupil-weighted readiness (83 × 400 + 75 × 100) / 500
    assert value(warehouse, "ICT_READINESS_INDEX", "municipality")[2] == pytest.approx(81.4)
    # summed numerators: (3 + 1) / (5 + 2), not the mean of 60 % and 50 %
    assert value(warehouse, "STAFF_CAT_ANY", "municipality") == pytest.approx((4.0, 7.0, 400 / 7))
    assert value(warehouse, "ICT_PC_LEARNING_PER_100", "region")[2] == pytest.approx(9.0)
    assert value(warehouse, "INNO_ORGS_WITH_SITE", "region")[2] == pytest.approx(50.0)
    # the e-journal is a school indicator: no kindergarten rows at all
    with duckdb.connect(str(warehouse), read_only=True) as con:
        types = con.execute(
            "SELECT DISTINCT inst_type FROM mart.indicator_values WHERE indicator_code = 'ICT_EJOURNAL' ORDER BY 1"
        ).fetchall()
    assert types == [("all",), ("school",)]


def test_core_tables_hold_normalised_values(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT staff_id, position, employment, category, category_valid_until, ped_experience_years "
            "FROM core.staff WHERE inst_id = 'A' ORDER BY staff_id"
        ).fetchall()
        short_name = con.execute("SELECT short_name FROM core.institutions WHERE inst_id = 'B'").fetchone()
        locality = con.execute("SELECT locality FROM core.institutions WHERE inst_id = 'B'").fetchone()
    assert rows[0] == ("1", "teacher", "main", "highest", dt.date(2024, 5, 15), 10.0)  # derived: +5 years
    assert rows[1][3:5] == ("first", None)  # assigned after 01.09.2023: indefinite
    assert rows[2][1:5] == ("psychologist", "internal", "highest", dt.date(2030, 1, 1))  # as given
    assert rows[5][3] == "compliance" and rows[5][5] == 4.5  # decimal comma
    assert short_name == ("МДОБУ «Детский сад № 2»",)  # empty short name → the full name
    assert locality == ("rural",)
