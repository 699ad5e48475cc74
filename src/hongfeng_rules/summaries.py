"""Roll findings up into the report's summaries: overall, per team, per association (with those below it)."""
from __future__ import annotations

from collections import Counter
from typing import Iterable

from .report.finding_rows import FindingRows
from .report.model import STATUS_ORDER, Counts, Finding, SubjectSummary, Text

Tally = Counter  # (status, strength) -> findings
ASSESSED = ("pass", "fail", "pending", "waived", "not_used")  # a rule that looked at evidence (not_assessable/not_applicable did not)
NO_VERDICT = Text(zh="没有可评估的“应”条款：无法判断是否符合", en="no shall rule could be assessed: no verdict")


def summaries(findings: list[Finding] | FindingRows, teams: Iterable[tuple],
              associations: Iterable[tuple[str, str | None, str | None]]) -> dict:
    """`overall`, `associations` and `teams` summaries; teams and associations are (id, name, parent_id), a
    team's parent being its association; a team row may add its kind (`online_group`: a Yunge group, whose
    findings roll up to it as a team's do).
    Findings are counted in one group-by (team, association, status, rule): each team's, each association's
    own, which count for every association up its chain too."""
    rows = findings if isinstance(findings, FindingRows) else FindingRows.of_findings(findings)
    associations = sorted(associations)
    parents = {a_id: parent for a_id, _, parent in associations}
    overall, by_team, by_own_association = Counter(), {}, {}
    for team, association, status, strength, n in rows.counted("team_id", "association_id"):
        overall[(status, strength)] += n
        by_team.setdefault(team, Counter())[(status, strength)] += n
        by_own_association.setdefault(association, Counter())[(status, strength)] += n
    by_association: dict[str, Tally] = {}
    for node, tally in by_own_association.items():
        seen = set()
        while node is not None and node not in seen:  # integrity checks reject cycles; stay safe anyway
            seen.add(node)
            by_association.setdefault(node, Counter()).update(tally)
            node = parents.get(node)
    return {
        "overall": summarise("overall", "all", None, overall),
        "associations": [summarise("association", a_id, name, by_association.get(a_id, Counter()), parent)
                         for a_id, name, parent in associations],
        "teams": [summarise(kind, t_id, name, by_team.get(t_id, Counter()), parent)
                  for t_id, name, parent, kind in sorted((*t, "team")[:4] for t in teams)],
    }


def summarise(kind: str, id_: str, name: str | None, tally: Tally, parent_id: str | None = None) -> SubjectSummary:
    """A subject is conformant without a failed `shall`, and complete without an unassessable `shall`; with no
    assessed `shall` at all it has no verdict (`conformant` None, with the reason)."""
    by_status = Counter()
    failures = Counter()
    for (status, strength), n in tally.items():
        by_status[status] += n
        if status == "fail":
            failures[strength] += n
    assessed = any(tally[(status, "shall")] for status in ASSESSED)
    return SubjectSummary(
        kind=kind, id=id_, name=name, parent_id=parent_id,
        conformant=failures["shall"] == 0 if assessed else None, reason=None if assessed else NO_VERDICT,
        complete=tally[("not_assessable", "shall")] == 0,
        counts=Counts(by_status={s: by_status[s] for s in STATUS_ORDER},
                      failures_by_strength={s: failures[s] for s in ("shall", "should", "may")}),
    )
