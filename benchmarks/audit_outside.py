"""The audit outside the rules (issue 18, session 5): what an audit costs beyond evaluating the rules — the
findings built from the result rows, the derived results (member levels, star titles), the order, the
summaries, the future records and the report object.

    python benchmarks/audit_outside.py                       # one team (8 seeds) and 1,000 teams, medians of 3
    python benchmarks/audit_outside.py --teams 0             # one team only
    python benchmarks/audit_outside.py --folder DIR          # 1,000 teams from this folder of JSON files
    python benchmarks/audit_outside.py --code /tmp/before,.  # two source trees, interleaved in one run

One team: `generate(1, seed)` for 8 seeds, read into tables once; each round audits every dataset (the hongfeng
pack), and the CPU time spent inside `columns.engine.evaluate_all` (the rules' result rows) is told apart from
the rest of `audit()`. The figures are CPU ms per audit, the median of 3 rounds (after a warm-up round).

Each code tree (`--code`) is measured by fresh children, run after run in turn. 1,000 teams: each run is two
fresh children, one after the other: R (Polars reading the JSON files with no
validation, as benchmarks/run.py measures it) and `load_tables` + `audit()` + `to_json_bytes()`, the audit timed
(wall and CPU) and its rule evaluation told apart as above; peak RSS is the child's. Medians of `--repeat`.
Speed on a shared machine is compared as ratios within one run; the load average is printed.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import load_average, peak_rss  # noqa: E402  (benchmarks/ is on the path now)

SEEDS = 8


def _rule_clock():
    """Wrap `engine.evaluate_all` to add the CPU seconds spent in it to the returned list's first item."""
    from hongfeng_rules.columns import engine

    spent, evaluate = [0.0], engine.evaluate_all

    def timed(*args, **kwargs):
        start = time.process_time()
        try:
            return evaluate(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - start
    engine.evaluate_all = timed
    return spent


def one_team(repeat: int) -> dict:
    from datetime import datetime

    from generate import AS_OF, PERIOD, generate
    from hongfeng_rules import audit
    from hongfeng_rules.rulebook.locate import load_packs
    from hongfeng_rules.tables.load import tables_from_data

    packs = load_packs(["hongfeng"])
    as_of = datetime.fromisoformat(AS_OF)
    datasets = [tables_from_data(generate(1, seed=seed)) for seed in range(SEEDS)]
    spent = _rule_clock()
    rounds = []
    for _ in range(repeat + 1):
        spent[0] = 0.0
        start = time.process_time()
        for data in datasets:
            audit(data, packs, PERIOD, as_of)
        total = time.process_time() - start
        rounds.append((1000 * total / SEEDS, 1000 * spent[0] / SEEDS))
    rounds = rounds[1:]  # the first round warms up (imports, the calendar, caches)
    return {"audit_ms": statistics.median(t for t, _ in rounds), "rules_ms": statistics.median(r for _, r in rounds),
            "outside_ms": statistics.median(t - r for t, r in rounds), "rounds": rounds}


def child_audit(folder: str) -> dict:
    import gc
    from datetime import datetime

    from generate import AS_OF, PERIOD
    from hongfeng_rules import audit
    from hongfeng_rules.rulebook.locate import load_packs
    from hongfeng_rules.tables import load_tables

    packs = load_packs(["hongfeng"])
    data = load_tables(folder)
    spent = _rule_clock()
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    report = audit(data, packs, PERIOD, datetime.fromisoformat(AS_OF), dataset_label="bench")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    start = time.perf_counter()
    text = report.to_json_bytes()
    json_s = time.perf_counter() - start
    import hashlib
    return {"audit_s": wall, "audit_cpu_s": cpu, "rules_cpu_s": spent[0], "outside_cpu_s": cpu - spent[0], "json_s": json_s,
            "report_bytes": len(text), "sha256": hashlib.sha256(text).hexdigest(), "peak_bytes": peak_rss()}


def child_floor(folder: str) -> dict:
    """benchmarks/run.py's R (the faster of two ways to read the files), with the CPU seconds of that way."""
    import run

    cpus, timed = [], run.timed

    def clocked(work, repeat=1):
        start = time.process_time()
        out = timed(work, repeat)
        cpus.append(time.process_time() - start)
        return out
    run.timed = clocked
    out = run.child_floor(folder, 1)
    return {**out, "floor_cpu_s": cpus[list(out["floor_ways"]).index(out["floor_way"])]}


def _child(kind: str, code: str | None, *args: str) -> dict:
    """A fresh child measuring `kind` with the library in `code` (a source tree; None: the installed one)."""
    import os

    env = dict(os.environ, **({"PYTHONPATH": str(Path(code) / "src")} if code else {}))
    out = subprocess.run([sys.executable, __file__, "--child", kind, *args], capture_output=True, text=True, env=env)
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"child {kind} ({code or 'installed'}) failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def province(folder: str, repeat: int, codes: list) -> dict:
    """Medians of `repeat` runs of each code tree, the trees interleaved run by run, each run beside its own R."""
    runs: dict = {code: [] for code in codes}
    for _ in range(repeat):
        for code in codes:
            floor = _child("floor", code, "--folder", folder)
            audited = _child("audit", code, "--folder", folder)
            runs[code].append({**floor, **audited})
            print(f"  {code or 'installed'}: R {floor['floor_s']:.2f} s ({floor['floor_cpu_s']:.2f} s CPU); audit "
                  f"{audited['audit_s']:.2f} s wall, {audited['audit_cpu_s']:.2f} s CPU (rules {audited['rules_cpu_s']:.2f} s); "
                  f"peak {audited['peak_bytes'] / 2 ** 30:.2f} GiB; load {load_average()}", flush=True)
    out = {}
    for code, done in runs.items():
        med = {k: statistics.median(r[k] for r in done) for k in (
            "floor_s", "audit_s", "audit_cpu_s", "rules_cpu_s", "outside_cpu_s", "json_s", "floor_cpu_s", "peak_bytes")}
        med["ratios"] = [r["audit_s"] / r["floor_s"] for r in done]
        med["cpu_ratios"] = [r["audit_cpu_s"] / r["floor_cpu_s"] for r in done]
        med["sha256"] = sorted({r["sha256"] for r in done})
        med["report_bytes"] = done[-1]["report_bytes"]
        out[code] = med
    return out


def _folder(teams: int) -> str:
    """The generated JSON files of `teams` teams (seed 1, violation rate 0.1), cached in /tmp/hf-bench."""
    from generate import generate, write

    folder = Path(f"/tmp/hf-bench/teams-{teams}-seed1-rate0.1")
    if not (folder / "members.json").exists():
        write(generate(teams, 1, 0.1), str(folder))
    return str(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=1000, help="size of the province run (0: skip it)")
    parser.add_argument("--folder", help="the province's JSON files (default: generated into /tmp/hf-bench)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--code", default="", help="source trees to measure in the same run, comma-separated (a "
                                                    "worktree of another commit: its src/ is imported); default: "
                                                    "the installed library")
    parser.add_argument("--child", choices=["audit", "floor", "one"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        work = {"audit": lambda: child_audit(args.folder), "floor": lambda: child_floor(args.folder),
                "one": lambda: one_team(args.repeat)}[args.child]
        print(json.dumps(work()))
        return 0
    codes = [c for c in args.code.split(",") if c] or [None]
    print(f"load average {load_average()}", flush=True)
    for code in codes:
        one = _child("one", code, "--repeat", str(args.repeat))
        print(f"{code or 'installed'}: one team (hongfeng pack, {SEEDS} seeds, median of {args.repeat} rounds, CPU "
              f"per audit): audit {one['audit_ms']:.1f} ms = rules {one['rules_ms']:.1f} ms + outside the rules "
              f"{one['outside_ms']:.1f} ms (rounds {', '.join(f'{t - r:.1f}' for t, r in one['rounds'])}); load "
              f"{load_average()}", flush=True)
    if args.teams:
        folder = args.folder or _folder(args.teams)
        for code, m in province(folder, args.repeat, codes).items():
            print(f"{code or 'installed'}: {args.teams:,} teams (medians of {args.repeat}): R {m['floor_s']:.2f} s; "
                  f"audit {m['audit_s']:.2f} s = {m['audit_s'] / m['floor_s']:.2f} R (runs "
                  f"{', '.join(f'{x:.2f}' for x in m['ratios'])}); CPU: R {m['floor_cpu_s']:.2f} s, audit "
                  f"{m['audit_cpu_s']:.2f} s = {m['audit_cpu_s'] / m['floor_cpu_s']:.2f} R (runs "
                  f"{', '.join(f'{x:.2f}' for x in m['cpu_ratios'])}) = rules {m['rules_cpu_s']:.2f} s + outside "
                  f"{m['outside_cpu_s']:.2f} s; report JSON {m['json_s']:.2f} s ({m['report_bytes']:,} B, sha256 "
                  f"{', '.join(s[:8] for s in m['sha256'])}); peak RSS {m['peak_bytes'] / 2 ** 30:.2f} GiB; "
                  f"load {load_average()}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
