"""Issue 18's targets in one run: the column-wise core against R, against Parquet, against the per-object engine of
the issue's start, and at 1,000 / 3,000 / 10,000 teams.

    python benchmarks/column_core.py                                 # everything, medians of 3
    python benchmarks/column_core.py --scale 1000,3000 --json out.json
    python benchmarks/column_core.py --code /work/snapshot/src       # measure that checkout's library
    python benchmarks/column_core.py --base ''                       # without the per-object engine of the start

Every figure is one fresh child process per run (`--repeat` runs, seconds are medians, peak RSS the largest of the
child's `ru_maxrss` over its runs, read with `wait4`), the runs of the 1,000-team measurements interleaved so
that a change in the machine's load touches them all alike; a child whose resident memory passes `--cap-gib` is
killed and reported as such. At 1,000 teams:

- R: Polars reading the JSON files into tables with no validation (`run.child_floor`: the faster of reading with
  the tables' schema and inferring it), the floor for that input;
- load-and-validate: `hongfeng_rules.tables.load_tables` (`run.child_tables`);
- the audit: every rule of the packs, the report object built (`audit`), then the report JSON
  (`to_json_bytes`), in a child that first loads what `audit` takes (Tables when its signature says so, else a
  `Dataset` by `load_dataset`; that load is timed apart);
- end to end: `hongfeng-rules check FOLDER --format json --out FILE` from the JSON files and from the same tables
  written as Parquet with the tables' schema (`tables.parquet.write_parquet`);
- the per-object engine at the issue's start (`--base`: a worktree of 359e859^ with its own .venv): its
  `load_dataset` + `audit` + report JSON, and its `check` end to end.

Scale: `check` end to end from JSON and from Parquet at each `--scale` size, with peak RSS, and the cost per
tripling between consecutive sizes (time ∝ records^k, so ×3^k per tripling). Generated datasets and their
Parquet copies are kept in `--cache` (the Parquet copy is keyed by the tables' schema), so reruns do not
regenerate. The load average is printed before and after. Exit status 1 when a target fails.
"""
from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

GIB = 1024 ** 3
SEED, RATE = 1, 0.1
MAX_FILE_BYTES, MAX_RECORDS = 8 * GIB, 50_000_000  # beyond the defaults (200 MiB, 5 M): 10,000 teams' files are larger


def big_limits():
    from dataclasses import replace

    from hongfeng_rules.safe_load import DEFAULT_LIMITS
    return replace(DEFAULT_LIMITS, max_file_bytes=MAX_FILE_BYTES, max_records=MAX_RECORDS)


# ----------------------------------------------------------------------------- child processes (one figure each)

def child_pipeline(folder: str, packs: list[str]) -> dict:
    """What `audit` takes, loaded (timed apart), then the audit and the report JSON."""
    import gc

    from generate import AS_OF, PERIOD
    import hongfeng_rules
    from hongfeng_rules import auditing
    from hongfeng_rules.rulebook.locate import load_packs

    takes_tables = "Tables" in str(next(iter(inspect.signature(auditing.audit).parameters.values())).annotation)
    rule_packs = load_packs(packs)
    as_of = __import__("datetime").datetime.fromisoformat(AS_OF)
    gc.collect()
    t0 = time.perf_counter()
    if takes_tables:
        from hongfeng_rules.tables import load_tables
        data = load_tables(folder, big_limits())
    else:
        data = hongfeng_rules.load_dataset(folder, big_limits())
    t1 = time.perf_counter()
    report = auditing.audit(data, rule_packs, PERIOD, as_of, dataset_label="bench")
    t2 = time.perf_counter()
    text = _json_bytes(report)
    t3 = time.perf_counter()
    return {"load_s": t1 - t0, "audit_s": t2 - t1, "json_s": t3 - t2, "takes": "Tables" if takes_tables else "Dataset",
            "engine": getattr(auditing, "ENGINE", "columns (no flag)"), "findings": len(report.findings),
            "report_bytes": len(text), "report_sha256": hashlib.sha256(text).hexdigest(),
            "library": str(Path(hongfeng_rules.__file__).parent)}


def _json_bytes(report) -> bytes:
    if hasattr(report, "to_json_bytes"):
        return report.to_json_bytes()
    from types import SimpleNamespace

    from hongfeng_rules.report.formats import RENDERERS  # what `check --format json` writes
    return RENDERERS["json"](report, SimpleNamespace(lang="en"))


def child_floor(folder: str) -> dict:
    from run import child_floor as floor
    return floor(folder, 1)


def child_tables(folder: str) -> dict:
    from run import child_tables as tables
    return tables(folder, 1)


def child_schema_key() -> dict:
    from hongfeng_rules.models import COLLECTIONS
    from hongfeng_rules.tables import table_schema

    text = repr([(name, list(table_schema(c.model).items())) for name, c in sorted(COLLECTIONS.items())])
    return {"key": hashlib.sha256(text.encode()).hexdigest()[:12]}


def child_write_parquet(folder: str, target: str) -> dict:
    from hongfeng_rules.tables import load_tables
    from hongfeng_rules.tables.parquet import write_parquet

    write_parquet(load_tables(folder, big_limits()), target)
    return {"bytes": sum(p.stat().st_size for p in Path(target).iterdir())}


def child_write_table_parquet(folder: str, target: str) -> dict:
    from hongfeng_rules import load_dataset
    from hongfeng_rules.sources.tabulate import present, to_parquet

    dataset = load_dataset(folder, big_limits())
    Path(target).mkdir(parents=True, exist_ok=True)
    for collection in present(dataset):
        to_parquet(dataset, collection, str(Path(target) / f"{collection}.parquet"))
    return {"bytes": sum(p.stat().st_size for p in Path(target).iterdir())}


def child_generate(teams: int, folder: str) -> dict:
    from generate import parts, write_parts

    start = time.perf_counter()
    size, tally = write_parts(parts(teams, SEED, RATE, every=100), folder)
    return {"teams": teams, "bytes": size, "generate_s": time.perf_counter() - start, **tally}


CHILDREN = {"pipeline": lambda a: child_pipeline(a.folder, a.packs.split(",")), "floor": lambda a: child_floor(a.folder),
            "tables": lambda a: child_tables(a.folder), "schema-key": lambda a: child_schema_key(),
            "write-parquet": lambda a: child_write_parquet(a.folder, a.target),
            "write-table-parquet": lambda a: child_write_table_parquet(a.folder, a.target),
            "generate": lambda a: child_generate(a.teams_child, a.folder)}


# ----------------------------------------------------------------------------- running a child

class Env:
    """How to start a child against one library: an interpreter, and the source folder it imports (or its own)."""

    def __init__(self, python: str, code: str | None, label: str):
        self.python, self.code, self.label = python, code, label
        self.env = dict(os.environ)
        if code:
            self.env["PYTHONPATH"] = code + os.pathsep + self.env.get("PYTHONPATH", "")

    def script(self, *args: str) -> list[str]:
        return [self.python, str(Path(__file__).resolve()), *args]

    def cli(self, *args: str) -> list[str]:
        return [self.python, "-c", "import sys; from hongfeng_rules.cli import main; sys.exit(main())", *args]


def run(argv: list[str], env: Env, cap: float, ok=(0,)) -> dict:
    """Run one child; its wall seconds, peak RSS (`wait4`), status, last stdout line as JSON (if any)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env.env)
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if not killed and _rss(proc.pid) > cap:
                proc.kill()
                killed = True
            time.sleep(0.2)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    result = {"wall_s": wall, "peak_bytes": usage.ru_maxrss * 1024, "status": proc.returncode, "killed": killed}
    if killed:
        return result
    if proc.returncode not in ok:
        sys.stderr.write(stderr[-3000:])
        raise SystemExit(f"{env.label}: {' '.join(argv[:6])}… failed with status {proc.returncode}")
    lines = stdout.strip().splitlines()
    if lines and lines[-1].startswith("{"):
        result.update(json.loads(lines[-1]))
    return result


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ----------------------------------------------------------------------------- the data

def dataset(cache: Path, teams: int, env: Env, cap: float) -> tuple[Path, dict]:
    """The generated province of `teams` teams, written once into the cache (a marker file beside it)."""
    folder, marker = cache / f"teams-{teams}-seed{SEED}-rate{RATE}", cache / f"teams-{teams}-seed{SEED}-rate{RATE}.json"
    if not marker.exists():
        partial = Path(str(folder) + ".partial")
        if partial.exists():
            for p in partial.iterdir():
                p.unlink()
        print(f"  generating {teams:,} teams into {folder}…", flush=True)
        stats = run(env.script("--child", "generate", "--teams-child", str(teams), "--folder", str(partial)), env, cap)
        partial.rename(folder)
        marker.write_text(json.dumps(stats))
    return folder, json.loads(marker.read_text())


def parquet(cache: Path, folder: Path, env: Env, cap: float) -> Path:
    """The folder's tables written as Parquet with the tables' schema, once per schema."""
    key = run(env.script("--child", "schema-key"), env, cap)["key"]
    target = Path(f"{folder}-parquet-{key}")
    if not target.exists():
        print(f"  writing {target.name}…", flush=True)
        partial = Path(str(target) + ".partial")
        run(env.script("--child", "write-parquet", "--folder", str(folder), "--target", str(partial)), env, cap)
        partial.rename(target)
    return target


def convention_parquet(cache: Path, folder: Path, env: Env, cap: float) -> Path | None:
    """The folder as Parquet in the sources' table convention (`sources.tabulate.to_parquet`: what `check` read before
    it read typed Parquet), once per schema; None when converting (by `load_dataset`) passes the memory cap."""
    key = run(env.script("--child", "schema-key"), env, cap)["key"]
    target = Path(f"{folder}-table-parquet-{key}")
    if not target.exists():
        print(f"  writing {target.name}…", flush=True)
        partial = Path(str(target) + ".partial")
        r = run(env.script("--child", "write-table-parquet", "--folder", str(folder), "--target", str(partial)), env, cap)
        if r["killed"]:
            return None
        partial.rename(target)
    return target


class ParquetCheck:
    """`check` from Parquet: the typed Parquet files if `check` reads them, else (exit 2: an older `check`) the
    same data in the sources' table convention."""

    TYPED, TABLE = "typed (tables' schema)", "sources' table convention"

    def __init__(self, cache: Path, folder: Path, env: Env, cap: float, form: str | None = None):
        self.cache, self.folder, self.env, self.cap, self.form = cache, folder, env, cap, form or self.TYPED
        if self.form == self.TYPED:
            self.source = parquet(cache, folder, env, cap)
        else:
            self.source = convention_parquet(cache, folder, env, cap)

    def measure(self, name: str, out: Path, packs: str, runs: dict, i: int = 0) -> dict:
        if len(runs.get(name, [])) > i:
            return runs[name][i]
        if self.source is None:
            r = {"wall_s": None, "peak_bytes": 0, "status": None, "killed": True}
            runs.setdefault(name, []).append(r)
            return r
        r = measure(name, check_argv(self.env, self.source, out, packs), self.env, self.cap, runs, (0, 1, 2), i)
        if r["status"] == 2 and self.form == self.TYPED:
            runs[name].pop()
            print("    (check does not read typed Parquet: the sources' table convention instead)", flush=True)
            self.source, self.form = convention_parquet(self.cache, self.folder, self.env, self.cap), self.TABLE
            return self.measure(name, out, packs, runs, i)
        if r["status"] == 2:
            raise SystemExit(f"check of {self.source} failed with status 2")
        return r


# ----------------------------------------------------------------------------- measuring

def measure(name: str, argv: list[str], env: Env, cap: float, runs: dict, ok=(0,), i: int = 0) -> dict:
    """Run `i` (from 0) of the figure `name`, unless it is already recorded (`--resume`); skipped once a run was
    killed for memory."""
    mine = runs.setdefault(name, [])
    if len(mine) > i:
        return mine[i]
    if mine and mine[-1]["killed"]:
        return mine[-1]
    r = run(argv, env, cap, ok)
    mine.append(r)
    what = "KILLED above the cap" if r["killed"] else f"{r['wall_s']:.1f} s wall"
    print(f"    {name}: {what}, peak {r['peak_bytes'] / GIB:.2f} GiB" + "".join(
        f", {k} {r[k]:.2f} s" for k in ("floor_s", "tables_s", "load_s", "audit_s", "json_s") if k in r), flush=True)
    return r


def summary(rs: list[dict], key: str) -> dict:
    done = [r for r in rs if not r["killed"]]
    if not done:
        return {"s": None, "runs": [], "peak": max(r["peak_bytes"] for r in rs), "killed": True}
    return {"s": statistics.median(r[key] for r in done), "runs": [r[key] for r in done],
            "peak": max(r["peak_bytes"] for r in rs), "killed": len(done) < len(rs)}


def check_argv(env: Env, source: Path, out: Path, packs: str) -> list[str]:
    from generate import AS_OF, PERIOD
    argv = ["check", str(source), "--period", PERIOD, "--as-of", AS_OF, "--format", "json", "--out", str(out),
            "--max-file-bytes", str(MAX_FILE_BYTES), "--max-records", str(MAX_RECORDS)]
    for p in packs.split(","):
        argv += ["--rules", p]
    return env.cli(*argv)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=1000, help="size of the targets' measurements")
    parser.add_argument("--scale", default="1000,3000,10000", help="sizes of the end-to-end scale run ('' to skip)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scale-repeat", type=int, help="runs per scale size above --teams (default: --repeat)")
    parser.add_argument("--packs", default="hongfeng")
    parser.add_argument("--code", help="source folder of the library to measure (default: what the interpreter imports)")
    parser.add_argument("--base", default="/work/hf-18d-base",
                        help="worktree of the per-object engine at the issue's start (359e859^) with .venv ('' to skip)")
    parser.add_argument("--cache", default="/tmp/hf-bench")
    parser.add_argument("--cap-gib", type=float, default=12.0, help="kill a child whose RSS passes this")
    parser.add_argument("--json", help="write every measurement to this file (rewritten as they come)")
    parser.add_argument("--resume", action="store_true", help="continue the --json file: what it holds is not measured again")
    parser.add_argument("--report", action="store_true", help="only print the figures of the --json file")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--teams-child", dest="teams_child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child](args)))
        return 0

    cap = args.cap_gib * GIB
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    now = Env(sys.executable, args.code, "now")
    base = Env(str(Path(args.base) / ".venv/bin/python"), str(Path(args.base) / "src"), "start") if args.base else None
    if args.report:
        return report(json.loads(Path(args.json).read_text()), args)
    record = {"load_before": loadavg(), "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "code": args.code or "(interpreter's)", "base": args.base, "repeat": args.repeat, "runs": {}, "scale": {}}
    if args.resume:
        record = json.loads(Path(args.json).read_text())
        record.setdefault("resumed", []).append({"at": time.strftime("%H:%M UTC", time.gmtime()), "load": loadavg()})

    def save():
        if args.json:
            Path(args.json).write_text(json.dumps(record, indent=1) + "\n")

    print(f"load average before: {record['load_before']} (2 cores); code {record['code']}; base {args.base or '-'}")
    folder, gen = dataset(cache, args.teams, now, cap)
    typed = ParquetCheck(cache, folder, now, cap, record.get("parquet_form", {}).get(str(args.teams)))
    record["data"] = gen
    print(f"  {args.teams:,} teams: {gen['participations']:,} participations, {gen['bytes'] / 1024 ** 2:,.0f} MiB of JSON",
          flush=True)
    runs = record["runs"]
    with tempfile.TemporaryDirectory(prefix="hf-bench-out-") as tmp:
        out = Path(tmp) / "report.json"
        for i in range(args.repeat):
            print(f"  run {i + 1} of {args.repeat} (load {loadavg()})", flush=True)
            measure("R", now.script("--child", "floor", "--folder", str(folder)), now, cap, runs, i=i)
            measure("load_tables", now.script("--child", "tables", "--folder", str(folder)), now, cap, runs, i=i)
            measure("pipeline", now.script("--child", "pipeline", "--folder", str(folder), "--packs", args.packs),
                    now, cap, runs, i=i)
            measure("check json", check_argv(now, folder, out, args.packs), now, cap, runs, (0, 1), i)
            typed.measure("check parquet", out, args.packs, runs, i)
            record.setdefault("parquet_form", {})[str(args.teams)] = typed.form
            if base:
                measure("start pipeline", base.script("--child", "pipeline", "--folder", str(folder), "--packs",
                                                      args.packs), base, cap, runs, i=i)
                measure("start check json", check_argv(base, folder, out, args.packs), base, cap, runs, (0, 1), i)
            save()
        sizes = [int(s) for s in args.scale.split(",") if s]
        for teams in sizes:
            if teams == args.teams:
                record["scale"][str(teams)] = {"data": gen, "json": runs["check json"], "parquet": runs["check parquet"]}
                continue
            f, g = dataset(cache, teams, now, cap)
            t = ParquetCheck(cache, f, now, cap, record.get("parquet_form", {}).get(str(teams)))
            row = record["scale"].setdefault(str(teams), {"data": g, "json": [], "parquet": []})
            print(f"  scale {teams:,} teams ({g['participations']:,} participations; load {loadavg()})", flush=True)
            for i in range(args.scale_repeat or args.repeat):
                measure("json", check_argv(now, f, out, args.packs), now, cap, row, (0, 1), i)
                t.measure("parquet", out, args.packs, row, i)
                record["parquet_form"][str(teams)] = t.form
                save()
    record["load_after"] = loadavg()
    save()
    return report(record, args)


# ----------------------------------------------------------------------------- the figures

def report(record: dict, args) -> int:
    from generate import COLLECTION_NAMES

    runs, teams = record["runs"], args.teams
    fig = {name: summary(rs, key) for name, rs, key in [
        ("R", runs["R"], "floor_s"), ("load", runs["load_tables"], "tables_s"),
        ("pre-audit load", runs["pipeline"], "load_s"), ("audit", runs["pipeline"], "audit_s"),
        ("json", runs["pipeline"], "json_s"), ("check json", runs["check json"], "wall_s"),
        ("check parquet", runs["check parquet"], "wall_s")]}
    if "start pipeline" in runs:
        fig.update({name: summary(runs[src], key) for name, src, key in [
            ("start load", "start pipeline", "load_s"), ("start audit", "start pipeline", "audit_s"),
            ("start json", "start pipeline", "json_s"), ("start check json", "start check json", "wall_s")]})
    r = fig["R"]["s"]
    p = runs["pipeline"][-1]
    print()
    print(f"load average before {record['load_before']}, after {record['load_after']}; medians of {args.repeat}; "
          f"audit takes {p.get('takes')}, engine {p.get('engine')}, library {p.get('library')}")
    print(f"R = {r:.2f} s ({runs['R'][-1]['floor_way']}; runs {_runs(fig['R'])})")
    print()
    print(f"| at {teams:,} teams | per-object at the start (s) | ÷ R | now (s) | ÷ R | peak GiB start | peak GiB now |")
    print("|---|---|---|---|---|---|---|")
    rows = [("load-and-validate (start: load_dataset; now: load_tables)", "start load", "load"), ("audit (report object built)", "start audit", "audit"),
            ("report JSON", "start json", "json"), ("check end to end, from JSON", "start check json", "check json"),
            (f"check end to end, from Parquet ({record.get('parquet_form', {}).get(str(teams), '?')})", None,
             "check parquet")]
    for label, old, new in rows:
        o = fig.get(old) if old else None
        print(f"| {label} | {_s(o)} | {_ratio(o, r)} | {_s(fig[new])} | {_ratio(fig[new], r)} | "
              f"{_gib(o)} | {_gib(fig[new])} |")
    start = runs.get("start pipeline", [{}])[-1]
    print(f"findings: now {p.get('findings', 0):,} ({p.get('report_bytes', 0):,} B of JSON)"
          + (f", per-object at the start {start['findings']:,} ({start['report_bytes']:,} B; "
             f"{'the same' if start.get('report_sha256') == p.get('report_sha256') else 'not the same'} bytes)"
             if "findings" in start else ""))
    if fig["pre-audit load"]["s"] is not None and p.get("takes") != "Tables":
        print(f"(the audit child loads a Dataset first: load_dataset {fig['pre-audit load']['s']:.2f} s, "
              f"{fig['pre-audit load']['s'] / r:.2f} R)")
    print()
    targets = [
        _target("load-and-validate ≤ 2 R", fig["load"], 2 * r, r),
        _target("audit ≤ 1 R", fig["audit"], r, r),
        _target("report JSON ≤ 0.5 R", fig["json"], 0.5 * r, r),
        _peak_target("peak RSS ≤ 1 GiB (audit child: load + audit + JSON)", fig["audit"]["peak"], 1),
        _peak_target("peak RSS ≤ 1 GiB (check from JSON)", fig["check json"]["peak"], 1),
    ]
    cj, cp = fig["check json"]["s"], fig["check parquet"]["s"]
    targets.append((cj is not None and cp is not None and cp <= cj / 3,
                    f"end to end from Parquet ≤ ⅓ of from JSON: {_s(fig['check parquet'])} s vs {_s(fig['check json'])} s"
                    + (f" ({cp / cj:.2f})" if cj and cp else "")))
    scale = record["scale"]
    if scale:
        print("| teams | records | participations | check from JSON s | peak GiB | check from Parquet s | peak GiB |"
              " JSON ×/3× | Parquet ×/3× |")
        print("|---|---|---|---|---|---|---|---|---|")
        prev = None
        for n in sorted(scale, key=int):
            row = scale[n]
            d = row["data"]
            recs = sum(d[c] for c in COLLECTION_NAMES)
            js, ps = summary(row["json"], "wall_s"), summary(row["parquet"], "wall_s")
            growth = ["", ""]
            if prev:
                growth = [_tripling(prev[1], js, prev[0], recs), _tripling(prev[2], ps, prev[0], recs)]
                for kind, g in zip(("JSON", "Parquet"), growth):
                    targets.append((g != "–" and float(g) <= 3.3,
                                    f"{prev[3]} → {int(n):,} teams from {kind}: ×{g} per tripling (≤ 3.3)"))
            print(f"| {int(n):,} | {recs:,} | {d['participations']:,} | {_s(js)} | {_gib(js)} | {_s(ps)} | {_gib(ps)} | "
                  f"{growth[0]} | {growth[1]} |")
            prev = (recs, js, ps, f"{int(n):,}")
            if int(n) == 10000:
                targets.append(_peak_target("10,000 teams peak RSS ≤ 8 GiB (check from JSON)", js["peak"], 8))
        print()
    for ok, text in targets:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(ok for ok, _ in targets) else 1


def _s(f: dict | None) -> str:
    if not f:
        return "–"
    return "killed" if f["s"] is None else f"{f['s']:.2f}"


def _runs(f: dict) -> str:
    return ", ".join(f"{x:.2f}" for x in f["runs"])


def _ratio(f: dict | None, r: float) -> str:
    return "–" if not f or f["s"] is None else f"{f['s'] / r:.2f}"


def _gib(f: dict | None) -> str:
    return "–" if not f else f"{f['peak'] / GIB:.2f}" + (" (killed)" if f["killed"] else "")


def _target(text: str, f: dict, limit: float, r: float) -> tuple[bool, str]:
    if f["s"] is None:
        return False, f"{text}: killed"
    return f["s"] <= limit, f"{text}: {f['s']:.2f} s = {f['s'] / r:.2f} R (runs {_runs(f)})"


def _peak_target(text: str, peak: int, gib: float) -> tuple[bool, str]:
    return peak <= gib * GIB, f"{text}: {peak / GIB:.2f} GiB"


def _tripling(a: dict, b: dict, na: int, nb: int) -> str:
    if a["s"] is None or b["s"] is None:
        return "–"
    return f"{3 ** (math.log(b['s'] / a['s']) / math.log(nb / na)):.2f}"


if __name__ == "__main__":
    sys.exit(main())
