"""`make bench`: every performance target of the project in one table.

    python -m benchmarks [--quick] [--runs N]

Steps (each a median of N runs, with its peak memory where it runs in its own process, next to a baseline
measured in the same run):
- full load of the `region` and `country` demo data sets vs a bare DuckDB `read_csv` of the same CSV files
  (target at country scale: within 5× of read_csv, peak RSS under 3 GB);
- one institution's corrected file loaded into a `region` warehouse (target: under 2 s end to end);
- every dashboard page, warm, at `region` and `country` scale (targets 0.5 s and 1.5 s) against a trivial
  Streamlit script run the same way, and the app's cold start (first page rendered, target 4 s);
- the analytical note at city scale (target 10 s); the staff development plan (`etl plan`, XLSX and DOCX) of
  the whole `region` (within the same budget);
- the file mode against the DuckLake mode (SQLite catalog; PostgreSQL when a throwaway cluster can be
  started, benchmarks/lake.py): the full load, one institution's corrected file warm and as a new process,
  two loaders at once, every page warm, at `region` scale (and `country` without --quick);
- many users at once: 1, 5 and 20 sessions running each page together on the `city` demo (server side,
  AppTest threads, benchmarks/concurrency.py), p50 with the p95 beside it, against one session's p50.
`--quick` skips the country scale (minutes of generating and loading 1.2 M staff rows, in each mode).
"""

from __future__ import annotations

import argparse
import logging
import platform
import statistics
import sys
import time

from benchmarks.common import WORK, Figure, print_table, python, run_measured
from benchmarks.etl import bench_load, bench_results_load
from benchmarks.incremental import bench_incremental
from benchmarks.lake import bench_lake

TRIVIAL_PAGE = WORK / "trivial_page.py"
COLD_START = """
import sys, time
started = time.perf_counter()
from streamlit.testing.v1 import AppTest
from auth.identity import User
at = AppTest.from_file(sys.argv[1], default_timeout=300)
at.session_state["imc_user"] = User(login="bench", role="admin")
at.run()
assert not at.exception, at.exception
print(time.perf_counter() - started)
"""


def _pages(scale: str, db, runs: int, baseline: float) -> list[Figure]:
    from benchmarks.pages import PAGES, measure

    target = {"region": "< 0.5 s warm", "country": "< 1.5 s warm"}.get(scale, "")
    figures = []
    for page in PAGES:
        cold, warm = measure(db, page, runs)
        figures.append(
            Figure(scale, f"page {page} warm (cold {cold:.2f} s)", warm, 0, "trivial page", baseline, target)
        )
    return figures


def _trivial_page_seconds(runs: int) -> float:
    from streamlit.testing.v1 import AppTest

    TRIVIAL_PAGE.parent.mkdir(parents=True, exist_ok=True)
    TRIVIAL_PAGE.write_text('import streamlit as st\nst.title("Пусто")\nst.write(1)\n', encoding="utf-8")
    at = AppTest.from_file(str(TRIVIAL_PAGE))
    at.run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _cold_start(db, runs: int) -> list[Figure]:
    from benchmarks.common import REPO

    env = {"IMC_DB": str(db)}
    base_s, _ = run_measured(python("-c", COLD_START, str(TRIVIAL_PAGE)), env)
    times = []
    peak = 0.0
    for _ in range(runs):
        seconds, peak_mb = run_measured(python("-c", COLD_START, str(REPO / "app.py")), env)
        times.append(seconds)
        peak = max(peak, peak_mb)
    return [
        Figure("region", "app cold start, first page (new process)", statistics.median(times), peak,
               "trivial app", base_s, "< 4 s"),
    ]  # fmt: skip


def _note(runs: int) -> list[Figure]:
    from benchmarks.note import cold, demo_db

    seconds, peak = cold(demo_db(None), runs)
    return [Figure("city", "analytical note (etl note, new process)", seconds, peak, target="< 10 s")]


def _plan(db, runs: int) -> list[Figure]:
    """The staff development plan of the whole region (every municipality: the named lists of ~30,000 staff)
    as `python -m etl plan` writes it, XLSX and DOCX, each in a new process; within the note's budget."""
    import tempfile
    from pathlib import Path

    from benchmarks.common import median_of

    figures = []
    with tempfile.TemporaryDirectory() as folder:
        for suffix in ("xlsx", "docx"):
            out = Path(folder) / f"plan.{suffix}"
            cmd = python("-m", "etl", "plan", "--db", str(db), "--period", "2024/2025", "--out", str(out))
            seconds, peak = median_of(runs, cmd)
            figures.append(
                Figure("region", f"plan {suffix} (etl plan, new process)", seconds, peak, target="< 10 s")
            )
    return figures


def _concurrency(runs: int) -> list[Figure]:
    from benchmarks.concurrency import PAGES, SESSIONS, bench
    from benchmarks.pages import demo_db

    cells = bench(demo_db("city", None), PAGES, SESSIONS, runs)
    alone = {c.page: c.p50 for c in cells if c.sessions == 1}
    return [
        Figure("city", f"{c.page} × {c.sessions} sessions p50 (p95 {c.p95:.2f} s, errors {c.errors})",
               c.p50, 0, "1 session p50", alone[c.page], "")
        for c in cells
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="skip the country scale")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    figures: list[Figure] = []

    def step(new: list[Figure]) -> None:
        figures.extend(new)
        print_table(new, out=sys.stderr)  # progress as it goes; the full table is printed at the end

    step(bench_load("region", 1))
    full_load = figures[-1]
    step(bench_results_load("region", 1, full_load))
    region_db = WORK / "etl_region" / "etl.duckdb"
    step(bench_incremental(args.runs, full_load_seconds=full_load.seconds))
    trivial = _trivial_page_seconds(args.runs)
    step(_pages("region", region_db, args.runs, trivial))
    step(_cold_start(region_db, args.runs))
    if not args.quick:
        step(bench_load("country", 1))
        step(_pages("country", WORK / "etl_country" / "etl.duckdb", args.runs, trivial))
    step(bench_lake("region", args.runs))
    if not args.quick:
        step(bench_lake("country", args.runs))
    step(_plan(region_db, args.runs))
    step(_note(args.runs))
    step(_concurrency(args.runs))
    print(
        f"\nMachine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}"
    )
    print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
