"""ui.views.quality without Streamlit: badges, the completeness matrix, the error table, per-file progress."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from auth.identity import DEMO_USER
from etl import messages as etl_messages
from tests.quality import dqdata
from ui.views import quality as views
from ui.views.tables import Catalog
from warehouse import quality
from warehouse.catalog import catalog_frame

NB = "\u00a0"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(catalog_frame())


# ----------------------------------------------------------------------------------------- badges
@pytest.mark.parametrize(
    ("missing", "total", "text"),
    [
        (3, 30, "данные неполные: 3 из 30 организаций не представили сведения"),
        (1, 30, "данные неполные: 1 из 30 организаций не представила сведения"),
        (2, 21, "данные неполные: 2 из 21 организации не представили сведения"),
        (1, 1, "данные неполные: организация не представила сведения за период"),
        (1200, 40000, f"данные неполные: 1{NB}200 из 40{NB}000 организаций не представили сведения"),
    ],
)
def test_badge_text(missing, total, text):
    assert views.badge_text(missing, total) == text


def test_every_indicator_names_its_datasets(catalog):
    for code in catalog.frame["indicator_code"]:
        info = catalog.info(code)
        datasets = views.indicator_datasets(info)
        if info["area"] in ("staff", "ict"):
            assert info["area"] in datasets, code
    assert views.indicator_datasets(catalog.info("STAFF_STUDENTS_PER_PED")) == ("staff", "ict")
    assert views.indicator_datasets(catalog.info("INNO_STAFF_CONTEST_PER_100")) == ("staff",)
    assert views.indicator_datasets(catalog.info("INNO_STUDENT_WINNERS_PER_100")) == ("ict",)
    # innovation records alone are optional: a count of them gets no badge
    assert views.indicator_datasets(catalog.info("INNO_PROJECTS")) == ()


def test_badge_counts_equal_the_missing_institutions(handbuilt_db, catalog):
    gaps = quality.submission_gaps(handbuilt_db, DEMO_USER, dqdata.P)
    codes = list(catalog.frame["indicator_code"])
    badges = views.kpi_badges(catalog, codes, gaps, {"period": dqdata.P})
    staff_codes = [c for c in codes if catalog.info(c)["area"] == "staff" and c != "STAFF_STUDENTS_PER_PED"]
    for code in staff_codes:
        assert badges[code].missing == len(dqdata.MISSING_STAFF) and badges[code].total == 12
    ict_codes = [c for c in codes if catalog.info(c)["area"] == "ict" and c != "ICT_EJOURNAL"]
    for code in ict_codes:
        assert badges[code].missing == len(dqdata.MISSING_ICT), code
        assert badges[code].text == "данные неполные: 2 из 12 организаций не представили сведения"
    # published for schools only: counted among the ten schools
    assert (badges["ICT_EJOURNAL"].missing, badges["ICT_EJOURNAL"].total) == (2, 10)
    # needs both staff and ict: X1 and Q1; reported institutions (staff or ict): X1 only
    assert badges["STAFF_STUDENTS_PER_PED"].missing == 2
    assert badges["INNO_ORGS_WITH_SITE"].missing == 1
    assert badges["INNO_STAFF_CONTEST_PER_100"].missing == 1
    assert "INNO_PROJECTS" not in badges
    assert "Q1" in badges["ICT_SPEED_TARGET"].help and "X1" in badges["ICT_SPEED_TARGET"].help
    assert dict(badges["ICT_SPEED_TARGET"].params) == {"period": dqdata.P}


def test_no_badge_when_the_scope_is_complete(handbuilt_db, catalog):
    gaps = quality.submission_gaps(handbuilt_db, DEMO_USER, dqdata.P, inst_type="preschool")
    assert views.kpi_badges(catalog, list(catalog.frame["indicator_code"]), gaps) == {}
    previous = quality.submission_gaps(handbuilt_db, DEMO_USER, dqdata.PREV)
    assert views.kpi_badges(catalog, list(catalog.frame["indicator_code"]), previous) == {}


# ----------------------------------------------------------------------------------------- completeness
def test_completeness_summary_and_matrix(handbuilt_db):
    long = quality.completeness(handbuilt_db, DEMO_USER, dqdata.P)
    summary = views.completeness_summary(long)
    assert (summary.total, summary.complete, summary.with_quarantine, summary.missing_any) == (12, 10, 1, 2)
    assert summary.missing == {"staff": 1, "ict": 2}
    assert summary.share == pytest.approx(100 * 10 / 12)
    matrix = views.completeness_matrix(long)
    frame = matrix.table.frame
    assert list(frame.columns) == [
        "Организация",
        "Тип",
        "Муниципалитет",
        "Кадры",
        "Информатизация",
        "Инновации (справочно)",
        views.COMPLETE_COLUMN,
    ]
    # problems first: the two that did not submit, then the one with quarantined rows
    assert list(frame["Организация"][:3]) == ["Q1", "X1", "P1"]
    row = frame.set_index("Организация")
    assert row.loc["X1", "Кадры"] == "не представлены" and row.loc["X1", views.COMPLETE_COLUMN] == "нет"
    assert row.loc["Q1", "Информатизация"] == "всё в карантине (1)"
    assert row.loc["P1", "Кадры"] == "в карантине 1 из 3"
    assert row.loc["P1", views.COMPLETE_COLUMN] == "да, с ошибками"
    assert row.loc["S1", "Кадры"] == "есть: 2 строки" and row.loc["S1", "Тип"] == "Школа"
    assert row.loc["S2", "Инновации (справочно)"] == "нет записей"
    assert matrix.statuses.loc[0, "Информатизация"] == "quarantined"
    html = views.styled_matrix(matrix).to_html()
    assert "#fde2e1" in html and "#fff4d6" in html and "#e6f4ea" in html
    by_mun = views.completeness_by_municipality(long).frame
    assert by_mun.iloc[0].to_dict() == {
        "Муниципалитет": dqdata.CITY,
        "Организаций": 12.0,
        "Представили все обязательные сведения": 10.0,
        "Доля представивших, %": pytest.approx(100 * 10 / 12),
        "Не представили: кадры": 1.0,
        "Не представили: информатизация": 2.0,
    }


def test_warning_explanations_use_the_settings():
    texts = views.warning_explanations({"yoy_warning_share": "0.33", "outlier_z": "3.5"}, "2024/2025")
    assert f"33{NB}%" in texts["yoy_change"]
    assert "больше 3,5" in texts["outlier_mad"] and "MAD" in texts["outlier_mad"]
    assert "2024/2025" in texts["missing_submission"]


# ----------------------------------------------------------------------------------------- upload
def result(name, status, read=0, loaded=0, quarantined=0, batch="b", message="", dataset="ict", warnings=0):
    return SimpleNamespace(
        source_file=name,
        status=status,
        rows_read=read,
        rows_loaded=loaded,
        rows_quarantined=quarantined,
        batch_id=batch,
        message_ru=message,
        dataset=dataset,
        warnings=warnings,
    )


def test_errors_frame_lists_rejections_then_rows():
    results = [
        result("a.pdf", "rejected", batch="b1", message="Тип файла (.pdf) не поддерживается"),
        result("ict.csv", "partial", 2, 1, 1, batch="b2"),
    ]
    quarantine = pd.DataFrame(
        {
            "batch_id": ["b2", "b2"],
            "source_file": ["ict.csv", "ict.csv"],
            "row_number": [3, 4],
            "inst_id": ["T1", "T9"],
            "dataset": ["ict", "ict"],
            "column_name": ["students", "inst_id"],
            "value": ["0", None],
            "rule": ["students_positive", "foreign_institution"],
            "message_ru": [
                "Файл «ict.csv», строка 3, столбец «Численность обучающихся (воспитанников)»: значение «0» — "
                "численность обучающихся должна быть больше нуля.",
                None,
            ],
        }
    )
    frame = views.errors_frame(results, quarantine)
    # the cause right after the row, without a repeat of the file, row and column of its own columns
    assert list(frame.columns) == ["Файл", "Строка", "Ошибка", "Столбец", "Значение"]
    assert frame.iloc[0]["Ошибка"] == "Тип файла (.pdf) не поддерживается"
    assert frame.iloc[1]["Ошибка"] == "Численность обучающихся должна быть больше нуля"
    assert frame.iloc[0]["Файл"] == "a.pdf" and pd.isna(frame.iloc[0]["Строка"])
    assert frame.iloc[1]["Столбец"] == "Численность обучающихся (воспитанников)", "the template's header"
    assert frame.iloc[1]["Строка"] == 3.0 and frame.iloc[1]["Значение"] == "0"
    assert frame.iloc[2]["Значение"].startswith("(скрыто")
    assert frame.iloc[2]["Ошибка"].startswith("Строка другой организации")
    assert views.total_line(results) == etl_messages.CLI_TOTAL.format(
        files=2, loaded=1, quarantined=1, rejected=1
    )


def test_file_progress_follows_the_loader_callback():
    steps = etl_messages.PROGRESS_STEPS
    tracker = views.FileProgress(["registry.csv", "ict.csv", "ict.csv"])
    assert all(f == (0.0, "ожидает") for f in tracker.files)
    # a loader that reads every file first, validates each dataset, then writes file by file
    for name in ("registry.csv", "ict.csv", "ict.csv"):
        tracker.update(0.1, f"{name}: {steps['read']}")
    assert [f[0] for f in tracker.files] == pytest.approx([0.2, 0.2, 0.2]), "two files of one name"
    tracker.update(0.5, steps["validate"])
    assert tracker.overall == (0.5, steps["validate"]) and tracker.files[0][0] == pytest.approx(0.2)
    tracker.update(0.7, f"registry.csv: {steps['write']}")
    tracker.update(0.8, f"ict.csv: {steps['write']}")
    assert [f[0] for f in tracker.files] == pytest.approx([0.8, 0.8, 0.2])
    tracker.update(0.85, f"ict.csv: {steps['read']}")  # a late message never moves a bar back
    assert [f[0] for f in tracker.files] == pytest.approx([0.8, 0.8, 0.2])
    tracker.update(0.9, steps["marts"])
    assert tracker.files == [(1.0, "обработан")] * 3
    tracker.finish(
        [result("registry.csv", "loaded"), result("ict.csv", "partial"), result("ict.csv", "rejected")]
    )
    assert [t for _, t in tracker.files] == ["загружен полностью", "загружен частично", "отклонён"]
    assert tracker.overall[0] == 1.0


def test_file_progress_of_a_file_by_file_loader():
    steps = etl_messages.PROGRESS_STEPS
    tracker = views.FileProgress(["a.csv", "b: c.csv"])
    for k, step in enumerate(("read", "normalize", "validate", "write")):
        tracker.update(0.1 * k, f"a.csv: {steps[step]}")
        assert tracker.files[0] == (pytest.approx((k + 1) / 5), steps[step])
    tracker.update(0.5, f"b: c.csv: {steps['normalize']}")
    assert tracker.files[1] == (pytest.approx(0.4), steps["normalize"]), "a name with «: » in it"
    tracker.update(0.6, "something else")
    assert tracker.files[1][0] == pytest.approx(0.4)


def test_error_cause_keeps_a_dash_inside_the_explanation():
    message = (
        "Файл «ict.csv», строка 3, столбец «Скорость, Мбит/с»: значение «20000» — скорость должна быть от 0 до "
        "10 000 Мбит/с (0 — нет подключения)."
    )
    assert views.error_cause(message) == "Скорость должна быть от 0 до 10 000 Мбит/с (0 — нет подключения)"
    assert views.error_cause("Строка другой организации") == "Строка другой организации"


def test_no_errors_text_follows_the_counts():
    loaded = result("kadry.xlsx", "loaded", 2, 2)
    assert views.no_errors_text([loaded]) == "Ошибок нет: все строки всех файлов загружены."
    repeat = SimpleNamespace(**vars(result("ict.csv", "duplicate")), previous_quarantined=3)
    assert views.no_errors_text([repeat]) == (
        "Новых ошибок нет. Файл «ict.csv» уже загружался ранее (те же байты): строки из него заново не "
        "загружались — данные не изменились. Строки с ошибками той загрузки остаются в карантине: 3 — "
        "исправьте их в файле и загрузите его снова (список — на странице «Качество данных»)."
    )
    clean_repeat = SimpleNamespace(**vars(result("kadry.xlsx", "duplicate")), previous_quarantined=0)
    assert views.no_errors_text([loaded, clean_repeat]) == (
        "Новых ошибок нет. Файл «kadry.xlsx» уже загружался ранее (те же байты): строки из него заново не "
        "загружались — данные не изменились."
    )


def test_the_matrix_head_keeps_the_problems_and_their_colours(handbuilt_db):
    matrix = views.completeness_matrix(quality.completeness(handbuilt_db, DEMO_USER, dqdata.P))
    head = views.matrix_head(matrix, 3)
    assert list(head.table.frame["Организация"]) == ["Q1", "X1", "P1"], "the problems are the first rows"
    pd.testing.assert_frame_equal(head.statuses, matrix.statuses.head(3))
    assert head.table.frame.columns.equals(matrix.table.frame.columns)
    assert views.matrix_head(matrix, 12) is matrix and len(matrix.table.frame) == 12
