"""The DuckLake mode with the real engines (a SQLite catalog and a throwaway PostgreSQL cluster).

Three institutions in two municipalities: A1, A2 in «г. Первый», B1 in «г. Второй»; period 2024/2025. Every
staff row is a teacher on the main job, so STAFF_COUNT is the number of rows of the institution (hand count).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.loader import load_files
from etl.undo import UndoRefused, undo_load
from tests.etl.helpers import INSTITUTIONS_HEADER, STAFF_HEADER, staff_row, write_csv
from warehouse import build, faults, lake, read
from warehouse import db as wdb

REPO = Path(__file__).resolve().parents[2]
P = "2024/2025"
REGISTRY = [
    ["A1", "Школа А1", "", "общеобразовательная", "г. Первый", "город", ""],
    ["A2", "Школа А2", "", "общеобразовательная", "г. Первый", "город", ""],
    ["B1", "Школа Б1", "", "общеобразовательная", "г. Второй", "село", ""],
]
MART = "SELECT * FROM mart.indicator_values ORDER BY ALL"


def staff_file(folder: Path, name: str, counts: dict[str, int]) -> Path:
    rows = [staff_row(inst, f"{inst}-{n:03d}") for inst, count in counts.items() for n in range(count)]
    return write_csv(folder / name, STAFF_HEADER, rows)


def registry_file(folder: Path) -> Path:
    return write_csv(folder / "institutions.csv", INSTITUTIONS_HEADER, REGISTRY)


def frame(db: str | Path, sql: str) -> pd.DataFrame:
    con = wdb.attach_read_only(db)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def staff_counts(db: str | Path) -> dict[str, int]:
    """STAFF_COUNT by institution, from the mart."""
    rows = frame(
        db,
        "SELECT inst_id, value FROM mart.indicator_values WHERE indicator_code = 'STAFF_COUNT' "
        f"AND level = 'institution' AND period = '{P}' ORDER BY inst_id",
    )
    return {r.inst_id: int(r.value) for r in rows.itertuples()}


def municipality_counts(db: str | Path) -> dict[str, int]:
    rows = frame(
        db,
        "SELECT municipality, value FROM mart.indicator_values WHERE indicator_code = 'STAFF_COUNT' "
        f"AND level = 'municipality' AND inst_type = 'all' AND period = '{P}' ORDER BY 1",
    )
    return {r.municipality: int(r.value) for r in rows.itertuples()}


def shared_staff_rows(reader: wdb.ReadOnlyWarehouse | lake.LakeReader) -> int:
    cursor = reader.cursor()
    try:
        row = cursor.execute("SELECT count(*) FROM core.staff").fetchone()
    finally:
        cursor.close()
    return int(row[0]) if row else -1


def batch_of(result_files: list, name: str) -> str:
    return next(f.batch_id for f in result_files if f.source_file == name)


def test_a_load_gives_the_same_mart_as_the_file_mode(lake_db: str, tmp_path: Path) -> None:
    files = [registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "A2": 2, "B1": 4})]
    file_db = tmp_path / "w.duckdb"
    assert [f.status for f in load_files(files, file_db).files] == ["loaded", "loaded"]
    assert [f.status for f in load_files(files, lake_db).files] == ["loaded", "loaded"]

    assert staff_counts(lake_db) == {"A1": 3, "A2": 2, "B1": 4}
    assert municipality_counts(lake_db) == {"г. Второй": 4, "г. Первый": 5}
    lake_mart, file_mart = frame(lake_db, MART), frame(file_db, MART)
    assert len(lake_mart) > 0
    pd.testing.assert_frame_equal(lake_mart, file_mart)
    for table in ("core.staff", "core.institutions", "dq.warnings"):
        sql = f"SELECT * EXCLUDE (batch_id) FROM {table} ORDER BY ALL"
        pd.testing.assert_frame_equal(frame(lake_db, sql), frame(file_db, sql))
    # the read API reads the lake as it reads a file
    assert read.scalar(lake_db, "dashboards/warehouse_kind") is None
    assert wdb.warehouse_exists(lake_db)


def test_a_corrected_file_replaces_its_units_only(
    lake_db: str, tmp_path: Path, incremental_calls: list[build.Changed]
) -> None:
    load_files(
        [registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "A2": 2, "B1": 4})], lake_db
    )
    # A1's corrected file: 5 people instead of 3; A2 and B1 stay as they were
    result = load_files([staff_file(tmp_path, "a1.csv", {"A1": 5})], lake_db)
    assert [(f.status, f.rows_loaded) for f in result.files] == [("loaded", 5)]
    # only A1's marts and the aggregates containing it were recomputed (warehouse/build.py, `Changed`)
    assert [(c.inst_ids, c.municipalities) for c in incremental_calls] == [(("A1",), ("г. Первый",))]
    assert staff_counts(lake_db) == {"A1": 5, "A2": 2, "B1": 4}
    assert municipality_counts(lake_db) == {"г. Второй": 4, "г. Первый": 7}
    region = frame(
        lake_db,
        "SELECT value FROM mart.indicator_values WHERE indicator_code = 'STAFF_COUNT' AND level = 'region' "
        f"AND inst_type = 'all' AND period = '{P}'",
    )
    assert region["value"].tolist() == [11.0]
    # the same loads in the file mode, then everything rebuilt there, give the same mart
    file_db = tmp_path / "w.duckdb"
    load_files([tmp_path / "institutions.csv", tmp_path / "staff.csv"], file_db)
    load_files([tmp_path / "a1.csv"], file_db)
    con = duckdb.connect(str(file_db))
    try:
        build.build_marts(con, None)
    finally:
        con.close()
    pd.testing.assert_frame_equal(frame(lake_db, MART), frame(file_db, MART))


def test_undo_reverts_one_load_and_refuses_when_a_later_one_depends_on_it(
    lake_db: str, tmp_path: Path
) -> None:
    first = load_files(
        [registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "A2": 2, "B1": 4})], lake_db
    )
    before = frame(lake_db, MART)
    correction = load_files([staff_file(tmp_path, "a1.csv", {"A1": 5})], lake_db)
    b1_later = load_files([staff_file(tmp_path, "b1.csv", {"B1": 1})], lake_db)
    assert staff_counts(lake_db) == {"A1": 5, "A2": 2, "B1": 1}

    # the first load wrote A1 and B1, which both later loads changed again: refused, nothing changed
    with pytest.raises(UndoRefused) as refused:
        undo_load(lake_db, batch_of(first.files, "staff.csv"))
    message = refused.value.message_ru
    assert batch_of(correction.files, "a1.csv") in message and batch_of(b1_later.files, "b1.csv") in message
    assert staff_counts(lake_db) == {"A1": 5, "A2": 2, "B1": 1}

    # A1's correction: only A1's rows, which nothing later touched; B1's later load stays
    undone = undo_load(lake_db, batch_of(correction.files, "a1.csv"), undone_by="tester")
    assert (undone.source_files, undone.rows_removed, undone.rows_restored) == (("a1.csv",), 5, 3)
    assert staff_counts(lake_db) == {"A1": 3, "A2": 2, "B1": 1}
    # undo B1's too: the mart is the one before both, value for value
    undo_load(lake_db, batch_of(b1_later.files, "b1.csv"))
    pd.testing.assert_frame_equal(frame(lake_db, MART), before)

    log = frame(
        lake_db, "SELECT batch_id, source_file, status, uploaded_by FROM dq.load_log ORDER BY loaded_at, 1"
    )
    undo_rows = log[log["status"] == "undone"]
    assert list(undo_rows["batch_id"]) == [
        "undo-" + batch_of(correction.files, "a1.csv"),
        "undo-" + batch_of(b1_later.files, "b1.csv"),
    ]
    assert list(undo_rows["uploaded_by"])[0] == "tester"
    with pytest.raises(UndoRefused, match="уже отменена"):
        undo_load(lake_db, batch_of(correction.files, "a1.csv"))
    # the undone file is no duplicate any more: it loads again
    again = load_files([tmp_path / "a1.csv"], lake_db)
    assert [f.status for f in again.files] == ["loaded"]
    assert staff_counts(lake_db) == {"A1": 5, "A2": 2, "B1": 4}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ,
    )


def test_undo_on_the_command_line(lake_db: str, tmp_path: Path) -> None:
    load_files([registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "B1": 4})], lake_db)
    correction = load_files([staff_file(tmp_path, "a1.csv", {"A1": 1})], lake_db)
    done = _cli("undo", "--db", lake_db, batch_of(correction.files, "a1.csv"))
    assert done.returncode == 0, done.stderr
    assert (
        "Загрузка отменена: файлов 1 («a1.csv»); удалено строк: 1, восстановлено прежних строк: 3"
        in done.stdout
    )
    assert staff_counts(lake_db) == {"A1": 3, "B1": 4}
    unknown = _cli("undo", "--db", lake_db, "no-such-batch")
    assert unknown.returncode == 2 and "не найдена" in unknown.stderr


def test_undo_in_the_file_mode_says_it_needs_ducklake(tmp_path: Path) -> None:
    file_db = tmp_path / "w.duckdb"
    result = load_files([registry_file(tmp_path)], file_db)
    refused = _cli("undo", "--db", str(file_db), result.files[0].batch_id)
    assert refused.returncode == 2
    assert "только в режиме DuckLake" in refused.stderr


def test_a_warm_loader_keeps_one_instance_and_sees_other_processes_loads(
    lake_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process's writes share one DuckDB instance (lake._writer_cursor): a load in another process
    between two of its loads is in the next one's snapshot; an engine error opens a new instance, the
    loader's own (Python) errors do not."""
    opened: list[bool] = []
    original = lake.connect

    def counted(spec: lake.LakeSpec, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        if not read_only:
            opened.append(True)
        return original(spec, read_only=read_only)

    monkeypatch.setattr(lake, "connect", counted)
    load_files(
        [registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "A2": 2, "B1": 4})], lake_db
    )
    other = _cli("load", "--db", lake_db, "--quiet", str(staff_file(tmp_path, "b1.csv", {"B1": 6})))
    assert other.returncode == 0, other.stderr
    load_files([staff_file(tmp_path, "a1.csv", {"A1": 5})], lake_db)
    assert len(opened) == 1
    assert staff_counts(lake_db) == {"A1": 5, "A2": 2, "B1": 6}
    assert municipality_counts(lake_db) == {"г. Второй": 6, "г. Первый": 7}

    with pytest.raises(ValueError), wdb.write_transaction(lake_db):
        raise ValueError("the loader refused")
    assert len(opened) == 1
    with pytest.raises(duckdb.CatalogException), wdb.write_transaction(lake_db) as con:
        con.execute("SELECT * FROM core.no_such_table")
    load_files([staff_file(tmp_path, "a2.csv", {"A2": 1})], lake_db)
    assert len(opened) == 2
    assert staff_counts(lake_db) == {"A1": 5, "A2": 1, "B1": 6}


# ----------------------------------------------------------------------------------------- processes
def loader_process(
    db: str, file: Path, tmp_path: Path, tag: str, point: str | None
) -> tuple[subprocess.Popen[str], Path, Path]:
    """A loader process; with `point` it waits there (transaction open) until the release file exists."""
    marker, release = tmp_path / f"{tag}.reached", tmp_path / f"{tag}.release"
    env = dict(os.environ)
    if point:
        env.update(
            {
                faults.POINT_ENV: point,
                faults.ACTION_ENV: "wait",
                faults.MARKER_ENV: str(marker),
                faults.RELEASE_ENV: str(release),
            }
        )
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "load", "--db", db, "--quiet", str(file)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return proc, marker, release


def _wait_for(marker: Path, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 240  # a bound for a broken test, not a timing assertion
    while not marker.exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the loader ended before its fault point: {out}\n{err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the loader never reached its fault point")
        time.sleep(0.05)


def test_two_loaders_on_different_municipalities_both_land(lake_db: str, tmp_path: Path) -> None:
    if lake_db.startswith("ducklake:sqlite:"):
        pytest.skip(
            "a SQLite catalog has one write lock, held by an open DuckLake transaction: writers take turns "
            "(a loader retries while another commits), they cannot both hold a transaction open at once"
        )
    load_files(
        [registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "A2": 2, "B1": 4})], lake_db
    )
    first_file = staff_file(tmp_path, "first.csv", {"A1": 6, "A2": 1})
    second_file = staff_file(tmp_path, "second.csv", {"B1": 7})
    # the first loader has written its rows and rebuilt its marts, and waits before its commit …
    first, marker, release = loader_process(lake_db, first_file, tmp_path, "first", "marts")
    _wait_for(marker, first)
    # … while the second one loads the other municipality and commits
    second, _, _ = loader_process(lake_db, second_file, tmp_path, "second", None)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, out + err
    assert staff_counts(lake_db) == {"A1": 3, "A2": 2, "B1": 7}
    # the first commits after it: the conflict on the shared tables makes it load again on the new snapshot
    release.touch()
    out, err = first.communicate(timeout=300)
    assert first.returncode == 0, out + err
    assert staff_counts(lake_db) == {"A1": 6, "A2": 1, "B1": 7}
    assert municipality_counts(lake_db) == {"г. Второй": 7, "г. Первый": 7}
    log = frame(
        lake_db, "SELECT source_file, status FROM dq.load_log WHERE source_file <> 'institutions.csv'"
    )
    assert sorted(map(tuple, log.itertuples(index=False))) == [
        ("first.csv", "loaded"),
        ("second.csv", "loaded"),
        ("staff.csv", "loaded"),
    ]
    # the mart is the one the two loads give one after the other in the file mode
    file_db = tmp_path / "w.duckdb"
    for files in ([tmp_path / "institutions.csv", tmp_path / "staff.csv"], [second_file], [first_file]):
        load_files(files, file_db)
    pd.testing.assert_frame_equal(frame(lake_db, MART), frame(file_db, MART))


def test_a_reader_during_a_load_sees_the_old_snapshot_then_the_new(lake_db: str, tmp_path: Path) -> None:
    load_files(
        [registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "A2": 2, "B1": 4})], lake_db
    )
    old_mart = frame(lake_db, MART)
    shared = wdb.open_reader(lake_db)  # the process's one reader (the app's), opened before the load
    assert shared_staff_rows(shared) == 9
    loader, marker, release = loader_process(
        lake_db, staff_file(tmp_path, "all.csv", {"A1": 1, "A2": 1, "B1": 1}), tmp_path, "load", "marts"
    )
    _wait_for(marker, loader)
    # every row written and the marts rebuilt, not committed: the reader sees the old state, all of it
    pd.testing.assert_frame_equal(frame(lake_db, MART), old_mart)
    assert staff_counts(lake_db) == {"A1": 3, "A2": 2, "B1": 4}
    assert shared_staff_rows(shared) == 9
    before = wdb.file_version(lake_db)
    release.touch()
    out, err = loader.communicate(timeout=300)
    assert loader.returncode == 0, out + err
    # after the commit: the new one, all of it, and a new version for the app's caches
    assert staff_counts(lake_db) == {"A1": 1, "A2": 1, "B1": 1}
    assert municipality_counts(lake_db) == {"г. Второй": 1, "г. Первый": 2}
    assert wdb.file_version(lake_db) != before
    assert shared_staff_rows(shared) == 3


@pytest.mark.parametrize("point", ["read", "written", "marts"])
def test_a_loader_killed_mid_load_leaves_the_last_snapshot(lake_db: str, tmp_path: Path, point: str) -> None:
    """SIGKILL at a named point of the load (the fault point holds it there, so the moment is the test's, not
    the clock's): nothing of it is visible, and the next load lands on the last committed snapshot."""
    load_files(
        [registry_file(tmp_path), staff_file(tmp_path, "staff.csv", {"A1": 3, "A2": 2, "B1": 4})], lake_db
    )
    old_mart = frame(lake_db, MART)
    victim = staff_file(tmp_path, "killed.csv", {"A1": 8, "B1": 1})
    loader, marker, _release = loader_process(lake_db, victim, tmp_path, "killed", point)
    _wait_for(marker, loader)
    loader.kill()  # SIGKILL: no handler, no rollback of its own
    loader.communicate(timeout=60)
    assert loader.returncode == -9
    pd.testing.assert_frame_equal(frame(lake_db, MART), old_mart)
    assert staff_counts(lake_db) == {"A1": 3, "A2": 2, "B1": 4}
    assert (
        frame(lake_db, "SELECT count(*) AS n FROM dq.load_log WHERE source_file = 'killed.csv'")["n"][0] == 0
    )
    # the catalog is not left locked or half-written: the same file loads, and the marts follow it
    assert [f.status for f in load_files([victim], lake_db).files] == ["loaded"]
    assert staff_counts(lake_db) == {"A1": 8, "A2": 2, "B1": 1}
    assert municipality_counts(lake_db) == {"г. Второй": 1, "г. Первый": 10}
