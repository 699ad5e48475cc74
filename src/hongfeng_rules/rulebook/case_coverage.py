"""Rule coverage: which parts of each rule its test cases reach (`rules test --coverage`, docs/rule-coverage.md).

A rule's items: each threshold of its check at n−1, n and n+1 (`below`, `at`, `above`; for a deadline the
instant `before`, `at` and `after`), each dated value of a threshold, each test of its `where` conditions
(the rule's and the check's) answering true and false, and each not-assessable path: every collection the
rule needs being absent, and for the kinds that can be not assessable with every collection present, that path
(a value not recorded for `every` and `mean`, a year without a published calendar for `deadline`).

The cases run on the column-wise engine, as `check` and plain `rules test` do; `columns.coverage` says, for each
case, which thresholds' points and dated values and which tests' answers the rule reached over its tables (each
test compiled into columns beside its answer), and the case's report which not-assessable paths.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..checks.deadline import DeadlineCheck
from ..checks.selection import Bound
from ..columns import coverage
from ..columns.context import ColumnContext
from ..timecalc import Period, default_calendar
from .cases import CaseResult, run_cases
from .pack import CompiledRule, RulePack

POINTS = {"bound": ("below", "at", "above"), "deadline": ("before", "at", "after")}
DATA_PATHS = {"every": "not recorded", "mean": "not recorded", "deadline": "calendar unavailable"}  # the kinds'
# evaluators that return not_assessable from the data itself (checks/every.py, mean.py, deadline.py)


@dataclass
class RuleCoverage:
    rule_id: str
    pack: str
    items: list[str]
    reached: set[str]
    results: list[CaseResult]

    @property
    def missing(self) -> list[str]:
        return [i for i in self.items if i not in self.reached]

    @property
    def percent(self) -> float:
        return 100.0 if not self.items else 100 * (len(self.items) - len(self.missing)) / len(self.items)


def thresholds(check) -> list[tuple[str, str, object]]:
    """(key path, points kind, threshold) of the thresholds a check judges (their points are items)."""
    if isinstance(check, Bound):
        name, threshold = check.bound
        return [(f"check.{name}", "bound", threshold)]
    if isinstance(check, DeadlineCheck):
        return [("check.within", "deadline", check.within)]
    return []


def items_of(rule: CompiledRule, tests: list[str]) -> list[str]:
    out = []
    for path, kind, threshold in thresholds(rule.rule.check):
        out += [f"{path}:{point}" for point in POINTS[kind]]
        if threshold.dated():
            out += [f"{path}@{start.isoformat()}" for start in sorted(threshold.values)]
    out += [f"{path}:{answer}" for path in dict.fromkeys(tests) for answer in ("true", "false")]
    out += [f"not_assessable:no {c}" for c in sorted(rule.needs)]
    if rule.rule.check.kind in DATA_PATHS:
        out.append(f"not_assessable:{DATA_PATHS[rule.rule.check.kind]}")
    return out


def rule_coverage(packs: list[RulePack]) -> list[RuleCoverage]:
    """Run every rule's cases and say, per rule, which items they reach."""
    out = []
    for pack in packs:
        for rule in pack.rules:
            reached: set[str] = set()

            def observe(rule, tables, report, reached=reached):
                ctx = ColumnContext(tables, Period.parse(report.period), report.as_of, default_calendar())
                reached.update(coverage.reached(rule, ctx))
                if not any(f.status == "not_assessable" for f in report.findings):
                    return
                absent = [c for c in sorted(rule.needs) if not tables.has(c)]
                reached.update(f"not_assessable:no {c}" for c in absent)
                if not absent and rule.rule.check.kind in DATA_PATHS:
                    reached.add(f"not_assessable:{DATA_PATHS[rule.rule.check.kind]}")

            results = run_cases(RulePack(pack.manifest, pack.directory, [rule]), observe)
            out.append(RuleCoverage(rule.rule.id, pack.name, items_of(rule, coverage.tests(rule)), reached, results))
    return out


def total_percent(coverage: list[RuleCoverage]) -> float:
    items = sum(len(c.items) for c in coverage)
    missing = sum(len(c.missing) for c in coverage)
    return 100.0 if not items else 100 * (items - missing) / items


def render_text(coverage: list[RuleCoverage]) -> str:
    """One line per rule (reached/items, percent, what is missing), then the total."""
    lines = []
    for c in coverage:
        reached = len(c.items) - len(c.missing)
        lines.append(f"{c.rule_id:<45} {reached:>3}/{len(c.items):<3} {c.percent:5.1f}%"
                     + (f"  missing: {', '.join(c.missing)}" if c.missing else ""))
    items = sum(len(c.items) for c in coverage)
    reached = items - sum(len(c.missing) for c in coverage)
    lines.append(f"coverage: {reached}/{items} items ({total_percent(coverage):.1f}%) in {len(coverage)} rules")
    return "\n".join(lines) + "\n"
