"""«Сравнение» with AppTest: the profile against the mart, the small-group notice, the director's landing
and passport, side by side with its link, hostile links, and the demo warehouse."""

from __future__ import annotations

import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from auth.identity import User
from ru import fmt
from tests.compare.conftest import CITY, REPO, P, mart

APP = str(REPO / "app.py")
ADMIN = User(login="admin", role="admin")
NB = "\u00a0"


@pytest.fixture
def open_page(env_db):  # type: ignore[no-untyped-def]
    def run(db, params=None, user=ADMIN) -> AppTest:  # type: ignore[no-untyped-def]
        # through the router, as a browser gets there (a page run on its own stops: ui.data)
        env_db(db)
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["imc_user"] = user
        at.switch_page("pages/compare.py")
        for key, value in (params or {}).items():
            at.query_params[key] = value
        return at.run()

    return run


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def frame_with(at: AppTest, column: str, text: str, having: str | None = None):  # type: ignore[no-untyped-def]
    """The first table whose `column` holds `text` (and that has a column `having`), indexed by `column`."""
    for element in at.dataframe:
        frame = element.value
        if (
            column in frame.columns
            and text in set(frame[column])
            and (having is None or having in frame.columns)
        ):
            return frame.set_index(column)
    raise AssertionError(f"no table with {text!r} in {column!r}")


def test_profile_against_peers_and_the_municipality(open_page, city_db):
    at = open_page(city_db, {"inst": "S5"})
    assert_clean(at)
    assert at.query_params["period"] == P
    text = " ".join(m.value for m in at.markdown)
    assert f"3{NB}организации, включая саму организацию" in text
    assert f"выше медианы группы на 25,0{NB}п.п." in text, "the weakness in words"
    staff = frame_with(at, "Показатель", "Доля педагогических работников в возрасте 55 лет и старше")
    line = staff.loc["Доля педагогических работников в возрасте 55 лет и старше"]
    assert line["Значение"] == fmt.value(mart(city_db, "STAFF_55_PLUS", "institution", inst_id="S5"), "%")
    assert line["Значение"] == f"50,0{NB}%"
    assert line["Изменение к прошлому году"] == f"+25,0{NB}п.п. (хуже)"
    assert line["Ориентир (медиана группы)"] == f"25,0{NB}%"
    assert line["Место в группе"] == "3 из 3 (процентиль 0)"
    assert line["Муниципалитет, тот же тип"] == fmt.value(
        mart(city_db, "STAFF_55_PLUS", "municipality", municipality=CITY, inst_type="school"), "%"
    )
    charts = at.get("plotly_chart")
    assert len(charts) >= 4, "a bullet chart per area and the radar"
    assert at.get("download_button"), "the profile and the passport download"


def test_small_group_is_said_and_the_types_value_is_the_benchmark(open_page, city_db):
    at = open_page(city_db, {"inst": "D1"})
    assert_clean(at)
    assert any("меньше 3 организаций" in i.value for i in at.info)
    ict = frame_with(at, "Показатель", "Число ПК, используемых в учебных целях, в расчёте на 100 обучающихся")
    line = ict.loc["Число ПК, используемых в учебных целях, в расчёте на 100 обучающихся"]
    expected = mart(
        city_db, "ICT_PC_LEARNING_PER_100", "municipality", municipality=CITY, inst_type="preschool"
    )
    assert line["Ориентир (медиана группы)"] == fmt.value(expected, "ед.") + " *"
    assert line["Место в группе"] == "—"


def test_without_an_institution_the_page_asks_for_one(open_page, city_db):
    at = open_page(city_db)
    assert_clean(at)
    assert any("Выберите организацию" in i.value for i in at.info)
    assert not at.get("plotly_chart")


def test_a_director_lands_on_their_own_institution_and_gets_its_passport_only(open_page, city_db):
    director = User(login="d6", role="director", inst_id="S6")
    at = open_page(city_db, user=director)
    assert_clean(at)
    assert at.query_params["inst"] == "S6"
    assert any(b.proto.label.startswith("Скачать паспорт") for b in at.get("download_button"))

    at = open_page(city_db, {"inst": "S5"}, user=director)
    assert_clean(at)
    assert at.query_params["inst"] == "S5", "comparing indicators of another institution is open to all"
    assert not any(b.proto.label.startswith("Скачать паспорт") for b in at.get("download_button"))
    assert any("только для своей организации" in c.value for c in at.caption)


def test_side_by_side_comes_from_the_link_and_goes_back_into_it(open_page, city_db):
    at = open_page(city_db, {"inst": "S5", "with": "S6,S4", "codes": "ICT_PC_LEARNING_PER_100,STAFF_55_PLUS"})
    assert_clean(at)
    assert at.multiselect(key="_cmp_with").value == ["S6", "S4"]
    assert at.multiselect(key="_cmp_codes").value == ["ICT_PC_LEARNING_PER_100", "STAFF_55_PLUS"]
    table = frame_with(at, "Организация", "S6", having="Тип")
    assert (
        table.loc["S6", "Число ПК, используемых в учебных целях, в расчёте на 100 обучающихся, ед."] == 15.0
    )
    assert table.loc["S4", "Доля педагогических работников в возрасте 55 лет и старше, %"] == 25.0
    # the city's row stands apart, above the table (it stays out of the sort: issue 14, point 3)
    total = frame_with(at, "Организация", f"Итого: {CITY}")
    assert list(total.index) == [f"Итого: {CITY}"], "the city's row first, on its own"
    assert list(table.index) == ["S6", "S4"], "then the chosen order"

    at.multiselect(key="_cmp_with").set_value(["S4", "S5", "S6"]).run()
    assert_clean(at)
    assert at.query_params["with"] == "S4,S5,S6"
    at.multiselect(key="_cmp_codes").set_value(["STAFF_COUNT"]).run()
    assert at.query_params["codes"] == "STAFF_COUNT"
    assert at.query_params["inst"] == "S5" and at.query_params["period"] == P


def test_default_side_by_side_is_the_institution_and_its_nearest_peers(open_page, city_db):
    at = open_page(city_db, {"inst": "S5"})
    assert at.multiselect(key="_cmp_with").value == ["S5", "S4", "S6"]


@pytest.mark.parametrize(
    "params",
    [
        {"inst": "S5", "with": "../../etc/passwd,S4", "codes": "'; DROP TABLE core.staff; --"},
        {"inst": "S5", "with": "S1,S2,S3,S4,S5,S6,S7,S8"},
        {"inst": "NOPE", "period": "2099/2100"},
        {"inst": "S5", "with": "<script>", "codes": ""},
    ],
)
def test_hostile_links_fall_back_with_a_notice(open_page, city_db, params):
    at = open_page(city_db, params)
    assert_clean(at)
    assert at.warning, "a link that could not be followed says so"
    assert "DROP" not in str(dict(at.query_params)) and "passwd" not in str(dict(at.query_params))
    if "with" in at.query_params and at.query_params["with"]:
        assert len(at.query_params["with"].split(",")) <= 6


@pytest.mark.parametrize("inst", ["BGR-S01", "BGR-U01", "BGR-D01"])
def test_page_on_the_demo_warehouse(open_page, demo_db, inst):
    at = open_page(demo_db, {"inst": inst})
    assert_clean(at)
    assert len(at.get("plotly_chart")) >= 4
    if inst == "BGR-U01":  # three institutions of additional education: every band is too small
        assert any("меньше 3 организаций" in i.value for i in at.info)


def test_the_page_path_does_not_import_great_expectations():
    code = (
        "import sys; import ui.views.compare, warehouse.compare, reports.passport; "
        "sys.exit(any(m.startswith('great_expectations') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-400:]


def test_page_at_region_scale_compares_with_peers_across_the_region(open_page, region_db):
    at = open_page(region_db, {"inst": "N3"})
    assert_clean(at)
    assert at.query_params["mun"] == "Север", "an institution is shown with its own municipality"
    text = " ".join(m.value for m in at.markdown)
    assert "все муниципалитеты региона" in text
    members = frame_with(at, "Организация", "U2")
    assert list(members.index) == ["U2", "N3 (эта организация)", "U3"]
