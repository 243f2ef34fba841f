"""The UI helpers without Streamlit: Russian formats, Excel export, URL filters, the query layer's rules."""

from __future__ import annotations

import datetime as dt
import io

import duckdb
import openpyxl
import pandas as pd
import pytest

from auth.identity import DEMO_USER, User
from ru import fmt
from tests.pages import handmade
from ui import filters, messages
from ui.views import export
from ui.views import tables as views
from warehouse import queries
from warehouse.queries import Scope

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234.5, "ед.", f"1{NB}234,5{NB}ед."),
        (36.4123, "%", f"36,4{NB}%"),
        (912.0, "чел.", f"912{NB}чел."),
        (1234567.0, "чел.", f"1{NB}234{NB}567{NB}чел."),
        (67.46, "балл", "67,5"),
        # a decimal fraction of years: «года» (41,3 года), never «41,3 лет»
        (41.25, "лет", f"41,3{NB}года"),
        (45.0, "лет", f"45,0{NB}года"),
        (None, "%", "—"),
        (float("nan"), "%", "—"),
        (0.0, "%", f"0,0{NB}%"),
    ],
)
def test_value_formats(value, unit, text):
    assert fmt.value(value, unit) == text


def test_years_agree_after_a_decimal_and_columns_keep_one_format():
    assert fmt.delta(45.1, 45.6, "лет") == f"−0,5{NB}года"
    assert fmt.column_decimals([0.0, 30.0, 2.1], "ед.") == 1
    assert fmt.column_decimals([0.0, 30.0, None], "ед.") == 0
    assert fmt.column_decimals([1.0, 2.0], "%") == 1


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
    assert ws["B4"].value == pytest.approx(36.4123) and ws["B4"].number_format == "#,##0.0"
    assert ws["B5"].value is None, "a missing value stays an empty cell, not 0"
    assert ws["C4"].value.date() == dt.date(2024, 9, 20) and ws["C4"].number_format == "DD.MM.YYYY"
    assert export.file_name("кадры/../x", "2024/2025") == "кадры_x_2024-2025.xlsx"
    assert ws.auto_filter.ref == "A3:C5"


def test_excel_formats_per_column_autofilter_and_clean_sheet_names():
    """Whole counts are `#,##0` (Excel showed `#,##0.##` as «770,»); a column with one fraction is `#,##0.0`
    throughout; plain numeric columns without a unit get the same rule; the filter covers the table."""
    frame = pd.DataFrame(
        {
            "Организация": ["СОШ № 1", "ДДТ", "Гимназия"],
            "Педагогов, чел.": [770.0, 12.0, float("nan")],
            "ПК на 100, ед.": [7.5, 2.0, 30.0],
            "Строк": [3, 0, 12],
        }
    )
    title = "Аттестация: категория истекает — 2024/2025"
    data = export.excel_bytes(
        frame, sheet=title, title=title, units={"Педагогов, чел.": "чел.", "ПК на 100, ед.": "ед."}
    )
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws.title == "Аттестация категория истекает"
    assert len(ws.title) <= 31 and "  " not in ws.title
    assert [ws.cell(row=r, column=2).number_format for r in (4, 5)] == ["#,##0", "#,##0"]
    assert [ws.cell(row=r, column=3).number_format for r in (4, 5, 6)] == ["#,##0.0"] * 3
    assert ws["D4"].number_format == "#,##0" and ws["D4"].value == 3
    assert ws.auto_filter.ref == "A3:D6"
    assert export.sheet_name("  Кадры:  [итог]  ") == "Кадры итог"
    assert export.sheet_name("''") == "Данные"


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


# ----------------------------------------------------------------------------------------- large scopes
def test_due_list_limit_and_count(handmade_db):
    """The page reads the soonest people only and the count separately; both follow the access rules."""
    scope = Scope(handmade.P_NEW)
    everyone = queries.staff_due_list(handmade_db, DEMO_USER, scope, "training")
    assert len(everyone) >= 2
    assert queries.staff_due_count(handmade_db, DEMO_USER, scope, "training") == len(everyone)
    first = queries.staff_due_list(handmade_db, DEMO_USER, scope, "training", limit=1)
    assert len(first) == 1
    assert first.iloc[0]["staff_id"] == everyone.iloc[0]["staff_id"], "the soonest comes first"
    director = User(login="d", role="director", inst_id="S3")
    own = queries.staff_due_list(handmade_db, director, scope, "training")
    assert queries.staff_due_count(handmade_db, director, scope, "training") == len(own) < len(everyone)
    assert (
        queries.staff_due_count(handmade_db, director, Scope(handmade.P_NEW, inst_id="S1"), "training") == 0
    )
    with pytest.raises(ValueError):
        queries.staff_due_count(handmade_db, DEMO_USER, scope, "holidays")


def test_attestation_list_has_the_lapsed_first_with_a_status(handmade_db):
    """D = 2024-09-20: T7's highest (S3) ended 2024-05-05 -> lapsed, listed first; T5's first ends
    2025-01-15 and T1's highest 2025-03-01 -> due; T2 and T6 hold indefinite categories."""
    scope = Scope(handmade.P_NEW)
    rows = queries.staff_due_list(handmade_db, DEMO_USER, scope, "attestation")
    assert list(zip(rows["staff_id"], rows["status"], strict=True)) == [
        ("T7", "lapsed"),
        ("T5", "due"),
        ("T1", "due"),
    ]
    assert queries.staff_due_statuses(handmade_db, DEMO_USER, scope, "attestation") == {"due": 2, "lapsed": 1}
    assert queries.staff_due_count(handmade_db, DEMO_USER, scope, "attestation") == 3
    # training: T3 never trained; T7 (2020-01-01 + 3 years) and T1 (2021-06-01 + 3) overdue before D
    kpk = queries.staff_due_list(handmade_db, DEMO_USER, scope, "training")
    assert list(zip(kpk["staff_id"], kpk["status"], strict=True)) == [
        ("T3", "never"),
        ("T7", "overdue"),
        ("T1", "overdue"),
    ]
    table = views.due_table(rows, "attestation").frame
    assert list(table["Статус"]) == ["истекла", "истекает", "истекает"]
    assert views.due_counts("attestation", {"due": 2, "lapsed": 1}) == (
        "Категория уже истекла — 1 чел.; истекает в ближайшие 12 месяцев — 2 чел."
    )
    assert views.due_counts("training", {"never": 1, "overdue": 2}) == (
        "Курсы не проходили — 1 чел.; срок уже истёк — 2 чел."
    )


def test_a_directors_due_lists_are_their_own_whatever_the_page_shows():
    director = User(login="d", role="director", inst_id="S3")
    assert queries.due_scope(director, Scope(handmade.P_NEW, inst_id="S1")) == Scope(
        handmade.P_NEW, inst_id="S3"
    )
    assert queries.due_scope(director, Scope(handmade.P_NEW, handmade.CITY)) == Scope(
        handmade.P_NEW, inst_id="S3"
    )
    city = Scope(handmade.P_NEW, handmade.CITY)
    assert queries.due_scope(DEMO_USER, city) == city
    assert messages.due_own_only("СОШ № 3", "СОШ № 1") == (
        "Списки работников показываются только по вашей организации (СОШ № 3). "
        "По организации СОШ № 1 списки не показываются: ниже — работники вашей организации."
    )
    assert messages.due_own_only("СОШ № 3", None) == "Показаны только работники вашей организации (СОШ № 3)."


def test_due_table_labels_each_distinct_code_and_keeps_gaps():
    rows = pd.DataFrame(
        {
            "short_name": ["A", "A", "B"],
            "full_name": ["Иванова", None, "Петров"],
            "staff_id": ["1", "2", "3"],
            "position": ["teacher", "teacher", None],
            "category": ["highest", "first", "highest"],
            "category_date": [dt.date(2020, 1, 1)] * 3,
            "category_valid_until": [dt.date(2025, 1, 1)] * 3,
            "last_training_date": [dt.date(2022, 5, 1), None, None],
            "training_due_date": [dt.date(2025, 5, 1), None, None],
            "status": ["due", "never", "never"],
        }
    )
    att = views.due_table(rows, "attestation").frame
    assert list(att["Должность"]) == ["Учитель", "Учитель", None]
    assert list(att["Категория"]) == ["Высшая", "Первая", "Высшая"]
    assert list(att["ФИО"]) == ["Иванова", "(не указано)", "Петров"]
    kpk = views.due_table(rows, "training").frame
    assert list(kpk["Статус"]) == ["в течение года", "не проходил(а)", "не проходил(а)"]


def test_readiness_rows_by_municipality_are_pupil_weighted():
    ict = pd.DataFrame(
        {
            "short_name": ["a", "b", "c", "d"],
            "municipality": ["М1", "М1", "М2", "М2"],
            "students": [100, 300, 50, 50],
            **{col: [1.0, 0.0, 0.5, None] for col in views.COMPONENT_COLUMNS[:-1]},
            "readiness_index": [80.0, 40.0, 60.0, None],
        }
    )
    rows, total, missing = views.readiness_rows(ict, by="municipality")
    assert missing == ["d"] and total == 2
    by_label = rows.set_index("label")
    # М1: (80·100 + 40·300) / 400 = 50; М2 has one institution with an index: 60
    assert by_label.loc["М1", "readiness_index"] == pytest.approx(50.0)
    assert by_label.loc["М1", "c1_pc_per_pupil"] == pytest.approx(0.25)
    assert by_label.loc["М2", "readiness_index"] == pytest.approx(60.0)
    assert list(rows["label"]) == ["М1", "М2"], "lowest index first"
    rows, total, _ = views.readiness_rows(ict, by="municipality", limit=1)
    assert list(rows["label"]) == ["М1"] and total == 2


@pytest.mark.parametrize(
    ("direction", "kept"), [("up", ["e", "d"]), ("down", ["a", "b"]), ("none", ["e", "d"])]
)
def test_weakest_keeps_the_worst_by_direction(direction, kept):
    frame = pd.DataFrame({"label": list("abcdef"), "value": [5.0, 4.0, 3.0, 2.0, 1.0, None]})
    shown, total = views.weakest(frame, direction, limit=2)
    assert list(shown["label"]) == kept and total == 5
    same, total = views.weakest(frame, direction, limit=5)
    assert same is frame and total == 5, "few enough: the chart shows them all (and names the missing)"


def test_speed_box_without_points_for_many_institutions():
    from ui.views import charts

    speeds = [float(x) for x in range(1, 101)] + [1000.0]  # 1…100 and one outlier
    stats = charts.box_stats(pd.Series(speeds))
    assert stats["median"] == [51.0] and stats["q1"] == [26.0] and stats["q3"] == [76.0]
    assert stats["lowerfence"] == [1.0] and stats["upperfence"] == [100.0], "the outlier is beyond 1.5 IQR"
    many = pd.DataFrame(
        {
            "label": [f"ОО {i}" for i in range(charts.BOX_POINTS_LIMIT + 1)],
            "locality": "urban",
            "internet_speed_mbps": 50.0,
        }
    )
    few = many.head(10)
    big = charts.speed_by_locality(many, "t", {"urban": 100.0}).data[0]
    small = charts.speed_by_locality(few, "t", {"urban": 100.0}).data[0]
    assert big.y is None and tuple(big.median) == (50.0,), "five numbers instead of 2,001 points"
    assert len(small.y) == 10 and small.boxpoints == "all"
    assert charts.box_without_points(many) and not charts.box_without_points(few)
    assert not charts.box_without_points(few.iloc[0:0]), "no speeds: nothing to say"


def test_a_shortened_table_downloads_the_whole_list():
    """The page shows the first rows; the download button's file is built from `full` when clicked."""
    from ui import widgets

    calls = []

    def full() -> views.Table:
        calls.append(1)
        return views.Table(frame=pd.DataFrame({"ФИО": [f"Работник {i}" for i in range(1200)]}))

    data = widgets.excel_of(full, "Список")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    names = [c.value for c in sheet["A"] if c.value and str(c.value).startswith("Работник")]
    assert len(names) == 1200 and calls == [1]


def test_activity_ranking_by_municipality_sums_then_divides():
    activity = pd.DataFrame(
        {
            "short_name": ["a", "b", "c"],
            "inst_type": ["school"] * 3,
            "municipality": ["М1", "М1", "М2"],
            "records": [3, 1, None],
            "staff": [40, 10, 20],
            "students": [400, 100, None],
        }
    )
    frame = views.activity_ranking(activity, by="municipality").frame.set_index("Муниципалитет")
    assert frame.loc["М1", "Записей о деятельности, ед."] == 4
    assert frame.loc["М1", "На 100 педагогических работников, ед."] == pytest.approx(8.0)  # 4 / 50 · 100
    assert frame.loc["М1", "На 100 обучающихся, ед."] == pytest.approx(0.8)  # 4 / 500 · 100
    assert pd.isna(frame.loc["М2", "Записей о деятельности, ед."]), "no records sent is missing, not zero"
    assert list(frame.index) == ["М1", "М2"], "most active first, missing last"


def test_sites_chart_keeps_the_units_with_most_sites():
    sites = pd.DataFrame(
        {
            "short_name": ["a", "a", "b", "c", "d"],
            "municipality": ["М1", "М1", "М2", "М3", "М3"],
            "level": ["municipal", "regional", "municipal", "federal", "municipal"],
            "sites": [2, 1, 1, 1, 4],
        }
    )
    rows, total = views.sites_frame(sites, by="municipality", limit=2)
    assert total == 3
    # М3 has 5 sites, М1 3, М2 1: the two largest, the largest last (the top of a horizontal chart)
    assert list(dict.fromkeys(rows["label"])) == ["М1", "М3"]
    assert int(rows["sites"].sum()) == 8
    rows, total = views.sites_frame(sites, by="institution")
    assert total == 4 and list(dict.fromkeys(rows["label"])) == ["b", "c", "a", "d"]
