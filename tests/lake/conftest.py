"""The DuckLake mode with the real engines: a throwaway PostgreSQL cluster for the session, and SQLite.

The cluster: `initdb` in a temporary folder, `pg_ctl` on a Unix socket there (no TCP port), stopped after the
session. PostgreSQL refuses to run as root: under root the cluster runs as the `postgres` system user (the
Debian package creates it). Without PostgreSQL's binaries (`.ci/run` installs Debian's `postgresql`) the
PostgreSQL variants are skipped, saying why; the SQLite ones still run.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from warehouse import lake, read

_COUNTER = itertools.count(1)


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_cluster_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


class Cluster:
    """A running PostgreSQL cluster on a Unix socket in `folder`; `new_database()` gives a fresh libpq string."""

    def __init__(self, bin_dir: Path, folder: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = folder

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(
            _as_cluster_user([str(self.bin_dir / tool), *args]), check=True, capture_output=True, timeout=120
        )

    def new_database(self) -> str:
        name = f"lake{next(_COUNTER)}"
        self.run("createdb", "-h", str(self.folder), "-U", "imc", name)
        return f"dbname={name} host={self.folder} user=imc"


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL is not installed (initdb not found): the PostgreSQL-catalog variants are skipped"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a `postgres` system user to run the cluster as")
    # a short path: a Unix socket's path is limited to ~100 bytes
    folder = Path(tempfile.mkdtemp(prefix="imc-pg-"))
    os.chmod(folder, 0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    cluster = Cluster(bin_dir, folder)
    data = folder / "data"
    cluster.run("initdb", "-D", str(data), "-A", "trust", "-U", "imc", "-E", "UTF8", "--no-sync")
    options = f"-k {folder} -c listen_addresses='' -c fsync=off"
    cluster.run("pg_ctl", "-D", str(data), "-w", "-s", "-l", str(folder / "log"), "-o", options, "start")
    try:
        yield cluster
    finally:
        subprocess.run(
            _as_cluster_user(
                [str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-s", "-m", "immediate", "stop"]
            ),
            capture_output=True,
            timeout=120,
        )
        shutil.rmtree(folder, ignore_errors=True)


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
    lake.close_readers()
