"""Warehouses for the data-quality tests: the hand-built one (tests/quality/dqdata.py), one that holds only
the bad-input corpus's registry (loaded once by the real loader, copied for each test that loads into it),
an empty one and a missing file; and `app`, which opens a page of app.py with AppTest."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from auth import identity
from tests.pages import handmade
from tests.quality import dqdata
from warehouse import queries

ADMIN = identity.User(login="admin", role="admin")

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
CORPUS = REPO / "tests" / "data" / "bad_inputs"


@pytest.fixture(scope="session")
def handbuilt_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dqdata.build(tmp_path_factory.mktemp("handbuilt") / "imc.duckdb")


@pytest.fixture(scope="session")
def _registry_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl.loader import load_files

    db = tmp_path_factory.mktemp("registry") / "imc.duckdb"
    result = load_files([CORPUS / "registry.csv"], db)
    assert result.exit_code == 0 and result.files[0].rows_loaded == 4
    return db


@pytest.fixture
def registry_db(_registry_template: Path, tmp_path: Path) -> Path:
    """A private copy of a warehouse holding the registry T1–T4 (loaded by etl.loader)."""
    db = tmp_path / "wh" / "imc.duckdb"
    db.parent.mkdir()
    shutil.copyfile(_registry_template, db)
    return db


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return handmade.build(tmp_path_factory.mktemp("empty") / "imc.duckdb", empty=True)


@pytest.fixture
def missing_db(tmp_path: Path) -> Path:
    return tmp_path / "new" / "imc.duckdb"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    """app(db, page, params=None, user=None, run=True) → an AppTest of app.py switched to `page`."""

    def open_page(
        db: Path, page: str = "pages/quality.py", params: dict | None = None, user=None, run: bool = True
    ) -> AppTest:
        monkeypatch.setenv("IMC_DB", str(db))
        at = AppTest.from_file(str(APP), default_timeout=120)
        # signed in (a warehouse that is not the demo shows the sign-in form to nobody)
        at.session_state["imc_user"] = user if user is not None else ADMIN
        at.run()
        if page != "pages/overview.py":
            at.switch_page(page)
        if params:
            at.query_params.update(params)
        return at.run() if run else at

    yield open_page
    queries.close_all()
    os.environ.pop("IMC_DB", None)


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def frame_with(at: AppTest, column: str):
    """The first dataframe on the page that has `column`."""
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert found, [list(df.value.columns) for df in at.dataframe]
    data = found[0]
    return data.data if hasattr(data, "data") else data  # a Styler's frame
