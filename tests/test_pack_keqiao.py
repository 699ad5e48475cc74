"""The Keqiao 驻村融治 practice profile: every threshold pinned from its rule file at n-1, n, n+1,
the kind-dependent patrol team sizes, and an end-to-end CLI run on examples/keqiao-zhucun."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hongfeng_rules import audit, load_pack
from hongfeng_rules.cli import main
from hongfeng_rules.models import Dataset
from hongfeng_rules.rulebook.pack import RulePack
from helpers import REPO

PACK = load_pack(REPO / "rules" / "keqiao-zhucun")
RULES = {r.rule.id: r for r in PACK.rules}
DELTA = st.sampled_from([-1, 0, 1])


def run(rule_id: str, period: str = "2025", as_of: datetime = datetime(2025, 12, 31, 12), **collections):
    dataset = Dataset.model_validate(collections)
    report = audit(dataset, RulePack(PACK.manifest, PACK.directory, [RULES[rule_id]]), period, as_of)
    return {f.subject.id: f.status for f in report.findings}


def at_least(rule_id: str) -> int:
    name, threshold = RULES[rule_id].rule.check.bound
    assert name == "at_least"
    return int(threshold.value)


def expected(count: int, n: int) -> str:
    return "pass" if count >= n else "fail"


def test_manifest_is_a_practice_profile():
    m = PACK.manifest
    assert m.source_kind == "article" and m.code is None
    assert {"P1.1", "P1.4", "P1.5", "P1.7", "P1.9", "P2.2"} <= set(m.clauses)
    assert m.not_checkable
    assert all(r.rule.modal == "none" and "Annex C" in r.rule.reading and r.rule.strength == "shall"
               for r in PACK.rules)  # a practice profile: what the article states as done everywhere


def test_thresholds_are_the_articles():
    assert at_least("kz-P1.1-committee-size") == 3
    assert at_least("kz-P1.4-patrol-team-size-village") == 5
    assert at_least("kz-P1.4-patrol-team-size-community") == 10
    assert at_least("kz-P2.2-auxiliary-community") == 2
    assert at_least("kz-P2.2-auxiliary-village") == 1
    assert RULES["kz-P1.5-weekly-patrol"].rule.check.per == "week"
    assert RULES["kz-P1.7-monthly-check"].rule.check.per == "month"
    assert RULES["kz-P1.9-quarterly-drill"].rule.check.per == "quarter"


@settings(max_examples=30, deadline=None)
@given(delta=DELTA, left=st.integers(0, 2))
def test_committee_size(delta, left):
    n = at_least("kz-P1.1-committee-size")
    members = [{"id": f"m{i}", "security_committee_id": "sc", "name": "M"} for i in range(n + delta)]
    members += [{"id": f"x{i}", "security_committee_id": "sc", "name": "X", "status": "left"} for i in range(left)]
    got = run("kz-P1.1-committee-size", places=[{"id": "v", "name": "V", "kind": "village"}],
              security_committees=[{"id": "sc", "place_id": "v"}], committee_members=members)
    assert got == {"sc": expected(n + delta, n)}


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(["village", "unit", "enterprise", "community"]), delta=DELTA)
def test_patrol_team_size_depends_on_kind(kind, delta):
    rule_id = "kz-P1.4-patrol-team-size-" + ("community" if kind == "community" else "village")
    other_id = "kz-P1.4-patrol-team-size-" + ("village" if kind == "community" else "community")
    n = at_least(rule_id)
    data = dict(patrol_teams=[{"id": "t", "name": "T", "kind": kind}],
                patrol_members=[{"id": f"m{i}", "patrol_team_id": "t", "name": "M"} for i in range(n + delta)])
    assert run(rule_id, **data) == {"t": expected(n + delta, n)}
    assert run(other_id, **data) == {}  # the other bound does not judge this kind of team


def weeks(start: date, count: int) -> list[date]:
    return [start + timedelta(weeks=i) for i in range(count)]


@settings(max_examples=30, deadline=None)
@given(delta=DELTA, which=st.integers(0, 3), weekday=st.integers(0, 6))
def test_weekly_patrol(delta, which, weekday):
    n = at_least("kz-P1.5-weekly-patrol")
    patrols = []
    for w, monday in enumerate(weeks(date(2025, 3, 3), 4)):
        times = n + delta if w == which else n
        day = monday + timedelta(days=weekday)
        patrols += [{"id": f"p{w}-{k}", "patrol_team_id": "t", "start": f"{day}T{20 + k % 4}:00:00"} for k in range(times)]
    got = run("kz-P1.5-weekly-patrol", "2025-03-03..2025-03-30", datetime(2025, 4, 1),
              patrol_teams=[{"id": "t", "name": "T", "kind": "village"}], patrols=patrols)
    assert got == {"t": expected(n + delta, n)}


@settings(max_examples=30, deadline=None)
@given(delta=DELTA, which=st.integers(1, 3), by_other=st.booleans())
def test_monthly_check(delta, which, by_other):
    n = at_least("kz-P1.7-monthly-check")
    checks = []
    for month in (1, 2, 3):
        times = n + delta if month == which else n
        checks += [{"id": f"k{month}-{k}", "patrol_team_id": "t", "at": f"2025-{month:02d}-{10 + k}T10:00:00",
                    "inspector_role": "community_police_officer"} for k in range(times)]
    if by_other:  # a check by someone else never makes up for a missing one
        checks.append({"id": "o", "patrol_team_id": "t", "at": f"2025-{which:02d}-28T10:00:00", "inspector_role": "other"})
    got = run("kz-P1.7-monthly-check", "2025-Q1", datetime(2025, 4, 1),
              patrol_teams=[{"id": "t", "name": "T", "kind": "village"}], patrol_team_checks=checks)
    assert got == {"t": expected(n + delta, n)}


@settings(max_examples=30, deadline=None)
@given(delta=DELTA, which=st.integers(1, 4))
def test_quarterly_drill(delta, which):
    n = at_least("kz-P1.9-quarterly-drill")
    trainings = []
    for q in (1, 2, 3, 4):
        times = n + delta if q == which else n
        month = 3 * q - 1
        trainings += [{"id": f"d{q}-{k}", "patrol_team_id": "t", "kind": "drill",
                       "start": f"2025-{month:02d}-{10 + k}T09:00:00", "end": f"2025-{month:02d}-{10 + k}T11:00:00"}
                      for k in range(times)]
    trainings.append({"id": "r", "patrol_team_id": "t", "kind": "regular",
                      "start": f"2025-{3 * which - 1:02d}-25T09:00:00", "end": f"2025-{3 * which - 1:02d}-25T11:00:00"})
    got = run("kz-P1.9-quarterly-drill", "2025", datetime(2026, 1, 5),
              patrol_teams=[{"id": "t", "name": "T", "kind": "village"}], trainings=trainings)
    assert got == {"t": expected(n + delta, n)}


@settings(max_examples=30, deadline=None)
@given(kind=st.sampled_from(["village", "community"]), delta=DELTA)
def test_auxiliary_posts(kind, delta):
    rule_id = f"kz-P2.2-auxiliary-{kind}"
    n = at_least(rule_id)
    posts = [{"id": f"a{i}", "place_id": "p", "name": "A"} for i in range(n + delta)]
    got = run(rule_id, places=[{"id": "p", "name": "P", "kind": kind}, {"id": "e", "name": "E", "kind": "enterprise"}],
              auxiliary_posts=posts)
    assert got == {"p": expected(n + delta, n)}


def test_missing_evidence_is_not_assessable():
    assert run("kz-P1.5-weekly-patrol", patrol_teams=[{"id": "t", "name": "T", "kind": "village"}]) == \
        {"t": "not_assessable"}
    assert run("kz-P2.2-auxiliary-village", places=[{"id": "p", "name": "P", "kind": "village"}]) == \
        {"p": "not_assessable"}


ARGS = ["check", str(REPO / "examples" / "keqiao-zhucun"), "--pack", "keqiao-zhucun", "--period", "2025",
        "--as-of", "2025-12-31"]  # the example covers the whole of 2025, the period a user runs


def test_cli_end_to_end(tmp_path):
    out = tmp_path / "report.json"
    assert main(ARGS + ["--format", "json", "--out", str(out)]) == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {(f["pack"], f["pack_version"]) for f in report["findings"]} == {("keqiao-zhucun", "2025.1")}
    failing = {(f["rule_id"], f["subject"]["id"]) for f in report["findings"] if f["status"] == "fail"}
    assert failing == {
        ("kz-P1.1-committee-in-place", "kz-v2"),
        ("kz-P1.1-committee-size", "sc-c1"),
        ("kz-P1.4-patrol-team-size-community", "pt-c1"),
        ("kz-P1.5-weekly-patrol", "pt-c1"),
        ("kz-P1.7-monthly-check", "pt-c1"),
        ("kz-P1.9-quarterly-drill", "pt-c1"),
        ("kz-P2.2-auxiliary-community", "kz-c1"),
    }
    assert {f["status"] for f in report["findings"] if f["subject"]["id"] in {"pt-v1", "pt-e1", "kz-v1", "pt-u1"}} == {"pass"}
    assert any(f["rule_id"] == "kz-P4.3-unit-monthly-drill" and f["subject"]["id"] == "pt-u1" for f in report["findings"])
    weekly = next(f for f in report["findings"] if f["rule_id"] == "kz-P1.5-weekly-patrol" and f["subject"]["id"] == "pt-v1")
    assert weekly["measured"] == "51 of 51 weeks met"  # every whole week of 2025, W52 ending on 28 December
    messages = {f["subject"]["id"]: f["message"]["zh"] for f in report["findings"] if f["status"] == "fail"}
    assert messages["kz-v2"].startswith("宾舍村") and messages["kz-c1"].startswith("叶家堰居")  # names, not ids


def test_cli_a_second_pack_that_matches_nothing_is_an_error_not_a_pass(tmp_path, capsys):
    """yunge judges online groups, which this dataset has none of: naming it is a mistake (issue 16)."""
    out = tmp_path / "report.json"
    args = ["check", str(REPO / "examples" / "keqiao-zhucun"), "--pack", "keqiao-zhucun", "--pack", "yunge",
            "--period", "2025", "--as-of", "2025-12-31", "--format", "json", "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pack yunge" in err[0] and "keqiao-zhucun" not in err[0].split("--pack")[1]
    assert not out.exists()


def test_cli_rules_commands_per_pack(capsys):
    assert main(["rules", "lint", "keqiao-zhucun"]) == 0
    assert main(["rules", "test", "keqiao-zhucun"]) == 0
    capsys.readouterr()
    assert main(["rules", "list", "keqiao-zhucun", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["pack"] for r in rows} == {"keqiao-zhucun"} and {r["id"] for r in rows} == set(RULES)


def test_a_training_belongs_to_a_team_or_a_patrol_team_not_both_or_neither():
    import pytest
    from pydantic import ValidationError

    from hongfeng_rules.models import Training

    times = {"kind": "drill", "start": "2025-03-01T09:00:00", "end": "2025-03-01T10:00:00"}
    assert Training.model_validate({"id": "d", "patrol_team_id": "t", **times}).team_id is None
    for ids in ({}, {"team_id": "x", "patrol_team_id": "t"}):
        with pytest.raises(ValidationError, match="exactly one of team_id"):
            Training.model_validate({"id": "d", **ids, **times})
