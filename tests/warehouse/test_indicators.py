"""Every indicator of the catalogue against values computed by hand (see conftest.py for the data).

Reporting date D = 2024-09-20. Institution S1's pedagogical staff P (8 people: a b c d e f g k):

      age  educ.        ped  category at D                 trained (D−3y, D]  ICT  exp  att. due  training due
  a   35   higher       yes  highest, expired 2024-05-15   2021-09-21 yes     yes  12   no        2024-09-21 yes
  b   34   higher       no   first to 2025-09-20           2021-09-20 no      no    2   no        2024-09-20 yes
  c   55   higher       yes  first to 2024-09-20 (= D)     2024-09-20 yes     yes  31   yes       2027-09-20 no
  d   54   vocational   yes  highest, indefinite           never      no      no   30   no        yes
  e   44   higher       yes  methodist -> highest          2022-09-19 yes     yes  20   no        2025-09-19 yes
  f   34   higher       yes  compliance -> none            2022-09-20 yes     no    4   no        2025-09-20 no
  g   49   higher       yes  highest to 2026-01-01 (given) 2020-01-01 no      no   25   no        2023-01-01 yes
  k   39   vocational   no   first to 2025-03-01 (given)   2023-09-20 yes     yes   8   yes       2026-09-20 no
The head, a deputy head and an external part-timer of S1 are not in P.
"""

from __future__ import annotations

import duckdb
import pytest

from tests.warehouse.helpers import indicator_row, inst_value
from warehouse.catalog import load_catalog

# (numerator, denominator, value) for S1 in 2024/2025: all 35 indicators
S1_EXPECTED: dict[str, tuple[float, float | None, float]] = {
    "STAFF_COUNT": (8, None, 8),
    # higher: a b c e f g = 6 of 8
    "STAFF_HIGHER_EDU": (6, 8, 75.0),
    # higher and pedagogical: a c e f g = 5 (b and k are not pedagogical, d is vocational)
    "STAFF_HIGHER_PED_EDU": (5, 8, 62.5),
    # valid highest: d (indefinite), e (methodist), g (explicit term) = 3; a's expired
    "STAFF_CAT_HIGHEST": (3, 8, 37.5),
    # valid first: b, c (valid until exactly D), k = 3
    "STAFF_CAT_FIRST": (3, 8, 37.5),
    "STAFF_CAT_ANY": (6, 8, 75.0),
    # a (2021-09-21), c (on D), e, f, k = 5; b (2021-09-20 = D − 3y) and g are outside, d never trained
    "STAFF_TRAINED_3Y": (5, 8, 62.5),
    # a c e k = 4
    "STAFF_ICT_TRAINED": (4, 8, 50.0),
    # b 34, f 34 = 2; a turned 35 on D
    "STAFF_UNDER_35": (2, 8, 25.0),
    # c turned 55 on D; d is 54 until tomorrow
    "STAFF_55_PLUS": (1, 8, 12.5),
    # 35 + 34 + 55 + 54 + 44 + 34 + 49 + 39 = 344; 344 / 8 = 43
    "STAFF_MEAN_AGE": (344, 8, 43.0),
    # b 2, f 4
    "STAFF_EXP_UNDER_5": (2, 8, 25.0),
    # c 31; d has exactly 30 (not over 30)
    "STAFF_EXP_OVER_30": (1, 8, 12.5),
    # under 35 and under 3 years: b only (f has 4 years)
    "STAFF_YOUNG_SPECIALISTS": (1, None, 1),
    # 400 pupils / 8
    "STAFF_STUDENTS_PER_PED": (400, 8, 50.0),
    # c (term ends on D) and k (2025-03-01); b's ends on D + 1 year, outside [D, D + 1y)
    "STAFF_ATTESTATION_DUE": (2, None, 2),
    # a b d e g = 5 (f's term ends exactly on D + 1 year: not before it)
    "STAFF_TRAINING_DUE": (5, None, 5),
    # a: highest of 2019-05-15, derived validity 2024-05-15 < D -> lapsed; c's first ends exactly on D (still
    # valid, not lapsed); d and e are indefinite, g has an explicit later term; the external j does not count
    "STAFF_CATEGORY_LAPSED": (1, None, 1),
    # the one young specialist (b) has no mentor (mentoring: tests/warehouse/test_planning.py)
    "STAFF_YOUNG_WITH_MENTOR": (0, 1, 0.0),
    # 30 learning PCs / 400 × 100
    "ICT_PC_LEARNING_PER_100": (30, 400, 7.5),
    # 25 / 400 × 100
    "ICT_PC_LEARNING_INTERNET_PER_100": (25, 400, 6.25),
    # 40 of 50 PCs online
    "ICT_PC_INTERNET_SHARE": (40, 50, 80.0),
    # 15 of 20 rooms
    "ICT_WORKSTATION_ROOMS": (15, 20, 75.0),
    # 8 boards / 400 × 100
    "ICT_INTERACTIVE_PER_100": (8, 400, 2.0),
    # 100 Mbit/s in town: the target is met at its boundary
    "ICT_SPEED_TARGET": (1, 1, 100.0),
    "ICT_EJOURNAL": (1, 1, 100.0),
    "ICT_DISTANCE": (0, 1, 0.0),
    # c1 = min(7.5 / 10, 1) = 0.75; c2 = 0.8; c3 = 0.75; c4 = 1; c5 = (e-journal 1 + distance 0) / 2 = 0.5
    # 100 × (0.75 + 0.8 + 0.75 + 1 + 0.5) / 5 = 76
    "ICT_READINESS_INDEX": (76, 1, 76.0),
    # two site records (regional, municipal)
    "INNO_SITES": (2, None, 2),
    "INNO_ORGS_WITH_SITE": (1, 1, 100.0),
    "INNO_PROJECTS": (1, None, 1),
    "INNO_EVENTS": (2, None, 2),
    # 3 + 2 + 1 participants of staff contests (any level, any result) / 8 × 100
    "INNO_STAFF_CONTEST_PER_100": (6, 8, 75.0),
    # the municipal winners (2); the institution-level prize winner does not count
    "INNO_STAFF_CONTEST_WINNERS": (2, None, 2),
    # the regional winners (10); institution-level prize winners (5) and federal participants (4) do not
    "INNO_STUDENT_WINNERS_PER_100": (10, 400, 2.5),
    "INNO_PUBLICATIONS": (1, None, 1),
}


def test_s1_covers_the_whole_catalogue() -> None:
    # the results area is tested on its own data (test_results.py), and the needs survey in test_planning.py;
    # S1 sent neither
    assert set(S1_EXPECTED) == {
        i.code for i in load_catalog() if i.area != "results" and i.code != "STAFF_NEEDS_SURVEYED"
    }
    assert len(S1_EXPECTED) == 36


@pytest.mark.parametrize("code", sorted(S1_EXPECTED))
def test_s1_indicator(main_warehouse: duckdb.DuckDBPyConnection, code: str) -> None:
    numerator, denominator, value = S1_EXPECTED[code]
    got = inst_value(main_warehouse, code, "S1")
    assert got[0] == pytest.approx(numerator)
    assert got[1] == (None if denominator is None else pytest.approx(denominator))
    assert got[2] == pytest.approx(value)


@pytest.mark.parametrize(
    ("inst_id", "code", "expected"),
    [
        # --- K1 (preschool): ka 53, highest valid to 2028-08-31 (pre-rule + 5 years), trained, ICT;
        #     kb 25 (birthday on D), vocational, compliance, never trained, 3 years of experience
        ("K1", "STAFF_COUNT", (2, None, 2)),
        ("K1", "STAFF_CAT_HIGHEST", (1, 2, 50.0)),
        ("K1", "STAFF_CAT_FIRST", (0, 2, 0.0)),
        ("K1", "STAFF_UNDER_35", (1, 2, 50.0)),
        ("K1", "STAFF_MEAN_AGE", (78, 2, 39.0)),  # (53 + 25) / 2
        ("K1", "STAFF_EXP_UNDER_5", (1, 2, 50.0)),  # kb's 3 years
        ("K1", "STAFF_YOUNG_SPECIALISTS", (0, None, 0)),  # kb has exactly 3 years: not under 3
        ("K1", "STAFF_TRAINING_DUE", (1, None, 1)),  # kb never trained
        # ka's pre-rule highest of 2023-08-31 runs to 2028-08-31; kb's compliance cannot lapse
        ("K1", "STAFF_CATEGORY_LAPSED", (0, None, 0)),
        ("K1", "STAFF_STUDENTS_PER_PED", (120, 2, 60.0)),
        ("K1", "ICT_PC_LEARNING_PER_100", (6, 120, 5.0)),
        ("K1", "ICT_WORKSTATION_ROOMS", (2, 8, 25.0)),
        ("K1", "ICT_INTERACTIVE_PER_100", (3, 120, 2.5)),
        # 60 Mbit/s in town is below the urban 100 (it would meet the rural 50)
        ("K1", "ICT_SPEED_TARGET", (0, 1, 0.0)),
        # c1 = min(5 / 10, 1) = 0.5; c2 = 10/10 = 1; c3 = 2/8 = 0.25; c4 = 0; c5 = distance learning = 1
        # (a preschool's e-journal is not a component); 100 × 2.75 / 5 = 55
        ("K1", "ICT_READINESS_INDEX", (55, 1, 55.0)),
        # a site at the institution level is still a site
        ("K1", "INNO_SITES", (1, None, 1)),
        ("K1", "INNO_ORGS_WITH_SITE", (1, 1, 100.0)),
        ("K1", "INNO_STAFF_CONTEST_PER_100", (1, 2, 50.0)),
        ("K1", "INNO_STAFF_CONTEST_WINNERS", (1, None, 1)),  # international prize winner
        ("K1", "INNO_STUDENT_WINNERS_PER_100", (3, 120, 2.5)),  # 3 municipal winners / 120 × 100
        ("K1", "INNO_PUBLICATIONS", (2, None, 2)),
        # --- S2 (rural school): sa 24, none, never trained, 1 year; sb 64, first since 2023-10-01
        #     (indefinite), trained 2023-01-01, 40 years; an external part-timer is not counted
        ("S2", "STAFF_COUNT", (2, None, 2)),
        ("S2", "STAFF_CAT_FIRST", (1, 2, 50.0)),
        ("S2", "STAFF_55_PLUS", (1, 2, 50.0)),
        ("S2", "STAFF_MEAN_AGE", (88, 2, 44.0)),  # (24 + 64) / 2
        ("S2", "STAFF_EXP_OVER_30", (1, 2, 50.0)),
        ("S2", "STAFF_YOUNG_SPECIALISTS", (1, None, 1)),
        ("S2", "STAFF_ATTESTATION_DUE", (0, None, 0)),  # an indefinite category is never due
        ("S2", "STAFF_TRAINING_DUE", (1, None, 1)),  # sa; sb's term ends 2026-01-01
        # no PCs and no rooms: the shares have denominator 0 -> NULL, not 0
        ("S2", "ICT_PC_INTERNET_SHARE", (0, 0, None)),
        ("S2", "ICT_WORKSTATION_ROOMS", (0, 0, None)),
        ("S2", "ICT_PC_LEARNING_PER_100", (0, 100, 0.0)),
        # 50 Mbit/s in the countryside meets the rural target at its boundary
        ("S2", "ICT_SPEED_TARGET", (1, 1, 100.0)),
        ("S2", "ICT_EJOURNAL", (0, 1, 0.0)),
        ("S2", "ICT_DISTANCE", (1, 1, 100.0)),
        # c1 = 0, c2 = 0 (no PCs), c3 = 0 (no rooms), c4 = 1, c5 = (0 + 1) / 2 = 0.5; 100 × 1.5 / 5 = 30
        ("S2", "ICT_READINESS_INDEX", (30, 1, 30.0)),
        # a reporting institution without innovation records: counts are 0, shares 0
        ("S2", "INNO_SITES", (0, None, 0)),
        ("S2", "INNO_PROJECTS", (0, None, 0)),
        ("S2", "INNO_EVENTS", (0, None, 0)),
        ("S2", "INNO_PUBLICATIONS", (0, None, 0)),
        ("S2", "INNO_STAFF_CONTEST_WINNERS", (0, None, 0)),
        ("S2", "INNO_ORGS_WITH_SITE", (0, 1, 0.0)),
        ("S2", "INNO_STAFF_CONTEST_PER_100", (0, 2, 0.0)),
        ("S2", "INNO_STUDENT_WINNERS_PER_100", (0, 100, 0.0)),
        # --- A1 (additional, staff only): aa 40 (birthday the day before D), first valid to 2026-01-01
        ("A1", "STAFF_COUNT", (1, None, 1)),
        ("A1", "STAFF_HIGHER_PED_EDU", (0, 1, 0.0)),
        ("A1", "STAFF_CAT_ANY", (1, 1, 100.0)),
        ("A1", "STAFF_MEAN_AGE", (40, 1, 40.0)),
        ("A1", "STAFF_ATTESTATION_DUE", (0, None, 0)),
        ("A1", "INNO_SITES", (0, None, 0)),
        ("A1", "INNO_ORGS_WITH_SITE", (0, 1, 0.0)),
        ("A1", "INNO_STAFF_CONTEST_PER_100", (0, 1, 0.0)),
        # --- Z1: only a head and a deputy -> |P| = 0; every share over P is NULL
        ("Z1", "STAFF_COUNT", (0, None, 0)),
        ("Z1", "STAFF_HIGHER_EDU", (0, 0, None)),
        ("Z1", "STAFF_MEAN_AGE", (0, 0, None)),
        ("Z1", "STAFF_YOUNG_SPECIALISTS", (0, None, 0)),
        ("Z1", "STAFF_STUDENTS_PER_PED", (80, 0, None)),
        ("Z1", "INNO_STAFF_CONTEST_PER_100", (0, 0, None)),
        ("Z1", "INNO_PROJECTS", (1, None, 1)),
        # c1 = min(4 / 80 × 100 / 10, 1) = 0.5; c2 = c3 = c4 = 1; c5 = (1 + 1) / 2 = 1; 100 × 4.5 / 5 = 90
        ("Z1", "ICT_READINESS_INDEX", (90, 1, 90.0)),
        # --- W1 sent only an innovation record: its counts are published, the reporting share is not
        ("W1", "INNO_EVENTS", (1, None, 1)),
        ("W1", "INNO_SITES", (0, None, 0)),
    ],
)
def test_institution_values(
    main_warehouse: duckdb.DuckDBPyConnection,
    inst_id: str,
    code: str,
    expected: tuple[float, float | None, float | None],
) -> None:
    numerator, denominator, value = inst_value(main_warehouse, code, inst_id)
    assert numerator == pytest.approx(expected[0])
    assert denominator == (None if expected[1] is None else pytest.approx(expected[1]))
    assert value == (None if expected[2] is None else pytest.approx(expected[2]))


def published_codes(con: duckdb.DuckDBPyConnection, inst_id: str) -> set[str]:
    rows = con.execute(
        """
        SELECT indicator_code FROM mart.indicator_values
        WHERE period = '2024/2025' AND level = 'institution' AND inst_id = ?
        """,
        [inst_id],
    ).fetchall()
    return {r[0] for r in rows}


def test_publication_rules(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    # none of them sent results or a needs survey
    catalog = {i.code: i for i in load_catalog() if i.area != "results" and i.code != "STAFF_NEEDS_SURVEYED"}
    staff_codes = {c for c, i in catalog.items() if i.area == "staff"}
    ict_codes = {c for c, i in catalog.items() if i.area == "ict"}
    innovation_counts = {"INNO_SITES", "INNO_PROJECTS", "INNO_EVENTS", "INNO_PUBLICATIONS"}
    innovation_counts.add("INNO_STAFF_CONTEST_WINNERS")
    # a preschool with staff, ict and innovation: everything but the schools' e-journal
    assert published_codes(main_warehouse, "K1") == set(catalog) - {"ICT_EJOURNAL"}
    # staff only: no ICT indicator, no per-pupil indicator
    over_staff = {"INNO_ORGS_WITH_SITE", "INNO_STAFF_CONTEST_PER_100"}
    expected_a1 = (staff_codes - {"STAFF_STUDENTS_PER_PED"}) | innovation_counts | over_staff
    assert published_codes(main_warehouse, "A1") == expected_a1
    # innovation records only: the counts, nothing over staff, pupils or reporting institutions
    assert published_codes(main_warehouse, "W1") == innovation_counts
    # nothing sent for the period: nothing published
    assert published_codes(main_warehouse, "X1") == set()
    assert ict_codes <= published_codes(main_warehouse, "S2")


@pytest.mark.parametrize(
    ("code", "level", "municipality", "inst_type", "expected"),
    [
        # STAFF_CAT_ANY, numerators and denominators summed: S1 6/8, Z1 0/0, K1 1/2, S2 1/2, A1 1/1
        ("STAFF_CAT_ANY", "municipality", "Северный", "school", (6, 8, 75.0)),  # S1 + Z1
        ("STAFF_CAT_ANY", "municipality", "Северный", "preschool", (1, 2, 50.0)),
        # (6 + 0 + 1) / (8 + 0 + 2) = 70 — the mean of the institutions' shares would be 62.5
        ("STAFF_CAT_ANY", "municipality", "Северный", "all", (7, 10, 70.0)),
        ("STAFF_CAT_ANY", "municipality", "Южный", "school", (1, 2, 50.0)),
        ("STAFF_CAT_ANY", "municipality", "Южный", "additional", (1, 1, 100.0)),
        ("STAFF_CAT_ANY", "municipality", "Южный", "all", (2, 3, 200 / 3)),
        ("STAFF_CAT_ANY", "region", None, "school", (7, 10, 70.0)),  # S1 + Z1 + S2
        ("STAFF_CAT_ANY", "region", None, "preschool", (1, 2, 50.0)),
        ("STAFF_CAT_ANY", "region", None, "all", (9, 13, 900 / 13)),
        # counts: numerator = value, no denominator; 8 + 0 + 2 + 2 + 1
        ("STAFF_COUNT", "region", None, "all", (13, None, 13)),
        ("STAFF_COUNT", "municipality", "Северный", "all", (10, None, 10)),
        # lapsed categories: S1's a only (K1's pre-rule highest runs to 2028, S2's and A1's are valid)
        ("STAFF_CATEGORY_LAPSED", "region", None, "all", (1, None, 1)),
        ("STAFF_CATEGORY_LAPSED", "municipality", "Южный", "all", (0, None, 0)),
        # ages: (344 + 0 + 78 + 88 + 40) / 13
        ("STAFF_MEAN_AGE", "region", None, "all", (550, 13, 550 / 13)),
        # pupils per teacher over institutions with both datasets: A1 (no ict) stays out of the
        # denominator: (400 + 80 + 120 + 100) / (8 + 0 + 2 + 2) = 700 / 12
        ("STAFF_STUDENTS_PER_PED", "region", None, "all", (700, 12, 700 / 12)),
        ("STAFF_STUDENTS_PER_PED", "municipality", "Южный", "all", (100, 2, 50.0)),
        # Z1's |P| = 0 alone is NULL, but summed with S1 it is not: 480 / 8
        ("STAFF_STUDENTS_PER_PED", "municipality", "Северный", "school", (480, 8, 60.0)),
        # (30 + 4 + 6 + 0) / (400 + 80 + 120 + 100) × 100
        ("ICT_PC_LEARNING_PER_100", "region", None, "all", (40, 700, 40 / 7)),
        # S2 alone has no PCs: 0 / 0 stays NULL at the municipality level too
        ("ICT_PC_INTERNET_SHARE", "municipality", "Южный", "school", (0, 0, None)),
        ("ICT_PC_INTERNET_SHARE", "municipality", "Южный", "all", (0, 0, None)),
        # (40 + 4 + 10 + 0) / (50 + 4 + 10 + 0) × 100
        ("ICT_PC_INTERNET_SHARE", "region", None, "all", (54, 64, 84.375)),
        # S1 met (100 urban), Z1 met, K1 not (60 urban), S2 met (50 rural): 3 of 4
        ("ICT_SPEED_TARGET", "region", None, "all", (3, 4, 75.0)),
        ("ICT_DISTANCE", "region", None, "all", (3, 4, 75.0)),  # Z1, K1, S2
        # schools only: S1 1, Z1 1, S2 0. K1 (preschool, no e-journal) must not dilute Северный's 100
        ("ICT_EJOURNAL", "municipality", "Северный", "all", (2, 2, 100.0)),
        ("ICT_EJOURNAL", "municipality", "Северный", "school", (2, 2, 100.0)),
        ("ICT_EJOURNAL", "region", None, "all", (2, 3, 200 / 3)),
        # pupil-weighted index: S1 76 × 400, Z1 90 × 80, K1 55 × 120, S2 30 × 100
        # Северный schools: (30400 + 7200) / 480 = 78.33 (the plain mean of 76 and 90 would be 83)
        ("ICT_READINESS_INDEX", "municipality", "Северный", "school", (37600, 480, 37600 / 480)),
        ("ICT_READINESS_INDEX", "municipality", "Северный", "all", (44200, 600, 44200 / 600)),
        ("ICT_READINESS_INDEX", "region", None, "school", (40600, 580, 70.0)),
        ("ICT_READINESS_INDEX", "region", None, "all", (47200, 700, 47200 / 700)),
        # innovation counts: sites S1 2 + K1 1; events S1 2 + W1 1; projects S1 1 + Z1 1
        ("INNO_SITES", "region", None, "all", (3, None, 3)),
        ("INNO_EVENTS", "region", None, "all", (3, None, 3)),
        ("INNO_EVENTS", "municipality", "Южный", "preschool", (1, None, 1)),  # W1
        ("INNO_PROJECTS", "municipality", "Северный", "school", (2, None, 2)),
        ("INNO_PUBLICATIONS", "region", None, "all", (3, None, 3)),
        ("INNO_STAFF_CONTEST_WINNERS", "region", None, "all", (3, None, 3)),
        # reporting institutions S1, Z1, K1, S2, A1; with a site S1, K1 (W1 is not reporting)
        ("INNO_ORGS_WITH_SITE", "region", None, "all", (2, 5, 40.0)),
        ("INNO_ORGS_WITH_SITE", "municipality", "Южный", "all", (0, 2, 0.0)),
        # (6 + 0 + 1 + 0 + 0) / (8 + 0 + 2 + 2 + 1) × 100
        ("INNO_STAFF_CONTEST_PER_100", "region", None, "all", (7, 13, 700 / 13)),
        # (10 + 0 + 3 + 0) / 700 × 100
        ("INNO_STUDENT_WINNERS_PER_100", "region", None, "all", (13, 700, 1300 / 700)),
    ],
)
def test_aggregates(
    main_warehouse: duckdb.DuckDBPyConnection,
    code: str,
    level: str,
    municipality: str | None,
    inst_type: str,
    expected: tuple[float, float | None, float | None],
) -> None:
    numerator, denominator, value = indicator_row(
        main_warehouse, code, level, municipality=municipality, inst_type=inst_type
    )
    assert numerator == pytest.approx(expected[0])
    assert denominator == (None if expected[1] is None else pytest.approx(expected[1]))
    assert value == (None if expected[2] is None else pytest.approx(expected[2]))


def test_ejournal_has_no_preschool_rows(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    types = main_warehouse.execute(
        "SELECT DISTINCT inst_type FROM mart.indicator_values WHERE indicator_code = 'ICT_EJOURNAL'"
    ).fetchall()
    assert {t[0] for t in types} == {"school", "all"}


def test_aggregate_rows_only_for_types_present(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = main_warehouse.execute(
        """
        SELECT municipality, list(DISTINCT inst_type ORDER BY inst_type)
        FROM mart.indicator_values
        WHERE period = '2024/2025' AND indicator_code = 'STAFF_COUNT' AND level <> 'institution'
        GROUP BY municipality ORDER BY municipality NULLS LAST
        """
    ).fetchall()
    assert rows == [
        ("Северный", ["all", "preschool", "school"]),
        ("Южный", ["additional", "all", "school"]),
        (None, ["additional", "all", "preschool", "school"]),
    ]


def test_row_shape(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    columns = [r[0] for r in main_warehouse.execute("DESCRIBE mart.indicator_values").fetchall()]
    assert columns == [
        "period", "level", "municipality", "inst_type", "inst_id", "indicator_code", "subject", "grade",
        "numerator", "denominator", "value",
    ]  # fmt: skip
    types = {r[0]: r[1] for r in main_warehouse.execute("DESCRIBE mart.indicator_values").fetchall()}
    assert types["numerator"] == types["denominator"] == types["value"] == "DOUBLE"
    bad = main_warehouse.execute(
        """
        SELECT count(*) FILTER (WHERE level = 'region' AND municipality IS NOT NULL),
               count(*) FILTER (WHERE level <> 'region' AND municipality IS NULL),
               count(*) FILTER (WHERE level <> 'institution' AND inst_id IS NOT NULL),
               count(*) FILTER (WHERE level = 'institution' AND (inst_id IS NULL OR inst_type = 'all')),
               count(*) FILTER (WHERE level NOT IN ('institution', 'municipality', 'region'))
        FROM mart.indicator_values
        """
    ).fetchone()
    assert bad == (0, 0, 0, 0, 0)
    # an institution row carries the institution's own type and municipality
    mismatched = main_warehouse.execute(
        """
        SELECT count(*) FROM mart.indicator_values v JOIN core.institutions i USING (inst_id)
        WHERE v.inst_type <> i.inst_type OR v.municipality <> i.municipality
        """
    ).fetchone()
    assert mismatched == (0,)
    duplicates = main_warehouse.execute(
        """
        SELECT count(*) FROM (
            SELECT period, level, municipality, inst_type, inst_id, indicator_code, subject, grade, count(*) AS n
            FROM mart.indicator_values GROUP BY ALL HAVING n > 1
        )
        """
    ).fetchone()
    assert duplicates == (0,)


def test_every_catalogue_indicator_is_published(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    codes = {
        r[0]
        for r in main_warehouse.execute(
            "SELECT DISTINCT indicator_code FROM mart.indicator_values WHERE period = '2024/2025'"
        ).fetchall()
    }
    # the main warehouse has no results (tests/warehouse/test_results.py has); their rows have subjects
    # nor a needs survey (STAFF_NEEDS_SURVEYED is published only with one: tests/warehouse/test_planning.py)
    assert codes == {
        i.code for i in load_catalog() if i.area != "results" and i.code != "STAFF_NEEDS_SURVEYED"
    }
    assert main_warehouse.execute(
        "SELECT count(*) FROM mart.indicator_values WHERE subject IS NOT NULL OR grade IS NOT NULL"
    ).fetchone() == (0,)


def test_previous_period_is_computed_with_its_own_date(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    # 2023/2024: D = 2023-09-20; S1's five default teachers were born 1980-01-01 -> 43
    assert inst_value(main_warehouse, "STAFF_COUNT", "S1", "2023/2024") == (5, None, 5)
    assert inst_value(main_warehouse, "STAFF_MEAN_AGE", "S1", "2023/2024")[2] == pytest.approx(43.0)
    # X1 sent data for 2023/2024: published for that period only
    assert inst_value(main_warehouse, "STAFF_COUNT", "X1", "2023/2024") == (3, None, 3)


def test_staff_person_view(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = main_warehouse.execute(
        """
        SELECT staff_id, age, category_at_date, attestation_due, training_due, category_lapsed,
               training_due_date
        FROM mart.staff_person WHERE period = '2024/2025' AND inst_id = 'S1' ORDER BY staff_id
        """
    ).fetchall()
    assert [r[:6] for r in rows] == [
        # a's highest lapsed on 2024-05-15 (derived: 2019-05-15 + 5 years), before D
        ("a", 35, "none", False, True, True),
        ("b", 34, "first", False, True, False),
        # c's first ends exactly on D: still valid, due, not lapsed
        ("c", 55, "first", True, False, False),
        ("d", 54, "highest", False, True, False),
        ("e", 44, "highest", False, True, False),
        # f's compliance is no category and cannot lapse
        ("f", 34, "none", False, False, False),
        ("g", 49, "highest", False, True, False),
        ("k", 39, "first", True, False, False),
    ]
    assert str(rows[0][6]) == "2024-09-21"


def test_staff_groupings_in_the_model(main_warehouse: duckdb.DuckDBPyConnection) -> None:
    rows = main_warehouse.execute(
        "SELECT staff_id, category_group, education_group, age_band, experience_band FROM mart.staff_person "
        "WHERE period = '2024/2025' AND inst_id = 'S1' ORDER BY staff_id"
    ).fetchall()
    assert rows == [
        # expired highest -> none; 35 on D is in 35-39; 12 years
        ("a", "none", "higher_ped", "35-39", "10-20"),
        ("b", "first", "higher_other", "30-34", "<3"),
        ("c", "first", "higher_ped", "55-59", ">30"),
        # vocational pedagogical; exactly 30 years is still 20-30
        ("d", "highest", "svo_ped", "50-54", "20-30"),
        # a valid methodist keeps its own name; 20 years opens 20-30
        ("e", "methodist", "higher_ped", "40-44", "20-30"),
        # соответствие занимаемой должности is kept apart from «без категории»
        ("f", "compliance", "higher_ped", "30-34", "3-5"),
        ("g", "highest", "higher_ped", "45-49", "20-30"),
        ("k", "first", "svo_other", "35-39", "5-10"),
    ]
