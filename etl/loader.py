"""Loading files into the warehouse: read → normalise → validate → quarantine → write → marts → publish.

One call of `load_files` is one atomic load: every file of the call is written into a private copy of the
warehouse, the marts are rebuilt, and the copy replaces the published file in one rename (warehouse.db).
Every row of every file is accounted for: loaded, or quarantined with the rules it broke
(`rows_read = rows_loaded + rows_quarantined`). The command line and the app's upload page both call this.

A full disk is an expected condition, not a crash: `DiskFull` carries the Russian message (needed and free
megabytes), the published warehouse stays as it was and nothing of the load is left on disk. Files archived by
a load that never published (killed, or failed) are listed in a journal beside the warehouse and removed by the
next load, under the same lock.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from etl import messages, rules
from etl.contract import DATASETS, LOAD_ORDER
from etl.normalize import ParseIssue, normalize
from etl.readers import SUPPORTED_SUFFIXES, FileRejected, RawTable, peek_dataset, read_file, show_invisible
from etl.validate import RuleFailure, run_suite
from warehouse import faults, lake
from warehouse.db import (
    FILE_MODE,
    InsufficientSpace,
    archive_dir,
    create_private_file,
    is_disk_full,
    private_dir,
    resolve_db_path,
    side_folder,
    write_transaction,
)
from warehouse.settings import current_settings, read_settings, write_settings

Progress = Callable[[float, str], None]


def _arrow_memory_pool() -> None:
    """jemalloc for Arrow's buffers (unless ARROW_DEFAULT_MEMORY_POOL says otherwise). With the default
    mimalloc the string kernels of a country load ran unevenly slower and held more memory (measured in
    process, median of three: 22.8 s → 21.1 s, peak 2.5 GB → 2.1 GB). Wheels without jemalloc keep the
    default."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    with contextlib.suppress(NotImplementedError):
        pa.set_memory_pool(pa.jemalloc_memory_pool())


_arrow_memory_pool()

MAX_ERRORS_IN_SUMMARY = 10
# a DuckLake load that loses a commit conflict to a concurrent loader is run again, at most this many times
LAKE_ATTEMPTS = 5
QUARANTINE_COLUMNS = [
    "batch_id",
    "source_file",
    "dataset",
    "row_number",
    "inst_id",
    "column_name",
    "value",
    "rule",
    "message_ru",
    "period",
]


class DiskFull(Exception):
    """The load did not fit on the disk; nothing was changed. `message_ru` is what the user reads."""

    def __init__(self, message_ru: str, needed_mb: int, free_mb: int) -> None:
        super().__init__(message_ru)
        self.message_ru = message_ru
        self.needed_mb = needed_mb
        self.free_mb = free_mb


@dataclass
class InputFile:
    """A file to load: from disk (`path`) or uploaded bytes (`data`), shown to the user as `name`."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def from_path(cls, path: Path) -> InputFile:
        return cls(name=path.name, path=path)

    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.path is not None
        return self.path.read_bytes()


@dataclass
class FileResult:
    source_file: str
    batch_id: str
    status: str = "rejected"  # loaded / partial / rejected / duplicate
    dataset: str | None = None
    sha256: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    warnings: int = 0
    message_ru: str = ""
    errors: list[str] = field(default_factory=list)
    errors_total: int = 0
    notices: list[str] = field(default_factory=list)
    uploaded_by: str | None = None
    # rows this file loaded that a later file of the same load then replaced (the same replace unit): still
    # counted in rows_loaded (rows_read = rows_loaded + rows_quarantined); the load log's message says it
    rows_replaced: int = 0
    replaced_by: list[str] = field(default_factory=list)
    # a duplicate: the rows that the earlier load of the same bytes quarantined (None: not a duplicate, or
    # the same bytes twice in this load) — they are still in quarantine, and the summary says so
    previous_quarantined: int | None = None


@dataclass
class LoadResult:
    db_path: Path
    files: list[FileResult]

    @property
    def exit_code(self) -> int:
        """0 all rows loaded; 1 some rows quarantined or a file rejected; 2 nothing could be loaded."""
        problems = any(f.status == "rejected" or f.rows_quarantined for f in self.files)
        if not problems:
            return 0
        loaded = any(f.rows_loaded for f in self.files)
        return 1 if loaded else 2


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given; a folder means every .csv/.xlsx in it (not recursive), sorted by name."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            )
        else:
            found.append(path)
    return found


def _load_order_key(item: tuple[InputFile, bytes | None, str | None]) -> tuple[int, str]:
    """The registry first, then by name: of two files for one institution and period in one load, the one
    later by name (a folder's order) is the one that stays, whatever order they were given in."""
    _, _, dataset = item
    rank = LOAD_ORDER.index(dataset) if dataset in LOAD_ORDER else len(LOAD_ORDER)
    return (rank, item[0].name)


class _Batch:
    """Names the batches of one load."""

    def __init__(self) -> None:
        self.stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"{self.stamp}-{self.count:03d}"


@dataclass
class _Prepared:
    """A file that was read and parsed, waiting for validation and writing."""

    item: InputFile
    data: bytes
    result: FileResult
    raw: RawTable
    typed: pd.DataFrame
    parse_issues: list[ParseIssue]
    failures: list[RuleFailure] = field(default_factory=list)

    def release(self) -> None:
        """Drop the frames once written: at country scale they are gigabytes."""
        self.typed = pd.DataFrame()
        self.raw.frame = pd.DataFrame()
        self.data = b""


def load_files(
    inputs: Sequence[InputFile | Path],
    db: Path | str | None = None,
    *,
    dataset: str | None = None,
    fresh: bool = False,
    force: bool = False,
    allowed_inst_ids: set[str] | None = None,
    progress: Progress | None = None,
    info: dict[str, str] | None = None,
    max_file_mb: float | None = None,
    uploaded_by: str | None = None,
) -> LoadResult:
    """Load files atomically into the warehouse at `db` (see module doc).

    `dataset` forces the dataset instead of detecting it from the headers; `fresh` builds the warehouse from
    scratch; `force` reloads files already loaded; `allowed_inst_ids` restricts rows to a director's own
    institution; `info` is written to meta.info (e.g. kind=demo); `max_file_mb` overrides the warehouse's
    file-size limit for this load only (the demo's own country-scale files are larger than the default);
    `uploaded_by` (who loads: the app user's login, the CLI's operating-system user) goes to dq.load_log.

    Three passes: every file is read and parsed; each dataset's files are validated together (one GX run
    per dataset: its cost is mostly per run, not per row); then the files are written in load order
    (registry first), so that the institution rules see the registry of this very load.
    """
    db_path = resolve_db_path(db)
    files = [i if isinstance(i, InputFile) else InputFile.from_path(Path(i)) for i in inputs]
    if dataset is not None and dataset not in DATASETS:
        raise ValueError(messages.DATASET_UNKNOWN.format(name=dataset))
    report = progress or (lambda fraction, text: None)
    incoming = _total_size(files)
    journal = _ArchiveJournal(db_path)
    attempt = 1
    while True:
        try:
            results = _load(
                files,
                db_path,
                dataset,
                fresh,
                force,
                allowed_inst_ids,
                report,
                info,
                max_file_mb,
                uploaded_by,
                incoming,
                journal,
            )
            break
        except Exception as exc:
            if lake.is_conflict(exc) and attempt < LAKE_ATTEMPTS:
                # DuckLake: another loader committed to the same tables first; nothing of this attempt is
                # visible, so the whole load runs again on the new snapshot (never lost, never half-applied)
                attempt += 1
                time.sleep(lake.retry_pause(attempt))
                continue
            if not is_disk_full(exc):
                raise
            raise _disk_full(exc, db_path, fresh, incoming) from exc
    journal.close()  # published: what it archived is referenced by the load log
    report(1.0, messages.PROGRESS_STEPS["publish"])
    return LoadResult(db_path, results)


def _load(
    files: list[InputFile],
    db_path: Path,
    dataset: str | None,
    fresh: bool,
    force: bool,
    allowed_inst_ids: set[str] | None,
    report: Progress,
    info: dict[str, str] | None,
    max_file_mb: float | None,
    uploaded_by: str | None,
    incoming: int,
    journal: _ArchiveJournal,
) -> list[FileResult]:
    batches = _Batch()
    results: list[FileResult] = []
    # a copy that is dropped (any error) takes what this load archived with it, under the load lock
    with write_transaction(db_path, fresh=fresh, extra_bytes=incoming, on_abort=journal.discard) as con:
        if not lake.is_lake(db_path):
            # under the file mode's load lock only: DuckLake loaders run side by side, and another one's
            # journal lists files its load (not yet committed) will reference
            _clean_orphans(con, db_path, journal)
        settings = _ensure_settings(con, fresh)
        if max_file_mb is not None:
            settings = dict(settings, max_file_mb=str(max_file_mb))
        if info:
            for key, value in info.items():
                # delete-then-insert rather than INSERT OR REPLACE: a DuckLake table has no primary key
                con.execute("DELETE FROM meta.info WHERE key = ?", [key])
                con.execute("INSERT INTO meta.info VALUES (?, ?)", [key, value])
        staged = [_peek(f, dataset, settings) for f in files]
        staged.sort(key=_load_order_key)
        prepared: list[_Prepared] = []
        seen: set[str] = set()
        for n, (item, data, _) in enumerate(staged):
            report(0.4 * n / len(staged), f"{item.name}: {messages.PROGRESS_STEPS['read']}")
            result = FileResult(source_file=item.name, batch_id=batches.next(), uploaded_by=uploaded_by)
            results.append(result)
            ready = _prepare(con, item, data, result, dataset, force, settings, seen, allowed_inst_ids)
            if ready is not None:
                prepared.append(ready)
        faults.reached("read")
        for name in LOAD_ORDER:
            group = [p for p in prepared if p.raw.dataset == name]
            if group:
                report(
                    0.4 + 0.3 * LOAD_ORDER.index(name) / len(LOAD_ORDER), messages.PROGRESS_STEPS["validate"]
                )
                _validate_group(name, group)
        faults.reached("validated")
        periods: set[str] = set()
        inst_ids: set[str] = set()
        datasets: set[str] = set()
        registry_changed = False
        units = _Units()
        for n, ready in enumerate(prepared):
            report(
                0.7 + 0.2 * n / max(len(prepared), 1),
                f"{ready.item.name}: {messages.PROGRESS_STEPS['write']}",
            )
            written, institutions = _write_file(con, ready, allowed_inst_ids, db_path, units, journal)
            if ready.raw.dataset == "institutions":
                registry_changed = registry_changed or bool(written)
            else:
                periods |= written
                inst_ids |= institutions
                if written:
                    datasets.add(ready.raw.dataset)
        faults.reached("written")
        report(0.9, messages.PROGRESS_STEPS["marts"])
        from warehouse.build import build_marts

        # the marts of the institutions and periods this load wrote; everything when the registry (an
        # institution's type or municipality feeds every period) or the whole warehouse is new
        if prepared or fresh or info:  # nothing written (every file refused or a repeat): no marts to build
            build_marts(con, None if fresh or registry_changed or info else periods, inst_ids, datasets)
        _count_warnings(con, results)
        faults.reached("marts")
        report(0.97, messages.PROGRESS_STEPS["publish"])
    return results


def _total_size(files: Sequence[InputFile]) -> int:
    total = 0
    for item in files:
        with contextlib.suppress(OSError):
            total += item.size()
    return total


def _disk_full(exc: BaseException, db_path: Path, fresh: bool, incoming: int) -> DiskFull:
    """The user's message for a full disk: what the load needs and what is free (after its copy was
    dropped). A failure during the load (the copy fitted, the WAL or the archive did not) says so."""
    if isinstance(exc, InsufficientSpace):
        needed, free, template = exc.needed, exc.free, messages.DISK_FULL
    else:
        size = 0
        if not fresh:
            with contextlib.suppress(OSError):
                size = db_path.stat().st_size
        needed, free, template = size + incoming, _free_bytes(db_path), messages.DISK_FULL_DURING_LOAD
    needed_mb, free_mb = math.ceil(needed / 2**20), math.floor(free / 2**20)
    return DiskFull(template.format(needed=needed_mb, free=free_mb), needed_mb, free_mb)


def _free_bytes(db_path: Path) -> int:
    try:
        return shutil.disk_usage(db_path.parent).free
    except OSError:
        return 0


def _ensure_settings(con: duckdb.DuckDBPyConnection, fresh: bool) -> dict[str, str]:
    row = con.execute("SELECT count(*) FROM meta.settings").fetchone()
    if fresh or not row or row[0] == 0:
        write_settings(con, current_settings())
    return read_settings(con)


def _peek(
    item: InputFile, dataset: str | None, settings: dict[str, str]
) -> tuple[InputFile, bytes | None, str | None]:
    """Read the bytes (unless too large or unreadable) and guess the dataset for ordering."""
    try:
        if item.size() > float(settings["max_file_mb"]) * 1024 * 1024:
            return item, None, None
        data = item.read()
    except OSError:
        return item, None, None
    if dataset:
        return item, data, dataset
    return item, data, peek_dataset(Path(item.name), data)


def _prepare(
    con: duckdb.DuckDBPyConnection,
    item: InputFile,
    data: bytes | None,
    result: FileResult,
    dataset: str | None,
    force: bool,
    settings: dict[str, str],
    seen: set[str],
    allowed_inst_ids: set[str] | None = None,
) -> _Prepared | None:
    """Read and parse one file; a rejected or already loaded file is logged here and goes no further."""
    try:
        if data is None:
            data = _read_or_reject(item, settings)
        result.sha256 = hashlib.sha256(data).hexdigest()
        previous: tuple[dt.datetime, int | None, int | None] | None = (
            None if force else _previous_load(con, result.sha256)
        )
        if previous is None and result.sha256 in seen:
            previous = (dt.datetime.now(), None, None)  # the same bytes twice in one load
        if previous is not None:
            when, loaded, quarantined = previous
            result.status = "duplicate"
            result.message_ru = messages.DUPLICATE.format(
                sha=result.sha256[:12], when=when.strftime("%d.%m.%Y %H:%M")
            )
            if loaded is not None:
                # «данные не изменились» — and the rows that load quarantined are still there
                result.previous_quarantined = quarantined
                result.message_ru += messages.DUPLICATE_BEFORE.format(loaded=loaded, quarantined=quarantined)
            _log(con, result, archive_path=None)
            return None
        raw = read_file(Path(item.name), data, dataset)
        typed, parse_issues = normalize(raw, settings)
        # a director's file of another institution: refused whole here, before the checks and the marts
        _refuse_foreign_file(typed, allowed_inst_ids)
    except FileRejected as exc:
        result.status = "rejected"
        result.message_ru = exc.message_ru
        _log(con, result, archive_path=None)
        return None
    seen.add(result.sha256)
    result.dataset = raw.dataset
    result.notices.extend(raw.notices)
    if raw.unknown_columns:
        result.notices.append(
            messages.UNKNOWN_COLUMNS.format(columns=", ".join(f"«{c}»" for c in raw.unknown_columns))
        )
    return _Prepared(item, data, result, raw, typed, parse_issues)


MAX_FOREIGN_NAMED = 3  # the other institutions' codes a refusal names


def _refuse_foreign_file(typed: pd.DataFrame, allowed_inst_ids: set[str] | None) -> None:
    """Raise FileRejected when a director's file holds rows of other institutions and none of their own:
    there is nothing to load, so it is refused as a file (status «отклонён», with the reason) instead of
    being validated and quarantined row by row. A file with some own rows is loaded as before (the
    others' rows quarantined)."""
    if allowed_inst_ids is None or "inst_id" not in typed.columns or typed.empty:
        return
    ids = typed["inst_id"].dropna().astype(str)
    ids = ids[ids != ""]
    if ids.empty or ids.isin(allowed_inst_ids).any():
        return
    found = sorted(set(ids))
    named = ", ".join(found[:MAX_FOREIGN_NAMED]) + (" и др." if len(found) > MAX_FOREIGN_NAMED else "")
    raise FileRejected(
        messages.FOREIGN_FILE.format(allowed=", ".join(sorted(allowed_inst_ids)) or "—", found=named)
    )


def _validate_group(dataset: str, group: list[_Prepared]) -> None:
    """Run the dataset's suite once over all its files and hand each file its own failing rows."""
    frames = [p.typed for p in group]
    combined = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    failures = run_suite(dataset, combined)
    offsets = np.cumsum([0] + [len(f) for f in frames])
    for n, ready in enumerate(group):
        low, high = offsets[n], offsets[n + 1]
        for failure in failures:
            mine = failure.positions[(failure.positions >= low) & (failure.positions < high)] - low
            if mine.size:
                ready.failures.append(RuleFailure(mine, failure.column, failure.rule, failure.explanation_ru))


class _Units:
    """The replace units (the dataset's unit of the data contract; the registry: its institution) written by
    this load so far, and by which file, with their row counts: a later file of the same load that writes a unit again
    replaces those rows, and the earlier file's result and log row say so."""

    def __init__(self) -> None:
        self.owner: dict[tuple[str, ...], tuple[FileResult, int]] = {}

    @staticmethod
    def key_columns(dataset: str) -> list[str]:
        """The dataset's replace unit (data contract), as compared (olympiad subjects normalised)."""
        if dataset == "institutions":
            return ["inst_id"]
        ds = DATASETS[dataset]
        return ds.compared(ds.replace_unit)

    def take(
        self, dataset: str, counts: list[tuple[tuple[str, ...], int]], result: FileResult
    ) -> list[FileResult]:
        """Record `result` as the owner of the units in `counts` ((key, rows), from _write_rows); return the
        earlier files it replaces."""
        replaced: dict[int, FileResult] = {}
        for unit, count in counts:
            key = (dataset, *unit)
            earlier = self.owner.get(key)
            if earlier is not None and earlier[0] is not result:
                earlier_result, earlier_count = earlier
                # the earlier file's rows were loaded, then replaced: rows_loaded keeps counting them (rows read
                # = loaded + quarantined, data contract) and the message says which file replaced them
                earlier_result.rows_replaced += earlier_count
                if result.source_file not in earlier_result.replaced_by:
                    earlier_result.replaced_by.append(result.source_file)
                replaced[id(earlier_result)] = earlier_result
            self.owner[key] = (result, count)
        return list(replaced.values())


def _mark_replaced(con: duckdb.DuckDBPyConnection, earlier: FileResult, later: FileResult) -> None:
    """The earlier file's counts, status and message after a later file of this load replaced its rows."""
    later_names = ", ".join(f"«{n}»" for n in earlier.replaced_by)
    if earlier.rows_replaced >= earlier.rows_loaded:
        # the status stays the file's own outcome (interfaces.md: loaded / partial / rejected / duplicate)
        earlier.message_ru = messages.REPLACED_WHOLE.format(
            later=later_names, replaced=earlier.rows_replaced, read=earlier.rows_read
        )
        if earlier.rows_quarantined:
            earlier.message_ru += " " + messages.REPLACED_QUARANTINED.format(
                quarantined=earlier.rows_quarantined
            )
    else:
        base = earlier.message_ru.split(messages.REPLACED_MARK)[0].rstrip()
        earlier.message_ru = (
            base + " " + messages.REPLACED_PART.format(later=later_names, replaced=earlier.rows_replaced)
        )
    con.execute(
        "UPDATE dq.load_log SET status = ?, rows_loaded = ?, message_ru = ? WHERE batch_id = ?",
        [earlier.status, earlier.rows_loaded, earlier.message_ru, earlier.batch_id],
    )
    notice = messages.REPLACES_EARLIER.format(earlier=f"«{earlier.source_file}»")
    if notice not in later.notices:
        later.notices.append(notice)


def _write_file(
    con: duckdb.DuckDBPyConnection,
    ready: _Prepared,
    allowed_inst_ids: set[str] | None,
    db_path: Path,
    units: _Units,
    journal: _ArchiveJournal,
) -> tuple[set[str], set[str]]:
    """Quarantine the failing rows, write the rest, log and archive; return the periods written (for the
    registry, its institution ids) and the institutions written."""
    raw, typed, result = ready.raw, ready.typed, ready.result
    failures = list(ready.failures)
    known = {r[0] for r in con.execute("SELECT inst_id FROM core.institutions").fetchall()}
    if raw.dataset != "institutions":
        failures += rules.unknown_institutions(typed, known)
    failures += rules.foreign_institutions(typed, allowed_inst_ids)
    failures += rules.duplicate_keys(raw.dataset, typed, raw.row_numbers)

    quarantine = _quarantine_frame(raw, typed, ready.parse_issues, failures, result.batch_id)
    bad = np.zeros(len(typed), dtype=bool)
    if not quarantine.empty:
        bad[quarantine["_pos"].to_numpy()] = True
    good = typed[~bad] if bad.any() else typed
    key = "period" if "period" in good else "inst_id"
    written = {str(v) for v in good[key].dropna().unique()}
    institutions = {str(v) for v in good["inst_id"].dropna().unique()}

    result.rows_read = len(typed)
    result.rows_quarantined = int(bad.sum())
    result.rows_loaded = len(good)
    replaced = units.take(raw.dataset, _write_rows(con, raw.dataset, good, result.batch_id), result)
    if not quarantine.empty:
        con.register("incoming_quarantine", quarantine.drop(columns=["_pos"]))
        column_list = ", ".join(QUARANTINE_COLUMNS)
        con.execute(
            f"INSERT INTO dq.quarantine ({column_list}) SELECT {column_list} FROM incoming_quarantine"
        )
        con.unregister("incoming_quarantine")
    result.errors_total = len(quarantine)
    result.errors = quarantine["message_ru"].head(MAX_ERRORS_IN_SUMMARY).tolist()
    if result.rows_quarantined == 0:
        result.status = "loaded"
        result.message_ru = messages.LOADED.format(loaded=result.rows_loaded, read=result.rows_read)
    elif result.rows_loaded == 0:
        result.status = "partial"
        result.message_ru = messages.NOTHING_LOADED.format(read=result.rows_read)
    else:
        result.status = "partial"
        result.message_ru = messages.PARTIAL.format(
            loaded=result.rows_loaded, read=result.rows_read, quarantined=result.rows_quarantined
        )
    for earlier in replaced:
        _mark_replaced(con, earlier, result)
    if result.notices:
        result.message_ru += " " + " ".join(result.notices)
    archived = _archive(db_path, ready.item.name, ready.data, result.sha256, journal)
    _log(con, result, archive_path=str(archived))
    ready.release()
    return written, institutions


def _read_or_reject(item: InputFile, settings: dict[str, str]) -> bytes:
    limit = float(settings["max_file_mb"]) * 1024 * 1024
    try:
        size = item.size()
    except FileNotFoundError as exc:
        raise FileRejected(messages.NOT_FOUND.format(path=item.name)) from exc
    except OSError as exc:
        raise FileRejected(messages.UNREADABLE.format(detail=exc.strerror or exc)) from exc
    if size > limit:
        raise FileRejected(
            messages.TOO_LARGE.format(size_mb=size / 1024 / 1024, limit_mb=limit / 1024 / 1024)
        )
    try:
        return item.read()
    except OSError as exc:
        raise FileRejected(messages.UNREADABLE.format(detail=exc.strerror or exc)) from exc


def _previous_load(con: duckdb.DuckDBPyConnection, sha256: str) -> tuple[dt.datetime, int, int] | None:
    """When the same bytes were last loaded, with that load's rows loaded and quarantined."""
    row = con.execute(
        # a load that was undone (etl/undo.py: a row `undo-<batch>`) no longer counts: its file may come again
        "SELECT loaded_at, rows_loaded, rows_quarantined FROM dq.load_log "
        "WHERE sha256 = ? AND status IN ('loaded', 'partial') "
        "AND 'undo-' || batch_id NOT IN (SELECT batch_id FROM dq.load_log WHERE status = 'undone') "
        "ORDER BY loaded_at DESC LIMIT 1",
        [sha256],
    ).fetchone()
    return (row[0], int(row[1] or 0), int(row[2] or 0)) if row and row[0] is not None else None


def _quarantine_frame(
    raw: RawTable,
    typed: pd.DataFrame,
    parse_issues: list[ParseIssue],
    failures: list[RuleFailure],
    batch_id: str,
) -> pd.DataFrame:
    """One row per broken rule, with a Russian message naming file, row, column and value."""
    parts: list[pd.DataFrame] = []
    for issue in parse_issues:
        parts.append(
            pd.DataFrame(
                {
                    "_pos": issue.index,
                    "column_name": issue.column,
                    "rule": issue.rule,
                    "explanation": messages.PARSE_EXPLANATIONS[issue.rule],
                }
            )
        )
    for failure in failures:
        parts.append(
            pd.DataFrame(
                {
                    "_pos": failure.positions,
                    "column_name": failure.column,
                    "rule": failure.rule,
                    "explanation": failure.explanation_ru,
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=["_pos", *QUARANTINE_COLUMNS])
    issues = pd.concat(parts, ignore_index=True)
    # a value that could not be parsed is reported once, not again as "required" or "not allowed"
    parsed_cells = {(int(p), i.column) for i in parse_issues for p in i.index}
    if parsed_cells:
        is_parse = issues["rule"].str.startswith("format_")
        cell_keys = list(zip(issues["_pos"].astype(int), issues["column_name"], strict=True))
        repeated = np.array([k in parsed_cells for k in cell_keys]) & ~is_parse.to_numpy()
        issues = issues[~repeated]
    # in the order the user reads the file: by row, then by the column's place in the contract
    order = {name: i for i, name in enumerate(DATASETS[raw.dataset].column_names)}
    issues["_col_order"] = issues["column_name"].map(order)
    issues = issues.sort_values(["_pos", "_col_order"], kind="stable").reset_index(drop=True)

    positions = issues["_pos"].to_numpy()
    file_name = Path(raw.source_file).name
    values = np.empty(len(issues), dtype=object)
    for column, idx in issues.groupby("column_name").indices.items():
        values[idx] = raw.frame[column].to_numpy()[positions[idx]]
    row_numbers = raw.row_numbers.to_numpy()[positions]
    headers = issues["column_name"].map(raw.headers)
    issues["message_ru"] = [
        messages.ROW_ISSUE.format(
            file=file_name,
            row=r,
            column=h,
            value=show_invisible(v) if v else messages.EMPTY_VALUE,
            explanation=e,
        )
        for r, h, v, e in zip(row_numbers, headers, values, issues["explanation"], strict=True)
    ]
    issues["value"] = pd.Series(values, index=issues.index).astype("str")
    issues["row_number"] = row_numbers
    issues["batch_id"] = batch_id
    issues["source_file"] = file_name
    issues["dataset"] = raw.dataset
    issues["inst_id"] = raw.frame["inst_id"].to_numpy()[positions] if "inst_id" in raw.frame else None
    issues["inst_id"] = issues["inst_id"].replace("", None)
    issues["period"] = typed["period"].to_numpy()[positions] if "period" in typed else None
    return issues[["_pos", *QUARANTINE_COLUMNS]]


def _write_rows(
    con: duckdb.DuckDBPyConnection, dataset: str, good: pd.DataFrame, batch_id: str
) -> list[tuple[tuple[str, ...], int]]:
    """Write the rows, replacing their units; return the units written with their row counts (counted by
    DuckDB on the Arrow table it scans anyway: a pandas groupby of a country file costs half a second)."""
    if good.empty:
        return []
    ds = DATASETS[dataset]
    columns = (
        ds.column_names
        + list(ds.stored_derived)
        + (["category_valid_until_given"] if dataset == "staff" else [])
    )
    # through Arrow: DuckDB scans an Arrow table without converting pandas' nullable types row by row
    incoming = pa.Table.from_pandas(good[columns], preserve_index=False)
    incoming = incoming.append_column("batch_id", pa.array([batch_id] * len(good), pa.string()))
    con.register("incoming_rows", incoming)
    column_list = ", ".join([*columns, "batch_id"])
    table = f"core.{dataset}"  # dataset comes from the contract's fixed list
    key_list = ", ".join(_Units.key_columns(dataset))  # from a fixed list too
    try:
        units = con.execute(f"SELECT {key_list}, count(*) FROM incoming_rows GROUP BY ALL").fetchall()
        if dataset == "institutions":
            # an institution's row replaces its earlier one (delete-then-insert, not INSERT OR REPLACE: a
            # DuckLake table has no primary key; the duplicate-key rule leaves one row per inst_id)
            con.execute(f"DELETE FROM {table} WHERE inst_id IN (SELECT inst_id FROM incoming_rows)")
            con.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM incoming_rows")
        else:
            # replace, don't append: the file's replace units (period and institution; for results also the
            # exam, grade or stage and the subject) replace what was there, other units stay
            unit = ds.compared(ds.replace_unit)  # column names from the contract, never from input
            match = " AND ".join(f"t.{c} = k.{c}" for c in unit)
            con.execute(
                f"DELETE FROM {table} t USING (SELECT DISTINCT {', '.join(unit)} FROM incoming_rows) k "
                f"WHERE {match}"
            )
            con.execute(f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM incoming_rows")
    finally:
        con.unregister("incoming_rows")
    return [(tuple(str(k) for k in u[:-1]), int(u[-1])) for u in units]


def _archive(db_path: Path, name: str, data: bytes, sha256: str | None, journal: _ArchiveJournal) -> Path:
    """Keep the accepted file's bytes under its SHA-256, owner-only (a raw upload holds personal data)."""
    folder = private_dir(archive_dir(db_path))
    target = folder / f"{sha256}{Path(name).suffix.lower()}"
    if not target.exists():
        tmp = target.with_name(target.name + f".{os.getpid()}.part")
        journal.add(target, tmp)  # before either exists: a kill from here on leaves nothing unlisted
        try:
            with open(create_private_file(tmp), "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    return target


class _ArchiveJournal:
    """Archive files a load created, listed in `.<warehouse>.archive-journal` beside the warehouse before they
    are created. A published load closes the journal; a failed one removes its files at once; a killed one
    leaves the journal, and the next load (under the load lock) removes every listed file that no row of the
    load log references. A journal, rather than "every file the log does not name": warehouses in one folder
    share its archive, and another warehouse's files must stay."""

    def __init__(self, db_path: Path) -> None:
        # a lake's loaders run side by side: one journal each (a killed one's stays for a later clean-up)
        name = f"lake-{os.getpid()}" if lake.is_lake(db_path) else db_path.name
        self.path = side_folder(db_path) / f".{name}.archive-journal"
        self.created: list[Path] = []
        # the journal was read by this load (under the lock): from then on it is this load's; a lake load's
        # journal is its own from the start
        self.owned = lake.is_lake(db_path)

    def add(self, *paths: Path) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        with open(fd, "a", encoding="utf-8") as handle:
            handle.write("".join(f"{p.name}\n" for p in paths))
        self.created.extend(paths)

    def listed(self) -> list[str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [line for line in text.splitlines() if line and "/" not in line and not line.startswith(".")]

    def close(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        self.created = []

    def discard(self) -> None:
        """The load failed before publishing: its archived files belong to no state. A load that failed
        before it read the journal (no room for the copy) leaves a killed load's journal for the next one."""
        for path in self.created:
            with contextlib.suppress(OSError):
                path.unlink()
        if self.owned:
            self.close()


def _clean_orphans(con: duckdb.DuckDBPyConnection, db_path: Path, journal: _ArchiveJournal) -> None:
    """Remove what killed loads left in the archive (called under the load lock, before this load archives
    anything): the files a journal lists that the published load log does not reference, and `.part` files
    of processes that no longer run. The files kept are tightened to owner-only (older warehouses)."""
    journal.owned = True
    folder = archive_dir(db_path)
    if not folder.exists():
        journal.close()
        return
    private_dir(folder)
    listed = journal.listed()
    if listed:
        rows = con.execute("SELECT archive_path FROM dq.load_log WHERE archive_path IS NOT NULL").fetchall()
        referenced = {Path(r[0]).name for r in rows}
        for name in listed:
            if name not in referenced:
                with contextlib.suppress(OSError):
                    (folder / name).unlink()
    journal.close()
    for entry in folder.iterdir():
        if entry.name.endswith(".part") and not _process_alive(entry.name):
            with contextlib.suppress(OSError):
                entry.unlink()
        elif entry.is_file() and entry.stat().st_mode & 0o777 != FILE_MODE:
            with contextlib.suppress(OSError):
                os.chmod(entry, FILE_MODE)


def _process_alive(part_name: str) -> bool:
    """Whether the loader that writes `<sha>.<ext>.<pid>.part` still runs (another warehouse's, sharing the
    folder); a name without a pid is nobody's."""
    pid_text = part_name.removesuffix(".part").rsplit(".", 1)[-1]
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False  # this load has archived nothing yet: any part with its pid is an earlier process's
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _log(con: duckdb.DuckDBPyConnection, result: FileResult, archive_path: str | None) -> None:
    con.execute(
        "INSERT INTO dq.load_log (batch_id, loaded_at, source_file, sha256, dataset, status, rows_read, "
        "rows_loaded, rows_quarantined, message_ru, archive_path, uploaded_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            result.batch_id,
            dt.datetime.now(),
            result.source_file,
            result.sha256,
            result.dataset,
            result.status,
            result.rows_read,
            result.rows_loaded,
            result.rows_quarantined,
            result.message_ru,
            archive_path,
            result.uploaded_by,
        ],
    )


def _count_warnings(con: duckdb.DuckDBPyConnection, results: list[FileResult]) -> None:
    counts = dict(
        con.execute(
            "SELECT batch_id, count(*) FROM dq.warnings WHERE batch_id IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    for result in results:
        result.warnings = int(counts.get(result.batch_id, 0))
