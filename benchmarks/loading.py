"""Loading benchmark (issue 18): reading and validating JSON into tables, against the floor R.

    python benchmarks/loading.py                    # 1,000 teams, 3 rounds; one team, 50 rounds
    python benchmarks/loading.py --teams 100 --rounds 5 --data-dir /tmp/data

At `--teams` teams (benchmarks/generate.py, one <collection>.json each), each round runs three fresh child
processes one after the other: R — Polars reading the same files into tables with no validation
(`run.py`'s floor: the faster of `pl.read_json` with the tables' schema and inferring it),
`tables.load_tables` and the per-object `load_dataset`, each timed once; rounds interleave them so that a
change of the machine's load falls on all three alike. Seconds are medians over the rounds, peak memory is
each child's maximum resident set size.

One team (`generate(1, seed=3)`, as a host passes it: plain dicts): `tables.tables_from_data(data)` against
`Dataset.model_validate(data)`; and the same team as one uploaded JSON file (what the HTTP service reads per
request): `tables.tables_from_files` against the per-record `loading.located_from_files`; alternated in one
process, medians of `--one-rounds`; also the process's CPU time per call (the machine is shared: wall time is
what a caller sees, CPU time what the call costs).

CPU, before/after (`--cpu`, with `--code SRC` once per checkout to compare): per round one fresh child for R
(`run.floor_ways`, the faster way; this checkout's library, which R does not depend on) and one per checkout for
`load_tables`, interleaved round by round; each child reads the folder once to warm up (imports, caches,
compiled patterns), then once timed, in CPU seconds (`time.process_time`, every thread) and wall seconds;
medians over the rounds.

Targets (printed PASS/FAIL, exit status 1 on a FAIL): load_tables ≤ 2 R and its peak RSS ≤ 1 GiB at the
largest size; one team's tables_from_data ≤ `Dataset.model_validate` (and the aim, ≤ 10 ms). The load
average is printed before and after: figures taken on a busy machine are noisy, the ratios less so.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import load_average, peak_rss, run_child, timed  # noqa: E402  (benchmarks/ is on the path now)

TABLES_PER_R = 2.0
PEAK_BYTES = 1024 ** 3
ONE_TEAM_AIM_S = 0.010


def child(kind: str, folder: str) -> dict:
    """One timed load of `folder` in this (fresh) process: {"s": seconds, "peak": bytes, "rows": n}."""
    if kind == "floor":
        from run import child_floor

        found = child_floor(folder, 1)
        return {"s": found["floor_s"], "way": found["floor_way"], "peak": found["floor_peak_bytes"]}
    if kind == "tables":
        from hongfeng_rules.tables import load_tables as load
    else:
        from hongfeng_rules import load_dataset as load
    (seconds,), _ = timed(lambda: load(folder))
    return {"s": seconds, "peak": peak_rss()}


def cpu_child(kind: str, folder: str) -> dict:
    """R ("floor") or load_tables ("tables") of `folder`, warmed once, then timed once: CPU and wall seconds."""
    from hongfeng_rules import tables

    if kind == "floor":
        from run import floor_ways

        files, ways = floor_ways(folder)
        calls = {way: (lambda read=read: [read(f) for f in files]) for way, read in ways.items()}
    else:
        calls = {"tables": lambda: tables.load_tables(folder)}
    out = {}
    for name, call in calls.items():
        call()
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        out[name] = {"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall}
    best = min(out, key=lambda w: out[w]["cpu"])
    return {**out[best], "way": best, "library": str(Path(tables.__file__).parent)}


def cpu_compare(folder: Path, codes: list[str], rounds: int) -> None:
    """R, and `cpu_child`'s load_tables for each checkout's src/ (`codes`; "" for the installed library), interleaved
    round by round; medians."""
    found: dict[str, list[dict]] = {code: [] for code in ["R", *codes]}
    for _ in range(rounds):
        for code in found:
            env = {**os.environ, "PYTHONPATH": code} if code not in ("", "R") else None
            proc = subprocess.run([sys.executable, __file__, "--child", "cpu-floor" if code == "R" else "cpu-tables",
                                   "--folder", str(folder)], env=env, capture_output=True, text=True, check=True)
            found[code].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    med = {code: {m: statistics.median(r[m] for r in runs) for m in ("cpu", "wall")} for code, runs in found.items()}
    r = med["R"]
    print(f"  R (pl.read_json, {found['R'][-1]['way']}): {r['cpu']:.2f} s CPU, {r['wall']:.2f} s wall; CPU runs "
          f"{[round(x['cpu'], 2) for x in found['R']]}")
    for code in codes:
        m, runs = med[code], found[code]
        print(f"  load_tables of {code or runs[0]['library']}: {m['cpu']:.2f} s CPU = {m['cpu'] / r['cpu']:.2f} R, "
              f"{m['wall']:.2f} s wall = {m['wall'] / r['wall']:.2f} R; CPU runs {[round(x['cpu'], 2) for x in runs]}")


def one_team(rounds: int) -> dict:
    """tables_from_data vs Dataset.model_validate on one generated team, alternated; medians (wall, CPU)."""
    from generate import generate
    from hongfeng_rules.loading import located_from_files
    from hongfeng_rules.models import Dataset
    from hongfeng_rules.tables import tables_from_data, tables_from_files

    data = json.loads(json.dumps(generate(1, seed=3)))
    upload = [("team.json", json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))]
    records = sum(len(v) for v in data.values() if isinstance(v, list))
    calls = {"tables": lambda: tables_from_data(data), "pydantic": lambda: Dataset.model_validate(data),
             "upload_tables": lambda: tables_from_files(upload), "upload_pydantic": lambda: located_from_files(upload)}
    runs = {k: [] for name in calls for k in (name, name + "_cpu")}
    for name in calls:  # warm: first calls compile regexes and build adapters
        calls[name]()
    for _ in range(rounds):
        for name, call in calls.items():
            wall, cpu = time.perf_counter(), time.process_time()
            call()
            runs[name].append(time.perf_counter() - wall)
            runs[name + "_cpu"].append(time.process_time() - cpu)
    return {"records": records, **{k: statistics.median(v) for k, v in runs.items()}}


def _run(args: list[str]) -> dict:
    return run_child(__file__, args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--one-rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", help="generate into (or reuse) this folder")
    parser.add_argument("--skip-teams", action="store_true", help="only the one-team figures")
    parser.add_argument("--cpu", action="store_true", help="CPU of R and load_tables per checkout (`--code`), only")
    parser.add_argument("--code", action="append", help="a src/ folder to measure with --cpu (repeatable)")
    parser.add_argument("--child", choices=["floor", "tables", "dataset", "one", "cpu-floor", "cpu-tables"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "one":
        print(json.dumps(one_team(args.one_rounds)))
        return 0
    if args.child:
        cpu = args.child.startswith("cpu-")
        print(json.dumps(cpu_child(args.child[4:], args.folder) if cpu else child(args.child, args.folder)))
        return 0

    print(f"{os.cpu_count()} cores, load average before: {load_average()}")
    failed = []
    if not args.skip_teams:
        with tempfile.TemporaryDirectory(prefix="hongfeng-loading-") as tmp:
            folder = Path(args.data_dir or tmp) / f"teams-{args.teams}-seed-{args.seed}"
            if not (folder / "members.json").exists():
                subprocess.run([sys.executable, str(HERE / "generate.py"), str(args.teams), str(folder),
                                "--seed", str(args.seed)], check=True, capture_output=True)
            size = sum(p.stat().st_size for p in folder.glob("*.json"))
            if args.cpu:
                print(f"{args.teams:,} teams, {size / 1024 ** 2:.0f} MiB of JSON, medians of {args.rounds} rounds:")
                cpu_compare(folder, args.code or [""], args.rounds)
                print(f"load average after: {load_average()}")
                return 0
            found: dict[str, list[dict]] = {"floor": [], "tables": [], "dataset": []}
            for _ in range(args.rounds):
                for kind in found:
                    found[kind].append(_run(["--child", kind, "--folder", str(folder)]))
            med = {k: statistics.median(r["s"] for r in v) for k, v in found.items()}
            peak = {k: max(r["peak"] for r in v) / 1024 ** 2 for k, v in found.items()}
            print(f"{args.teams:,} teams, {size / 1024 ** 2:.0f} MiB of JSON, medians of {args.rounds} rounds:")
            print(f"  {'R (pl.read_json, ' + found['floor'][-1]['way'] + ')':30} {med['floor']:7.2f} s         peak {peak['floor']:6.0f} MiB"
                  f"   runs {[round(r['s'], 2) for r in found['floor']]}")
            for kind, label in (("tables", "load_tables"), ("dataset", "load_dataset")):
                print(f"  {label:30} {med[kind]:7.2f} s = {med[kind] / med['floor']:.2f} R   peak "
                      f"{peak[kind]:6.0f} MiB   runs {[round(r['s'], 2) for r in found[kind]]}")
            ok = med["tables"] <= TABLES_PER_R * med["floor"]
            print(f"  {'PASS' if ok else 'FAIL'} load_tables ≤ {TABLES_PER_R:g} R")
            failed += [] if ok else ["load_tables ≤ 2 R"]
            ok = peak["tables"] * 1024 ** 2 <= PEAK_BYTES
            print(f"  {'PASS' if ok else 'FAIL'} load_tables peak RSS ≤ 1 GiB")
            failed += [] if ok else ["peak RSS"]
    one = _run(["--child", "one", "--one-rounds", str(args.one_rounds)])
    print(f"one team ({one['records']:,} records), medians of {args.one_rounds}:")
    print(f"  tables_from_data        {one['tables'] * 1000:7.1f} ms   CPU {one['tables_cpu'] * 1000:7.1f} ms")
    print(f"  Dataset.model_validate  {one['pydantic'] * 1000:7.1f} ms   CPU {one['pydantic_cpu'] * 1000:7.1f} ms")
    print(f"  as one JSON upload: tables_from_files {one['upload_tables'] * 1000:7.1f} ms   CPU "
          f"{one['upload_tables_cpu'] * 1000:7.1f} ms; located_from_files {one['upload_pydantic'] * 1000:7.1f} ms   CPU "
          f"{one['upload_pydantic_cpu'] * 1000:7.1f} ms")
    ok = one["tables"] <= one["pydantic"]
    print(f"  {'PASS' if ok else 'FAIL'} tables_from_data ≤ Dataset.model_validate; "
          f"{'within' if one['tables'] <= ONE_TEAM_AIM_S else 'above'} the aim of {ONE_TEAM_AIM_S * 1000:g} ms")
    failed += [] if ok else ["one team"]
    print(f"load average after: {load_average()}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
