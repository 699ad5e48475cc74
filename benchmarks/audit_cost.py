"""The audit's fixed cost (issue 18, session 5): CPU per audit of small and large provinces, for one or more
checkouts of the library measured in the same run.

    python benchmarks/audit_cost.py                                  # this checkout: 1 and 30 teams
    python benchmarks/audit_cost.py --code /work/main/src --code src  # before / after, interleaved
    python benchmarks/audit_cost.py --sizes 1,30,1000 --audits 10,3,1

Each figure is a fresh child process (`--repeat` of them per checkout and size, interleaved across checkouts so a
change in the machine's load touches them alike) that builds the tables first (not timed), audits once to warm
up (imports, the calendar, compiled expressions), then times `--audits` audits (`audit(tables, packs, …)`, every
rule of the pack, the report object built) in CPU seconds (`time.process_time`, every thread of the process).
The figure is the median over the children of their CPU per audit. With 1,000 teams in `--sizes`, each child
at that size also times R — Polars reading the same generated JSON files with no validation (the faster of
`run.child_floor`'s two ways), in CPU seconds — so the line gives the audit ÷ R — and the report JSON
(`to_json_bytes()`, CPU, ÷ R; its sha256 printed, so that the checkouts' reports can be compared). With `--check`,
each checkout's `hongfeng-rules check FOLDER --format json --out FILE` is also run end to end at that size, from
the JSON files and from the same tables as typed Parquet (`tables.parquet.write_parquet`, written once), each a
fresh child interleaved with the others; its CPU is the child's user + system time (`wait4`), so the line gives
Parquet ÷ JSON. The load average is printed before and after.
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

from timing import load_average  # noqa: E402


def child(code: str, teams: int, audits: int, folder: str | None) -> dict:
    if code:
        sys.path.insert(0, code)
    import gc
    from datetime import datetime

    from generate import AS_OF, PERIOD, generate
    import hongfeng_rules
    from hongfeng_rules.auditing import audit
    from hongfeng_rules.rulebook.locate import load_packs
    from hongfeng_rules.tables import load_tables, tables_from_data

    packs = load_packs(["hongfeng"])
    as_of = datetime.fromisoformat(AS_OF)
    out: dict = {"library": str(Path(hongfeng_rules.__file__).parent)}
    if folder:
        tables = [load_tables(folder, _limits())]
        out["r_cpu"] = _floor_cpu(folder)
    else:
        tables = [tables_from_data(generate(teams, seed)) for seed in range(1, audits + 2)]
    audit(tables[0], packs, PERIOD, as_of)  # warm: imports, the calendar, each process's compiled parts
    gc.collect()
    start = time.process_time()
    for i in range(audits):
        report = audit(tables[(i + 1) % len(tables)], packs, PERIOD, as_of)
    out["audit_cpu"] = (time.process_time() - start) / audits
    out["findings"] = len(report.findings)
    if folder:
        import hashlib

        start = time.process_time()
        text = report.to_json_bytes()
        out["json_cpu"] = time.process_time() - start
        out["sha256"] = hashlib.sha256(text).hexdigest()
    return out


def check_cpu(code: str, source: str) -> dict:
    """`hongfeng-rules check` of `source` end to end in a fresh child: its CPU (user + system) and wall seconds."""
    from generate import AS_OF, PERIOD

    env = dict(os.environ, PYTHONPATH=code) if code else None
    with tempfile.TemporaryDirectory() as tmp:
        argv = [sys.executable, "-c", "import sys; from hongfeng_rules.cli import main; sys.exit(main())", "check",
                source, "--period", PERIOD, "--as-of", AS_OF, "--format", "json", "--out", f"{tmp}/report.json",
                "--max-file-bytes", str(8 * 1024 ** 3), "--max-records", "50000000"]
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"check of {source} failed with status {os.waitstatus_to_exitcode(status)}")
        return {"cpu": usage.ru_utime + usage.ru_stime, "wall": time.perf_counter() - start}


def _parquet(folder: Path) -> Path:
    """The folder's tables as typed Parquet, written once beside it."""
    target = Path(f"{folder}-parquet")
    if not target.exists():
        from hongfeng_rules.tables import load_tables
        from hongfeng_rules.tables.parquet import write_parquet

        write_parquet(load_tables(str(folder), _limits()), str(target) + ".partial")
        Path(str(target) + ".partial").rename(target)
    return target


def _limits():
    from dataclasses import replace

    from hongfeng_rules.safe_load import DEFAULT_LIMITS
    return replace(DEFAULT_LIMITS, max_file_bytes=8 * 1024 ** 3, max_records=50_000_000)


def _floor_cpu(folder: str) -> float:
    """R in CPU seconds: Polars reading the JSON files with no validation, the faster of `run.child_floor`'s two
    ways (with the tables' schema, instants as text; inferring the schema)."""
    from run import floor_cpu

    return floor_cpu(folder)


def _generate(teams: int, folder: Path) -> None:
    from generate import generate, write

    write(generate(teams, 1), str(folder))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", action="append", help="a src/ folder to measure (repeatable; default: installed)")
    parser.add_argument("--sizes", default="1,30", help="team counts, comma-separated")
    parser.add_argument("--audits", default="10,3", help="audits timed per child, per size")
    parser.add_argument("--repeat", type=int, default=3, help="children per checkout and size; medians")
    parser.add_argument("--data-dir", help="generated 1,000-team JSON folders kept here (else a temporary folder)")
    parser.add_argument("--check", action="store_true", help="at 1,000 teams and more, also `check` end to end from "
                        "JSON and from typed Parquet")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*json.loads(args.child))))
        return 0
    codes = args.code or [""]
    sizes = [int(s) for s in args.sizes.split(",")]
    audits = [int(a) for a in args.audits.split(",")] + [1] * len(sizes)
    print(f"load average {load_average()}, {os.cpu_count()} cores")
    data = Path(args.data_dir or tempfile.mkdtemp(prefix="audit-cost-"))
    for size, n in zip(sizes, audits):
        folder = None
        if size >= 1000:
            folder = data / f"teams-{size}"
            if not folder.exists():
                folder.mkdir(parents=True)
                _generate(size, folder)
        runs: dict[str, list[dict]] = {c: [] for c in codes}
        checks: dict[tuple[str, str], list[dict]] = {}
        sources = {"JSON": str(folder), "Parquet": str(_parquet(folder))} if folder and args.check else {}
        for _ in range(args.repeat):
            for code in codes:
                spec = json.dumps([code, size, n, str(folder) if folder else None])
                proc = subprocess.run([sys.executable, __file__, "--child", spec], capture_output=True, text=True)
                if proc.returncode:
                    sys.stderr.write(proc.stderr)
                    return 1
                runs[code].append(json.loads(proc.stdout.strip().splitlines()[-1]))
                for form, source in sources.items():
                    checks.setdefault((code, form), []).append(check_cpu(code, source))
        for code in codes:
            cpu = statistics.median(r["audit_cpu"] for r in runs[code])
            each = ", ".join(f"{r['audit_cpu'] * 1000:.1f}" for r in runs[code])
            line = (f"{size:>5} teams  {code or runs[code][0]['library']}: audit {cpu * 1000:9.1f} ms CPU "
                    f"(runs {each}; "
                    f"{runs[code][0]['findings']} findings)")
            if folder:
                r = statistics.median(x["r_cpu"] for x in runs[code])
                text = statistics.median(x["json_cpu"] for x in runs[code])
                line += (f"; R {r:.2f} s CPU; audit = {cpu / r:.2f} R; report JSON {text:.2f} s = {text / r:.2f} R "
                         f"(sha256 {runs[code][0]['sha256'][:12]}…)")
            print(line, flush=True)
            if sources:
                cpu = {form: statistics.median(c["cpu"] for c in checks[code, form]) for form in sources}
                each = {form: ", ".join(f"{c['cpu']:.2f}" for c in checks[code, form]) for form in sources}
                print(f"{'':>12}check end to end, CPU: from JSON {cpu['JSON']:.2f} s (runs {each['JSON']}), from "
                      f"Parquet {cpu['Parquet']:.2f} s (runs {each['Parquet']}): Parquet = "
                      f"{cpu['Parquet'] / cpu['JSON']:.2f} of JSON", flush=True)
    print(f"load average {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
