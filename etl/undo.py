"""Undo one load of a DuckLake warehouse (`python -m etl undo --db ducklake:… BATCH_ID`).

A DuckLake load is one transaction, so one snapshot: the snapshot whose commit inserted the batch's row of
dq.load_log. Undoing it reverts what that snapshot changed in the stored tables (core.*, the quarantine, meta.info):
the rows it inserted are deleted and the rows it deleted (the replaced units) are written back, the marts of the
periods concerned are rebuilt, and dq.load_log gains one row per file of the load with status `undone` (batch id
`undo-<batch>`), in one new transaction. The earlier snapshots stay, so even the undo can be looked back at.

The undo is refused when a later snapshot changed a replace unit that the load changed (a later load of the same
institution and period, say): reverting would silently drop or resurrect that later data. It stays refused once
the later load is undone too (that undo wrote this load's rows back as new rows, not the ones this load wrote,
which are what the revert takes away): only an institution's last load of a period can be undone, and an
earlier state comes back by loading its file again. The file mode keeps no history: there the command says
that it is only available in DuckLake mode.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass

import duckdb

from etl import messages
from etl.contract import DATASETS, LOAD_ORDER
from ru import fmt
from warehouse import lake
from warehouse.db import resolve_db_path, write_transaction

UNDONE = "undone"
UNDO_PREFIX = "undo-"
# the stored tables a load writes, with the columns of their replace unit (data contract); the registry's
# unit is its institution. The marts and dq.warnings are not reverted but rebuilt.
REVERTED_EXTRA = ("dq.quarantine", "meta.info")


def replace_units() -> dict[str, list[str]]:
    units = {"core.institutions": ["inst_id"]}
    for name in LOAD_ORDER:
        if name != "institutions":
            ds = DATASETS[name]
            units[f"core.{name}"] = ds.compared(ds.replace_unit)
    return units


class UndoRefused(Exception):
    """The undo was not done; `message_ru` says why (for the user)."""

    def __init__(self, message_ru: str) -> None:
        super().__init__(message_ru)
        self.message_ru = message_ru


@dataclass(frozen=True)
class UndoResult:
    snapshot: int  # the snapshot of the load that was undone
    batch_ids: tuple[str, ...]  # every file of that load
    source_files: tuple[str, ...]
    rows_removed: int
    rows_restored: int


def done_text(result: UndoResult) -> str:
    """«Загрузка отменена: файлов 1 («a1.csv»); удалено строк: 5, …» — said by the command and the page."""
    return messages.UNDO_DONE.format(
        files=fmt.integer(len(result.batch_ids)),
        names=", ".join(f"«{name}»" for name in result.source_files),
        removed=fmt.integer(result.rows_removed),
        restored=fmt.integer(result.rows_restored),
    )


def undo_load(
    db: str | os.PathLike[str] | None, batch_id: str, *, undone_by: str | None = None
) -> UndoResult:
    """Revert the load that wrote `batch_id` (see module doc); raise UndoRefused when it cannot be."""
    db_path = resolve_db_path(db)
    if not lake.is_lake(db_path):
        raise UndoRefused(messages.UNDO_FILE_MODE)
    attempt = 1
    while True:
        try:
            with write_transaction(db_path) as con:
                return _undo(con, batch_id, undone_by)
        except duckdb.Error as exc:
            if lake.is_conflict(exc) and attempt < 5:
                attempt += 1  # a loader committed meanwhile: check and revert again on the new snapshot
                time.sleep(lake.retry_pause(attempt))
                continue
            raise


def _undo(con: duckdb.DuckDBPyConnection, batch_id: str, undone_by: str | None) -> UndoResult:
    current = lake.current_snapshot(con)
    log_rows = lake.table_changes(
        con, "dq.load_log", 0, current, "snapshot_id, batch_id, source_file, change_type"
    ).fetchall()
    inserted = [(s, b, f) for s, b, f, kind in log_rows if kind == "insert"]
    snapshot = min((s for s, b, _ in inserted if b == batch_id), default=None)
    if snapshot is None:
        raise UndoRefused(messages.UNDO_UNKNOWN.format(batch=batch_id))
    load = sorted({(b, f) for s, b, f in inserted if s == snapshot and not b.startswith(UNDO_PREFIX)})
    batches = [b for b, _ in load]
    undone = {b for _, b, _ in inserted if b.startswith(UNDO_PREFIX)}
    if any(UNDO_PREFIX + b in undone for b in batches):
        raise UndoRefused(messages.UNDO_ALREADY.format(batch=batch_id))

    units = replace_units()
    later = _dependent_snapshots(con, units, snapshot, current)
    if later:
        names = sorted({b.removeprefix(UNDO_PREFIX) for s, b, _ in inserted if s in later})
        # even when they are undone: their undo wrote this load's rows back as new rows, not the ones it wrote
        raise UndoRefused(messages.UNDO_DEPENDENT.format(batch=batch_id, later=", ".join(names) or "—"))

    removed = restored = 0
    periods: set[str] = set()
    registry_changed = False
    for table in (*units, *REVERTED_EXTRA):
        gone, back, touched = _revert_table(con, table, snapshot)
        removed += gone
        restored += back
        if table == "core.institutions" and (gone or back):
            registry_changed = True
        periods |= touched
    from warehouse.build import build_marts

    # an institution's type or municipality feeds every period: then everything is rebuilt
    build_marts(con, None if registry_changed else periods)
    _log_undo(con, batches, batch_id, undone_by)
    return UndoResult(snapshot, tuple(batches), tuple(f for _, f in load), removed, restored)


def _dependent_snapshots(
    con: duckdb.DuckDBPyConnection, units: dict[str, list[str]], snapshot: int, current: int
) -> set[int]:
    """The later snapshots that changed a replace unit the load changed."""
    if current <= snapshot:
        return set()
    found: set[int] = set()
    for table, keys in units.items():
        key_list = ", ".join(keys)  # column names of the contract, never input
        mine = lake.table_changes(con, table, snapshot, snapshot, f"DISTINCT {key_list}")
        after = lake.table_changes(con, table, snapshot + 1, current, f"DISTINCT snapshot_id, {key_list}")
        mine_table = mine.to_arrow_table()
        if mine_table.num_rows == 0:
            continue
        after_table = after.to_arrow_table()
        con.register("undo_mine", mine_table)
        con.register("undo_after", after_table)
        try:
            hits = con.execute(
                f"SELECT DISTINCT snapshot_id FROM undo_after JOIN undo_mine USING ({key_list})"
            ).fetchall()
        finally:
            con.unregister("undo_mine")
            con.unregister("undo_after")
        found |= {int(h[0]) for h in hits}
    return found


def _revert_table(con: duckdb.DuckDBPyConnection, table: str, snapshot: int) -> tuple[int, int, set[str]]:
    """Undo what `snapshot` did to `table`: (rows deleted, rows written back, periods concerned)."""
    schema, name = table.split(".")
    columns = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = ? AND table_name = ? ORDER BY column_index",
            [schema, name],
        ).fetchall()
    ]
    column_list = ", ".join(columns)  # the stored table's own columns
    changes = lake.table_changes(
        con, table, snapshot, snapshot, f"rowid, change_type, {column_list}"
    ).to_arrow_table()
    if changes.num_rows == 0:
        return 0, 0, set()
    con.register("undo_changes", changes)
    try:
        added = con.execute(
            "SELECT count(*) FROM undo_changes WHERE change_type IN ('insert', 'update_postimage')"
        ).fetchone()
        taken = con.execute(
            "SELECT count(*) FROM undo_changes WHERE change_type IN ('delete', 'update_preimage')"
        ).fetchone()
        periods: set[str] = set()
        if "period" in columns:
            periods = {
                str(r[0])
                for r in con.execute(
                    "SELECT DISTINCT period FROM undo_changes WHERE period IS NOT NULL"
                ).fetchall()
            }
        # delete first (by row id, which DuckLake keeps stable), then write back: new rows get new ids
        con.execute(
            f"DELETE FROM {table} WHERE rowid IN "
            "(SELECT rowid FROM undo_changes WHERE change_type IN ('insert', 'update_postimage'))"
        )
        con.execute(
            f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM undo_changes "
            "WHERE change_type IN ('delete', 'update_preimage')"
        )
    finally:
        con.unregister("undo_changes")
    return int(added[0]) if added else 0, int(taken[0]) if taken else 0, periods


def _log_undo(con: duckdb.DuckDBPyConnection, batches: list[str], asked: str, undone_by: str | None) -> None:
    """One `undone` row per file of the load, beside the load's own rows (which stay as they were)."""
    placeholders = ", ".join("?" for _ in batches)
    con.execute(
        "INSERT INTO dq.load_log (batch_id, loaded_at, source_file, sha256, dataset, status, rows_read, "
        "rows_loaded, rows_quarantined, message_ru, archive_path, uploaded_by) "
        "SELECT ? || batch_id, ?, source_file, sha256, dataset, ?, 0, 0, 0, ?, NULL, ? FROM dq.load_log "
        f"WHERE batch_id IN ({placeholders})",
        [
            UNDO_PREFIX,
            dt.datetime.now(),
            UNDONE,
            messages.UNDO_LOGGED.format(asked=asked),
            undone_by,
            *batches,
        ],
    )
