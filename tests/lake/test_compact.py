"""`python -m etl compact`: a lake's small files merged into fewer, with every row, snapshot and undo kept.

The warehouse of tests/lake/test_lake.py (A1, A2 in «г. Первый», B1 in «г. Второй»), loaded once and then
corrected institution by institution, as a deadline week does: each correction writes small files of its own
and marks the rows it replaced as deleted. Each file has more than ten staff rows: DuckLake keeps the rows of
a smaller insert in the catalog itself (data inlining), not in a Parquet file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etl.loader import load_files
from etl.undo import REVERTED_EXTRA, UndoRefused, replace_units, undo_load
from tests.lake.test_lake import (
    MART,
    _cli,
    _wait_for,
    frame,
    loader_process,
    registry_file,
    staff_counts,
    staff_file,
)
from warehouse import db as wdb
from warehouse import lake

STAFF = "SELECT * FROM core.staff ORDER BY ALL"


def files(db: str) -> lake.Files:
    con = wdb.attach_read_only(db)
    try:
        return lake.files_in_use(con)
    finally:
        con.close()


def table_files(db: str) -> dict[str, tuple[int, int]]:
    """(data files, delete files) of each table that has any."""
    rows = frame(
        db,
        f"SELECT table_name, file_count, delete_file_count FROM ducklake_table_info('{lake.ATTACHED_NAME}') "
        "WHERE file_count > 0",
    )
    return {r.table_name: (int(r.file_count), int(r.delete_file_count)) for r in rows.itertuples()}


# the first load, then corrections of one institution each: (file, staff rows by institution)
WEEK = [
    ("staff.csv", {"A1": 30, "A2": 20, "B1": 40}),
    ("a1.csv", {"A1": 50}),
    ("b1.csv", {"B1": 12}),
    ("a1_again.csv", {"A1": 44}),
]


def corrected_week(db: str, tmp_path: Path, loads: int = len(WEEK)) -> dict[str, str]:
    """The first `loads` loads of WEEK, one after the other; the batch of each file by name."""
    batches = {}
    for n, (name, counts) in enumerate(WEEK[:loads]):
        files_ = [staff_file(tmp_path, name, counts)]
        result = load_files([registry_file(tmp_path), *files_] if n == 0 else files_, db)
        batches.update({f.source_file: f.batch_id for f in result.files})
    expected = {inst: count for _, counts in WEEK[:loads] for inst, count in counts.items()}
    assert staff_counts(db) == expected
    return batches


def change_feed(db: str) -> dict[str, pd.DataFrame]:
    """What an undo reads: every stored table's changes since the first snapshot (row id, kind, row)."""
    con = wdb.attach_read_only(db)
    try:
        current = lake.current_snapshot(con)
        feed = {}
        for table in [*replace_units(), *REVERTED_EXTRA]:
            changes = lake.table_changes(con, table, 0, current).df()
            feed[table] = changes.sort_values(list(changes.columns)).reset_index(drop=True)
        return feed
    finally:
        con.close()


def assert_same_feed(got: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert got.keys() == expected.keys()
    for table, frame_ in expected.items():
        pd.testing.assert_frame_equal(got[table], frame_, obj=table)


def test_compaction_leaves_fewer_files_the_same_rows_and_history(lake_db: str, tmp_path: Path) -> None:
    batches = corrected_week(lake_db, tmp_path)
    before, mart, staff, feed = (
        files(lake_db),
        frame(lake_db, MART),
        frame(lake_db, STAFF),
        change_feed(lake_db),
    )
    staff_before = table_files(lake_db)["staff"]
    assert staff_before[0] >= 3 and staff_before[1] > 0, staff_before  # a file per load, and deletes

    done = lake.compact(lake.LakeSpec.parse(lake_db))

    assert done.before == before and done.after == files(lake_db)
    assert done.after.data < before.data, (before, done.after)
    assert table_files(lake_db)["staff"][0] < staff_before[0]
    pd.testing.assert_frame_equal(frame(lake_db, MART), mart)
    pd.testing.assert_frame_equal(frame(lake_db, STAFF), staff)
    # the history an undo reads is the same, row for row (and the compaction added none)
    assert_same_feed(change_feed(lake_db), feed)

    # so the undo refuses and reverts as before: A1 changed again later …
    with pytest.raises(UndoRefused, match="позже изменены"):
        undo_load(lake_db, batches["a1.csv"])
    # … the last load's undo brings back the rows before it …
    undone = undo_load(lake_db, batches["a1_again.csv"])
    assert (undone.rows_removed, undone.rows_restored) == (44, 50)
    assert staff_counts(lake_db) == {"A1": 50, "A2": 20, "B1": 12}
    with pytest.raises(UndoRefused, match="позже изменены") as refused:  # A1's first correction stays
        undo_load(lake_db, batches["a1.csv"])
    assert "загрузите прежний файл заново" in refused.value.message_ru
    # … and after another compaction, of files the undo deleted from, B1's correction is undone
    feed = change_feed(lake_db)
    lake.compact(lake.LakeSpec.parse(lake_db))
    assert_same_feed(change_feed(lake_db), feed)
    undone = undo_load(lake_db, batches["b1.csv"])
    assert (undone.rows_removed, undone.rows_restored) == (12, 40)
    assert staff_counts(lake_db) == {"A1": 50, "A2": 20, "B1": 40}


def test_compact_on_the_command_line(lake_db: str, tmp_path: Path) -> None:
    if lake_db.startswith("ducklake:postgres:"):
        pytest.skip("the command calls the same function: once, on a SQLite catalog, is enough")
    corrected_week(lake_db, tmp_path, loads=2)
    before = files(lake_db)
    done = _cli("compact", "--db", lake_db)
    assert done.returncode == 0, done.stderr
    after = files(lake_db)
    assert f"файлов данных было {before.data}, стало {after.data}" in done.stdout, done.stdout
    assert "отмена загрузок работает как раньше" in done.stdout


def test_compact_in_the_file_mode_and_without_a_lake_changes_nothing(tmp_path: Path) -> None:
    file_db = tmp_path / "w.duckdb"
    load_files([registry_file(tmp_path)], file_db)
    stamp = file_db.stat().st_mtime_ns
    refused = _cli("compact", "--db", str(file_db))
    assert refused.returncode == 2 and "только хранилищу DuckLake" in refused.stderr
    assert file_db.stat().st_mtime_ns == stamp
    missing = f"{lake.PREFIX}sqlite:{tmp_path / 'none.sqlite'}"
    absent = _cli("compact", "--db", missing)
    assert absent.returncode == 2 and "не найдено" in absent.stderr
    assert not (tmp_path / "none.sqlite").exists()


def test_a_load_open_during_a_compaction_lands_after_it(lake_db: str, tmp_path: Path) -> None:
    if lake_db.startswith("ducklake:sqlite:"):
        pytest.skip("a SQLite catalog's one write lock is held by the open load: the two take turns")
    corrected_week(lake_db, tmp_path, loads=3)
    fix = staff_file(tmp_path, "a2_fix.csv", {"A2": 90})
    # the loader has written its rows (replacing A2's, in files the compaction rewrites) and waits …
    loader, marker, release = loader_process(lake_db, fix, tmp_path, "fix", "marts")
    _wait_for(marker, loader)
    # … while the compaction commits
    done = lake.compact(lake.LakeSpec.parse(lake_db))
    assert done.after.data < done.before.data
    release.touch()
    out, err = loader.communicate(timeout=300)
    assert loader.returncode == 0, out + err
    assert staff_counts(lake_db) == {"A1": 50, "A2": 90, "B1": 12}
    # the mart is the one of the same loads into a file
    file_db = tmp_path / "w.duckdb"
    load_files([tmp_path / "institutions.csv", tmp_path / "staff.csv"], file_db)
    for name in ("a1.csv", "b1.csv", "a2_fix.csv"):
        load_files([tmp_path / name], file_db)
    pd.testing.assert_frame_equal(frame(lake_db, MART), frame(str(file_db), MART))
