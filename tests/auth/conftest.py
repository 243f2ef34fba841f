"""Warehouses, users and AppTest runs for the access tests.

Every test gets its own copy of the session's demo warehouse (the users file lives beside it, so each test
has its own users), bcrypt at its lowest cost (the hashes are still bcrypt) and a clock it can move.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from auth import identity, users
from warehouse import queries

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "app.py")
PASSWORD = "верный-пароль-1"
OWN, OTHER = "BGR-S01", "BGR-S04"  # the demo's BGR-S04 has quarantined staff rows


@dataclass
class Clock:
    now: float = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "BCRYPT_ROUNDS", 4)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(users, "CLOCK", fake)
    return fake


def _copy_warehouse(demo_db: Path, folder: Path) -> Path:
    """A copy of the demo warehouse as imc.duckdb in a new `folder`."""
    folder.mkdir()
    db = folder / "imc.duckdb"
    shutil.copyfile(demo_db, db)
    return db


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the demo warehouse (meta.info kind = demo) in its own folder."""
    yield _copy_warehouse(demo_db, tmp_path / "demo")
    queries.close_all()


@pytest.fixture
def real_copy(demo_db: Path, tmp_path: Path) -> Iterator[Path]:
    """The demo's data as if it were a real warehouse: no `kind = demo` in meta.info."""
    db = _copy_warehouse(demo_db, tmp_path / "real")
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM meta.info WHERE key = 'kind'")
    con.close()
    yield db
    queries.close_all()


def store_for(db: Path) -> users.UserStore:
    return users.UserStore(db.parent / users.USERS_FILE)


def add_user(db: Path, login: str, role: str, inst_id: str | None = None, **kw) -> users.Account:
    return store_for(db).add(login, role, password=kw.pop("password", PASSWORD), inst_id=inst_id, **kw)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., AppTest]]:
    """app(db, page=None, user=None) → an AppTest of app.py, not run yet. With `page`, the first run opens
    that page the way a browser opening its URL does (under AppTest every run is Streamlit's first multipage
    mode, which runs the page file itself — the router must still decide)."""

    def make(db: Path, page: str | None = None, user: identity.User | None = None) -> AppTest:
        monkeypatch.setenv("IMC_DB", str(db))
        at = AppTest.from_file(APP, default_timeout=120)
        if user is not None:
            at.session_state["imc_user"] = user
        if page is not None:
            at.switch_page(page)
        return at

    yield make
    queries.close_all()
    os.environ.pop("IMC_DB", None)


def sign_in(at: AppTest, login: str, password: str) -> AppTest:
    at.text_input(key="imc_login_name").input(login)
    at.text_input(key="imc_login_password").input(password)
    at.button[0].click()
    return at.run()


# the AppTest element kinds that render Markdown text
TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")


def texts(at: AppTest) -> str:
    """Everything a page says in text elements (Markdown sources)."""
    parts = []
    for kind in TEXT_KINDS:
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
