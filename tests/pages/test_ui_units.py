"""The UI helpers without Streamlit: Russian formats, Excel export, URL filters, the query layer's rules."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import openpyxl
import pandas as pd
import pytest

from pages.ui import export, filters, fmt, views
from tests.pages import handmade
from warehouse import queries
from warehouse.queries import DEMO_USER, Scope, User

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234.5, "ед.", f"1{NB}234,5{NB}ед."),
        (36.4123, "%", f"36,4{NB}%"),
        (912.0, "чел.", f"912{NB}чел."),
        (1234567.0, "чел.", f"1{NB}234{NB}567{NB}чел."),
        (67.46, "балл", "67,5"),
        (41.25, "лет", f"41,3{NB}лет"),
        (None, "%", "—"),
        (float("nan"), "%", "—"),
        (0.0, "%", f"0,0{NB}%"),
    ],
)
def test_value_formats(value, unit, text):
    assert fmt.value(value, unit) == text


def test_number_delta_date_formats():
    assert fmt.number(-1234.56) == f"\u22121{NB}234,6"
    assert fmt.number(-0.04) == "0,0"
    assert fmt.delta(36.4, 34.0, "%") == f"+2,4{NB}п.п."
    assert fmt.delta(30.0, 34.0, "%") == f"\u22124,0{NB}п.п."
    assert fmt.delta(5, 3, "чел.") == f"+2{NB}чел."
    assert fmt.delta(5, None, "чел.") is None
    assert fmt.date(dt.date(2024, 9, 20)) == "20.09.2024"
    assert fmt.date(pd.Timestamp("2025-01-15")) == "15.01.2025"
    assert fmt.date(None) == "—"
    assert [fmt.plural(n, "а", "б", "в") for n in (1, 2, 5, 11, 21, 22, 112)] == [
        "а",
        "б",
        "в",
        "в",
        "а",
        "б",
        "в",
    ]


def test_delta_colour_follows_direction():
    assert views.delta_style(2.0, "up") == ("green", "up")
    assert views.delta_style(-2.0, "up") == ("red", "down")
    assert views.delta_style(2.0, "down") == ("red", "up")
    assert views.delta_style(-2.0, "down") == ("green", "down")
    assert views.delta_style(2.0, "none") == ("gray", "up")
    assert views.delta_style(0.0, "up") == ("gray", "off")


def test_excel_export_has_russian_headers_numbers_and_dates():
    frame = pd.DataFrame(
        {
            "Организация": ["СОШ № 1", "ДДТ"],
            "Доля, %": [36.4123, float("nan")],
            "Дата": [pd.Timestamp("2024-09-20"), pd.NaT],
        }
    )
    data = export.excel_bytes(
        frame, sheet="Кадры", title="Кадры — 2024/2025", units={"Доля, %": "%"}, dates=["Дата"]
    )
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.title == "Кадры"
    assert ws["A1"].value == "Кадры — 2024/2025"
    assert [c.value for c in ws[3]] == ["Организация", "Доля, %", "Дата"]
    assert ws["B4"].value == pytest.approx(36.4123) and ws["B4"].number_format == "0.0"
    assert ws["B5"].value is None, "a missing value stays an empty cell, not 0"
    assert ws["C4"].value.date() == dt.date(2024, 9, 20) and ws["C4"].number_format == "DD.MM.YYYY"
    assert export.file_name("кадры/../x", "2024/2025") == "кадры_x_2024-2025.xlsx"


INSTITUTIONS = pd.DataFrame(
    [(i, n, s, t, m, loc) for i, n, s, t, m, loc in handmade.INSTITUTIONS],
    columns=["inst_id", "name", "short_name", "inst_type", "municipality", "locality"],
)
PERIODS = [handmade.P_OLD, handmade.P_NEW]


def test_filters_resolve_defaults_and_stored_choice():
    sel = filters.resolve({}, {}, PERIODS, INSTITUTIONS)
    assert (sel.period, sel.municipality, sel.inst_type, sel.inst_id, sel.notices) == (
        handmade.P_NEW,
        None,
        None,
        None,
        (),
    )
    assert sel.by == "municipality"
    sel = filters.resolve({}, {"period": handmade.P_OLD, "type": "school"}, PERIODS, INSTITUTIONS)
    assert (sel.period, sel.inst_type) == (handmade.P_OLD, "school")
    # a URL with any filter parameter wins over the stored choice
    sel = filters.resolve({"inst": "S3"}, {"type": "preschool"}, PERIODS, INSTITUTIONS)
    assert (sel.inst_id, sel.municipality, sel.inst_type) == ("S3", handmade.DISTRICT, None)
    assert sel.params() == {"period": handmade.P_NEW, "mun": handmade.DISTRICT, "inst": "S3"}


def test_filters_resolve_reports_bad_values():
    sel = filters.resolve(
        {"period": "1999/2000", "type": "zoo", "inst": "S3", "mun": handmade.CITY}, {}, PERIODS, INSTITUTIONS
    )
    assert sel.period == handmade.P_NEW and sel.inst_type is None and sel.inst_id is None
    assert sel.municipality == handmade.CITY
    assert len(sel.notices) == 3
    sel = filters.resolve({"mun": "*" * 100}, {}, PERIODS, INSTITUTIONS)
    assert "…" in sel.notices[0] and "\\*" in sel.notices[0], "markup is escaped and the value cut"
    one_city = INSTITUTIONS[INSTITUTIONS["municipality"] == handmade.CITY]
    sel = filters.resolve({}, {}, PERIODS, one_city)
    assert sel.municipality == handmade.CITY and not sel.multi_municipality and sel.by == "institution"
    assert "mun" not in sel.params()


def test_queries_state_and_lists(handmade_db, empty_db, missing_db):
    assert queries.warehouse_state(handmade_db, DEMO_USER).periods == (handmade.P_OLD, handmade.P_NEW)
    assert queries.warehouse_state(empty_db, DEMO_USER).status == "empty"
    assert queries.warehouse_state(missing_db, DEMO_USER).status == "missing"
    assert queries.list_periods(handmade_db, DEMO_USER) == PERIODS
    catalog = queries.indicator_catalog(handmade_db, DEMO_USER)
    assert {"indicator_code", "name_ru", "formula_ru", "target", "key_indicator"} <= set(catalog.columns)


def test_queries_bind_values(handmade_db):
    hostile = "'; DROP TABLE core.staff; --"
    assert (
        queries.institution_values(handmade_db, DEMO_USER, hostile, ["STAFF_COUNT"], hostile)[
            "indicator_code"
        ]
        .isna()
        .all()
    )
    assert queries.aggregate_series(handmade_db, DEMO_USER, [hostile], hostile).empty
    with pytest.raises(ValueError):
        queries.staff_structure(handmade_db, DEMO_USER, Scope(handmade.P_NEW), "age; DROP TABLE x")
    with pytest.raises(ValueError):
        Scope(handmade.P_NEW, inst_type="school' OR '1'='1")
    con = duckdb.connect(str(handmade_db), read_only=True)
    assert con.execute("SELECT count(*) FROM core.staff").fetchone()[0] == len(handmade.STAFF)
    con.close()


def test_person_lists_are_restricted_for_a_director(handmade_db):
    scope = Scope(handmade.P_NEW)
    everyone = queries.staff_due_list(handmade_db, DEMO_USER, scope, "training")
    assert set(everyone["inst_id"]) == {"S1", "S3"}
    director = User(login="d", role="director", inst_id="S3")
    own = queries.staff_due_list(handmade_db, director, scope, "training")
    assert set(own["inst_id"]) == {"S3"}
    # asking for another institution explicitly gives nothing
    assert queries.staff_due_list(
        handmade_db, director, Scope(handmade.P_NEW, inst_id="S1"), "training"
    ).empty
    with pytest.raises(ValueError):
        User(login="x", role="director")
    with pytest.raises(ValueError):
        User(login="x", role="root")  # type: ignore[arg-type]


def test_structure_counts_pedagogical_staff_only(handmade_db):
    rows = queries.staff_structure(handmade_db, DEMO_USER, Scope(handmade.P_NEW, handmade.CITY), "category")
    counts = dict(zip(rows["group"], rows["staff"], strict=True))
    # the head and the external part-timer of S1 are not counted; S3 (the district) is not in the city
    assert sum(counts.values()) == 6
    assert counts == {"highest": 1, "first": 2, "none": 1, "compliance": 1, "methodist": 1}
    pyramid = queries.staff_structure(
        handmade_db, DEMO_USER, Scope(handmade.P_NEW), "age_band", by_gender=True
    )
    assert int(pyramid["staff"].sum()) == 7


def test_attention_list_compares_with_same_type(handmade_db):
    catalog = views.Catalog(queries.indicator_catalog(handmade_db, DEMO_USER))
    codes = [c for a in ("staff", "ict", "innovation") for c in catalog.key_codes(a)]
    rows = queries.attention_list(handmade_db, DEMO_USER, handmade.P_NEW, codes, handmade.CITY)
    assert not rows.empty
    assert (rows["shortfall"] > 0).all()
    assert "STAFF_COUNT" not in set(rows["indicator_code"]), "counts are sizes, not shortfalls"
