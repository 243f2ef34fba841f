"""The «Качество данных» page and the KPI badges of the dashboards, with AppTest on the hand-built warehouse."""

from __future__ import annotations

import duckdb
import pytest

from auth.identity import User
from tests.quality import dqdata
from tests.quality.conftest import assert_clean, frame_with

BADGE_MARK = "данные неполные"


def badges(at):
    """The badges' sentences (captions) on the page."""
    return [c.value for c in at.caption if BADGE_MARK in c.value]


def badge_links(at):
    return [link for link in at.get("page_link") if link.proto.label == "Подробнее"]


def missing_in_core(db, dataset, period=dqdata.P, inst_type=None):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            f"SELECT count(*) FROM core.institutions WHERE (? IS NULL OR inst_type = ?) AND inst_id NOT IN "
            f"(SELECT inst_id FROM core.{dataset} WHERE period = ?)",
            [inst_type, inst_type, period],
        ).fetchone()[0]
    finally:
        con.close()


# ----------------------------------------------------------------------------------------- badges
def test_overview_badges_count_the_missing_institutions(app, handbuilt_db):
    at = app(handbuilt_db, "pages/overview.py")
    assert_clean(at)
    labels = badges(at)
    staff_missing, ict_missing = missing_in_core(handbuilt_db, "staff"), missing_in_core(handbuilt_db, "ict")
    assert (staff_missing, ict_missing) == (1, 2)
    staff_text = f"данные неполные: {staff_missing} из 12 организаций не представила сведения"
    ict_text = f"данные неполные: {ict_missing} из 12 организаций не представили сведения"
    # four staff KPIs and one innovation KPI per 100 teachers; three ICT KPIs and one per 100 pupils; the
    # e-journal KPI counts schools only (2 of 10); the share of institutions with a site counts those that
    # reported neither staff nor ict (X1)
    assert sum(staff_text in label for label in labels) == 4 + 1 + 1
    assert sum(ict_text in label for label in labels) == 3 + 1
    assert sum("данные неполные: 2 из 10 организаций" in label for label in labels) == 1
    assert len(labels) == len(at.metric) == len(badge_links(at)) == 11, "here every KPI is on incomplete data"
    # who is missing is named in the badge's tooltip
    helps = [c.proto.help for c in at.caption if BADGE_MARK in c.value]
    assert all("Не представили: " in h for h in helps)
    assert (
        sum(h.endswith("Не представили: X1. Подробности — на странице «Качество данных».") for h in helps)
        == 6
    )
    assert sum("Не представили: Q1, X1." in h for h in helps) == 5
    link = badge_links(at)[0]
    assert link.proto.page == "quality"
    assert "period=2024" in link.proto.query_string


def test_badges_follow_the_filters(app, handbuilt_db):
    at = app(handbuilt_db, "pages/overview.py", params={"type": "preschool"})
    assert_clean(at)
    assert missing_in_core(handbuilt_db, "ict", inst_type="preschool") == 0
    assert badges(at) == [] and badge_links(at) == [], "every kindergarten sent everything"
    at = app(handbuilt_db, "pages/overview.py", params={"period": dqdata.PREV})
    assert badges(at) == [], "in 2023/2024 everybody sent everything"
    at = app(handbuilt_db, "pages/overview.py", params={"inst": "X1"})
    assert set(badges(at)) == {
        ":orange[:material/warning: данные неполные: организация не представила сведения за период]"
    }


@pytest.mark.parametrize(
    ("page", "staff_cards", "ict_cards"),
    # Кадры: four key indicators and the lapsed categories' card (issue 14, point 9), each with its badge
    [("pages/staff.py", 5, 0), ("pages/ict.py", 0, 3), ("pages/innovation.py", 2, 1)],
)
def test_area_pages_carry_badges(app, handbuilt_db, page, staff_cards, ict_cards):
    at = app(handbuilt_db, page)
    assert_clean(at)
    labels = badges(at)
    assert sum("1 из 12 организаций" in label for label in labels) == staff_cards
    assert sum("2 из 12 организаций" in label for label in labels) == ict_cards


def test_director_sees_the_same_badges(app, handbuilt_db):
    at = app(handbuilt_db, "pages/overview.py", user=User("d", "director", inst_id="P1"))
    assert_clean(at)
    assert badges(at) == badges(app(handbuilt_db, "pages/overview.py"))


# ----------------------------------------------------------------------------------------- quality page
def test_quality_page_summary_and_completeness(app, handbuilt_db):
    at = app(handbuilt_db)
    assert_clean(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Представили всё"] == "10 из 12"
    assert metrics["Не представили"] == "2"
    assert metrics["С ошибками"] == "1"
    assert any("Доля: 83,3" in c.value for c in at.caption)
    matrix = frame_with(at, "Всё представлено")
    assert len(matrix) == 12 and "Муниципалитет" not in matrix.columns, "one municipality: no column for it"
    assert list(matrix["Организация"][:3]) == ["Q1", "X1", "P1"]
    assert at.get("download_button"), "the tables download as Excel"


def test_a_long_matrix_shows_its_first_rows_and_downloads_them_all(app, handbuilt_db, monkeypatch):
    """A country's matrix (40,000 institutions: 280,056 cells, more than pandas' Styler renders) shows its
    first rows, the problems, and says so; the Excel file has every row."""
    from ui import dq_widgets
    from ui.views import tables

    downloads = []
    monkeypatch.setattr(tables, "ROWS_ON_PAGE", 3)
    monkeypatch.setattr(dq_widgets, "excel_button", lambda frame, **kw: downloads.append((kw["key"], frame)))
    at = app(handbuilt_db)
    assert_clean(at)
    matrix = frame_with(at, "Всё представлено")
    assert list(matrix["Организация"]) == ["Q1", "X1", "P1"]
    assert any(c.value.startswith("На странице — первые 3 из 12 организаций") for c in at.caption)
    exported = dict(downloads)["completeness_matrix_xlsx"]
    assert len(exported) == 12 and list(exported["Организация"][:3]) == ["Q1", "X1", "P1"]
    # every table of the page is held to as many rows (the scores: worst first), the download has all
    scores = frame_with(at, "Оценка, баллы")
    assert len(scores) == 3 and scores.iloc[0]["Организация"] == "X1", "the worst first"
    assert any(c.value.startswith("Показаны первые 3 из 12 строк") for c in at.caption)


def test_quality_page_score(app, handbuilt_db):
    at = app(handbuilt_db)
    scores = frame_with(at, "Оценка, баллы")
    got = dict(zip(scores["Организация"], scores["Оценка, баллы"], strict=True))
    assert got == pytest.approx(dqdata.SCORES)
    assert scores.iloc[0]["Организация"] == "X1" and scores.iloc[0]["Уровень"] == "низкое"
    assert any("Как считается оценка качества данных" in m.value for m in at.markdown)


def test_quality_page_warnings_explained_and_filtered(app, handbuilt_db):
    at = app(handbuilt_db)
    table = frame_with(at, "Что обнаружено")
    assert len(table) == 7
    assert sorted(set(table["Предупреждение"])) == sorted(
        [
            "Сведения не представлены",
            "Резкое изменение к прошлому году",
            "Выброс среди организаций того же типа",
        ]
    )
    text = " ".join(m.value for m in at.markdown)
    assert "модифицированная z-оценка" in text and "больше 3,5" in text and "33\u00a0%" in text
    at.selectbox(key="warnings_rule").set_value("outlier_mad").run()
    assert_clean(at)
    table = frame_with(at, "Что обнаружено")
    assert list(table["Организация"]) == ["S6", "S6"]


def test_quality_page_quarantine_filters(app, handbuilt_db):
    at = app(handbuilt_db)
    rows = frame_with(at, "Правило")
    assert len(rows) == 3, "R1's row was corrected by a later file and is hidden"
    at.checkbox(key="quarantine_hide_superseded").uncheck().run()
    rows = frame_with(at, "Правило")
    assert len(rows) == 4 and list(rows["Исправлено позже"]).count("да") == 1
    at.selectbox(key="quarantine_inst").set_value("P1").run()
    rows = frame_with(at, "Правило")
    assert list(rows["Код организации"]) == ["P1"] and rows.iloc[0]["Столбец"] == "Дата рождения"
    at.selectbox(key="quarantine_inst").set_value("").run()
    at.selectbox(key="quarantine_rule").set_value("unknown_institution").run()
    rows = frame_with(at, "Правило")
    assert list(rows["Код организации"]) == ["ZZZ"] and rows.iloc[0]["Организация"] == ""
    at.selectbox(key="quarantine_rule").set_value("").run()
    at.selectbox(key="quarantine_dataset").set_value("ict").run()
    assert list(frame_with(at, "Правило")["Код организации"]) == ["Q1"]
    log = frame_with(at, "Прочитано строк")
    assert len(log) == 5


def test_a_director_sees_only_own_quarantine_on_the_page(app, handbuilt_db):
    at = app(handbuilt_db, user=User("d", "director", inst_id="P1"))
    assert_clean(at)
    rows = frame_with(at, "Правило")
    assert list(rows["Код организации"]) == ["P1"]
    assert any("только строки вашей организации" in c.value for c in at.caption)
    assert at.selectbox(key="quarantine_inst").options == ["Все организации", "P1 (P1)"]


@pytest.mark.parametrize("params", [{"period": "1999/2000"}, {"type": "<b>x</b>"}, {"mun": "нет такого"}])
def test_quality_page_falls_back_on_bad_links(app, handbuilt_db, params):
    at = app(handbuilt_db, params=params)
    assert_clean(at)
    assert at.warning
    assert at.query_params["period"] == dqdata.P


def test_quality_page_without_a_warehouse(app, missing_db):
    at = app(missing_db)
    assert_clean(at)
    assert any("Хранилище ещё не создано" in i.value for i in at.info)
    assert not missing_db.exists(), "opening the page creates nothing"


def test_quality_page_on_an_empty_warehouse(app, empty_db):
    at = app(empty_db)
    assert_clean(at)
    assert any("полнота, предупреждения и оценка появятся" in i.value for i in at.info)
    assert len(at.tabs) == 2
    assert any("Нет строк" in c.value for c in at.caption), "an empty quarantine and an empty log"


@pytest.fixture(scope="module")
def region_db(region_demo_db):
    return region_demo_db


@pytest.mark.slow
def test_quality_page_and_badges_at_region_scale(app, region_db):
    at = app(region_db)
    assert_clean(at)
    by_municipality = frame_with(at, "Доля представивших, %")
    total = int(by_municipality["Организаций"].sum())
    assert len(by_municipality) > 20 and total == len(frame_with(at, "Всё представлено"))
    assert "Муниципалитет" in frame_with(at, "Всё представлено").columns, "many municipalities: a column"
    complete = int(by_municipality["Представили все обязательные сведения"].sum())
    assert {m.label: m.value for m in at.metric}["Представили всё"] == (
        f"{complete:,} из {total:,}".replace(",", "\u00a0")
    )
    at = app(region_db, "pages/overview.py")
    assert_clean(at)
    period = at.query_params["period"]
    missing = {d: missing_in_core(region_db, d, period=period) for d in ("staff", "ict")}
    # the region demo's latest period is complete: no badge (innovation records are optional)
    assert missing == {"staff": 0, "ict": 0} and badges(at) == []


def test_overview_without_results_says_so_instead_of_empty_cards(app, handbuilt_db):
    """The hand-built city has no ГИА, ВПР or olympiad files: the results row is one line, no empty cards."""
    at = app(handbuilt_db, "pages/overview.py")
    assert_clean(at)
    assert "Результаты обучения" in [h.value for h in at.subheader]
    assert any(
        c.value.startswith("Результаты ГИА, ВПР и олимпиады за эти годы не загружены") for c in at.caption
    )
    assert not any("ВсОШ" in m.label or "ЕГЭ" in m.label for m in at.metric)
