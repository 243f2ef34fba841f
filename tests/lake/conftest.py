"""The DuckLake mode with the real engines: a throwaway PostgreSQL cluster for the session, and SQLite.

The cluster (tests/lake/cluster.py): `initdb` in a temporary folder, `pg_ctl` on a Unix socket there, stopped
after the session. Without PostgreSQL's binaries (`.ci/run` installs Debian's `postgresql`) the
PostgreSQL variants are skipped, saying why; the SQLite ones still run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lake.cluster import Cluster, running_cluster, unavailable

# the hand-made warehouse as a file and as a lake (tests/lake/test_lake_pages.py): the fixtures of
# tests/pages/conftest.py, registered here too since a conftest's fixtures are seen only below its folder
# (each folder builds its own pair, 1 s each)
from tests.pages.conftest import handmade_db, handmade_lake  # noqa: F401
from warehouse import lake, read


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    reason = unavailable()
    if reason is not None:
        pytest.skip(f"{reason}: the PostgreSQL-catalog variants are skipped")
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", "postgres"])
def lake_db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new, empty DuckLake (`ducklake:sqlite:…` or `ducklake:postgres:…`), its data under tmp_path/data
    (IMC_DATA_PATH, inherited by the loader processes a test starts)."""
    monkeypatch.setenv(lake.DATA_PATH_ENV, str(tmp_path / "data"))
    if request.param == "sqlite":
        uri = f"ducklake:sqlite:{tmp_path / 'catalog.sqlite'}"
    else:
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        uri = f"ducklake:postgres:{cluster.new_database()}"
    yield uri
    read.close_all()
    lake.close_all()
