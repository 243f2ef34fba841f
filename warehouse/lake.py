"""The DuckLake storage mode: the catalog in PostgreSQL (or SQLite on one machine), the data as Parquet files.

A `--db` value `ducklake:postgres:<libpq connection string>` or `ducklake:sqlite:<path>` selects it (any other
value is a DuckDB file, warehouse/db.py). The data files go under `IMC_DATA_PATH` (a folder), by default a
folder `lake_data` beside the SQLite catalog, or `warehouse/lake_data` for a PostgreSQL catalog. The data path
is written into the catalog when the lake is created; every process must be given the same one.

The models, marts, checks and read queries are the same SQL in both modes: the lake is attached as `wh` and
made the current catalog, so `core.staff` means the lake's table. What differs:

- opening: DuckDB's signed extension binaries come from the PyPI wheels `duckdb-extension-ducklake`,
  `…-postgres-scanner`, `…-sqlite-scanner` (the extension repository is not reachable at run time), loaded
  by path;
- writing: a load is one DuckLake transaction (one snapshot); nothing is copied. Concurrent writers that
  touch the same table conflict at commit (`is_conflict`), and the loader retries the whole load;
- the schema: DuckLake tables have no PRIMARY KEY / UNIQUE constraints (`strip_keys`); the loader's writes do
  not rely on them (delete-then-insert, never INSERT OR REPLACE);
- history: every commit is a snapshot, so a load can be undone (etl/undo.py, with `table_changes` here).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from warehouse import faults

PREFIX = "ducklake:"
DATA_PATH_ENV = "IMC_DATA_PATH"
ATTACHED_NAME = "wh"  # the same name the file mode attaches its readers under
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES_DATA = REPO_ROOT / "warehouse" / "lake_data"

# the catalog database → the wheel that ships its DuckDB extension
CATALOG_EXTENSIONS = {
    "postgres": "duckdb-extension-postgres-scanner",
    "sqlite": "duckdb-extension-sqlite-scanner",
}
DUCKLAKE_EXTENSION = "duckdb-extension-ducklake"

# the warehouse's own schemas (schema.sql, build.py): what a fresh build drops
SCHEMAS = ("core", "dq", "mart", "meta", "staging")


class LakeError(RuntimeError):
    """A `ducklake:` value that cannot be used (unknown catalog, missing extension wheel)."""


def is_lake(db: str | os.PathLike[str] | None) -> bool:
    return db is not None and os.fspath(db).startswith(PREFIX)


@dataclass(frozen=True)
class LakeSpec:
    """A parsed `ducklake:<catalog>:<target>` value with the data path it uses."""

    uri: str
    catalog: str  # postgres / sqlite
    target: str  # the libpq connection string, or the SQLite file
    data_path: Path

    @classmethod
    def parse(cls, db: str | os.PathLike[str]) -> LakeSpec:
        uri = os.fspath(db)
        catalog, sep, target = uri.removeprefix(PREFIX).partition(":")
        if not sep or catalog not in CATALOG_EXTENSIONS or not target.strip():
            raise LakeError(
                f"{uri!r}: expected ducklake:postgres:<libpq connection string> or ducklake:sqlite:<file>"
            )
        env = os.environ.get(DATA_PATH_ENV)
        if env:
            data = Path(env)
        elif catalog == "sqlite":
            data = Path(target).parent / "lake_data"
        else:
            data = DEFAULT_POSTGRES_DATA
        return cls(uri=uri, catalog=catalog, target=target, data_path=data)

    @property
    def side_folder(self) -> Path:
        """Where the files kept beside a warehouse go (the archive of accepted files, the users file): the
        data path's parent, as a DuckDB file keeps them in its own folder. Not inside the data path: DuckLake's
        clean-up of orphaned files would take them for its own."""
        return self.data_path.parent

    def exists(self) -> bool:
        """Whether the lake has been created (for SQLite, its catalog file; PostgreSQL is asked)."""
        if self.catalog == "sqlite":
            return Path(self.target).exists()
        try:
            con = connect(self, read_only=True)
        except duckdb.Error:
            return False
        con.close()
        return True


def extension_file(distribution: str) -> Path:
    """The `.duckdb_extension` file inside an installed extension wheel."""
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError as exc:
        raise LakeError(f"the DuckLake mode needs the package {distribution} (requirements.txt)") from exc
    for entry in dist.files or ():
        if str(entry).endswith(".duckdb_extension"):
            return Path(str(dist.locate_file(entry)))
    raise LakeError(f"{distribution} holds no .duckdb_extension file")


def load_extensions(con: duckdb.DuckDBPyConnection, catalog: str) -> None:
    for distribution in (DUCKLAKE_EXTENSION, CATALOG_EXTENSIONS[catalog]):
        # LOAD cannot bind its path; the path is the installed wheel's, quoted as a literal
        con.execute(f"LOAD {_literal(str(extension_file(distribution)))}")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(spec: LakeSpec, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB instance with the lake attached as `wh`, the current catalog."""
    con = duckdb.connect()
    try:
        load_extensions(con, spec.catalog)
        options = [f"DATA_PATH {_literal(str(spec.data_path))}"]
        if read_only:
            options.append("READ_ONLY")
        else:
            spec.data_path.mkdir(parents=True, exist_ok=True)
            if spec.catalog == "sqlite":
                _sqlite_wal(Path(spec.target))
        # ATTACH cannot bind its path either: an escaped literal
        con.execute(
            f"ATTACH {_literal(PREFIX + spec.catalog + ':' + spec.target)} AS {ATTACHED_NAME} "
            f"({', '.join(options)})"
        )
        con.execute(f"USE {ATTACHED_NAME}")
    except BaseException:
        con.close()
        raise
    return con


def _sqlite_wal(path: Path) -> None:
    """A SQLite catalog in WAL mode (persistent in the file): in SQLite's default journal mode a process
    with an open DuckLake transaction (a loader still writing its Parquet files) holds a read lock that makes
    every other process's commit fail with «database is locked»; in WAL mode readers never block a writer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    try:
        if con.execute("PRAGMA journal_mode").fetchone() != ("wal",):
            con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()


_PRIMARY_KEY_COLUMN = re.compile(r"\s+PRIMARY KEY(?=\s*[,\n)])")
_PRIMARY_KEY_TABLE = re.compile(r",\s*PRIMARY KEY\s*\([^)]*\)")


def strip_keys(ddl: str) -> str:
    """`ddl` without PRIMARY KEY constraints, which DuckLake tables do not have (the loader keeps keys unique
    itself: the duplicate-key rule and delete-then-insert writes)."""
    return _PRIMARY_KEY_COLUMN.sub("", _PRIMARY_KEY_TABLE.sub("", ddl))


def is_lake_connection(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the current catalog of `con` is a DuckLake."""
    row = con.execute(
        "SELECT type FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return bool(row and row[0] == "ducklake")


def is_conflict(exc: BaseException) -> bool:
    """A commit refused because a concurrent transaction changed the same table first (or, with a SQLite
    catalog, held its one write lock): retry the load."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.TransactionException) and (
        "conflict" in text or "database is locked" in text
    )


def retry_pause(attempt: int) -> float:
    """Seconds to wait before the `attempt`-th try: a little longer each time, so that two writers that
    conflicted do not collide again at once."""
    return 0.2 * attempt


def drop_everything(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the warehouse's tables, views and macros (a fresh build, inside its transaction)."""
    schemas = ", ".join(_literal(s) for s in SCHEMAS)
    where = f"database_name = current_database() AND schema_name IN ({schemas})"
    for schema, name in con.execute(
        f"SELECT schema_name, view_name FROM duckdb_views() WHERE {where}"
    ).fetchall():
        con.execute(f'DROP VIEW IF EXISTS "{schema}"."{name}"')
    for schema, name in con.execute(
        f"SELECT schema_name, table_name FROM duckdb_tables() WHERE {where}"
    ).fetchall():
        con.execute(f'DROP TABLE IF EXISTS "{schema}"."{name}"')


@contextlib.contextmanager
def write_transaction(
    spec: LakeSpec,
    *,
    fresh: bool,
    apply_schema: Callable[[duckdb.DuckDBPyConnection], None],
    settings: Callable[[duckdb.DuckDBPyConnection], None],
    on_abort: Callable[[], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection inside one DuckLake transaction and commit it on success (one snapshot).

    Readers see the state before until the commit, then the new one. On any exception (a conflict at commit
    included: `is_conflict`) nothing of it is visible; `on_abort` runs then.
    """
    con = _writer_cursor(spec)
    committed = False
    broken = False
    try:
        settings(con)
        con.execute("BEGIN TRANSACTION")
        if fresh:
            drop_everything(con)
        apply_schema(con)
        yield con
        con.execute("COMMIT")
        committed = True
        faults.reached("published")  # the snapshot is committed: the new state is the state
    except BaseException as exc:
        broken = _breaks_instance(exc)
        raise
    finally:
        if not committed:
            with contextlib.suppress(Exception):
                con.execute("ROLLBACK")
            if on_abort is not None:
                with contextlib.suppress(Exception):
                    on_abort()
        with contextlib.suppress(Exception):
            con.close()
        if broken:
            _drop_writer(spec)


def _breaks_instance(exc: BaseException) -> bool:
    """Whether a write's failure may have broken the instance's attachment (a lost catalog connection, an
    interrupt): then the next write opens a new one. A conflict is the lake's normal answer and the loader's
    own refusals are Python's: the instance is sound after them."""
    return not isinstance(exc, Exception) or (isinstance(exc, duckdb.Error) and not is_conflict(exc))


_WRITERS: dict[str, duckdb.DuckDBPyConnection] = {}
_WRITERS_LOCK = threading.Lock()


def _writer_cursor(spec: LakeSpec) -> duckdb.DuckDBPyConnection:
    """A new cursor of the process's one writable DuckDB instance of a lake, its extensions loaded and the
    lake attached once (0.3 s with a PostgreSQL catalog), so that the app's uploads and a warm loader pay
    that once. Each write has its own cursor and transaction; a transaction sees the newest snapshot when it
    begins, whoever committed it, as the readers do."""
    with _WRITERS_LOCK:
        found = _WRITERS.get(spec.uri)
        if found is None:
            found = _WRITERS[spec.uri] = connect(spec)
        cursor = found.cursor()
    cursor.execute(f"USE {ATTACHED_NAME}")  # a new cursor starts in the instance's default catalog
    return cursor


def _drop_writer(spec: LakeSpec) -> None:
    with _WRITERS_LOCK:
        found = _WRITERS.pop(spec.uri, None)
    if found is not None:
        with contextlib.suppress(Exception):
            found.close()


# ----------------------------------------------------------------------------------------- snapshots
def current_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(f"SELECT id FROM {ATTACHED_NAME}.current_snapshot()").fetchone()
    assert row is not None
    return int(row[0])


def table_changes(
    con: duckdb.DuckDBPyConnection, table: str, start: int, end: int, columns: str = "*"
) -> duckdb.DuckDBPyRelation:
    """The rows of `schema.table` changed by the snapshots start…end: `snapshot_id, rowid, change_type`
    (insert / delete / update_preimage / update_postimage) and the table's columns. `table` and `columns`
    come from fixed lists, never from input."""
    schema, name = table.split(".")
    return con.sql(
        f"SELECT {columns} FROM ducklake_table_changes({_literal(ATTACHED_NAME)}, {_literal(schema)}, "
        f"{_literal(name)}, {int(start)}, {int(end)})"
    )


# ----------------------------------------------------------------------------------------- compaction
COMPACT_ATTEMPTS = 5


@dataclass(frozen=True)
class Files:
    """The Parquet files that the newest snapshot reads: data files, delete files, their bytes."""

    data: int
    deletes: int
    bytes: int


@dataclass(frozen=True)
class Compaction:
    before: Files
    after: Files
    snapshot: int  # the newest snapshot when it ended


def files_in_use(con: duckdb.DuckDBPyConnection) -> Files:
    row = con.execute(
        "SELECT coalesce(sum(file_count), 0), coalesce(sum(delete_file_count), 0), "
        "coalesce(sum(file_size_bytes), 0) + coalesce(sum(delete_file_size_bytes), 0) "
        f"FROM ducklake_table_info({_literal(ATTACHED_NAME)})"
    ).fetchone()
    assert row is not None
    return Files(int(row[0]), int(row[1]), int(row[2]))


def compact(spec: LakeSpec) -> Compaction:
    """Merge the small Parquet files of each table into fewer, larger ones: every load writes files of its
    own (a corrected file: a few rows in each table it changed), and every later query opens them all.

    `ducklake_merge_adjacent_files`, one commit: the merged file keeps each row's snapshot, so time travel
    and the change feed that undo reads (`table_changes`) are what they were before, row for row (tested).
    Nothing is expired and no file is deleted (the earlier snapshots still read the old files). Not
    `ducklake_rewrite_data_files` (files mostly deleted, written anew without their deleted rows): in DuckLake
    1.5.5 it changes the change feed of earlier snapshots (a load's inserted rows come back as updates), which
    would make an undo write rows back twice. A merge that conflicts with a concurrent load's commit is run
    again on the new snapshot, as a load is; a load that conflicts with it retries as after another load.
    """
    cursor = _writer_cursor(spec)
    broken = False
    name = _literal(ATTACHED_NAME)
    try:
        before = files_in_use(cursor)
        for attempt in range(1, COMPACT_ATTEMPTS + 1):
            try:
                cursor.execute(f"CALL ducklake_merge_adjacent_files({name})")
                break
            except duckdb.Error as exc:
                if not is_conflict(exc) or attempt == COMPACT_ATTEMPTS:
                    raise
                time.sleep(retry_pause(attempt))
        return Compaction(before, files_in_use(cursor), current_snapshot(cursor))
    except BaseException as exc:
        broken = _breaks_instance(exc)
        raise
    finally:
        with contextlib.suppress(Exception):
            cursor.close()
        if broken:
            _drop_writer(spec)


class SharedReader:
    """One read-only DuckDB connection of the process with the warehouse attached as `wh`, handed out as
    cursors (connections are not shared between threads; cursors are). The file mode's ReadOnlyWarehouse and
    the lake's LakeReader differ only in how they open it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None

    @staticmethod
    def _use(cursor: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
        """A new cursor starts in the instance's default catalog: point it at the warehouse."""
        cursor.execute(f"USE {ATTACHED_NAME}")
        return cursor

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None


class LakeReader(SharedReader):
    """A per-process read-only DuckLake attachment, as ReadOnlyWarehouse is for a file: `cursor()` gives a
    fresh cursor (its every query sees the newest committed snapshot), `version` the current snapshot id."""

    def __init__(self, spec: LakeSpec) -> None:
        super().__init__()
        self.spec = spec
        self.db_path = spec.uri

    def _connection(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._con is None:
                self._con = connect(self.spec, read_only=True)
            return self._con

    def exists(self) -> bool:
        if self._con is not None:
            return True  # attached once: the catalog exists (PostgreSQL is not asked again on every call)
        return self.spec.exists()

    @property
    def version(self) -> tuple[int, int] | None:
        if not self.exists():
            return None
        cursor = self._connection().cursor()
        try:
            return (0, current_snapshot(cursor))
        finally:
            cursor.close()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        if not self.exists():
            raise FileNotFoundError(self.spec.uri)
        return self._use(self._connection().cursor())


_READERS: dict[str, LakeReader] = {}
_READERS_LOCK = threading.Lock()


def reader(spec: LakeSpec) -> LakeReader:
    """The process's one reader of a lake (the version checks of the app share it with the read API)."""
    with _READERS_LOCK:
        found = _READERS.get(spec.uri)
        if found is None:
            found = _READERS[spec.uri] = LakeReader(spec)
        return found


def close_all() -> None:
    """Close the process's lake instances, readers and writers (tests that remove a lake call this)."""
    with _READERS_LOCK:
        for found in _READERS.values():
            found.close()
        _READERS.clear()
    with _WRITERS_LOCK:
        writers = list(_WRITERS.values())
        _WRITERS.clear()
    for writer in writers:
        with contextlib.suppress(Exception):
            writer.close()
