"""A load is all or nothing, and readers keep reading during it.

Both properties are shown with a real loader subprocess (`python -m etl load`): a reader in this process
queries the warehouse in a loop while the load runs; another test stops the loader at each named point of a load
(`warehouse/faults.py`), kills it there with SIGKILL and checks that the published warehouse is exactly the previous state.
"""

from __future__ import annotations

import errno
import hashlib
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from etl.loader import DiskFull, load_files
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


def _leftovers(folder: Path) -> list[str]:
    """What a failed load could leave: its copy, WAL or spill folder, archive parts or a journal."""
    found = [p.name for p in folder.iterdir() if ".loading" in p.name or p.name.endswith(".archive-journal")]
    archive = folder / "archive"
    if archive.exists():
        found += [p.name for p in archive.iterdir() if p.name.endswith(".part")]
    return sorted(found)


def _archived(db: Path) -> set[str]:
    return {p.name for p in (db.parent / "archive").iterdir()}


DISK_FULL = re.compile(r"^Недостаточно места на диске: нужно (\d+) МБ, свободно (\d+) МБ")


@pytest.mark.parametrize("point", [p for p in faults.POINTS if p != "published"])
def test_enospc_at_a_point_leaves_previous_state(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    """An injected ENOSPC at any point before publishing: the published warehouse is untouched, the user gets
    the Russian message (a DiskFull, not a bare OSError), and nothing of the load is left on disk."""
    before, archived = _state(warehouse), _archived(warehouse)
    small = write_csv(tmp_path / "small.csv", STAFF_HEADER, [staff_row("T1", "1")])
    monkeypatch.setenv(faults.POINT_ENV, point)
    monkeypatch.setenv(faults.ACTION_ENV, "enospc")
    with pytest.raises(DiskFull) as caught:
        load_files([small], warehouse)
    assert DISK_FULL.match(caught.value.message_ru), caught.value.message_ru
    assert "Хранилище не изменено" in caught.value.message_ru
    assert _state(warehouse) == before
    assert _leftovers(warehouse.parent) == []
    assert _archived(warehouse) == archived  # the file archived at «written» is gone again


def test_enospc_while_archiving_leaves_no_part(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archive copy of an incoming file does not fit: no `archive/*.part`, the warehouse as it was."""
    import etl.loader as loader

    before, archived = _state(warehouse), _archived(warehouse)
    real = loader.create_private_file

    def full_disk(path: Path) -> int:
        fd = real(path)
        if path.name.endswith(".part"):
            os.close(fd)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))  # the file exists, empty
        return fd

    monkeypatch.setattr(loader, "create_private_file", full_disk)
    small = write_csv(tmp_path / "small.csv", STAFF_HEADER, [staff_row("T1", "1")])
    with pytest.raises(DiskFull):
        load_files([small], warehouse)
    assert _state(warehouse) == before
    assert _leftovers(warehouse.parent) == []
    assert _archived(warehouse) == archived


def test_free_space_is_checked_before_copying(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Too little room for the copy and the files: refused before a byte is written, with both numbers."""
    import shutil as shutil_module

    before = _state(warehouse)
    small = write_csv(tmp_path / "small.csv", STAFF_HEADER, [staff_row("T1", "1")])
    free = 2**20 // 2  # half a megabyte
    usage = shutil_module.disk_usage(warehouse.parent)
    monkeypatch.setattr("warehouse.db.shutil.disk_usage", lambda _: usage._replace(free=free), raising=True)
    copied: list[Path] = []
    monkeypatch.setattr("warehouse.db.shutil.copyfile", lambda *a: copied.append(a[1]))
    with pytest.raises(DiskFull) as caught:
        load_files([small], warehouse)
    needed = warehouse.stat().st_size + small.stat().st_size  # the copy and the incoming file
    assert (caught.value.needed_mb, caught.value.free_mb) == (math.ceil(needed / 2**20), 0)
    assert caught.value.message_ru.startswith(
        f"Недостаточно места на диске: нужно {math.ceil(needed / 2**20)} МБ, свободно 0 МБ."
    )
    assert copied == []
    assert _state(warehouse) == before
    assert _leftovers(warehouse.parent) == []


def test_full_disk_on_the_command_line(warehouse: Path, tmp_path: Path) -> None:
    """`python -m etl load` on a full disk: the Russian message, no traceback, exit status 2."""
    small = write_csv(tmp_path / "small.csv", STAFF_HEADER, [staff_row("T1", "1")])
    before = _state(warehouse)
    proc = _loader(warehouse, small, IMC_FAULT_POINT="checkpointed", IMC_FAULT_ACTION="enospc")
    out, err = proc.communicate(timeout=300)
    text = err.decode()
    assert proc.returncode == 2, text
    assert DISK_FULL.match(text.strip()), text
    assert "Traceback" not in text and "Внутренняя ошибка" not in text
    assert _state(warehouse) == before
    assert _leftovers(warehouse.parent) == []


def test_a_killed_load_leaves_no_orphans_for_the_next(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A loader killed after archiving (point «written») leaves an archived file that no published load
    references; the next load removes it, and stale `.part` files of dead processes, under its lock."""
    archived = _archived(warehouse)
    killed = write_csv(tmp_path / "killed.csv", STAFF_HEADER, [staff_row("T1", "1")])
    marker = tmp_path / "paused"
    proc = _loader(
        warehouse, killed, IMC_FAULT_POINT="written", IMC_FAULT_ACTION="pause", IMC_FAULT_MARKER=str(marker)
    )
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(f"the loader ended before «written»: {proc.communicate()[1].decode()}")
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    orphan = f"{hashlib.sha256(killed.read_bytes()).hexdigest()}.csv"
    assert _archived(warehouse) == archived | {orphan}  # archived by a load that never published
    dead = warehouse.parent / "archive" / f"{'0' * 64}.csv.{2**22 + 1}.part"  # above any pid_max
    dead.write_bytes(b"half a file")

    other = write_csv(tmp_path / "other.csv", STAFF_HEADER, [staff_row("T2", "5")])
    # a load refused for want of room before it takes over the journal keeps the killed load's list
    with monkeypatch.context() as m:
        m.setattr("warehouse.db.check_free_space", _no_room)
        with pytest.raises(DiskFull):
            load_files([other], warehouse)
    assert (warehouse.parent / f".{warehouse.name}.archive-journal").exists()
    result = load_files([other], warehouse)
    assert result.exit_code == 0
    kept = f"{hashlib.sha256(other.read_bytes()).hexdigest()}.csv"
    assert _archived(warehouse) == archived | {kept}
    assert _leftovers(warehouse.parent) == []
    # the killed file loads normally afterwards, and is archived again
    assert load_files([killed], warehouse).files[0].status == "loaded"
    assert orphan in _archived(warehouse)


def _no_room(db_path: Path, extra_bytes: int, *, copy: bool) -> None:
    from warehouse.db import InsufficientSpace

    raise InsufficientSpace(10 * 2**20, 2**20, db_path.parent)


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 6 MB tmpfs (needs root and the right to mount; skipped elsewhere)."""
    folder = tmp_path / "small_disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip("no tmpfs can be mounted here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_real_full_disk_during_the_load(
    small_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a real small disk whose room the free-space check misjudges (the check is skipped here), DuckDB's
    WAL does not fit: DuckDB reports it in its own exception, which is read as a full disk too."""
    db = small_disk / "w.duckdb"
    assert load_files([CORPUS / "registry.csv"], db).exit_code == 0
    before, archived = _state(db), _archived(db)
    rows = [
        staff_row("T1" if i % 2 else "T2", str(i), name=f"Работник {i} " + "x" * 40) for i in range(20000)
    ]
    big = write_csv(tmp_path / "big.csv", STAFF_HEADER, rows)  # 4.8 MB: the copy fits, the WAL does not
    monkeypatch.setattr("warehouse.db.check_free_space", lambda *args, **kwargs: None)
    with pytest.raises(DiskFull) as caught:
        load_files([big], db)
    assert DISK_FULL.match(caught.value.message_ru)
    assert _state(db) == before
    assert _leftovers(small_disk) == []
    assert _archived(db) == archived
    # and with the check: refused before copying, same message form
    monkeypatch.undo()
    with pytest.raises(DiskFull) as checked:
        load_files([big], db)
    assert checked.value.message_ru.startswith("Недостаточно места на диске: нужно ")
    assert _state(db) == before
