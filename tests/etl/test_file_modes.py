"""The warehouse holds personal data: the files a load creates are owner-only (0600 files, 0700 folders)
whatever the umask, older warehouses are tightened by their next load, and readers of the same user still
open the file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from etl.loader import InputFile, load_files
from warehouse.db import ReadOnlyWarehouse

CORPUS = Path(__file__).resolve().parent.parent / "data" / "bad_inputs"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def loose_umask() -> Iterator[None]:
    """The usual umask of a desktop session: new files 0644, folders 0755."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _modes(db: Path) -> dict[str, int]:
    folder = db.parent
    modes = {p.name: _mode(p) for p in folder.iterdir() if p.is_file()}
    archive = folder / "archive"
    modes["archive/"] = _mode(archive)
    modes |= {f"archive/{p.suffix}": _mode(p) for p in archive.iterdir()}
    return modes


@pytest.mark.usefixtures("loose_umask")
def test_a_new_warehouse_and_its_archive_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "wh" / "w.duckdb"
    upload = InputFile(
        name="staff.csv", data=(CORPUS / "resubmission_v2.csv").read_bytes()
    )  # as the app sends
    result = load_files([CORPUS / "registry.csv", upload], db)
    assert result.exit_code == 0
    assert _modes(db) == {
        "w.duckdb": 0o600,
        "w.duckdb.lock": 0o600,
        "archive/": 0o700,
        "archive/.csv": 0o600,
    }
    assert len(list((db.parent / "archive").iterdir())) == 2
    # the umask of the process is given back
    assert os.umask(0o022) == 0o022
    # a reader of the same user (the app) opens the owner-only file
    reader = ReadOnlyWarehouse(db)
    assert reader.cursor().execute("SELECT count(*) FROM core.staff").fetchone() == (3,)
    reader.close()


@pytest.mark.usefixtures("loose_umask")
def test_a_fresh_build_is_owner_only(tmp_path: Path) -> None:
    """The demo build starts from no file: DuckDB creates it, under the loader's private umask."""
    db = tmp_path / "w.duckdb"
    load_files([CORPUS / "registry.csv"], db, fresh=True)
    assert _mode(db) == 0o600


@pytest.mark.usefixtures("loose_umask")
def test_an_older_warehouse_is_tightened_by_its_next_load(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load_files([CORPUS / "registry.csv"], db)
    archive = tmp_path / "archive"
    # as a warehouse made before this change: world-readable
    os.chmod(db, 0o644)
    os.chmod(archive, 0o755)
    for p in archive.iterdir():
        os.chmod(p, 0o644)
    result = load_files([CORPUS / "resubmission_v2.csv"], db)
    assert result.exit_code == 0
    assert _mode(db) == 0o600
    assert _mode(archive) == 0o700
    assert {p.name: _mode(p) for p in archive.iterdir()} == {p.name: 0o600 for p in archive.iterdir()}
    assert len(list(archive.iterdir())) == 2
