"""What the benchmarks share to measure: timed runs, this process's peak memory, a fresh child process, the load."""
from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def timed(work, repeat: int = 1) -> tuple[list[float], object]:
    """`work()` run `repeat` times, garbage collected before each: the seconds of each run and the last result.

    The previous run's result is dropped before the next run starts, so two results never share the peak."""
    runs, out = [], None
    for _ in range(repeat):
        out = None
        gc.collect()
        start = time.perf_counter()
        out = work()
        runs.append(time.perf_counter() - start)
    return runs, out


def peak_rss() -> int:
    """This process's peak resident set size in bytes (Linux gives `ru_maxrss` in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def run_child(script: str, args: list[str]) -> dict:
    """Run `script` with `args` in a fresh Python process; its last stdout line, read as JSON."""
    proc = subprocess.run([sys.executable, str(Path(script).resolve()), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child {' '.join(args)} failed with status {proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def load_average() -> str:
    """The machine's load averages over 1, 5 and 15 minutes (a shared machine makes figures noisy)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
