"""Issue 16's rows: the same steps in the file mode and in the DuckLake mode, side by side in one run.

    python -m benchmarks.lake [--scale region] [--runs 3]

For each mode — a DuckDB file; a DuckLake with a SQLite catalog; a DuckLake with a PostgreSQL catalog when a
throwaway cluster can be started here (tests/lake/cluster.py, the lake tests' own code) — into a fresh
warehouse of the scale:
- the full load (`python -m etl load`, a new process), which also builds the warehouse the next steps use;
- one institution's corrected staff file (the latest period), with the loader warm in this process (the
  app's upload path) and as a new `python -m etl load` process (target: under 2 s warm, under 4 s as a new
  process; the baseline is the file mode's same step);
- two loaders at once (lake modes): two new processes, each with another municipality's institution's
  corrected file, started together; the wall time until both have committed, against one such process
  alone. Both files must be in `dq.load_log` as loaded
  (or partial: the demo's deliberate errors quarantined). With a SQLite catalog the writers take turns;
- the warm time of every page of the app (AppTest, as benchmarks/pages.py, signed in as an administrator),
  against the file mode (target: no more than 20 % slower).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from benchmarks.common import REPO, WORK, Figure, demo_files, median_of, print_table, python, run_measured
from benchmarks.incremental import corrected_variant

ENV_LOAD = {"IMC_MAX_FILE_MB": "100000"}  # the country staff file is over the default limit


def corrected_files(folder: Path, out: Path, count: int) -> list[Path]:
    """`count` corrected staff files (the latest period), each of one institution of another municipality
    (the code's `M01-` prefix), each with one value changed."""
    from etl.readers import read_file

    staff = sorted(folder.glob("staff_[0-9]*.csv"))[-1]  # not staff_needs_*
    frame = read_file(staff, staff.read_bytes()).frame
    insts = frame["inst_id"].drop_duplicates()
    # one per municipality first (a city has one: then more of it)
    firsts = insts.groupby(insts.str.split("-").str[0]).nth(1)
    picked = [*firsts, *insts[~insts.isin(firsts)]][:count]
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for n, inst in enumerate(picked):
        mine = frame[frame["inst_id"] == inst].copy()
        mine.loc[mine.index[0], "ict_training"] = "нет" if mine["ict_training"].iloc[0] == "да" else "да"
        path = out / f"corrected_{n}.csv"
        mine.to_csv(path, sep=";", index=False)  # canonical headers: the loader accepts them too
        files.append(path)
    return files


def _connect(db: str) -> duckdb.DuckDBPyConnection:
    from warehouse import lake

    if lake.is_lake(db):
        return lake.connect(lake.LakeSpec.parse(db), read_only=True)
    return duckdb.connect(db, read_only=True)


def _statuses(db: str, names: list[str]) -> dict[str, str]:
    """The status of the latest load_log row of each file name."""
    con = _connect(db)
    try:
        rows = con.execute(
            "SELECT source_file, arg_max(status, loaded_at) FROM dq.load_log "
            "WHERE list_contains($names, source_file) GROUP BY source_file",
            {"names": names},
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def _check_all_loaded(db: str) -> None:
    con = _connect(db)
    try:
        bad = con.execute(
            "SELECT source_file, status FROM dq.load_log WHERE status NOT IN ('loaded', 'partial')"
        ).fetchall()
    finally:
        con.close()
    if bad:
        raise RuntimeError(f"the benchmark load did not load everything: {bad}")


def _load_cmd(db: str, *paths: Path) -> list[str]:
    return python("-m", "etl", "load", "--quiet", "--db", db, *map(str, paths))


def _two_at_once(db: str, files: list[Path], work: Path) -> float:
    """Wall seconds of two loader processes started together; both must have landed."""
    env = dict(os.environ, PYTHONPATH=str(REPO), **ENV_LOAD)
    targets = []
    for n, fix in enumerate(files):
        target = work / f"both_{n}.csv"
        shutil.copy(corrected_variant(fix, 500 + n), target)
        targets.append(target)
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            _load_cmd(db, t), cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        for t in targets
    ]
    errors = [p.communicate()[1].decode(errors="replace") for p in procs]
    seconds = time.perf_counter() - started
    for proc, err in zip(procs, errors, strict=True):
        if proc.returncode not in (0, 1):  # 1: rows quarantined (the demo's deliberate errors)
            raise RuntimeError(f"a loader of two at once exited {proc.returncode}:\n{err[-3000:]}")
    statuses = _statuses(db, [t.name for t in targets])
    if set(statuses) != {t.name for t in targets} or not set(statuses.values()) <= {"loaded", "partial"}:
        raise RuntimeError(f"two loaders at once: not both landed: {statuses}")
    return seconds


def _page_warm(db: str, runs: int) -> dict[str, tuple[float, float]]:
    from benchmarks.pages import PAGES, measure
    from warehouse import lake, queries

    timings = {page: measure(db, page, runs) for page in PAGES}  # a `ducklake:` value or a file's path
    queries.close_all()
    lake.close_all()
    return timings


def _mode(scale: str, mode: str, db: str, fixes: list[Path], work: Path, runs: int) -> dict[str, object]:
    from etl.loader import load_files

    full_s, full_mb = run_measured(_load_cmd(db, demo_files(scale)), ENV_LOAD)
    _check_all_loaded(db)
    fix = fixes[0]
    load_files([corrected_variant(fix, 0)], db)  # warm-up: imports, GX context
    times = []
    for n in range(1, runs + 1):
        started = time.perf_counter()
        result = load_files([corrected_variant(fix, n)], db)
        times.append(time.perf_counter() - started)
        assert result.files[0].rows_loaded > 0, result.files[0].message_ru
    counter = iter(range(100, 100 + runs))
    cli_s, cli_mb = median_of(
        runs,
        _load_cmd(db, work / "next.csv"),
        prepare=lambda: shutil.copy(corrected_variant(fix, next(counter)), work / "next.csv"),
        env=ENV_LOAD,
    )
    both = _two_at_once(db, fixes[1:3], work) if db.startswith("ducklake:") else None
    return {
        "full": (full_s, full_mb),
        "warm": statistics.median(times),
        "cli": (cli_s, cli_mb),
        "both": both,
        "pages": _page_warm(db, runs),
    }


def bench_lake(scale: str, runs: int) -> list[Figure]:
    from tests.lake import cluster

    folder = demo_files(scale)
    work = WORK / f"lake_{scale}"
    shutil.rmtree(work, ignore_errors=True)
    fixes = corrected_files(folder, work / "fixes", 3)
    figures: list[Figure] = []
    saved = {name: os.environ.get(name) for name in ("IMC_DATA_PATH", "IMC_DB")}  # measure() sets IMC_DB
    with contextlib.ExitStack() as stack:
        modes = {
            "file": str(work / "file" / "warehouse.duckdb"),
            "lake sqlite": f"ducklake:sqlite:{work / 'lake_sqlite' / 'catalog.sqlite'}",
        }
        reason = cluster.unavailable()
        if reason is None:
            pg = stack.enter_context(cluster.running_cluster())
            modes["lake postgres"] = f"ducklake:postgres:{pg.new_database()}"
        else:
            print(f"the PostgreSQL rows are skipped: {reason}", file=sys.stderr)
        file_mode: dict[str, object] = {}
        for mode, db in modes.items():
            mode_work = work / mode.replace(" ", "_")
            mode_work.mkdir(parents=True, exist_ok=True)
            os.environ["IMC_DATA_PATH"] = str(mode_work / "data")  # this process's loads and the children's
            try:
                got = _mode(scale, mode, db, fixes, mode_work, runs)
            finally:
                for name, value in saved.items():
                    if value is None:
                        os.environ.pop(name, None)
                    else:
                        os.environ[name] = value
            if mode == "file":
                file_mode = got
            figures.extend(_figures(scale, mode, got, file_mode))
    return figures


def _figures(scale: str, mode: str, got: dict, file_mode: dict) -> list[Figure]:
    base = "file mode" if mode != "file" else ""

    def against(key: str) -> float | None:
        if mode == "file":
            return None
        value = file_mode[key]
        return value[0] if isinstance(value, tuple) else value

    full_s, full_mb = got["full"]
    cli_s, cli_mb = got["cli"]
    rows = [
        Figure(scale, f"{mode}: full load (etl load)", full_s, full_mb, base, against("full")),
        Figure(scale, f"{mode}: corrected file, loader warm", got["warm"], 0, base, against("warm"), "< 2 s"),
        Figure(
            scale, f"{mode}: corrected file, etl load command", cli_s, cli_mb, base, against("cli"), "< 4 s"
        ),
    ]
    if got["both"] is not None:
        rows.append(
            Figure(scale, f"{mode}: two loaders at once (both landed)", got["both"], 0,
                   "one loader alone", cli_s, "")
        )  # fmt: skip
    for page, (cold, warm) in got["pages"].items():
        file_warm = file_mode["pages"][page][1] if mode != "file" else None
        rows.append(
            Figure(scale, f"{mode}: page {page} warm (cold {cold:.2f} s)", warm, 0, base, file_warm,
                   "≤ 1.2× file mode" if mode != "file" else "")
        )  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="region", choices=["city", "region", "country"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    import logging

    logging.disable(logging.WARNING)
    print_table(bench_lake(args.scale, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
