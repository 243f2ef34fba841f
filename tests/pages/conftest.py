"""Warehouses for the page tests: the hand-built one (a DuckDB file, and the same as a DuckLake for the tests
that run in both modes), an empty one, a missing file, and the demo (when the demo generator is available)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from auth import identity
from tests.pages import handmade
from warehouse import lake, queries

ADMIN = identity.User(login="admin", role="admin")

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
PAGES = ["pages/overview.py", "pages/staff.py", "pages/ict.py", "pages/innovation.py", "pages/catalog.py"]


@pytest.fixture(scope="session")
def handmade_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return handmade.build(tmp_path_factory.mktemp("handmade") / "imc.duckdb")


@pytest.fixture(scope="session")
def handmade_lake(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The same warehouse as a DuckLake with a SQLite catalog, its data files in the default folder beside the
    catalog (`lake_data`: no IMC_DATA_PATH, which `open_app` unsets)."""
    folder = tmp_path_factory.mktemp("handmade-lake")
    with pytest.MonkeyPatch.context() as env:
        env.delenv(lake.DATA_PATH_ENV, raising=False)
        return str(handmade.build(f"{lake.PREFIX}sqlite:{folder / 'catalog.sqlite'}"))


@pytest.fixture(params=["file", "lake"])
def handmade_wh(request: pytest.FixtureRequest) -> Path | str:
    """handmade_db, then handmade_lake: a test that takes it runs on both storage modes."""
    return request.getfixturevalue("handmade_db" if request.param == "file" else "handmade_lake")


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return handmade.build(tmp_path_factory.mktemp("empty") / "imc.duckdb", empty=True)


@pytest.fixture(scope="session")
def missing_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("missing") / "nothing-here.duckdb"


@pytest.fixture
def open_app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """open_app(db, page, params=None, user=None) → a finished AppTest run of that page."""

    def run(db: Path, page: str = "pages/overview.py", params: dict | None = None, user=None) -> AppTest:
        monkeypatch.setenv("IMC_DB", str(db))
        monkeypatch.delenv(lake.DATA_PATH_ENV, raising=False)  # a lake's data beside its catalog
        at = AppTest.from_file(str(APP), default_timeout=60)
        # signed in (a warehouse that is not the demo shows the sign-in form to nobody)
        at.session_state["imc_user"] = user if user is not None else ADMIN
        if page != "pages/overview.py":
            at.run()
            at.switch_page(page)
        if params:
            at.query_params.update(params)
        return at.run()

    yield run
    queries.close_all()
    lake.close_all()
    os.environ.pop("IMC_DB", None)


@pytest.fixture(scope="session")
def region_db(region_demo_db: Path) -> Path:
    return region_demo_db
