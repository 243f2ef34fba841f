"""Many users at once, server side: N sessions (AppTest, one thread each) run the same page together.

    .venv/bin/python -m benchmarks.concurrency [--db PATH] [--sessions 1 5 20] [--runs 3] [--pages …]
    .venv/bin/python -m benchmarks.concurrency --profile pages/staff.py    # where one warm run's time goes

Every cell (page, N) gets N fresh sessions of N different users (administrators, heads and methodists in
turn, each with their own login, as 20 colleagues would be), so nothing a user's own earlier runs left in
the caches helps them; the caches hold only what earlier cells computed, as on a server that has been up a
while. Each session makes `--runs` runs of the page; in each round all N start together (a barrier), which
is the burst the hostile tester measured. p50 and p95 are over every timed run of every session of the
cell; the first round is each user's first view of the page, the later rounds their reruns (a click).
The one-session figure (N = 1) is measured in the same run, so the ratio is free of the machine's noise.
Python threads share one interpreter lock, so the time of N sessions is about N times the Python work of
one run divided by what the DuckDB queries (which release the lock) overlap.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.pages import PAGES as DASHBOARD_PAGES  # noqa: E402 (after the repository is on the path)

# the pages a session can drive with its default filters: those benchmarks/pages.py times but the plan (a
# list to work through, not a view that many open at once), upload and note (they wait for a file or a click)
PAGES = [p for p in DASHBOARD_PAGES if p not in ("pages/plan.py", "pages/upload.py", "pages/note.py")]
SESSIONS = (1, 5, 20)
ROLES = ("admin", "head", "methodist")
_logins = itertools.count(1)


@dataclass
class Cell:
    page: str
    sessions: int
    times: list[float]
    errors: int

    @property
    def p50(self) -> float:
        return statistics.median(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _session(page: str, role: str):  # type: ignore[no-untyped-def]
    """A session on `page` whose user has never run anything: the router's first run (imports, the
    default page) is made by a shared throwaway user, then the session's own user takes over."""
    from streamlit.testing.v1 import AppTest

    from auth import identity

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=600)
    at.session_state["imc_user"] = identity.User(login="bench-router", role="admin")
    at.run()
    at.session_state["imc_user"] = identity.User(login=f"bench-{next(_logins)}", role=role)  # type: ignore[arg-type]
    at.switch_page(page)
    return at


def measure(db: Path, page: str, sessions: int, runs: int) -> Cell:
    """`runs` rounds of `sessions` sessions running `page` at once (bounded: sessions × runs page runs)."""
    os.environ["IMC_DB"] = str(db)
    tests = [_session(page, ROLES[i % len(ROLES)]) for i in range(sessions)]
    barrier = threading.Barrier(sessions)
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def drive(at) -> None:  # type: ignore[no-untyped-def]
        for _ in range(runs):
            barrier.wait()
            started = time.perf_counter()
            at.run()
            took = time.perf_counter() - started
            with lock:
                times.append(took)
                errors[0] += bool(at.exception)

    threads = [threading.Thread(target=drive, args=(at,)) for at in tests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Cell(page, sessions, times, errors[0])


def warm_up(db: Path, pages: list[str]) -> None:
    """One run of every page by one user before anything is timed: the server has been up a while."""
    for page in pages:
        measure(db, page, 1, 1)


def bench(db: Path, pages: list[str], levels: tuple[int, ...], runs: int) -> list[Cell]:
    warm_up(db, pages)
    cells = []
    for page in pages:
        for n in levels:
            cell = measure(db, page, n, runs)
            cells.append(cell)
            print(f"  {page} × {n}: p50 {cell.p50:.2f} s, p95 {cell.p95:.2f} s", file=sys.stderr, flush=True)
    return cells


def print_cells(cells: list[Cell], levels: tuple[int, ...], out=sys.stdout) -> None:  # type: ignore[no-untyped-def]
    """One row per page: p50 / p95 for each N, and the N-session p50 against one session's."""
    by = {(c.page, c.sessions): c for c in cells}
    pages = list(dict.fromkeys(c.page for c in cells))
    head = f"{'page':<22}" + "".join(f"{f'{n} × p50 / p95, s':>22}" for n in levels)
    head += f"{f'p50 {levels[-1]}× / 1×':>14}{'errors':>8}"
    print(head, file=out)
    for page in pages:
        row = f"{page:<22}"
        for n in levels:
            cell = by[(page, n)]
            row += f"{f'{cell.p50:.2f} / {cell.p95:.2f}':>22}"
        ratio = by[(page, levels[-1])].p50 / by[(page, levels[0])].p50
        errors = sum(by[(page, n)].errors for n in levels)
        print(row + f"{ratio:>13.1f}×{errors:>8}", file=out)


def profile(db: Path, page: str, runs: int = 5, top: int = 40) -> None:
    """cProfile of `runs` warm runs of `page` inside AppTest's script thread (the profiler is switched on
    around ScriptRunner._run_script, so the test's own waiting is not in it), sorted by cumulative time."""
    import cProfile
    import pstats

    from streamlit.runtime.scriptrunner import script_runner

    os.environ["IMC_DB"] = str(db)
    profiler = cProfile.Profile()
    original = script_runner.ScriptRunner._run_script
    active = threading.Event()

    def run_script(self, rerun_data):  # type: ignore[no-untyped-def]
        if not active.is_set():
            return original(self, rerun_data)
        profiler.enable()
        try:
            return original(self, rerun_data)
        finally:
            profiler.disable()

    script_runner.ScriptRunner._run_script = run_script  # type: ignore[method-assign]
    try:
        at = _session(page, "admin")
        at.run()  # the user's first view, not profiled
        active.set()
        started = time.perf_counter()
        for _ in range(runs):
            at.run()
        print(f"{page}: {(time.perf_counter() - started) / runs:.3f} s a warm run")
    finally:
        script_runner.ScriptRunner._run_script = original  # type: ignore[method-assign]
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", help="a warehouse (default: the city demo, built into benchmarks/_work)")
    parser.add_argument("--sessions", type=int, nargs="+", default=list(SESSIONS))
    parser.add_argument("--runs", type=int, default=3, help="runs of each session (rounds)")
    parser.add_argument("--pages", nargs="+", default=PAGES)
    parser.add_argument("--profile", metavar="PAGE", help="profile warm runs of one page instead")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    from benchmarks.pages import demo_db

    db = demo_db("city", args.db)
    if args.profile:
        profile(db, args.profile)
        return 0
    levels = tuple(args.sessions)
    cells = bench(db, args.pages, levels, args.runs)
    print_cells(cells, levels)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
