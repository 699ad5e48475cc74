"""Findings kept as columns against Finding objects (issue 18): seconds to build the findings, roll them up into
the summaries and write the report JSON, both ways in one run, against R (Polars reading the dataset's JSON
files, as benchmarks/run.py measures it).

    python benchmarks/findings_bench.py                 # 100 teams, medians of 3
    python benchmarks/findings_bench.py --sizes 100,1000 --repeat 1

The old way is the design before findings were kept as columns, copied here to be measured: one `Finding`
per result row through `make_finding` (tests/oracle/engine.py), the summaries tallied finding by finding, the JSON written
by pydantic from the objects. The exit status is 1 when the two ways' report bytes differ.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections import Counter
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))  # the per-object oracle's make_finding

import timing  # noqa: E402  (benchmarks/ is on the path now)


def old_findings(rules, rows, ctx) -> list:
    """One Finding per result row (the design before issue 18's compact findings), rule by rule."""
    import polars as pl

    from oracle.engine import make_finding
    from hongfeng_rules.checks.outcome import Outcome, not_assessable
    from hongfeng_rules.columns.engine import MEASURED
    from hongfeng_rules.columns.findings import subjects as subject_plan
    from hongfeng_rules.columns.select import table
    from hongfeng_rules.models import COLLECTIONS
    from hongfeng_rules.models.base import trusted
    from hongfeng_rules.report.model import Subject

    measured = [c for c in rows.columns if c.startswith(MEASURED)]
    out = []
    for at, rule in enumerate(rules):
        collection = rule.subject_collection
        if not ctx.tables.has(collection):
            outcome = not_assessable(f"the dataset has no {collection}")
            out.append(make_finding(rule, Subject(kind=rule.rule.subject, id="*"), outcome, ctx))
            continue
        kind = COLLECTIONS[collection].kind
        subjects = ctx.memo(f"old-subjects:{collection}", lambda: {
            r[0]: trusted(Subject, kind=kind, id=r[0], name=r[1], team_id=r[2], association_id=r[3])
            for r in subject_plan([collection], ctx).select("id", "name", "team_id", "association_id").collect().iter_rows()})
        nicknames = ctx.memo(f"old-nicknames:{collection}", lambda: dict(
            table(collection, ctx).select("id", "nickname").iter_rows())
            if "nickname" in COLLECTIONS[collection].model.model_fields else {})
        mine = rows.filter(pl.col("rule") == at).select("id", "status", "expected", "evidence", "note", "due", *measured)
        for id_, status, expected, evidence, note, due, *values in mine.iter_rows():
            value = next((v for v in values if v is not None), None)  # its rule's dtype column
            out.append(make_finding(rule, subjects[id_], Outcome(status, value, expected, evidence or [], note, due),
                                    ctx, SimpleNamespace(nickname=nicknames.get(id_))))
    return out


def old_summaries(findings, teams, associations) -> dict:
    """The summaries tallied finding by finding (the design before)."""
    from hongfeng_rules.summaries import summarise

    parents = {a: p for a, _, p in associations}
    overall, by_team, by_association = Counter(), {}, {}
    for f in findings:
        key = (f.status, f.strength)
        overall[key] += 1
        if f.subject.team_id:
            by_team.setdefault(f.subject.team_id, Counter())[key] += 1
        node, seen = f.subject.association_id, set()
        while node is not None and node not in seen:
            seen.add(node)
            by_association.setdefault(node, Counter())[key] += 1
            node = parents.get(node)
    return {"overall": summarise("overall", "all", None, overall),
            "associations": [summarise("association", a, n, by_association.get(a, Counter()), p)
                             for a, n, p in sorted(associations)],
            "teams": [summarise("team", t, n, by_team.get(t, Counter()), p) for t, n, p in sorted(teams)]}


def timed(repeat: int, work):
    """The median seconds of `repeat` runs of `work()`, and its last result."""
    runs, out = timing.timed(work, repeat)
    return statistics.median(runs), out


def measure(teams: int, repeat: int) -> bool:
    import pydantic_core

    from generate import AS_OF, PERIOD, generate, write
    from run import child_floor
    from hongfeng_rules import auditing, load_pack
    from hongfeng_rules.auditing import finding_order
    from hongfeng_rules.columns import engine, findings as column_findings
    from hongfeng_rules.derived_results import is_derived
    from hongfeng_rules.models import Dataset
    from hongfeng_rules.report.finding_rows import FindingRows
    from hongfeng_rules.rulebook.locate import pack_dirs
    from hongfeng_rules.summaries import summaries

    data = generate(teams, 1, 0.2)
    with tempfile.TemporaryDirectory() as folder:
        write(data, folder)
        floor = child_floor(folder, repeat)["floor_s"]
    dataset = Dataset.model_validate(data)
    packs = [load_pack(d) for d in pack_dirs()]
    rules = [r for p in packs for r in p.rules if not is_derived(r)]
    ctx = auditing._context(dataset, PERIOD, datetime.fromisoformat(AS_OF), None)
    evaluate, evaluated = timed(1, lambda: engine.evaluate_all(rules, ctx))

    new_build, rows = timed(repeat, lambda: column_findings.findings(rules, evaluated, ctx).sorted())
    old_build, objects = timed(repeat, lambda: sorted(old_findings(rules, evaluated, ctx), key=finding_order))
    teams_of = [(t.id, t.name, t.association_id) for t in dataset.teams or []]
    associations = [(a.id, a.name, a.parent_id) for a in dataset.associations or []]
    new_sum, rolled = timed(repeat, lambda: summaries(rows, teams_of, associations))
    old_sum, old_rolled = timed(repeat, lambda: old_summaries(objects, teams_of, associations))

    report = auditing.audit(dataset, packs, PERIOD, datetime.fromisoformat(AS_OF))
    assert isinstance(report.finding_rows(), FindingRows) and "findings" not in report.__dict__
    new_json, new_bytes = timed(repeat, report.to_json_bytes)
    whole = report.model_copy()
    whole.findings  # noqa: B018  (made now: the old writer's input)
    old_json, old_bytes = timed(repeat, lambda: pydantic_core.to_json(whole, indent=2) + b"\n")
    same = new_bytes == old_bytes and len(rows) == len(objects) and rolled == old_rolled
    r = lambda s: f"{s:6.2f} s = {s / floor:5.2f} R"  # noqa: E731
    print(f"{teams} teams: {len(rows):,} findings, report {len(new_bytes) / 2**20:,.0f} MiB, "
          f"{'same bytes' if same else 'DIFFERENT BYTES'}; R {floor:.2f} s; every rule evaluated {r(evaluate)}")
    print(f"  findings built    objects {r(old_build)}   columns {r(new_build)}")
    print(f"  summaries         objects {r(old_sum)}   columns {r(new_sum)}")
    print(f"  report JSON       objects {r(old_json)}   columns {r(new_json)}   (target ≤ 0.50 R at 1,000 teams)")
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"load average {timing.load_average()}, {os.cpu_count()} cores")
    same = [measure(int(n), args.repeat) for n in args.sizes.split(",")]
    return 0 if all(same) else 1


if __name__ == "__main__":
    raise SystemExit(main())
