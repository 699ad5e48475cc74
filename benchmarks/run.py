"""Province-scale benchmark (issue #8): how load, audit and report cost grow with the data.

    python benchmarks/run.py                       # 100, 300 and 1,000 teams, medians of 3 runs
    python benchmarks/run.py --sizes 30,100 --repeat 5
    python benchmarks/run.py --sources parquet,sqlite,postgres   # also load the largest size from these

For each size a child process generates the data into a temporary folder (one <collection>.json
each), and a second, fresh child process measures, `--repeat` times: load-and-validate
(`hongfeng_rules.load_dataset` on the folder), the audit (every rule of the shipped packs, report
built) and `report.to_json_bytes()`. Seconds are medians; peak memory is the measuring child's maximum
resident set size (`ru_maxrss`), so sizes do not pollute each other. Targets are checked at the
largest size and between consecutive sizes, and printed as PASS/FAIL; the exit status is 1 when a
target fails.

Issue 18 (the column-wise core): at each size two more fresh children measure, `--repeat` times, R — Polars
reading the same JSON files into tables with no validation at all (the faster of `pl.read_json` with the
tables' schema, instants as text since Polars cannot parse "+08:00" offsets while reading, and
`pl.read_json` inferring the whole file) — and `hongfeng_rules.tables.load_tables` (read and
validate into tables); the target is load_tables ≤ 2 R at the largest size, with the peak RSS of each child. The
`load_dataset` column above is the per-object loader measured in the same run (before/after). A third child
writes the tables as Parquet with the tables' schema (`tables.parquet.write_parquet`, not timed) and
measures `load_tables` of that folder: Parquet straight into tables, checked in place.

With `--sources`, the largest size is also converted (not timed against the targets) into a folder of
Parquet files, a SQLite file and a throw-away PostgreSQL server on a loopback port (benchmarks/pg_server.py),
and a fresh child measures loading each the same way; its findings are checked to be the JSON folder's
(as a set: a table is read in its key's order, the JSON files in theirs).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import peak_rss, run_child, timed  # noqa: E402  (benchmarks/ is on the path now)

AUDIT_SHARE_OF_LOAD = 0.25  # at the largest size, audit seconds <= this × load seconds
PEAK_MEMORY_BYTES = 4 * 1024 ** 3  # peak RSS below 4 GiB
GROWTH_PER_TRIPLING = 3.5  # tripling the data at most multiplies audit seconds by this


# ----------------------------------------------------------------------------- child processes

def child_generate(teams: int, seed: int, rate: float, folder: str) -> dict:
    from generate import counts, generate, write

    start = time.perf_counter()
    data = generate(teams, seed, rate)
    generated = time.perf_counter() - start
    size = write(data, folder)
    c = counts(data)
    records = sum(v for k, v in c.items() if k not in ("participations", "attendances"))
    return {"teams": teams, "records": records, "bytes": size, "generate_s": generated, **c}


def child_measure(folder: str, repeat: int, packs: list[str]) -> dict:
    from generate import AS_OF, PERIOD
    from hongfeng_rules import audit, load_dataset
    from hongfeng_rules.rulebook.locate import load_packs

    rule_packs = load_packs(packs)
    as_of = datetime.fromisoformat(AS_OF)
    load_s, audit_s, json_s = [], [], []
    findings, statuses, json_bytes = 0, {}, 0
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        dataset = load_dataset(folder)
        t1 = time.perf_counter()
        report = audit(dataset, rule_packs, PERIOD, as_of, dataset_label="bench")
        t2 = time.perf_counter()
        text = report.to_json_bytes()  # what `check --format json` writes
        t3 = time.perf_counter()
        load_s.append(t1 - t0)
        audit_s.append(t2 - t1)
        json_s.append(t3 - t2)
        findings, json_bytes = len(report.findings), len(text)
        digest = findings_digest(report)
        statuses = {}
        for f in report.findings:
            statuses[f.status] = statuses.get(f.status, 0) + 1
        del dataset, report, text
    peak = peak_rss()
    return {"load_s": statistics.median(load_s), "audit_s": statistics.median(audit_s),
            "json_s": statistics.median(json_s), "load_runs": load_s, "audit_runs": audit_s, "json_runs": json_s,
            "peak_bytes": peak, "findings": findings, "statuses": statuses, "report_bytes": json_bytes,
            "report_sha256": digest, "rules": sum(len(p.rules) for p in rule_packs)}


def floor_ways(folder: str) -> tuple[list[Path], dict]:
    """R's two ways of reading the folder's JSON files into tables with no validation (the faster is R): with the
    tables' schema (`tables.schema.json_read_schema`: instants as text), and inferring the schema."""
    import polars as pl

    from hongfeng_rules.models import COLLECTIONS
    from hongfeng_rules.tables.schema import json_read_schema

    files = sorted(Path(folder).glob("*.json"))
    return files, {"schema": lambda f: pl.read_json(f, schema=json_read_schema(COLLECTIONS[f.stem].model)),
                   "inferred": lambda f: pl.read_json(f, infer_schema_length=None)}


def floor_cpu(folder: str) -> float:
    """R in CPU seconds (`time.process_time`, every thread): the faster of `floor_ways`, each read once."""
    files, ways = floor_ways(folder)
    cpu = []
    for read in ways.values():
        start = time.process_time()
        for f in files:
            read(f)
        cpu.append(time.process_time() - start)
    return min(cpu)


def child_floor(folder: str, repeat: int) -> dict:
    """R: Polars reading the JSON files into tables with no validation (two ways; the faster is R)."""
    files, ways = floor_ways(folder)
    out = {}
    for way, read in ways.items():
        runs, rows = timed(lambda: sum(read(f).height for f in files), repeat)
        out[way] = {"s": statistics.median(runs), "runs": runs, "rows": rows}
    best = min(out, key=lambda w: out[w]["s"])
    return {"floor_s": out[best]["s"], "floor_way": best, "floor_ways": out, "floor_peak_bytes": peak_rss()}


def child_tables(folder: str, repeat: int) -> dict:
    """`load_tables` (read and validate into tables), medians of `repeat` runs, and the child's peak RSS."""
    from hongfeng_rules.tables import load_tables

    runs, tables = timed(lambda: load_tables(folder), repeat)
    return {"tables_s": statistics.median(runs), "tables_runs": runs, "tables_rows": tables.rows(),
            "tables_peak_bytes": peak_rss()}


def child_typed_parquet(folder: str, target: str, repeat: int) -> dict:
    """`load_tables` of the folder's tables written as Parquet with the tables' schema (tables.write_parquet)."""
    from hongfeng_rules.tables import load_tables
    from hongfeng_rules.tables.parquet import write_parquet

    write_parquet(load_tables(folder), target)
    runs, tables = timed(lambda: load_tables(target), repeat)
    size = sum(p.stat().st_size for p in Path(target).iterdir())
    return {"parquet_s": statistics.median(runs), "parquet_runs": runs, "parquet_rows": tables.rows(), "parquet_bytes": size}


def findings_digest(report) -> str:
    """The findings, ignoring record order (a database table has none of its own; JSON files keep theirs)."""
    import hashlib

    lines = []
    for f in report.findings:
        row = f.model_dump(mode="json")
        lines.append(json.dumps({k: sorted(map(str, v)) if isinstance(v, list) else v for k, v in row.items()},
                                sort_keys=True, ensure_ascii=False))
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()


def child_convert(folder: str, kind: str, target: str) -> dict:
    """The JSON folder's dataset as Parquet files, or as database tables (text columns) at the URL `target`."""
    from hongfeng_rules import load_dataset
    from hongfeng_rules.sources.tabulate import present, to_database, to_parquet

    dataset = load_dataset(folder)
    start = time.perf_counter()
    if kind == "parquet":
        Path(target).mkdir(parents=True, exist_ok=True)
        for collection in present(dataset):
            to_parquet(dataset, collection, str(Path(target) / f"{collection}.parquet"))
    else:
        to_database(dataset, target)
    return {"convert_s": time.perf_counter() - start}


def measure_sources(kinds: list[str], folder: Path, base: Path, repeat: int, packs: list[str], json_row: dict) -> list:
    """Load the largest size from each source kind; rows of (kind, seconds, peak, same report)."""
    out = []
    for kind in kinds:
        with _source(kind, base) as target:
            conv = _run_child(["--child", "convert", "--folder", str(folder), "--kind", kind, "--target", target])
            meas = _run_child(["--child", "measure", "--folder", target, "--repeat", str(repeat),
                               "--packs", ",".join(packs)])
        same = meas["report_sha256"] == json_row["report_sha256"]
        out.append({"kind": kind, **conv, **meas, "same_report": same})
        print(f"  from {kind}: converted in {conv['convert_s']:.1f} s; load {meas['load_s']:.2f} s "
              f"(JSON {json_row['load_s']:.2f} s), audit {meas['audit_s']:.2f} s, peak {_mib(meas['peak_bytes'])} MiB, "
              f"findings {'identical to' if same else 'DIFFERENT from'} the JSON folder's", flush=True)
    return out


@__import__("contextlib").contextmanager
def _source(kind: str, base: Path):
    if kind == "parquet":
        yield str(base / "parquet")
    elif kind == "sqlite":
        yield f"sqlite:///{base / 'bench.db'}"
    elif kind == "postgres":
        from pg_server import temporary_server
        password = "bench-" + os.urandom(6).hex()
        with temporary_server(password) as port:
            os.environ["PGPASSWORD"] = password  # the children's credentials: never in the URL
            try:
                yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
            finally:
                del os.environ["PGPASSWORD"]
    else:
        raise SystemExit(f"unknown source {kind!r}: parquet, sqlite or postgres")


def _run_child(args: list[str]) -> dict:
    return run_child(__file__, args)


# ----------------------------------------------------------------------------- the table

def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024 ** 3
    return (f"{os.cpu_count()} cores (nproc), {mem:.1f} GiB memory, Python {platform.python_version()} "
            f"({platform.python_implementation()}), {platform.system()} {platform.machine()}")


def _mib(n: float) -> str:
    return f"{n / 1024 ** 2:,.0f}"


def table(rows: list[dict]) -> str:
    head = ["teams", "records", "particip.", "MiB in", "load s", "audit s", "json s", "peak MiB",
            "load rec/s", "audit rec/s", "findings", "audit/load", "×data", "×load", "×audit", "×audit per 3×"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    prev = None
    for r in rows:
        growth = ["", "", "", ""]
        if prev:
            data_x = r["records"] / prev["records"]
            audit_x = r["audit_s"] / prev["audit_s"]
            growth = [f"{data_x:.2f}", f"{r['load_s'] / prev['load_s']:.2f}", f"{audit_x:.2f}",
                      f"{per_tripling(prev, r):.2f}"]
        lines.append("| " + " | ".join([
            f"{r['teams']:,}", f"{r['records']:,}", f"{r['participations']:,}", _mib(r["bytes"]),
            f"{r['load_s']:.2f}", f"{r['audit_s']:.2f}", f"{r['json_s']:.2f}", _mib(r["peak_bytes"]),
            f"{r['records'] / r['load_s']:,.0f}", f"{r['records'] / r['audit_s']:,.0f}", f"{r['findings']:,}",
            f"{r['audit_s'] / r['load_s']:.3f}", *growth]) + " |")
        prev = r
    return "\n".join(lines)


def per_tripling(a: dict, b: dict) -> float:
    """Audit-time growth from size a to size b, expressed per tripling of the records (time ∝ n^k)."""
    import math

    k = math.log(b["audit_s"] / a["audit_s"]) / math.log(b["records"] / a["records"])
    return 3 ** k


def columnar_table(rows: list[dict]) -> str:
    """Issue 18's loading figures: R, load_tables and the per-object load_dataset, with peaks."""
    head = ["teams", "R s (way)", "load_tables s", "÷ R", "peak MiB", "load_dataset s", "÷ R", "peak MiB (with audit)",
            "load_dataset ÷ load_tables", "typed Parquet s", "÷ JSON"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join([
            f"{r['teams']:,}", f"{r['floor_s']:.2f} ({r['floor_way']})", f"{r['tables_s']:.2f}",
            f"{r['tables_s'] / r['floor_s']:.2f}", _mib(r["tables_peak_bytes"]), f"{r['load_s']:.2f}",
            f"{r['load_s'] / r['floor_s']:.2f}", _mib(r["peak_bytes"]), f"{r['load_s'] / r['tables_s']:.2f}",
            f"{r['parquet_s']:.2f}", f"{r['parquet_s'] / r['tables_s']:.2f}"]) + " |")
    return "\n".join(lines)


def targets(rows: list[dict]) -> list[tuple[bool, str]]:
    last = rows[-1]
    out = [
        (last["tables_s"] <= 2 * last["floor_s"],
         f"issue 18: at {last['teams']:,} teams load-and-validate (load_tables) ≤ 2 R: {last['tables_s']:.2f} s vs "
         f"R = {last['floor_s']:.2f} s ({last['tables_s'] / last['floor_s']:.2f} R)"),
        (last["audit_s"] <= AUDIT_SHARE_OF_LOAD * last["load_s"],
         f"at {last['teams']:,} teams the audit takes ≤ ¼ of load-and-validate: "
         f"{last['audit_s']:.2f} s vs {last['load_s']:.2f} s ({last['audit_s'] / last['load_s']:.1%})"),
        (last["peak_bytes"] < PEAK_MEMORY_BYTES,
         f"at {last['teams']:,} teams peak memory < 4 GiB: {_mib(last['peak_bytes'])} MiB"),
    ]
    for a, b in zip(rows, rows[1:]):
        g = per_tripling(a, b)
        out.append((g <= GROWTH_PER_TRIPLING,
                    f"{a['teams']:,} → {b['teams']:,} teams: audit ×{b['audit_s'] / a['audit_s']:.2f} for "
                    f"×{b['records'] / a['records']:.2f} records = ×{g:.2f} per tripling (≤ {GROWTH_PER_TRIPLING})"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Province-scale benchmark of hongfeng-rules (issue #8).")
    parser.add_argument("--sizes", default="100,300,1000", help="team counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; seconds are medians")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--violation-rate", type=float, default=0.1)
    parser.add_argument("--packs", default="hongfeng", help="shipped packs or pack folders, comma-separated")
    parser.add_argument("--data-dir", help="keep the generated folders here (default: a temporary folder)")
    parser.add_argument("--json", help="also write the measurements to this file")
    parser.add_argument("--sources", default="", help="also load the largest size from these, comma-separated: "
                                                        "parquet, sqlite, postgres (slow: the data is converted first)")
    parser.add_argument("--child", choices=["generate", "measure", "convert", "floor", "tables", "typed"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--teams", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    packs = [p for p in args.packs.split(",") if p]
    children = {"generate": lambda: child_generate(args.teams, args.seed, args.violation_rate, args.folder),
                "convert": lambda: child_convert(args.folder, args.kind, args.target),
                "floor": lambda: child_floor(args.folder, args.repeat),
                "typed": lambda: child_typed_parquet(args.folder, args.target, args.repeat),
                "tables": lambda: child_tables(args.folder, args.repeat),
                "measure": lambda: child_measure(args.folder, args.repeat, packs)}
    if args.child:
        print(json.dumps(children[args.child]()))
        return 0

    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"machine: {machine()}")
    print(f"period {__import__('generate').PERIOD}, as of {__import__('generate').AS_OF}, seed {args.seed}, "
          f"violation rate {args.violation_rate}, packs {packs}, medians of {args.repeat} runs")
    rows, source_rows = [], []
    kinds = [k for k in args.sources.split(",") if k]
    with tempfile.TemporaryDirectory(prefix="hongfeng-bench-") as tmp:
        base = Path(args.data_dir) if args.data_dir else Path(tmp)
        for teams in sizes:
            folder = base / f"teams-{teams}"
            gen = _run_child(["--child", "generate", "--teams", str(teams), "--seed", str(args.seed),
                              "--violation-rate", str(args.violation_rate), "--folder", str(folder)])
            print(f"  {teams:>6,} teams: generated {gen['records']:,} records, {gen['participations']:,} "
                  f"participations, {_mib(gen['bytes'])} MiB in {gen['generate_s']:.1f} s; measuring…", flush=True)
            meas = _run_child(["--child", "measure", "--folder", str(folder), "--repeat", str(args.repeat),
                               "--packs", ",".join(packs)])
            floor = _run_child(["--child", "floor", "--folder", str(folder), "--repeat", str(args.repeat)])
            tabled = _run_child(["--child", "tables", "--folder", str(folder), "--repeat", str(args.repeat)])
            typed = _run_child(["--child", "typed", "--folder", str(folder), "--target", str(folder) + "-parquet",
                                "--repeat", str(args.repeat)])
            rows.append({**gen, **meas, **floor, **tabled, **typed})
            print(f"          load {meas['load_s']:.2f} s, audit {meas['audit_s']:.2f} s "
                  f"({meas['rules']} rules, {meas['findings']:,} findings {meas['statuses']}), "
                  f"json {meas['json_s']:.2f} s, peak {_mib(meas['peak_bytes'])} MiB", flush=True)
            print(f"          R {floor['floor_s']:.2f} s (pl.read_json, {floor['floor_way']}), load_tables "
                  f"{tabled['tables_s']:.2f} s = {tabled['tables_s'] / floor['floor_s']:.2f} R, peak "
                  f"{_mib(tabled['tables_peak_bytes'])} MiB (R's child {_mib(floor['floor_peak_bytes'])} MiB); from "
                  f"Parquet with the tables' schema ({_mib(typed['parquet_bytes'])} MiB) {typed['parquet_s']:.2f} s = "
                  f"{typed['parquet_s'] / tabled['tables_s']:.2f} of JSON", flush=True)
            if kinds and teams == sizes[-1]:
                source_rows = measure_sources(kinds, folder, Path(tmp), args.repeat, packs, rows[-1])
            if not args.data_dir:
                for f in (folder, Path(str(folder) + "-parquet")):
                    for p in f.iterdir():
                        p.unlink()
                    f.rmdir()
    print()
    print(table(rows))
    print()
    last = rows[-1]
    print(f"loading cost per record at {last['teams']:,} teams: {1e6 * last['load_s'] / last['records']:.1f} µs "
          f"per top-level record, {1e9 * last['load_s'] / last['bytes']:.1f} ns per input byte")
    print(columnar_table(rows))
    print()
    results = targets(rows)
    for ok, text in results:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), "rows": rows, "sources": source_rows,
                                               "targets": [{"pass": ok, "text": t} for ok, t in results]},
                                              indent=2) + "\n")
    return 0 if all(ok for ok, _ in results) and all(r["same_report"] for r in source_rows) else 1


if __name__ == "__main__":
    sys.exit(main())
