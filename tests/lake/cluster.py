"""A throwaway PostgreSQL cluster: `initdb` in a temporary folder, `pg_ctl` on a Unix socket there (no TCP
port), stopped afterwards. Used by the lake tests' session fixture (conftest.py) and by the lake benchmarks
(benchmarks/lake.py), so both start it the same way.

PostgreSQL refuses to run as root: under root the cluster runs as the `postgres` system user (the Debian
package creates it). `unavailable()` says why a cluster cannot be started here (no binaries, no such user).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

_COUNTER = itertools.count(1)


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def unavailable() -> str | None:
    """Why no cluster can be started on this machine, or None when one can."""
    if postgres_bin() is None:
        return "PostgreSQL is not installed (initdb not found)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a `postgres` system user to run the cluster as"
    return None


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


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    """Start a cluster (check `unavailable()` first), yield it, stop it and remove its folder."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        raise RuntimeError(unavailable())
    # a short path: a Unix socket's path is limited to ~100 bytes
    folder = Path(tempfile.mkdtemp(prefix="imc-pg-"))
    os.chmod(folder, 0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    cluster = Cluster(bin_dir, folder)
    data = folder / "data"
    try:
        cluster.run("initdb", "-D", str(data), "-A", "trust", "-U", "imc", "-E", "UTF8", "--no-sync")
        options = f"-k {folder} -c listen_addresses='' -c fsync=off"
        cluster.run("pg_ctl", "-D", str(data), "-w", "-s", "-l", str(folder / "log"), "-o", options, "start")
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
