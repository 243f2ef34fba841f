"""A load is all or nothing, and readers keep reading during it.

Both properties are shown with a real loader subprocess (`python -m etl load`): a reader in this process
queries the warehouse in a loop while the load runs; another test stops the loader at each named point of a load
(`warehouse/faults.py`), kills it there with SIGKILL and checks that the published warehouse is exactly the previous state.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl.loader import load_files
from tests.etl.helpers import STAFF_HEADER, staff_row, write_csv
from warehouse import faults
from warehouse.db import ReadOnlyWarehouse

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "data" / "bad_inputs"
ROWS = 40000


def _big_staff_file(path: Path) -> Path:
    rows = [staff_row("T1" if i % 2 else "T2", str(i), name=f"Работник {i}") for i in range(ROWS)]
    return write_csv(path, STAFF_HEADER, rows)


def _loader(db: Path, file: Path, **extra_env: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO), **extra_env)
    return subprocess.Popen(
        [sys.executable, "-m", "etl", "load", "--db", str(db), "--quiet", str(file)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _state(db: Path) -> tuple[int, int, int, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT (SELECT count(*) FROM core.staff), (SELECT count(*) FROM dq.load_log), "
            "(SELECT count(*) FROM dq.quarantine), (SELECT count(*) FROM mart.indicator_values)"
        ).fetchone()
    assert row is not None
    return row


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    load_files([CORPUS / "registry.csv", CORPUS / "resubmission_v2.csv"], db)
    return db


@pytest.mark.slow
def test_readers_keep_reading_during_a_load(warehouse: Path, tmp_path: Path) -> None:
    big = _big_staff_file(tmp_path / "big.csv")
    reader = ReadOnlyWarehouse(warehouse)
    old = reader.cursor().execute("SELECT count(*) FROM core.staff").fetchone()
    assert old == (3,)
    seen: list[int] = []
    errors: list[str] = []
    proc = _loader(warehouse, big)
    while proc.poll() is None:
        try:
            row = reader.cursor().execute("SELECT count(*) FROM core.staff").fetchone()
            assert row is not None
            seen.append(row[0])
        except duckdb.Error as exc:  # "could not set lock" would land here
            errors.append(str(exc))
        time.sleep(0.02)
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    final = reader.cursor().execute("SELECT count(*) FROM core.staff").fetchone()
    assert errors == []
    assert len(seen) > 10  # the reader really ran during the load
    # T1 and T2 replaced by the file's rows: the reader saw the old state or the new one, nothing between
    assert set(seen) <= {3, ROWS}
    assert final == (ROWS,)


def _new_state_of(db: Path, big: Path, tmp_path: Path) -> tuple[int, int, int, int]:
    """The state a completed load of `big` publishes, from a copy of the warehouse loaded in this process."""
    copy = tmp_path / "expected" / db.name
    copy.parent.mkdir()
    shutil.copyfile(db, copy)
    assert load_files([big], copy).exit_code == 0
    return _state(copy)


@pytest.mark.slow
@pytest.mark.parametrize("point", faults.POINTS)
def test_sigkill_leaves_previous_state(warehouse: Path, tmp_path: Path, point: str) -> None:
    """The loader stops at a named point (warehouse/faults.py) and is killed there: no timing involved."""
    big = _big_staff_file(tmp_path / "big.csv")
    before = _state(warehouse)
    expected_new = _new_state_of(warehouse, big, tmp_path) if point == "published" else None
    marker = tmp_path / "paused"
    proc = _loader(
        warehouse,
        big,
        IMC_FAULT_POINT=point,
        IMC_FAULT_ACTION="pause",
        IMC_FAULT_MARKER=str(marker),
    )
    # wait for the loader to reach the point; it always does unless it fails first (then we say why)
    while not marker.exists():
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the loader ended (status {proc.returncode}) before «{point}»: {err.decode()}")
        time.sleep(0.02)
    assert marker.read_text(encoding="utf-8") == point
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    after = _state(warehouse)
    if point == "published":
        # killed after the rename: the new state is the state, whole
        assert after == expected_new
        return
    assert after == before
    # the next load works (the killed load's temporary copy is cleaned up) and publishes everything
    result = load_files([big], warehouse)
    assert result.exit_code == 0
    assert _state(warehouse)[0] == ROWS
    leftovers = [p.name for p in warehouse.parent.iterdir() if p.name.endswith((".loading", ".loading.wal"))]
    assert leftovers == []


def test_fault_points_are_passed_in_order(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every named point is reached by a real load, in the documented order (a renamed point fails here)."""
    seen: list[str] = []
    monkeypatch.setattr(faults, "reached", seen.append)
    big = write_csv(tmp_path / "small.csv", STAFF_HEADER, [staff_row("T1", "1")])
    assert load_files([big], warehouse).exit_code == 0
    assert seen == list(faults.POINTS)


def test_enospc_at_a_point_leaves_previous_state(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An injected OSError at a point drops the copy and leaves the published warehouse untouched."""
    before = _state(warehouse)
    big = write_csv(tmp_path / "small.csv", STAFF_HEADER, [staff_row("T1", "1")])
    monkeypatch.setenv(faults.POINT_ENV, "marts")
    monkeypatch.setenv(faults.ACTION_ENV, "enospc")
    with pytest.raises(OSError):
        load_files([big], warehouse)
    assert _state(warehouse) == before
    leftovers = [p.name for p in warehouse.parent.iterdir() if ".loading" in p.name]
    assert leftovers == []
