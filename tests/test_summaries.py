"""Summaries roll findings up to teams and to every association above them, also after waivers."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from hongfeng_rules import audit, load_dataset
from hongfeng_rules.rulebook.locate import load_packs
from hongfeng_rules.waivers import Waiver, apply_waivers

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "hongfeng"


def _report():
    return audit(load_dataset(EXAMPLE), load_packs(["hongfeng"]), "2025", datetime(2026, 1, 15))


def _by_id(summaries):
    return {s.id: s for s in summaries}


def test_an_association_counts_the_findings_of_the_associations_below_it():
    report = _report()
    associations = _by_id(report.associations)
    city = associations["zj-shaoxing"]
    children = [a for a in report.associations if a.parent_id == "zj-shaoxing"]
    assert city.parent_id is None and {a.id for a in children} == {"zj-zhuji", "zj-shangyu"}
    for status, n in city.counts.by_status.items():
        direct = sum(1 for f in report.findings if f.subject.association_id == "zj-shaoxing" and f.status == status)
        assert n == direct + sum(a.counts.by_status[status] for a in children)
    assert sum(city.counts.by_status.values()) > 0


def test_a_waiver_changes_the_counts_of_its_team_and_of_every_association_above_it():
    report = _report()
    failure = next(f for f in report.findings if f.status == "fail" and f.strength == "shall" and f.subject.team_id
                   and f.subject.association_id == "zj-zhuji")
    waived = apply_waivers(report, [Waiver(rule_id=failure.rule_id, subject_id=failure.subject.id,
                                           justification="re-founded; recruiting", approved_by="county association",
                                           approved_on=date(2025, 12, 1), expires_on=date(2026, 3, 31))])
    for summaries in ("teams", "associations"):
        before, after = _by_id(getattr(report, summaries)), _by_id(getattr(waived, summaries))
        for key in (failure.subject.team_id, "zj-zhuji", "zj-shaoxing"):
            if key in before:
                assert after[key].counts.by_status["fail"] == before[key].counts.by_status["fail"] - 1
                assert after[key].counts.by_status["waived"] == before[key].counts.by_status["waived"] + 1
        for key in before.keys() - {failure.subject.team_id, "zj-zhuji", "zj-shaoxing"}:
            assert after[key].counts == before[key].counts
    assert waived.overall.counts.by_status["waived"] == report.overall.counts.by_status["waived"] + 1
