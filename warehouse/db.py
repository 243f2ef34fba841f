"""Where the warehouse lives and how it is opened.

A `--db` value `ducklake:…` is the DuckLake mode (warehouse/lake.py): every function here dispatches on it, so
the loader, the builder and the read API are the same in both modes. What follows is the file mode.

Writers never touch the published file: a load copies it, writes the copy, checkpoints it and swaps it in
with one `os.replace` (atomic on POSIX). Readers (the dashboards) open short read-only connections and
reopen when the file has been swapped, so a running app keeps reading during a load and sees the new state
after it; a load killed at any moment leaves the published file as it was.

The warehouse holds personal data (names, birth dates): every file a load creates (the copy, its WAL, the
archive of accepted files) is owner-only, 0600 files in 0700 folders, whatever the process umask; an older
warehouse made under a looser umask is tightened by its next load (the copy that replaces it is 0600).
A load first checks that the disk has room for the copy and the incoming files (`InsufficientSpace`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from warehouse import faults, lake

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = REPO_ROOT / "warehouse" / "imc.duckdb"
SCHEMA_SQL = Path(__file__).resolve().parent / "schema.sql"
LOAD_MEMORY_LIMIT = os.environ.get("IMC_LOAD_MEMORY_LIMIT", "1GB")
# owner-only: the warehouse and the archive hold personal data
FILE_MODE, DIR_MODE, PRIVATE_UMASK = 0o600, 0o700, 0o077


def resolve_db_path(db: str | os.PathLike[str] | None = None) -> Path:
    """`--db`, else the environment variable IMC_DB, else warehouse/imc.duckdb."""
    if db:
        return Path(db)
    env = os.environ.get("IMC_DB")
    return Path(env) if env else DEFAULT_DB


def side_folder(db_path: str | os.PathLike[str]) -> Path:
    """The folder of the files kept beside the warehouse (archive, users): a file's folder, or for a lake the
    parent of its data path."""
    if lake.is_lake(db_path):
        return lake.LakeSpec.parse(db_path).side_folder
    return Path(db_path).parent


def archive_dir(db_path: Path) -> Path:
    """Accepted files are archived beside the warehouse, named by their SHA-256."""
    return side_folder(db_path) / "archive"


def warehouse_exists(db_path: str | os.PathLike[str]) -> bool:
    """Whether there is a warehouse at `db_path` (a file, or a lake's catalog)."""
    if lake.is_lake(db_path):
        return lake.reader(lake.LakeSpec.parse(db_path)).exists()
    return Path(db_path).exists()


def private_dir(folder: Path) -> Path:
    """Create `folder` (and missing parents) owner-only, or tighten it if it exists."""
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o777 != DIR_MODE:
        os.chmod(folder, DIR_MODE)  # an existing folder made under a looser umask
    return folder


def create_private_file(path: Path) -> int:
    """Open `path` for writing, created or truncated, owner-only (mode given at creation, not afterwards;
    a stale file of a killed load is tightened too). Returns the descriptor."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


class InsufficientSpace(OSError):
    """The disk holding the warehouse has no room for a load: `needed` and `free` in bytes."""

    def __init__(self, needed: int, free: int, folder: Path) -> None:
        super().__init__(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))
        self.needed = needed
        self.free = free


def is_disk_full(exc: BaseException) -> bool:
    """An OSError(ENOSPC), or DuckDB's own report of a full disk (it raises IOException with the text)."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if isinstance(exc, duckdb.Error):
        text = str(exc)
        return "No space left on device" in text or "Disk quota exceeded" in text
    return False


def check_free_space(db_path: Path, extra_bytes: int, *, copy: bool) -> None:
    """Raise InsufficientSpace unless the disk of `db_path` holds a copy of the warehouse (when `copy`) plus
    `extra_bytes` (the incoming files: their archive and their rows)."""
    needed = extra_bytes + (db_path.stat().st_size if copy else 0)
    free = shutil.disk_usage(db_path.parent).free
    if needed > free:
        raise InsufficientSpace(needed, free, db_path.parent)


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(table_ddl(con, SCHEMA_SQL.read_text(encoding="utf-8")))


def table_ddl(con: duckdb.DuckDBPyConnection, ddl: str) -> str:
    """`ddl` as the connection's catalog takes it: a DuckLake has no PRIMARY KEY constraints."""
    return lake.strip_keys(ddl) if lake.is_lake_connection(con) else ddl


def _load_settings(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SET enable_progress_bar = false")  # a load prints its own progress, in Russian
    # the load's pandas frames share the machine with DuckDB: cap DuckDB's buffers (it spills beyond)
    con.execute(f"SET memory_limit = '{LOAD_MEMORY_LIMIT}'")
    # rows of a table have no order (every query sorts); without keeping the insertion order DuckDB
    # writes a 1.2 M-row insert in parallel row groups: half the time of insert + checkpoint
    con.execute("SET preserve_insertion_order = false")


class LoadLockBusy(RuntimeError):
    """Another load holds the warehouse."""


@contextlib.contextmanager
def _exclusive_lock(db_path: Path, wait: bool) -> Iterator[None]:
    lock_path = db_path.with_name(db_path.name + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(os.open(lock_path, os.O_RDWR | os.O_CREAT, FILE_MODE), "a+") as handle:
        flags = fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB
        try:
            fcntl.flock(handle, flags)
        except BlockingIOError as exc:
            raise LoadLockBusy(str(db_path)) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _temp_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.{os.getpid()}.loading")


def _remove_stale_temps(db_path: Path) -> None:
    # only called under the exclusive lock: any temp file left is from a killed load
    for stale in db_path.parent.glob(f".{db_path.name}.*.loading*"):
        with contextlib.suppress(OSError):
            if stale.is_dir():  # DuckDB's spill folder
                shutil.rmtree(stale)
            else:
                stale.unlink()


@contextlib.contextmanager
def write_transaction(
    db_path: Path,
    *,
    fresh: bool = False,
    wait: bool = True,
    extra_bytes: int = 0,
    on_abort: Callable[[], None] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private copy of the warehouse and publish it atomically on success (for a
    lake: one transaction, committed on success; `wait` and the copy do not apply).

    `fresh=True` starts from an empty warehouse (the demo build). On any exception the copy is dropped
    and the published file is untouched. `extra_bytes` (the size of the incoming files) is added to the
    copy's size for the free-space check made before copying (InsufficientSpace). `on_abort` runs when
    the copy is dropped, still under the load lock (the loader removes what it archived for this copy).
    """
    if lake.is_lake(db_path):
        with lake.write_transaction(
            lake.LakeSpec.parse(db_path),
            fresh=fresh,
            apply_schema=apply_schema,
            settings=_load_settings,
            on_abort=on_abort,
        ) as lake_con:
            yield lake_con
        return
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with _exclusive_lock(db_path, wait), _private_umask():
        _remove_stale_temps(db_path)
        tmp = _temp_path(db_path)
        copy = db_path.exists() and not fresh
        check_free_space(db_path, extra_bytes, copy=copy)
        con: duckdb.DuckDBPyConnection | None = None
        published = False
        try:
            if copy:
                os.close(create_private_file(tmp))  # owner-only before a byte is copied
                shutil.copyfile(db_path, tmp)  # into the existing file: its mode stays
            faults.reached("copied")
            con = duckdb.connect(str(tmp))  # a new file: DuckDB creates it under the private umask
            _load_settings(con)
            apply_schema(con)
            yield con
            con.execute("CHECKPOINT")
            con.close()
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
            faults.reached("checkpointed")
            os.replace(tmp, db_path)
            published = True
            _fsync_dir(db_path.parent)
            faults.reached("published")
        finally:
            if not published:
                if con is not None:
                    with contextlib.suppress(Exception):
                        con.close()
                for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                    with contextlib.suppress(OSError):
                        leftover.unlink()
                with contextlib.suppress(OSError):
                    shutil.rmtree(tmp.with_name(tmp.name + ".tmp"))  # DuckDB's spill folder
                if on_abort is not None:
                    with contextlib.suppress(Exception):  # the error that aborted the load is the one to see
                        on_abort()


@contextlib.contextmanager
def _private_umask() -> Iterator[None]:
    """Files DuckDB creates itself (a new warehouse, the WAL, its spill folder) are owner-only too. The umask
    is per process: under the load lock only one load changes it, and a tighter umask for a moment can only
    make another thread's new file more private, never less."""
    previous = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(previous)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def file_version(db_path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """(inode, mtime) of the published file: changes whenever a load publishes a new state. For a lake
    (0, its current snapshot id)."""
    if lake.is_lake(db_path):
        return lake.reader(lake.LakeSpec.parse(db_path)).version
    try:
        st = os.stat(db_path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


ATTACHED_NAME = lake.ATTACHED_NAME


def sql_string(text: str) -> str:
    """`text` as an SQL string literal, quotes doubled: only for a statement that cannot bind a value."""
    return "'" + text.replace("'", "''") + "'"


def attach_read_only(db_path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB instance with the warehouse attached read-only (as `wh`, the current catalog);
    a lake is attached the same way.

    `duckdb.connect(path)` would reuse the process-wide instance cached for that path, which keeps the
    swapped-out file open; attaching to a fresh instance always opens the file that is published now.
    """
    if lake.is_lake(db_path):
        return lake.connect(lake.LakeSpec.parse(db_path), read_only=True)
    con = duckdb.connect()
    # DuckDB 1.5 cannot bind ATTACH's path (`ATTACH ?` is a parser error there): an escaped literal instead
    con.execute(f"ATTACH {sql_string(str(db_path))} AS {ATTACHED_NAME} (READ_ONLY)")
    con.execute(f"USE {ATTACHED_NAME}")
    return con


class ReadOnlyWarehouse(lake.SharedReader):
    """A per-process read-only connection that follows the published file across swaps.

    `cursor()` returns a fresh cursor (DuckDB connections are not shared between threads; cursors are).
    """

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self._version: tuple[int, int] | None = None

    @property
    def version(self) -> tuple[int, int] | None:
        return file_version(self.db_path)

    def exists(self) -> bool:
        return self.db_path.exists()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            current = file_version(self.db_path)
            if current is None:
                raise FileNotFoundError(str(self.db_path))
            if self._con is None or current != self._version:
                old = self._con
                self._con = attach_read_only(self.db_path)
                self._version = current
                if old is not None:
                    with contextlib.suppress(Exception):
                        old.close()
            cursor = self._con.cursor()
        return self._use(cursor)


def open_reader(db_path: str | os.PathLike[str]) -> ReadOnlyWarehouse | lake.LakeReader:
    """The process's reader of the warehouse at `db_path`: a file's follows its swaps, a lake's its snapshots."""
    if lake.is_lake(db_path):
        return lake.reader(lake.LakeSpec.parse(db_path))
    return ReadOnlyWarehouse(Path(db_path).resolve())


def reader_key(db_path: str | os.PathLike[str]) -> str:
    """The key one process's readers are shared under: a file's resolved path, or the lake's value as given."""
    return os.fspath(db_path) if lake.is_lake(db_path) else str(Path(db_path).resolve())
