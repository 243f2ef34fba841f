"""How long the analytical note takes at city scale (every area, compared with the previous year, charts,
appendices with the lists of people), cold and warm.

    .venv/bin/python benchmarks/note.py [--db PATH] [--runs 3]

Cold: `python -m etl note` in a fresh process, as a script or a first page view pays it (imports, the
dictionary of pymorphy3, matplotlib's fonts, the warehouse connection); the median of `--runs` processes
with their peak memory. Warm: `build_note` again in one process (what the page pays for another scope),
the median of `--runs`, split into the model without charts, the charts and the DOCX rendering. Goal: under
10 s cold. The demo warehouse is built into benchmarks/_work/ (git-ignored) when no path is given.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

GOAL_COLD_S = 10.0
PERIOD = "2024/2025"


def demo_db(given: str | None) -> Path:
    if given:
        return Path(given)
    db = REPO / "benchmarks" / "_work" / "demo-city.duckdb"
    if not db.exists():
        print(f"building the city demo warehouse into {db} …", flush=True)
        subprocess.run(
            [sys.executable, "-m", "etl", "demo", "--db", str(db), "--scale", "city"], cwd=REPO, check=True
        )
    return db


def cold(db: Path, runs: int) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MB) of `python -m etl note` in a new process."""
    times, peaks = [], []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "spravka.docx"
        cmd = [sys.executable, "-m", "etl", "note", "--db", str(db), "--period", PERIOD, "--out", str(out)]
        for _ in range(runs):
            started = time.perf_counter()
            proc = subprocess.Popen(
                cmd, cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), stdout=subprocess.DEVNULL
            )
            _, status, usage = os.wait4(proc.pid, 0)
            times.append(time.perf_counter() - started)
            peaks.append(usage.ru_maxrss / 1024)
            if os.waitstatus_to_exitcode(status) != 0 or not out.exists():
                raise RuntimeError(f"{' '.join(cmd)} failed")
    return statistics.median(times), max(peaks)


def warm(db: Path, runs: int) -> dict[str, float]:
    from auth.identity import User
    from reports import note

    user = User(login="bench", role="admin")
    note.build_note(db, user, PERIOD)  # the first build pays the imports and caches
    parts: dict[str, list[float]] = {
        "model without charts": [],
        "model with charts": [],
        "docx": [],
        "total": [],
    }
    for _ in range(runs):
        t0 = time.perf_counter()
        note.build_note_model(db, user, PERIOD, charts=False)
        t1 = time.perf_counter()
        model = note.build_note_model(db, user, PERIOD)
        t2 = time.perf_counter()
        note.render_docx(model)
        t3 = time.perf_counter()
        parts["model without charts"].append(t1 - t0)
        parts["model with charts"].append(t2 - t1)
        parts["docx"].append(t3 - t2)
        parts["total"].append(t3 - t1)
    return {k: statistics.median(v) for k, v in parts.items()}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    db = demo_db(args.db)
    cold_s, peak_mb = cold(db, args.runs)
    print(
        f"cold  python -m etl note (city, all areas, charts, appendices): {cold_s:7.2f} s, peak {peak_mb:.0f} MB"
    )
    for name, seconds in warm(db, args.runs).items():
        print(f"warm  {name:<22}{seconds:7.2f} s")
    verdict = "met" if cold_s < GOAL_COLD_S else "NOT met"
    print(f"goal: a city note under {GOAL_COLD_S:.0f} s cold — {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
