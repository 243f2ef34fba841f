"""Shared pieces of the benchmarks: run a command in a fresh process, time it, read its peak memory.

Every figure is measured in its own subprocess (os.wait4 gives that child's own peak RSS), and every
target is a ratio against a baseline measured in the same run, because these machines are shared and noisy.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "benchmarks" / "_work"


@dataclass
class Figure:
    scale: str
    step: str
    seconds: float
    peak_mb: float
    baseline_step: str = ""
    baseline_seconds: float | None = None
    target: str = ""

    @property
    def ratio(self) -> float | None:
        if not self.baseline_seconds:
            return None
        return self.seconds / self.baseline_seconds


# GNU time: the peak RSS of a command it starts itself. A child of this process would report at least this
# process's own peak (Linux keeps the high-water mark across fork and exec), which after the in-process steps
# of a benchmark is gigabytes
GNU_TIME = Path("/usr/bin/time")


def run_measured(cmd: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one command run in a new process."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        timed = [str(GNU_TIME), "-f", "%M", "-o", rss.name, *cmd] if GNU_TIME.exists() else list(cmd)
        started = time.perf_counter()
        proc = subprocess.Popen(
            timed, cwd=REPO, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        peak_kb = float(rss.read().split()[-1]) if GNU_TIME.exists() else usage.ru_maxrss
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{stderr[-3000:]}")
    return seconds, peak_kb / 1024


def median_of(
    runs: int, cmd: Sequence[str], prepare=None, env: dict[str, str] | None = None
) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(runs):
        if prepare:
            prepare()
        seconds, peak = run_measured(cmd, env)
        times.append(seconds)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def demo_files(scale: str, seed: int = 42) -> Path:
    """The demo input files of a scale, generated once into benchmarks/_work and reused."""
    folder = WORK / f"input_{scale}_{seed}"
    done = folder / ".complete"
    if not done.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            python("-m", "etl", "generate", "--scale", scale, "--out", str(folder), "--seed", str(seed)),
            cwd=REPO,
            env=dict(os.environ, PYTHONPATH=str(REPO)),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        done.touch()
    return folder


def print_table(figures: Sequence[Figure], out=sys.stdout) -> None:
    header = ("scale", "step", "median s", "peak MB", "baseline", "baseline s", "ratio", "target")
    rows = [
        (
            f.scale,
            f.step,
            f"{f.seconds:.3f}",
            f"{f.peak_mb:.0f}" if f.peak_mb else "",
            f.baseline_step,
            f"{f.baseline_seconds:.3f}" if f.baseline_seconds else "",
            f"{f.ratio:.2f}×" if f.ratio else "",
            f.target,
        )
        for f in figures
    ]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=False)]
    line = " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    print(line, file=out)
    print("-|-".join("-" * w for w in widths), file=out)
    for row in rows:
        print(" | ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)), file=out)
