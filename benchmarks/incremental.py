"""One institution's corrected file loaded into a `region` warehouse (target: under 2 s end to end).

    python -m benchmarks.incremental [--runs 5]

Measured two ways: in a process that has already imported the loader (as the app's upload page is: the
server imports great_expectations once), and as a whole `python -m etl load` command (which pays ~3 s of
imports first). The baseline is the full load of the whole region data set in the same run, so the ratio says
what share of a full rebuild a correction costs.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

from benchmarks.common import WORK, Figure, demo_files, median_of, print_table, python, run_measured


def corrected_file(folder: Path, out: Path) -> tuple[Path, str]:
    """The latest staff file's rows of one institution, with one value changed (a corrected resubmission)."""
    from etl.readers import read_file

    # not staff_needs_*.csv, which sorts after the staff files
    staff = sorted(p for p in folder.glob("staff_*.csv") if not p.name.startswith("staff_needs"))[-1]
    frame = read_file(staff, staff.read_bytes()).frame
    inst = frame["inst_id"].iloc[len(frame) // 2]
    mine = frame[frame["inst_id"] == inst].copy()
    mine.loc[mine.index[0], "ict_training"] = "нет" if mine["ict_training"].iloc[0] == "да" else "да"
    out.parent.mkdir(parents=True, exist_ok=True)
    mine.to_csv(out, sep=";", index=False)  # canonical headers: the loader accepts them too
    return out, inst


def _variant(path: Path, n: int) -> Path:
    """A byte-different copy (a trailing empty row), so that the load is not skipped as a duplicate."""
    target = path.with_name(f"{path.stem}_{n}{path.suffix}")
    target.write_bytes(path.read_bytes() + b"\n" * (n + 1))
    return target


def bench_incremental(runs: int, full_load_seconds: float | None = None) -> list[Figure]:
    folder = demo_files("region")
    work = WORK / "incremental"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "region.duckdb"
    full_s, _ = run_measured(python("-m", "etl", "load", "--quiet", "--db", str(db), str(folder)))
    baseline = full_load_seconds or full_s
    fix, _inst = corrected_file(folder, work / "corrected.csv")

    # in-process, loader already imported (the app's upload path)
    from etl.loader import load_files

    load_files([_variant(fix, 0)], db)  # warm-up: imports, GX context
    times = []
    for n in range(1, runs + 1):
        variant = _variant(fix, n)
        start = time.perf_counter()
        result = load_files([variant], db)
        times.append(time.perf_counter() - start)
        assert result.files[0].rows_loaded > 0, result.files[0].message_ru
    warm = statistics.median(times)

    counter = iter(range(100, 100 + runs * 2))
    cli_s, cli_mb = median_of(
        runs,
        python("-m", "etl", "load", "--quiet", "--db", str(db), str(work / "next.csv")),
        prepare=lambda: shutil.copy(_variant(fix, next(counter)), work / "next.csv"),
    )
    return [
        Figure("region", "full load of the region (baseline)", baseline, 0),
        Figure(
            "region",
            "corrected file, loader warm (app)",
            warm,
            0,
            baseline_step="full load",
            baseline_seconds=baseline,
            target="< 2 s",
        ),
        Figure(
            "region",
            "corrected file, etl load command",
            cli_s,
            cli_mb,
            baseline_step="full load",
            baseline_seconds=baseline,
            target="< 2 s",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    print_table(bench_incremental(args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
