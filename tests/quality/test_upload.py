"""The «Загрузка данных» page with AppTest's file uploader: good and bad files go through the page into the
warehouse (etl.loader.load_files, as the command line), and the counts shown equal the counts stored.

Loads take seconds each (validation): three tests load, one of them twice.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from auth.identity import User
from etl.contract import LOAD_ORDER
from etl.templates import write_templates
from tests.db import sql
from tests.etl.helpers import STAFF_HEADER, staff_row, write_xlsx
from tests.quality.conftest import CORPUS, assert_clean, frame_with
from ui.views import export, safe

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def good_staff_xlsx(tmp_path: Path) -> bytes:
    path = write_xlsx(
        tmp_path / "kadry_T1.xlsx",
        STAFF_HEADER,
        [staff_row("T1", "1"), staff_row("T1", "2", name="Петрова Ольга Ивановна")],
        title_rows=["Сведения о педагогических работниках МОБУ «СОШ № 1»"],
    )
    return path.read_bytes()


def upload(at, files):
    at.get("file_uploader")[0].set_value(files)
    at.run()
    at.button(key="upload_go").click()
    return at.run()


def test_upload_good_and_bad_files_into_a_new_warehouse(app, missing_db, tmp_path, monkeypatch):
    monkeypatch.setenv("IMC_MAX_FILE_MB", "1")  # a new warehouse takes the current settings
    at = app(missing_db, "pages/upload.py")
    assert_clean(at)
    assert any("не больше 1 МБ" in c.value for c in at.caption), "the limit is stated before the upload"
    assert at.button(key="upload_go").disabled, "nothing to load yet"
    good = good_staff_xlsx(tmp_path)
    big = b"\xd0\x9a\xd0\xbe\xd0\xb4;x\n" + b"T1;" + b"x" * (1024 * 1024 + 100) + b"\n"
    at = upload(
        at,
        [
            ("out_of_range.csv", (CORPUS / "out_of_range.csv").read_bytes(), CSV),
            ("spisok.pdf", b"%PDF-1.4 not a table", "application/pdf"),
            ("kadry_T1.xlsx", good, XLSX),
            ("big.csv", big, CSV),
            ("registry.csv", (CORPUS / "registry.csv").read_bytes(), CSV),
        ],
    )
    assert_clean(at)

    # the summary: one row per file, in the loader's order (the registry first), with the loader's counts
    summary = frame_with(at, "Прочитано строк")
    rows = {r["Файл"]: r for _, r in summary.iterrows()}
    assert list(summary["Файл"]) == [
        "registry.csv",
        "kadry_T1.xlsx",
        "out_of_range.csv",
        "big.csv",
        "spisok.pdf",
    ]
    counts = {f: (r["Итог"], r["Прочитано строк"], r["Загружено"], r["В карантине"]) for f, r in rows.items()}
    assert counts == {
        "registry.csv": ("загружен полностью", 4, 4, 0),
        "kadry_T1.xlsx": ("загружен полностью", 2, 2, 0),
        "out_of_range.csv": ("загружен частично", 4, 1, 3),
        "big.csv": ("отклонён", 0, 0, 0),
        "spisok.pdf": ("отклонён", 0, 0, 0),
    }
    assert (
        "не поддерживается" in rows["spisok.pdf"]["Сообщение"]
        and ".xlsx или .csv" in rows["spisok.pdf"]["Сообщение"]
    )
    assert "слишком большой" in rows["big.csv"]["Сообщение"]
    total = "Итого файлов: 5; загружено строк: 7; в карантине: 3; отклонено файлов: 2."
    assert [w.value for w in at.warning] == [total], "some rows quarantined: a warning, not a success"
    # the same summary as the command line, as text
    code = at.code[0].value
    assert "Файл: out_of_range.csv" in code and "Прочитано строк: 4; загружено: 1; в карантине: 3" in code
    assert total in code
    # a progress bar per file and one for the load, all finished, each file labelled with its outcome
    bars = at.get("progress")
    assert len(bars) == 6 and all(b.value == 100 for b in bars)
    # (a file's name is Markdown-escaped in a progress text: `kadry\_T1.xlsx`)
    assert f"{safe.md('kadry_T1.xlsx')} — загружен полностью" in [b.text for b in bars]
    assert "spisok.pdf — отклонён" in [b.text for b in bars]

    # the errors: each rejected file once, then every broken rule of every quarantined row
    errors = frame_with(at, "Ошибка")
    assert list(errors.columns) == ["Файл", "Строка", "Ошибка", "Столбец", "Значение"]
    assert len(errors) == 2 + 7
    bad = errors[errors["Файл"] == "out_of_range.csv"]
    assert sorted(bad["Строка"].astype(int)) == [2, 3, 3, 4, 4, 4, 4]
    first = bad.iloc[0]
    assert first["Столбец"] == "из них используемых в учебных целях" and first["Значение"] == "70"
    assert first["Ошибка"] == "Компьютеров в учебных целях больше, чем компьютеров всего"
    workbook = openpyxl.load_workbook(__import__("io").BytesIO(export.excel_bytes(errors, title="Ошибки")))
    assert workbook.active.max_row == 2 + 1 + len(errors), "the Excel file holds every error"
    buttons = {b.label for b in at.get("download_button")}
    assert f"Ошибки файла «{safe.md('out_of_range.csv')}»" in buttons and "Скачать в Excel" in buttons

    # what is stored equals what is shown
    stored = sql(
        missing_db,
        "SELECT source_file, status, rows_read, rows_loaded, rows_quarantined FROM dq.load_log ORDER BY batch_id",
    )
    shown = [
        (f, s, int(r), int(lo), int(q))
        for f, s, r, lo, q in zip(
            summary["Файл"], summary["Итог"], summary["Прочитано строк"], summary["Загружено"],
            summary["В карантине"], strict=True,
        )
    ]  # fmt: skip
    status_ru = {"loaded": "загружен полностью", "partial": "загружен частично", "rejected": "отклонён"}
    assert [(f, status_ru[s], r, lo, q) for f, s, r, lo, q in stored] == shown
    assert sql(missing_db, "SELECT count(*) FROM dq.quarantine") == [(7,)]
    assert sql(missing_db, "SELECT inst_id, count(*) FROM core.staff GROUP BY 1") == [("T1", 2)]
    assert sql(missing_db, "SELECT inst_id FROM core.ict") == [("T4",)]

    # the quality page of the same session shows the new state at once (the caches were cleared)
    at.switch_page("pages/quality.py").run()
    assert_clean(at)
    assert len(frame_with(at, "Прочитано строк")) == 5
    quarantine = frame_with(at, "Правило")
    assert len(quarantine) == 7 and set(quarantine["Код организации"]) == {"T1", "T2", "T3"}
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Представили всё"] == "0 из 4"

    # the same file again: the loader says it changed nothing; the file picker was emptied for it
    at.switch_page("pages/upload.py").run()
    assert at.session_state["_imc_upload_round"] == 1
    at = upload(at, [("kadry_T1.xlsx", good, XLSX)])
    assert_clean(at)
    summary = frame_with(at, "Прочитано строк")
    assert list(summary["Итог"]) == ["повторная загрузка, без изменений"]
    assert [s.value for s in at.success] == [
        "Итого файлов: 1; загружено строк: 0; в карантине: 0; отклонено файлов: 0.",
    ]
    # not «все строки загружены»: nothing was loaded again (the first load of kadry_T1.xlsx quarantined none)
    assert [w.value for w in at.warning] == [
        "Новых ошибок нет. Файл «kadry_T1.xlsx» уже загружался ранее (те же байты): строки из него заново не "
        "загружались — данные не изменились."
    ]
    assert sql(missing_db, "SELECT count(*) FROM dq.load_log WHERE status = 'duplicate'") == [(1,)]


def test_a_director_uploads_only_own_rows(app, registry_db):
    director = User("dir", "director", inst_id="T4")
    at = app(registry_db, "pages/upload.py", user=director)
    assert_clean(at)
    assert any("только строки своей организации (код T4)" in i.value for i in at.info)
    at = upload(at, [("out_of_range.csv", (CORPUS / "out_of_range.csv").read_bytes(), CSV)])
    assert_clean(at)
    summary = frame_with(at, "Прочитано строк")
    assert (summary.iloc[0]["Загружено"], summary.iloc[0]["В карантине"]) == (1, 3)
    assert sql(registry_db, "SELECT inst_id FROM core.ict") == [("T4",)]
    who = "SELECT uploaded_by FROM dq.load_log WHERE source_file = 'out_of_range.csv'"
    assert sql(registry_db, who) == [("dir",)], "the load log says who uploaded"
    foreign = sql(registry_db, "SELECT count(*) FROM dq.quarantine WHERE rule = 'foreign_institution'")
    assert foreign == [(3,)]
    # every quarantined row is listed, but the values of other institutions' rows are withheld
    errors = frame_with(at, "Ошибка")
    assert len(errors) == sql(registry_db, "SELECT count(*) FROM dq.quarantine")[0][0] == 10
    assert set(errors["Значение"]) == {"(скрыто: строка другой организации)"}
    assert (errors["Ошибка"].str.contains("Строка другой организации")).sum() == 3


def test_a_directors_upload_of_another_schools_file_is_refused(app, registry_db, tmp_path):
    lines = (CORPUS / "out_of_range.csv").read_text(encoding="utf-8").splitlines()
    foreign = "\n".join(line for line in lines if ";T4;" not in line).encode("utf-8")
    at = app(registry_db, "pages/upload.py", user=User("dir", "director", inst_id="T4"))
    at = upload(at, [("chuzhoi.csv", foreign, CSV)])
    assert not at.exception
    # nothing could be loaded: the total is an error, not «загружен частично»
    assert [e.value for e in at.error] == [
        "Итого файлов: 1; загружено строк: 0; в карантине: 0; отклонено файлов: 1."
    ]
    summary = frame_with(at, "Прочитано строк")
    assert list(summary["Итог"]) == ["отклонён"]
    assert (summary.iloc[0]["Загружено"], summary.iloc[0]["В карантине"]) == (0, 0)
    reason = (
        "Файл отклонён: в нём нет строк вашей организации (T4) — только строки других организаций "
        "(T1, T2, T3). Вы можете загружать данные только своей организации."
    )
    errors = frame_with(at, "Ошибка")
    assert list(errors["Ошибка"]) == [reason]
    logged = "SELECT status, rows_loaded, message_ru FROM dq.load_log WHERE source_file = 'chuzhoi.csv'"
    assert sql(registry_db, logged) == [("rejected", 0, reason)]
    assert sql(registry_db, "SELECT count(*) FROM dq.quarantine") == [(0,)]


def test_the_head_of_department_does_not_upload(app, handbuilt_db):
    """The head's menu has no upload page at all (app.py registers the pages of each role; opening its URL
    shows the overview: tests/auth), and the handler refuses the head as well (below)."""
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        app(handbuilt_db, "pages/upload.py", user=User("head", "head"))


def test_templates_are_the_command_lines_templates(tmp_path):
    from ui.upload import template_bytes

    for path in write_templates(tmp_path):
        dataset = path.stem.removeprefix("шаблон_")
        assert template_bytes(dataset) == path.read_bytes(), dataset


@pytest.mark.parametrize("which", ["missing_db", "empty_db"])
def test_upload_page_opens_before_any_data(app, request, which):
    at = app(request.getfixturevalue(which), "pages/upload.py")
    assert_clean(at)
    assert at.get("file_uploader") and len(at.get("download_button")) == len(LOAD_ORDER)  # one template each
    assert not any("Данные не загружены" in i.value for i in at.info)


def test_streamlit_upload_limit_matches_the_loaders_default():
    import tomllib

    from tests.quality.conftest import REPO
    from warehouse.settings import DEFAULTS

    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert float(config["server"]["maxUploadSize"]) == float(DEFAULTS["max_file_mb"])


def test_the_handler_refuses_the_head_of_department_too(handbuilt_db):
    from ui.data import Context
    from ui.upload import run_upload
    from warehouse.queries import WarehouseState

    ctx = Context(str(handbuilt_db), None, User("head", "head"), WarehouseState("ready"))
    with pytest.raises(PermissionError):
        run_upload(ctx, [])
