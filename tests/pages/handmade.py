"""A small warehouse written by hand: five institutions in two municipalities, two periods, a few people.

Core rows are chosen so that every list and chart has something to show and every rule has a case (an
external part-timer and a head who are not counted, an expired category, a person who never trained, an
institution without an ict row). The marts are built from them by warehouse.build, then one value is set
by hand so that a test can assert an exact formatted number.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from warehouse import lake
from warehouse.db import write_transaction

D = dt.date
P_OLD = "2023/2024"
P_NEW = "2024/2025"
CITY = "г. Тестовск"
DISTRICT = "Примерный район"
# the exact value set in the mart for the KPI assertion
KPI_CODE = "STAFF_CAT_ANY"
KPI_VALUE = 36.4123
KPI_PREVIOUS = 34.0

INSTITUTIONS = [
    (
        "S1",
        "Муниципальное общеобразовательное бюджетное учреждение «Средняя школа № 1»",
        "СОШ № 1",
        "school",
        CITY,
        "urban",
    ),
    ("S2", "МОБУ «Средняя школа № 2»", "СОШ № 2", "school", CITY, "rural"),
    ("D1", "МДОБУ «Детский сад № 1»", "Детский сад № 1", "preschool", CITY, "urban"),
    ("A1", "МБУ ДО «Дом детского творчества»", "ДДТ", "additional", CITY, "urban"),
    ("S3", "МОБУ «Средняя школа № 3»", "СОШ № 3", "school", DISTRICT, "rural"),
]

VOCATIONAL = "secondary_vocational"
# staff_id: full name, position, employment, gender, birth date, education level, pedagogical education
# (the same in both periods)
PEOPLE = {
    "T1": ("Иванова Анна Петровна", "teacher", "main", "Ж", D(1990, 5, 1), "higher", True),
    "T2": ("Петров Пётр Ильич", "teacher", "main", "М", D(1960, 1, 10), "higher", True),
    "T3": ("Сидорова Ольга Ивановна", "teacher", "internal", "Ж", D(2000, 2, 2), VOCATIONAL, True),
    "H1": ("Директорова Нина Львовна", "head", "main", "Ж", D(1970, 1, 1), "higher", True),
    "X1": ("Внешний Иван Иванович", "teacher", "external", "М", D(1980, 1, 1), "higher", True),
    "T4": ("Кузнецов Олег Петрович", "teacher", "main", "М", D(1975, 7, 7), "higher", False),
    "T5": ("Смирнова Елена Юрьевна", "preschool_teacher", "main", "Ж", D(1985, 12, 12), VOCATIONAL, True),
    "T6": ("Орлова Мария Сергеевна", "additional_teacher", "main", "Ж", D(1995, 3, 3), "higher", True),
    "T7": ("Волков Андрей Андреевич", "teacher", "main", "М", D(1980, 4, 4), "higher", True),
}
# period, inst, staff_id, category, category date, valid until, last training, ict training, experience
_SERVICE = [
    (P_NEW, "S1", "T1", "highest", D(2020, 3, 1), D(2025, 3, 1), D(2021, 6, 1), True, 10.0),
    (P_NEW, "S1", "T2", "first", D(2023, 10, 1), None, D(2024, 5, 1), True, 35.0),
    (P_NEW, "S1", "T3", "none", None, None, None, False, 1.0),
    (P_NEW, "S1", "H1", "none", None, None, D(2023, 1, 1), True, 30.0),
    (P_NEW, "S1", "X1", "first", D(2024, 1, 1), None, D(2024, 1, 1), True, 15.0),
    (P_NEW, "S2", "T4", "compliance", None, None, D(2023, 1, 1), True, 20.0),
    (P_NEW, "D1", "T5", "first", D(2020, 1, 15), D(2025, 1, 15), D(2022, 10, 1), False, 12.0),
    (P_NEW, "A1", "T6", "methodist", D(2024, 1, 1), None, D(2024, 2, 1), True, 6.0),
    (P_NEW, "S3", "T7", "highest", D(2019, 5, 5), D(2024, 5, 5), D(2020, 1, 1), True, 20.0),
    (P_OLD, "S1", "T1", "highest", D(2020, 3, 1), D(2025, 3, 1), D(2021, 6, 1), True, 9.0),
    (P_OLD, "S1", "T2", "none", None, None, D(2020, 5, 1), True, 34.0),
    (P_OLD, "S2", "T4", "compliance", None, None, D(2023, 1, 1), True, 19.0),
    (P_OLD, "D1", "T5", "first", D(2020, 1, 15), D(2025, 1, 15), D(2022, 10, 1), False, 11.0),
    (P_OLD, "S3", "T7", "highest", D(2019, 5, 5), D(2024, 5, 5), D(2020, 1, 1), True, 19.0),
]
# core.staff's rows: the person's columns between staff_id and the category
STAFF = [(period, inst, staff_id, *PEOPLE[staff_id], *rest) for period, inst, staff_id, *rest in _SERVICE]

# period, inst, students, pc_total, pc_learning, pc_internet, pc_learning_internet, rooms, rooms_ws, boards,
# speed, e_journal, distance
ICT = [
    (P_NEW, "S1", 500, 60, 50, 55, 45, 30, 20, 10, 150.0, True, True),
    (P_NEW, "S2", 200, 10, 8, 8, 8, 12, 4, 2, 30.0, True, False),
    (P_NEW, "D1", 150, 4, 2, 4, 2, 10, 2, 1, 100.0, False, False),
    (P_NEW, "S3", 300, 30, 25, 30, 25, 20, 15, 5, 60.0, True, True),
    (P_OLD, "S1", 480, 50, 40, 45, 35, 30, 15, 8, 100.0, True, True),
    (P_OLD, "S2", 210, 10, 8, 5, 5, 12, 3, 1, 20.0, False, False),
    (P_OLD, "D1", 140, 3, 1, 3, 1, 10, 1, 0, 50.0, False, False),
    (P_OLD, "S3", 310, 25, 20, 20, 15, 20, 10, 3, 60.0, True, False),
]

# period, inst, record, type, level, title, participants, result
INNOVATION = [
    (
        P_NEW,
        "S1",
        "R1",
        "innovation_site",
        "regional",
        "Региональная инновационная площадка «Цифровая школа»",
        1,
        None,
    ),
    (P_NEW, "S1", "R2", "project", "institution", "Проект «Школьный технопарк»", 1, None),
    (P_NEW, "S1", "R3", "staff_contest", "municipal", "Учитель года", 1, "winner"),
    (P_NEW, "S1", "R4", "student_contest", "regional", "ВсОШ, региональный этап", 3, "prize_winner"),
    (P_NEW, "S1", "R5", "student_contest", "municipal", "ВсОШ, муниципальный этап", 10, "participant"),
    (P_NEW, "D1", "R6", "event", "municipal", "Семинар для воспитателей", 1, None),
    (P_NEW, "A1", "R7", "publication", "federal", "Статья в журнале", 1, None),
    (P_NEW, "S3", "R8", "innovation_site", "municipal", "Муниципальная площадка", 1, None),
    (P_OLD, "S1", "R1", "project", "institution", "Проект", 1, None),
]


def build(target: str | os.PathLike[str], *, empty: bool = False) -> str | Path:
    """Write the warehouse to `target`, a DuckDB file or a `ducklake:` value (the schema only when `empty`),
    in one write of warehouse.db (a file: a copy swapped in; a lake: one transaction). Returns `target` (a
    file's as a Path)."""
    from warehouse.build import build_marts

    target = os.fspath(target) if lake.is_lake(target) else Path(target)
    with write_transaction(target, fresh=True) as con:  # the schema is applied by the write
        if empty:
            return target
        con.executemany(
            "INSERT INTO core.institutions (inst_id, name, short_name, inst_type, municipality, locality) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [list(r) for r in INSTITUTIONS],
        )
        con.executemany(
            "INSERT INTO core.staff (period, inst_id, staff_id, full_name, position, employment, gender, "
            "birth_date, education_level, pedagogical_education, category, category_date, "
            "category_valid_until, last_training_date, ict_training, ped_experience_years) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [list(r) for r in STAFF],
        )
        con.executemany(
            "INSERT INTO core.ict (period, inst_id, students, computers_total, computers_learning, "
            "computers_internet, computers_learning_internet, classrooms_total, classrooms_workstation, "
            "interactive_boards, internet_speed_mbps, e_journal, distance_learning) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [list(r) for r in ICT],
        )
        con.executemany(
            "INSERT INTO core.innovation (period, inst_id, record_id, activity_type, level, title, "
            "participants, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [list(r) for r in INNOVATION],
        )
        build_marts(con)
        # one exact value for the KPI assertion (the municipality's all-types row)
        for period, value in ((P_NEW, KPI_VALUE), (P_OLD, KPI_PREVIOUS)):
            con.execute(
                "UPDATE mart.indicator_values SET value = ? WHERE indicator_code = ? AND period = ? "
                "AND level = 'municipality' AND municipality = ? AND inst_type = 'all'",
                [value, KPI_CODE, period, CITY],
            )
    return target
