"""Fixtures shared by every test folder: the demo warehouses, built once per test session.

Tests read them and never write them (a test that loads files copies the file first).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from warehouse import build

REPO = Path(__file__).resolve().parents[1]


def build_demo(folder: Path, scale: str) -> Path:
    """The demo warehouse via the command line (`python -m etl demo`); a failure fails the test."""
    db = folder / f"demo-{scale}.duckdb"
    result = subprocess.run(
        [sys.executable, "-m", "etl", "demo", "--db", str(db), "--scale", scale, "--quiet"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if result.returncode != 0 or not db.exists():
        pytest.fail(f"python -m etl demo --scale {scale} failed: {(result.stderr or result.stdout)[-2000:]}")
    return db


@pytest.fixture(autouse=True)
def _no_outside_users(monkeypatch: pytest.MonkeyPatch) -> None:
    """The users file is the one beside each test's warehouse unless a test points IMC_USERS elsewhere."""
    monkeypatch.delenv("IMC_USERS", raising=False)


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The city demo warehouse (г. Бугуруслан), read-only for the tests."""
    return build_demo(tmp_path_factory.mktemp("demo-city"), "city")


@pytest.fixture(scope="session")
def region_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The region demo warehouse (~1,000 institutions), read-only for the tests."""
    return build_demo(tmp_path_factory.mktemp("demo-region"), "region")


@pytest.fixture
def incremental_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[build.Changed]]:
    """The `Changed` of every build of this test that recomputed some institutions only (warehouse/build.py)."""
    calls: list[build.Changed] = []
    original = build.Changed.of

    def recorded(con: duckdb.DuckDBPyConnection, periods: Any, inst_ids: Any) -> build.Changed:
        changed = original(con, periods, inst_ids)
        calls.append(changed)
        return changed

    monkeypatch.setattr(build.Changed, "of", staticmethod(recorded))
    yield calls
