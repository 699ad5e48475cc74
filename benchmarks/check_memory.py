"""`check` end to end, where its memory goes: peak RSS per phase (load, audit, writing the report) and wall
seconds, from the generated JSON files and from typed Parquet, for one or more versions of the library side by
side (issue 18: memory and the report output at scale).

    python benchmarks/check_memory.py --code before=/work/snap/src --code after=src --teams 1000 --repeat 3
    python benchmarks/check_memory.py --teams 10000 --sources parquet --repeat 1

Each run is a fresh child process running `hongfeng-rules check FOLDER --format json --out FILE` (as
`column_core.py` does) with a thread reading its own VmRSS every 20 ms; the phases are marked by wrapping
`cli.load_tables_located`, `cli.audit` and `cli.write_atomic`. Tracemalloc would not see Polars' memory: the
RSS does. The runs of the versions are interleaved (so a change in the machine's load touches them alike);
seconds are medians, peaks the largest over the runs (the sampled peak, and `ru_maxrss` from `wait4`). The
reports of every version must be the same bytes from each source (sha256 printed; the two sources' reports
differ in `dataset`, the path). Data: `column_core.py`'s cache.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from column_core import GIB, Env, check_argv, dataset, loadavg, parquet, run  # noqa: E402

PHASES = ("load", "audit", "write")  # and the time between them: "start" (imports, packs) and "after audit"
SHOWN = ("start", "load", "audit", "after audit", "write")  # "after audit": rendering, where it is not streamed


def child(argv: list[str]) -> None:
    """Run `check` with the RSS sampler; print the phases' seconds and peaks as the last stdout line."""
    samples: list[tuple[float, int]] = []
    marks: list[tuple[str, float]] = []
    start = time.perf_counter()

    def rss() -> int:
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))

    def sample() -> None:
        while True:
            samples.append((time.perf_counter() - start, rss()))
            time.sleep(0.02)

    threading.Thread(target=sample, daemon=True).start()
    from hongfeng_rules import cli

    def wrapped(name, f):
        def call(*a, **k):
            marks.append((name, time.perf_counter() - start))
            try:
                return f(*a, **k)
            finally:
                marks.append(("after " + name, time.perf_counter() - start))
        return call

    for name, attr in zip(PHASES, ("load_tables_located", "audit", "write_atomic")):
        setattr(cli, attr, wrapped(name, getattr(cli, attr)))
    code = cli.main(argv)
    end = time.perf_counter() - start
    samples.append((end, rss()))
    out = {"exit": code}
    edges = [("start", 0.0), *marks, ("end", end)]  # a what-if's second audit adds to its phase's figures
    for (name, t0), (_, t1) in zip(edges, edges[1:]):
        inside = [r for t, r in samples if t0 <= t <= t1] or [0]
        seen = out.setdefault(name, {"s": 0.0, "peak": 0})
        seen["s"] += t1 - t0
        seen["peak"] = max(seen["peak"], *inside)
    out["sampled_peak"] = max(r for _, r in samples)
    print(json.dumps(out))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", action="append", default=[], metavar="LABEL=DIR",
                        help="a version of the library to measure (its src folder); default: this checkout")
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--sources", default="json,parquet")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cache", default="/tmp/hf-bench")
    parser.add_argument("--cap-gib", type=float, default=20.0)
    parser.add_argument("--packs", default="hongfeng")
    parser.add_argument("--json", help="write the raw figures here")
    parser.add_argument("--child", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return 0
    codes = [c.split("=", 1) for c in args.code] or [["this", str(HERE.parent / "src")]]
    envs = {label: Env(sys.executable, str(Path(d).resolve()), label) for label, d in codes}
    cap = args.cap_gib * GIB
    first = next(iter(envs.values()))
    folder, stats = dataset(Path(args.cache), args.teams, first, cap)
    sources = {"json": folder, "parquet": parquet(Path(args.cache), folder, first, cap)}
    sources = {k: sources[k] for k in args.sources.split(",")}
    print(f"load average {loadavg()}; {args.teams:,} teams; versions: " + ", ".join(f"{k}={d}" for k, d in codes))
    runs: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            for source, path in sources.items():
                for label, env in envs.items():
                    out = Path(tmp) / f"{label}-{source}.json"
                    argv = check_argv(env, path, out, args.packs)
                    argv = [env.python, str(Path(__file__).resolve()), "--child", *argv[3:]]
                    r = run(argv, env, cap, ok=(0, 1))
                    if not r["killed"]:
                        r["sha256"] = hashlib.sha256(out.read_bytes()).hexdigest()
                        r["report_bytes"] = out.stat().st_size
                        out.unlink()
                    runs.setdefault((label, source), []).append(r)
                    print(f"  run {i + 1} {label} from {source}: " + _line(r), flush=True)
    print(f"load average {loadavg()}")
    print("\nmedian seconds / largest peak GiB per phase:")
    for (label, source), rs in runs.items():
        done = [r for r in rs if not r["killed"]]
        if not done:
            print(f"  {label:8s} {source:8s} killed above {args.cap_gib} GiB")
            continue
        med = lambda key: statistics.median(r[key] for r in done)  # noqa: E731
        phases = "  ".join(f"{p} {statistics.median(r[p]['s'] for r in done):6.1f} s "
                           f"{max(r[p]['peak'] for r in done) / GIB:5.2f}" for p in SHOWN
                           if all(p in r for r in done))
        print(f"  {label:8s} {source:8s} wall {med('wall_s'):6.1f} s  peak {max(r['peak_bytes'] for r in done) / GIB:5.2f}"
              f" GiB  | {phases}")
    same = True
    for source in sources:
        digests = {r["sha256"] for (_, s), rs in runs.items() if s == source for r in rs if not r["killed"]}
        same &= len(digests) == 1
        print(f"reports from {source}: {'the same bytes' if len(digests) == 1 else 'DIFFERENT'} "
              f"({', '.join(d[:12] for d in sorted(digests))}; {max(r.get('report_bytes', 0) for rs in runs.values() for r in rs):,} bytes)")
    if args.json:
        Path(args.json).write_text(json.dumps({f"{k[0]}/{k[1]}": v for k, v in runs.items()}, indent=1))
    return 0 if same else 1


def _line(r: dict) -> str:
    if r["killed"]:
        return "KILLED above the cap"
    return f"{r['wall_s']:.1f} s, peak {r['peak_bytes'] / GIB:.2f} GiB, " + ", ".join(
        f"{p} {r[p]['s']:.1f} s/{r[p]['peak'] / GIB:.2f}" for p in SHOWN if p in r)


if __name__ == "__main__":
    sys.exit(main())
