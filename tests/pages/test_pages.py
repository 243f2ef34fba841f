"""Every page on the hand-built, empty, missing and demo warehouses, with filters and hostile links."""

from __future__ import annotations

import json

import duckdb
import pytest

from auth.identity import User
from ru import fmt
from tests.pages import handmade
from tests.pages.conftest import PAGES
from ui.views import safe
from warehouse.db import attach_read_only


def mart_value(db, code, level, municipality=None, inst_type="all", inst_id=None, period=handmade.P_NEW):
    con = attach_read_only(db)  # a file or a lake
    try:
        row = con.execute(
            "SELECT value FROM mart.indicator_values WHERE indicator_code = ? AND period = ? AND level = ? "
            "AND municipality IS NOT DISTINCT FROM ? AND inst_type = ? AND inst_id IS NOT DISTINCT FROM ?",
            [code, period, level, municipality, inst_type, inst_id],
        ).fetchone()
    finally:
        con.close()
    return None if row is None else row[0]


def assert_clean(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metric(at, name_start):
    found = [m for m in at.metric if m.label.startswith(name_start)]
    assert found, [m.label for m in at.metric]
    return found[0]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_handmade_warehouse(open_app, handmade_db, page):
    at = open_app(handmade_db, page)
    assert_clean(at)
    assert at.title, "every page has a title"
    if page != "pages/catalog.py":
        assert at.metric, "a dashboard shows KPI cards"
        assert at.get("plotly_chart"), "a dashboard shows charts"
        assert at.query_params["period"] == handmade.P_NEW, "the latest period is the default and in the URL"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("which", ["empty_db", "missing_db"])
def test_page_says_what_to_do_without_data(open_app, request, page, which):
    at = open_app(request.getfixturevalue(which), page)
    assert_clean(at)
    assert any("Данные не загружены" in i.value for i in at.info)
    assert not at.metric and not at.get("plotly_chart")


def test_kpi_card_shows_the_mart_value_formatted(open_app, handmade_wh):
    at = open_app(handmade_wh, params={"mun": handmade.CITY})
    assert_clean(at)
    card = metric(at, "Доля педагогических работников с высшей или первой")
    assert card.value == "36,4\u00a0%"
    assert card.value == fmt.value(
        mart_value(handmade_wh, handmade.KPI_CODE, "municipality", handmade.CITY), "%"
    )
    # change against the previous period in percentage points, green: the share should go up
    assert card.delta == "+2,4\u00a0п.п."
    assert card.proto.color == card.proto.MetricColor.GREEN


def test_region_view_shows_region_values(open_app, handmade_wh):
    at = open_app(handmade_wh)
    card = metric(at, "Численность педагогических работников")
    assert card.value == fmt.value(mart_value(handmade_wh, "STAFF_COUNT", "region"), "чел.") == "7\u00a0чел."
    card = metric(at, "Доля организаций со скоростью")
    assert card.value == fmt.value(mart_value(handmade_wh, "ICT_SPEED_TARGET", "region"), "%")
    assert any("цель 100,0\u00a0%" in c.value for c in at.caption), "the catalogue's target is shown"


def test_institution_view_against_its_municipality(open_app, handmade_db):
    at = open_app(handmade_db, params={"inst": "S1"})
    assert_clean(at)
    assert at.query_params["mun"] == handmade.CITY, "an institution is shown against its own municipality"
    card = metric(at, "Численность педагогических работников")
    assert card.value == fmt.value(
        mart_value(handmade_db, "STAFF_COUNT", "institution", handmade.CITY, "school", "S1"), "чел."
    )
    assert any(c.value.startswith(f"{handmade.CITY}: ") for c in at.caption)


def test_type_filter_changes_values_and_url(open_app, handmade_db):
    at = open_app(handmade_db, params={"mun": handmade.CITY})
    at.sidebar.selectbox(key="_imc_f_type").set_value("school").run()
    assert_clean(at)
    assert at.query_params["type"] == "school"
    card = metric(at, "Численность педагогических работников")
    assert card.value == fmt.value(
        mart_value(handmade_db, "STAFF_COUNT", "municipality", handmade.CITY, "school"), "чел."
    )
    # the institution list now holds schools of the city only
    options = at.sidebar.selectbox(key="_imc_f_inst").options
    assert options == ["Все организации", "СОШ № 1", "СОШ № 2"]


def test_period_filter(open_app, handmade_wh):
    at = open_app(handmade_wh, params={"mun": handmade.CITY})
    at.sidebar.selectbox(key="_imc_f_period").set_value(handmade.P_OLD).run()
    assert_clean(at)
    assert at.query_params["period"] == handmade.P_OLD
    assert metric(at, "Доля педагогических работников с высшей или первой").value == "34,0\u00a0%"
    assert metric(at, "Доля педагогических работников с высшей или первой").delta in (None, "")


HOSTILE = [
    {"period": "2099/2100"},
    {"period": "' OR 1=1; DROP TABLE core.staff; --"},
    {"period": ""},
    {"inst": "../../etc/passwd"},
    {"inst": "S3", "type": "preschool"},
    {"type": "<script>alert(1)</script>"},
    {"mun": "x" * 5000},
    {"mun": "г. Тестовск\x00\n**жирный**"},
    {"period": ["2023/2024", "2024/2025", "garbage"]},
    {"code": "NOPE", "inst": "S1)'--"},
]


@pytest.mark.parametrize("params", HOSTILE)
@pytest.mark.parametrize("page", PAGES)
def test_hostile_parameters_fall_back_with_a_notice(open_app, handmade_db, page, params):
    at = open_app(handmade_db, page, params=params)
    assert_clean(at)
    if page == "pages/catalog.py":
        return
    bad = [
        k
        for k, v in params.items()
        if k in ("period", "inst", "type", "mun") and v not in ("", ["2023/2024", "2024/2025", "garbage"])
    ]
    if isinstance(params.get("period"), list):
        bad.append("period")
    if bad:
        assert at.warning, "a bad parameter is reported"
        assert all(len(w.value) < 400 for w in at.warning), "the notice does not echo a huge value"
    assert at.query_params["period"] in (handmade.P_NEW, handmade.P_OLD)
    assert "DROP" not in str(at.query_params)


def test_overview_attention_opens_the_institution_in_the_url(open_app, handmade_db):
    at = open_app(handmade_db, params={"mun": handmade.CITY})
    buttons = [b for b in at.button if b.key and b.key.startswith("attention_")]
    assert buttons, "each institution needing attention opens its view"
    inst_id = buttons[0].key.removeprefix("attention_")
    at = buttons[0].click().run()
    # the view is in the address: a copied link opens the same institution
    assert at.query_params["inst"] == [inst_id] or at.query_params["inst"] == inst_id
    assert at.query_params["period"] in ([handmade.P_NEW], handmade.P_NEW)


def test_staff_page_lists_and_structure(open_app, handmade_db):
    at = open_app(handmade_db, "pages/staff.py", params={"mun": handmade.CITY})
    assert_clean(at)
    frames = [df.value for df in at.dataframe]
    attestation = [f for f in frames if "Категория действует до" in f.columns]
    training = [f for f in frames if "Срок следующих КПК" in f.columns]
    assert attestation and training
    # the list holds exactly the people the mart counts (the city's all-types row): due and lapsed
    assert len(attestation[0]) == mart_value(
        handmade_db, "STAFF_ATTESTATION_DUE", "municipality", handmade.CITY
    ) + mart_value(handmade_db, "STAFF_CATEGORY_LAPSED", "municipality", handmade.CITY)
    assert set(attestation[0]["ФИО"]) == {"Иванова Анна Петровна", "Смирнова Елена Юрьевна"}
    assert len(training[0]) == mart_value(handmade_db, "STAFF_TRAINING_DUE", "municipality", handmade.CITY)
    # the institutions' table has the total in its own row above (out of the sort), and Russian headers
    total, table = [f for f in frames if "Организация" in f.columns and "Тип" in f.columns][:2]
    assert list(total["Организация"]) == [f"Итого: {handmade.CITY}"]
    assert not table["Организация"].str.startswith("Итого").any()
    assert "Доля педагогических работников с высшим образованием, %" in table.columns
    assert at.get("download_button"), "tables download as Excel"


def test_director_sees_only_own_people(open_app, handmade_db):
    director = User(login="dir", role="director", inst_id="D1")
    at = open_app(handmade_db, "pages/staff.py", params={"mun": handmade.CITY}, user=director)
    assert_clean(at)
    frames = [df.value for df in at.dataframe if "ФИО" in df.value.columns]
    names = set().union(*(set(f["ФИО"]) for f in frames))
    assert names == {"Смирнова Елена Юрьевна"}


def test_director_on_another_school_is_told_the_lists_are_their_own(open_app, handmade_db):
    """S3's director opens S1: no false «никого» — a plain notice, and S3's own lists titled with S3's name
    (T7's highest lapsed on 2024-05-05, before D, so he is listed with the status «истекла»)."""
    director = User(login="dir3", role="director", inst_id="S3")
    at = open_app(handmade_db, "pages/staff.py", params={"inst": "S1"}, user=director)
    assert_clean(at)
    assert any(
        "только по вашей организации (СОШ № 3)" in i.value and "СОШ № 1 списки" in i.value for i in at.info
    )
    assert not any("Никого" in c.value for c in at.caption)
    attestation = [df.value for df in at.dataframe if "Категория действует до" in df.value.columns][0]
    assert list(zip(attestation["ФИО"], attestation["Статус"], strict=True)) == [
        ("Волков Андрей Андреевич", "истекла")
    ]
    titles = [m.value for m in at.markdown if "Аттестация" in m.value]
    assert titles and all("СОШ № 3" in t and "СОШ № 1" not in t for t in titles)
    assert any(c.value == "Категория уже истекла — 1 чел." for c in at.caption)


def test_ict_page(open_app, handmade_db):
    at = open_app(handmade_db, "pages/ict.py", params={"mun": handmade.CITY})
    assert_clean(at)
    charts = at.get("plotly_chart")
    assert len(charts) >= 6
    titles = " ".join(
        json.loads(c.proto.spec)["layout"]["title"]["text"].replace("<br>", " ") for c in charts
    )
    assert "на 100 обучающихся" in titles and "2024/2025" in titles
    # the institution without an ict row is named as missing, not drawn as zero
    assert any("ДДТ" in c.value and "нет данных" in c.value.lower() for c in at.caption)
    speed = [df.value for df in at.dataframe if "Местность" in df.value.columns][0]
    assert set(speed["Местность"]) == {"Город", "Село"}


def test_innovation_page(open_app, handmade_wh):
    at = open_app(handmade_wh, "pages/innovation.py", params={"mun": handmade.CITY})
    assert_clean(at)
    ranking = [df.value for df in at.dataframe if "На 100 обучающихся, ед." in df.value.columns][0]
    assert ranking.iloc[0]["Организация"] in {"СОШ № 1", "ДДТ", "Детский сад № 1"}
    assert metric(at, "Число инновационных площадок").value == fmt.value(
        mart_value(handmade_wh, "INNO_SITES", "municipality", handmade.CITY), "ед."
    )
    # the city's one site (СОШ № 1, regional) by level, in words; no chart of equal bars per institution
    sentence = "Всего 1 площадка: региональный уровень — 1 (СОШ № 1)."
    assert safe.md(sentence) in [c.value for c in at.caption]
    keys = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert not any("по уровню и организациям" in k for k in keys)


def test_one_institutions_yes_no_shares_are_words_on_the_ict_page(open_app, handmade_db):
    at = open_app(handmade_db, "pages/ict.py", params={"inst": "S1"})
    assert_clean(at)
    captions = [c.value for c in at.caption]
    assert safe.md("Использует электронный журнал и дневник (школы): да — 2023/2024–2024/2025.") in captions
    shares = next(
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if json.loads(c.proto.spec)["layout"]["title"]["text"].startswith("Доли, %")
    )
    names = " ".join(t.get("name", "") for t in shares["data"])
    assert "Доля организаций" not in names.replace("<br>", " "), "no 0/100 % line of «доля организаций»"


def test_one_institutions_overview_says_its_yes_no_shares_in_words(open_app, handmade_db):
    at = open_app(handmade_db, "pages/overview.py", params={"inst": "S1"})
    assert_clean(at)
    captions = [c.value for c in at.caption]
    assert safe.md("Использует электронный журнал и дневник (школы): да — 2023/2024–2024/2025.") in captions
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert not any(t.startswith("Динамика: информатизация") for t in titles), "only yes/no shares: no line"


def test_catalog_search_and_link(open_app, handmade_db):
    at = open_app(handmade_db, "pages/catalog.py")
    assert_clean(at)
    full = at.dataframe[0].value
    assert len(full) >= 30 and "Формула" in full.columns
    at.text_input(key="catalog_search").set_value("категори").run()
    found = at.dataframe[0].value
    assert 0 < len(found) < len(full)
    assert all(
        "категори" in (n + f).lower()
        for n, f in zip(found["Показатель"], found["Формула"] + found["Описание"], strict=True)
    )
    at = open_app(handmade_db, "pages/catalog.py", params={"code": "ICT_SPEED_TARGET"})
    assert any("Доля организаций со скоростью" in s.value for s in at.subheader)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_on_demo_warehouse(open_app, demo_db, page):
    at = open_app(demo_db, page)
    assert_clean(at)
    if page != "pages/catalog.py":
        assert at.metric and at.get("plotly_chart")


@pytest.mark.slow
def test_demo_kpi_and_lists_match_the_mart(open_app, demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    period, mun = con.execute(
        "SELECT max(period), min(municipality) FROM mart.indicator_values WHERE level = 'municipality'"
    ).fetchone()
    con.close()
    at = open_app(demo_db, "pages/staff.py", params={"period": period, "mun": mun})
    assert_clean(at)
    card = metric(at, "Численность педагогических работников")
    assert card.value == fmt.value(
        mart_value(demo_db, "STAFF_COUNT", "municipality", mun, period=period), "чел."
    )
    attestation = [df.value for df in at.dataframe if "Категория действует до" in df.value.columns]
    # the attestation list holds the people due in 12 months and, first, those whose category has lapsed
    expected = mart_value(demo_db, "STAFF_ATTESTATION_DUE", "municipality", mun, period=period) + mart_value(
        demo_db, "STAFF_CATEGORY_LAPSED", "municipality", mun, period=period
    )
    assert (len(attestation[0]) if attestation else 0) == expected


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_pages_on_region_warehouse(open_app, region_db, page):
    """Region scale: municipalities in the tables by default, institutions once a municipality is chosen."""
    at = open_app(region_db, page)
    assert_clean(at)
    if page == "pages/catalog.py":
        return
    assert at.sidebar.selectbox(key="_imc_f_mun").value == ""
    municipality = at.sidebar.selectbox(key="_imc_f_mun").options[1]
    at.sidebar.selectbox(key="_imc_f_mun").set_value(municipality).run()
    assert_clean(at)
    assert at.query_params["mun"] == municipality
    assert at.metric and at.get("plotly_chart")


@pytest.mark.slow
def test_region_due_list_shows_the_soonest_and_counts_all(open_app, region_db):
    """A region's training list has thousands of people: the page shows the first 500 (soonest first) and the
    whole count, which is the mart's STAFF_TRAINING_DUE of the region."""
    con = duckdb.connect(str(region_db), read_only=True)
    period = con.execute("SELECT max(period) FROM mart.indicator_values").fetchone()[0]
    con.close()
    expected = int(mart_value(region_db, "STAFF_TRAINING_DUE", "region", None, period=period))
    assert expected > 500, "the region demo must have a long list for this test to mean anything"
    at = open_app(region_db, "pages/staff.py", params={"period": period})
    assert_clean(at)
    lists = [df.value for df in at.dataframe if "Срок следующих КПК" in df.value.columns]
    assert len(lists) == 1 and len(lists[0]) == 500
    due = lists[0]["Срок следующих КПК"].dropna()
    assert due.is_monotonic_increasing, "the soonest first"
    assert any(f"{fmt.integer(expected)} чел." in m.value for m in at.markdown)
    assert any(f"Показаны первые 500 из {fmt.integer(expected)} строк" in c.value for c in at.caption)
