"""ETL benchmark: a full load of a demo scale against a bare DuckDB `read_csv` of the same CSV files.

    python -m benchmarks.etl [--scale region] [--runs 1]

The baseline reads every CSV file of the data set into a table of a fresh DuckDB file, with nothing else;
the ETL step is `python -m etl load` of the same folder into a fresh warehouse (read, normalise, validate
with GX, quarantine, write, build the marts, publish). Both run as separate processes; the table shows the
median wall time, the peak memory and their ratio.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from benchmarks.common import WORK, Figure, demo_files, median_of, print_table, python

BASELINE_SCRIPT = """
import sys, duckdb, pathlib
folder, db = pathlib.Path(sys.argv[1]), sys.argv[2]
con = duckdb.connect(db)
for i, path in enumerate(sorted(folder.glob('*.csv'))):
    con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, all_varchar=true)", [str(path)])
con.close()
"""


def _fresh(path: Path) -> None:
    for p in path.parent.glob(path.name + "*"):
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink()
    shutil.rmtree(path.parent / "archive", ignore_errors=True)


def _check_loaded(db: Path) -> None:
    """A benchmark of a load that rejected or quarantined rows would measure the wrong thing."""
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        bad = con.execute(
            "SELECT source_file, status, message_ru FROM dq.load_log WHERE status NOT IN ('loaded', 'partial')"
        ).fetchall()
    if bad:
        raise RuntimeError(f"the benchmark load did not load everything: {bad}")


def bench_load(scale: str, runs: int) -> list[Figure]:
    folder = demo_files(scale)
    work = WORK / f"etl_{scale}"
    work.mkdir(parents=True, exist_ok=True)
    base_db = work / "baseline.duckdb"
    etl_db = work / "etl.duckdb"
    base_s, base_mb = median_of(
        runs, python("-c", BASELINE_SCRIPT, str(folder), str(base_db)), prepare=lambda: _fresh(base_db)
    )
    # the country staff file (≈330 MB) is over the default 200 MB limit, which is meant for one school's file
    etl_s, etl_mb = median_of(
        runs,
        python("-m", "etl", "load", "--quiet", "--db", str(etl_db), str(folder)),
        prepare=lambda: _fresh(etl_db),
        env={"IMC_MAX_FILE_MB": "100000"},
    )
    _check_loaded(etl_db)
    return [
        Figure(scale, "duckdb read_csv (baseline)", base_s, base_mb),
        Figure(
            scale,
            "full load (etl load)",
            etl_s,
            etl_mb,
            baseline_step="read_csv",
            baseline_seconds=base_s,
            target="≤ 5× read_csv, < 3 GB" if scale == "country" else "",
        ),
    ]


RESULT_STEMS = ("ege_", "gve11_", "gia9_", "vpr_", "olympiad_")
FILES_BASELINE_SCRIPT = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
for i, path in enumerate(sys.argv[2:]):
    con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?, all_varchar=true)", [path])
con.close()
"""


def bench_results_load(scale: str, runs: int, full_load: Figure | None = None) -> list[Figure]:
    """The results files of a scale (ЕГЭ per subject, ГИА-9, ВПР per grade, olympiad per stage; CSV at region
    scale) loaded with the registry into a fresh warehouse, against a bare read_csv of the same files (the full
    load's target, 5×). `full_load` is accepted for the callers and no longer used."""
    folder = demo_files(scale)
    work = WORK / f"etl_results_{scale}"
    work.mkdir(parents=True, exist_ok=True)
    db = work / "etl.duckdb"
    files = [str(folder / "institutions.csv")] + sorted(
        str(p) for p in folder.iterdir() if p.name.startswith(RESULT_STEMS)
    )
    seconds, mb = median_of(
        runs,
        python("-m", "etl", "load", "--quiet", "--db", str(db), *files),
        prepare=lambda: _fresh(db),
        env={"IMC_MAX_FILE_MB": "100000"},
    )
    _check_loaded(db)
    base_db = work / "baseline.duckdb"
    csv_files = [f for f in files if f.endswith(".csv")]
    base_s, base_mb = median_of(
        runs, python("-c", FILES_BASELINE_SCRIPT, str(base_db), *csv_files), prepare=lambda: _fresh(base_db)
    )
    return [
        Figure(scale, f"results read_csv ({len(csv_files)} CSV files, baseline)", base_s, base_mb),
        Figure(
            scale,
            f"results load ({len(files) - 1} files + registry)",
            seconds,
            mb,
            baseline_step="read_csv",
            baseline_seconds=base_s,
            target="≤ 5× read_csv",  # the full load's target
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="region", choices=["city", "region", "country"])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    figures = bench_load(args.scale, args.runs)
    print_table(figures + bench_results_load(args.scale, args.runs, figures[-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
