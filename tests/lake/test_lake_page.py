"""«Качество данных» on a DuckLake: an administrator undoes one load from the page (the same etl/undo.py as
`python -m etl undo`); a refusal is shown with its reason; nobody else, and no file-mode warehouse, gets the
button. SQLite catalog only: the page's code does not differ by catalog."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from auth.identity import User
from etl.loader import load_files
from tests.lake.test_lake import batch_of, registry_file, staff_counts, staff_file
from tests.pages.conftest import ADMIN, APP
from warehouse import lake, queries, read

UNDO = "Отменить загрузку"


@pytest.fixture
def sqlite_lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(lake.DATA_PATH_ENV, str(tmp_path / "data"))
    uri = f"ducklake:sqlite:{tmp_path / 'catalog.sqlite'}"
    yield uri
    queries.close_all()
    read.close_all()
    lake.close_all()


def quality_page(db: str, user: User, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("IMC_DB", db)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["imc_user"] = user
    at.run()
    at.switch_page("pages/quality.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_administrator_undoes_a_load_from_the_page(sqlite_lake, tmp_path, monkeypatch):
    load_files([registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "B1": 4})], sqlite_lake)
    first = load_files([staff_file(tmp_path, "a1.csv", {"A1": 1})], sqlite_lake)
    batch = batch_of(first.files, "a1.csv")
    at = quality_page(sqlite_lake, ADMIN, monkeypatch)
    assert [e.label for e in at.expander] == [UNDO]
    choose = at.selectbox(key="undo_batch")
    assert choose.options[0] == choose.format_func(batch)  # the newest load first
    assert "a1.csv · загружен полностью (1 строка)" in choose.options[0]
    assert at.button(key="undo_go").disabled, "nothing is undone without the confirmation"
    choose.set_value(batch)
    at.checkbox(key="undo_sure").check().run()
    at.button(key="undo_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value.replace("\\:", ":") for s in at.success] == [  # safe.md escapes «:»
        "Загрузка отменена: файлов 1 («a1.csv»); удалено строк: 1, восстановлено прежних строк: 3. "
        "Показатели пересчитаны."
    ]
    assert staff_counts(sqlite_lake) == {"A1": 3, "B1": 4}
    # the undone load is offered no more; the undo is in the log (a new run reads the new snapshot)
    at = quality_page(sqlite_lake, ADMIN, monkeypatch)
    assert not any("a1.csv" in o for o in at.selectbox(key="undo_batch").options)
    assert any(
        "загрузка отменена" in str(v).lower() for df in at.dataframe for v in df.value.to_numpy().ravel()
    )


def test_a_refused_undo_says_why_and_changes_nothing(sqlite_lake, tmp_path, monkeypatch):
    first = load_files(
        [registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "B1": 4})], sqlite_lake
    )
    load_files([staff_file(tmp_path, "a1.csv", {"A1": 1})], sqlite_lake)
    at = quality_page(sqlite_lake, ADMIN, monkeypatch)
    at.selectbox(key="undo_batch").set_value(batch_of(first.files, "staff.csv"))
    at.checkbox(key="undo_sure").check().run()
    at.button(key="undo_go").click().run()
    assert len(at.error) == 1 and "отменить нельзя" in at.error[0].value
    assert staff_counts(sqlite_lake) == {"A1": 1, "B1": 4}


def test_only_an_administrator_on_a_lake_gets_the_button(sqlite_lake, tmp_path, monkeypatch):
    load_files([registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "B1": 4})], sqlite_lake)
    for user in (User(login="m", role="methodist"), User(login="d", role="director", inst_id="A1")):
        assert UNDO not in [e.label for e in quality_page(sqlite_lake, user, monkeypatch).expander]
    os.environ.pop("IMC_DB", None)
