"""The association tree every renderer shows: province → city → county → team, worst first.

A node's conformance rate is the share of its judged findings that pass: pass ÷ (pass + fail + not
assessable). Missing evidence is not a pass, so it counts against the rate; pending, waived and
not-applicable findings are left out. A node with nothing judged has no rate (None).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .labels import STATUS_MARKS, STRENGTH_WORDS
from .model import STATUS_ORDER, ComplianceReport, Counts, SubjectSummary

JUDGED = ("pass", "fail", "not_assessable")
LEAVES = ("team", "online_group")  # the subjects a verdict is given for below the associations (a Yunge group)


def rate(counts: Counts) -> float | None:
    """pass ÷ (pass + fail + not assessable), or None when nothing was judged."""
    judged = sum(counts.by_status.get(s, 0) for s in JUDGED)
    return counts.by_status.get("pass", 0) / judged if judged else None


def unknown_share(counts: Counts) -> float | None:
    """not assessable ÷ (pass + fail + not assessable): how much could not be judged for want of data."""
    judged = sum(counts.by_status.get(s, 0) for s in JUDGED)
    return counts.by_status.get("not_assessable", 0) / judged if judged else None


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


@dataclass
class Node:
    summary: SubjectSummary
    children: list[Node] = field(default_factory=list)  # associations below, then teams, each worst first

    @property
    def rate(self) -> float | None:
        return rate(self.summary.counts)

    def teams(self) -> list[SubjectSummary]:
        """The teams at or below this node."""
        if self.summary.kind in LEAVES:
            return [self.summary]
        return [t for c in self.children for t in c.teams()]

    def walk(self, depth: int = 0):
        """(depth, node) for this node and every node below it, in tree order."""
        yield depth, self
        for c in self.children:
            yield from c.walk(depth + 1)


def worst_first(node: Node) -> tuple:
    """Non-conformant, then without a verdict, then conformant; then incomplete first, the lower rate, the id."""
    s, r = node.summary, node.rate
    return {False: 0, None: 1, True: 2}[s.conformant], s.complete, 2.0 if r is None else r, s.id


def build(report: ComplianceReport) -> list[Node]:
    """The roots: associations without a (known) parent, then teams without a (known) association."""
    nodes = {a.id: Node(a) for a in report.associations}
    roots: list[Node] = []
    for a in report.associations:
        parent = nodes.get(a.parent_id) if a.parent_id != a.id else None
        (parent.children if parent and not _below(nodes, parent, a.id) else roots).append(nodes[a.id])
    for t in report.teams:
        parent = nodes.get(t.parent_id)
        (parent.children if parent else roots).append(Node(t))
    for n in nodes.values():
        n.children.sort(key=lambda c: (c.summary.kind in LEAVES, worst_first(c)))
    roots.sort(key=lambda c: (c.summary.kind in LEAVES, worst_first(c)))
    return roots


def _below(nodes: dict[str, Node], node: Node, ancestor: str) -> bool:
    """Whether `ancestor` is `node` or above it (a cycle; integrity checks reject them, stay safe anyway)."""
    seen, current = set(), node.summary
    while current is not None and current.id not in seen:
        if current.id == ancestor:
            return True
        seen.add(current.id)
        found = nodes.get(current.parent_id) if current.parent_id else None
        current = found.summary if found else None
    return False


WORDS = {
    "en": {"title": "Associations", "rate": "conformance", "teams": "teams conformant", "failed": "failed"},
    "zh": {"title": "协会", "rate": "符合率", "teams": "队伍符合", "failed": "不符合"},
}


def line(node: Node, lang: str) -> str:
    """One node as plain text: name, rate, conformant teams, counts by status mark, failures by strength."""
    s, w = node.summary, WORDS[lang]
    teams = node.teams()
    by_status = " ".join(f"{STATUS_MARKS[k]}{s.counts.by_status.get(k, 0)}" for k in STATUS_ORDER)
    failed = " ".join(f"{STRENGTH_WORDS[lang][k]} {n}" for k, n in s.counts.failures_by_strength.items())
    head = f"{s.name} [{s.id}]" if s.name else s.id
    team_part = f" · {sum(t.conformant is True for t in teams)}/{len(teams)} {w['teams']}" if s.kind not in LEAVES else ""
    return f"{head}: {w['rate']} {percent(node.rate)}{team_part} · {by_status} · {w['failed']} {failed}"


def lines(report: ComplianceReport, lang: str, indent: str = "  ") -> list[str]:
    """The associations (not the teams, which each report lists after) as an indented tree."""
    return [indent * depth + line(node, lang) for root in build(report) if root.summary.kind not in LEAVES
            for depth, node in root.walk() if node.summary.kind not in LEAVES]
