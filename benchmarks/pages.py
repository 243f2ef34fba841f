"""How long each page of the app (ui/navigation.py) takes to run (Streamlit AppTest), cold and warm, on the
demo warehouses.

    .venv/bin/python benchmarks/pages.py [--scale city region] [--db-city PATH] [--db-region PATH]

Cold: the page's first run with empty caches (queries run, figures are built). Warm: the median of the next
runs with the same filters (what a user waits for after the first view). Goal: under 0.5 s warm at region
scale. The demo warehouses are built into benchmarks/_work/ (git-ignored) when no path is given.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ui.navigation import FILES as PAGES  # noqa: E402 (after the repository is on the path)

GOAL_WARM_S = 0.5


def demo_db(scale: str, given: str | None) -> Path:
    if given:
        return Path(given)
    db = REPO / "benchmarks" / "_work" / f"demo-{scale}.duckdb"
    if not db.exists():
        print(f"building the {scale} demo warehouse into {db} …", flush=True)
        subprocess.run(
            [sys.executable, "-m", "etl", "demo", "--db", str(db), "--scale", scale], cwd=REPO, check=True
        )
    return db


def measure(db: Path | str, page: str, warm_runs: int) -> tuple[float, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from auth import identity
    from warehouse import queries

    os.environ["IMC_DB"] = str(db)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    # signed in as an administrator, as the page tests do (the benchmark warehouses are not demo ones)
    at.session_state["imc_user"] = identity.User(login="bench", role="admin")
    at.run()  # imports and the router, not timed
    st.cache_data.clear()
    st.cache_resource.clear()  # the validated figures (ui.widgets) live there
    queries.close_all()
    if page != "pages/overview.py":
        at.switch_page(page)
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].value}")
    warm = []
    for _ in range(warm_runs):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    return cold, statistics.median(warm)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", nargs="+", default=["city", "region"], choices=["city", "region"])
    parser.add_argument("--db-city")
    parser.add_argument("--db-region")
    parser.add_argument("--warm-runs", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    worst = 0.0
    print(f"{'scale':<8}{'page':<24}{'cold, s':>10}{'warm, s':>10}")
    for scale in args.scale:
        db = demo_db(scale, getattr(args, f"db_{scale}"))
        for page in PAGES:
            cold, warm = measure(db, page, args.warm_runs)
            if scale == "region":
                worst = max(worst, warm)
            print(f"{scale:<8}{page:<24}{cold:>10.3f}{warm:>10.3f}", flush=True)
    if "region" in args.scale:
        verdict = "met" if worst < GOAL_WARM_S else "NOT met"
        print(f"goal: warm under {GOAL_WARM_S} s at region scale — {verdict} (slowest warm {worst:.3f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
