"""The association tree (report.tree): rates, worst-first order, and its exact lines in the text and Markdown reports."""
from __future__ import annotations

import pytest

from hongfeng_rules.cli import main
from hongfeng_rules.report import tree
from hongfeng_rules.report.model import ComplianceReport, Counts, SubjectSummary

import report_fixture as rf


def node(kind: str, id_: str, parent: str | None, fail=0, unknown=0, passed=0, pending=0, na=0) -> SubjectSummary:
    return SubjectSummary(kind=kind, id=id_, name=id_.upper(), parent_id=parent, conformant=fail == 0,
                          complete=unknown == 0,
                          counts=Counts(by_status={"fail": fail, "not_assessable": unknown, "pending": pending,
                                                   "waived": 0, "pass": passed, "not_applicable": na},
                                        failures_by_strength={"shall": fail, "should": 0, "may": 0}))


def report(associations, teams) -> ComplianceReport:
    return ComplianceReport.model_construct(associations=associations, teams=teams)


PROVINCE = [node("association", "p", None, fail=3, unknown=1, passed=16),
            node("association", "c1", "p", fail=0, passed=8, pending=5),
            node("association", "c2", "p", fail=3, unknown=1, passed=8),
            node("association", "k1", "c2", fail=3, unknown=1, passed=4)]
TEAMS = [node("team", "t1", "k1", fail=3, passed=1), node("team", "t2", "k1", unknown=1, passed=3),
         node("team", "t3", "c1", passed=8, na=2), node("team", "t9", None, passed=1)]


def test_rate_is_passes_of_judged_findings():
    assert tree.rate(node("team", "x", None, fail=1, unknown=1, passed=2, pending=7, na=9).counts) == 0.5
    assert tree.rate(node("team", "x", None, pending=3, na=1).counts) is None  # nothing judged: no rate
    assert tree.rate(node("team", "x", None, unknown=4).counts) == 0.0  # missing evidence is not a pass
    assert tree.unknown_share(node("team", "x", None, unknown=1, passed=3).counts) == 0.25
    assert [tree.percent(v) for v in (None, 1.0, 2 / 3)] == ["–", "100.0 %", "66.7 %"]


def test_tree_is_nested_and_worst_first():
    roots = tree.build(report(PROVINCE, TEAMS))
    assert [r.summary.id for r in roots] == ["p", "t9"]  # a team without an association stands at the root
    shape = [(depth, n.summary.id) for depth, n in roots[0].walk()]
    assert shape == [(0, "p"), (1, "c2"), (2, "k1"), (3, "t1"), (3, "t2"), (1, "c1"), (2, "t3")]
    assert [t.id for t in roots[0].teams()] == ["t1", "t2", "t3"]


def test_a_parent_cycle_does_not_lose_nodes():
    cyclic = [node("association", "a", "b"), node("association", "b", "a")]
    roots = tree.build(report(cyclic, []))
    assert sorted(n.summary.id for r in roots for _, n in r.walk()) == ["a", "b"]


def test_tree_lines_exact():
    """t2 is conformant (only not assessable), t1 is not: a county with both has 1/2 conformant teams."""
    assert tree.lines(report(PROVINCE, TEAMS), "en") == [
        "P [p]: conformance 80.0 % · 2/3 teams conformant · ✗3 ?1 …0 ~0 ✓16 ○0 –0 · failed shall 3 should 0 may 0",
        "  C2 [c2]: conformance 66.7 % · 1/2 teams conformant · ✗3 ?1 …0 ~0 ✓8 ○0 –0 · failed shall 3 should 0 may 0",
        "    K1 [k1]: conformance 50.0 % · 1/2 teams conformant · ✗3 ?1 …0 ~0 ✓4 ○0 –0 · failed shall 3 should 0 may 0",
        "  C1 [c1]: conformance 100.0 % · 1/1 teams conformant · ✗0 ?0 …5 ~0 ✓8 ○0 –0 · failed shall 0 should 0 may 0",
    ]


@pytest.mark.parametrize("fmt, lang, expected", [
    ("text", "en", "== Associations\n  County [a1]: conformance 50.0 % · 1/2 teams conformant · ✗2 ?2 …0 ~0 ✓4 ○0 –0 · "
                   "failed shall 1 should 1 may 0\n\n== Team t1"),
    ("text", "zh", "== 协会\n  County [a1]: 符合率 50.0 % · 1/2 队伍符合 · ✗2 ?2 …0 ~0 ✓4 ○0 –0 · 不符合 应 1 宜 1 可 0\n\n== 队伍 t1"),
    ("markdown", "en", "### Associations\n\n- County \\[a1\\]: conformance 50.0 % · 1/2 teams conformant · "
                       "✗2 ?2 …0 \\~0 ✓4 ○0 –0 · failed shall 1 should 1 may 0\n\n| Team |"),
])
def test_reports_carry_the_tree(tmp_path, fmt, lang, expected):
    pack, data = rf.make(tmp_path)
    out = tmp_path / "out"
    main(rf.check_args(pack, data, "--format", fmt, "--lang", lang, "--out", str(out)))
    assert expected in out.read_text(encoding="utf-8")
