"""`--compare`: earlier JSON reports beside this one — the conformance rate over the periods, and per team
and association what is newly open (fails or is not assessable) and what was fixed since the latest earlier
report, as `baseline.compare` sorts them."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..baseline import Change, compare as baseline_compare, load_report
from ..safe_load import DEFAULT_LIMITS, Limits
from .model import ComplianceReport
from .tree import rate


@dataclass
class Trend:
    periods: list[str]  # oldest first; the current report is the last
    rates: dict[str, list[float | None]]  # "all", an association or a team id -> its rate in each period
    newly_failing: dict[str, list[Change]] = field(default_factory=dict)  # team/association id -> changes
    fixed: dict[str, list[Change]] = field(default_factory=dict)


def load(paths: list[str], limits: Limits = DEFAULT_LIMITS) -> list[ComplianceReport]:
    """Earlier reports written by `check --format json`; one plain line (exit 2) for a file that is not one."""
    return [load_report(path, limits) for path in paths]


def compare(report: ComplianceReport, earlier: list[ComplianceReport]) -> Trend | None:
    """The trend from the earlier reports (in period order) to this one; None without earlier reports."""
    if not earlier:
        return None
    ordered = sorted(earlier, key=lambda r: (r.period_start, r.period_end, r.as_of)) + [report]
    rates: dict[str, list[float | None]] = {}
    for i, r in enumerate(ordered):
        for s in [r.overall, *r.associations, *r.teams]:
            rates.setdefault(s.id, [None] * len(ordered))[i] = rate(s.counts)
    trend = Trend([r.period for r in ordered], rates)
    diff = baseline_compare(ordered[-2], report)
    parents = {a.id: a.parent_id for a in report.associations}
    for changes, target in ((diff.new, trend.newly_failing), (diff.fixed, trend.fixed)):
        for c in changes:
            for node in _holders(c, parents):
                target.setdefault(node, []).append(c)
    return trend


def _holders(c: Change, parents: dict[str, str | None]) -> list[str]:
    """The change's team and every association up its chain."""
    out = [c.team_id] if c.team_id else []
    node = c.association_id
    while node is not None and node not in out:
        out.append(node)
        node = parents.get(node)
    return out
