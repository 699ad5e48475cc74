"""The Gucheng volunteer police practice profile (a news article): the 1-3-5-minute response rings pinned at
the second from their rule files, the political review's order at the day, the seven joint duties by kind,
quotes kept exact, and an end-to-end CLI run on examples/gucheng in every report format."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from hongfeng_rules import audit, load_pack
from hongfeng_rules.cli import RENDERERS, main
from hongfeng_rules.errors import InputError
from hongfeng_rules.loading import load_dataset
from hongfeng_rules.models import Activity, Dataset, PoliticalReview
from hongfeng_rules.rulebook.coverage import missing
from hongfeng_rules.rulebook.pack import RulePack
from helpers import REPO, simplified, source_text

PACK = load_pack(REPO / "rules" / "gucheng")
RULES = {r.rule.id: r for r in PACK.rules}
ARTICLE = (REPO.parent / "shared" / "sources" / "gucheng-yijing-article.zh-Hant.txt")
RINGS = sorted(rid for rid in RULES if rid.startswith("gc-P5.6-"))
DUTIES = sorted(rid for rid in RULES if rid.startswith("gc-P5.8."))
ACTIVITY_KINDS = list(Activity.model_fields["kind"].annotation.__args__)
AS_OF = datetime(2025, 12, 31, 12)
ASSOCIATION = [{"id": "a", "name": "A", "level": "county"}]
TEAM = [{"id": "t", "association_id": "a", "name": "T"}]


def run(rule_id: str, period: str = "2025", as_of: datetime = AS_OF, **collections) -> dict[str, str]:
    dataset = Dataset.model_validate(collections)
    report = audit(dataset, RulePack(PACK.manifest, PACK.directory, [RULES[rule_id]]), period, as_of)
    return {f.subject.id: f.status for f in report.findings}


def ring(rule_id: str) -> tuple[str, int]:
    """(tier label, minutes) read from the rule file."""
    rule = RULES[rule_id].rule
    assert rule.check.within.unit == "minute"
    return rule.where["tier"], int(rule.check.within.value)


# --------------------------------------------------------------------------- the manifest and quotes

def test_manifest_says_the_source_is_an_article():
    m = PACK.manifest
    assert m.source_kind == "article" and m.code is None
    assert "新闻报道" in m.note.zh and "news article" in m.note.en
    assert all(r.rule.modal == "none" and "Annex C" in r.rule.reading for r in PACK.rules)
    assert missing(PACK) == []
    assert {"P3.1", "P1.6", "P6.1"} <= set(m.not_checkable)  # six roles not all named, 四警合一 undefined, figures


def test_strength_per_rule_the_rings_are_a_reading_at_should():
    """A practice profile: what the article states as done everywhere is shall; the 1-3-5 ring tiers and their
    times are the profile's own reading (parameters), so those rules are should and say so in their title."""
    for r in PACK.rules:
        ring_rule = r.rule.id.startswith("gc-P5.6-")
        assert r.rule.strength == ("should" if ring_rule else "shall"), r.rule.id
        if ring_rule:
            assert r.rule.reading.startswith("A READING") and r.rule.title.zh.startswith("（解读）")


def test_quotes_are_the_articles_sentences():
    """In simplified characters (Hebei users write them): the article's traditional text converted by OpenCC t2s."""
    if not ARTICLE.is_file():
        pytest.skip(f"the source article is not at {ARTICLE}")
    article = re.sub(r"\s+", "", source_text(ARTICLE))  # the article's lines are paragraphs
    for clause, text in PACK.manifest.clauses.items():
        assert re.sub(r"\s+", "", text.zh) in article, clause
    for r in PACK.rules:
        assert r.rule.source.zh in article, r.rule.id
        assert r.rule.source.zh == PACK.manifest.clauses[r.rule.clause].zh, r.rule.id


def test_quotes_titles_and_messages_are_in_simplified_characters():
    texts = [("pack", c, t.zh) for c, t in PACK.manifest.clauses.items()] + [
        (r.rule.id, part, getattr(r.rule, part).zh) for r in PACK.rules for part in ("source", "title", "message")]
    assert [(who, part) for who, part, text in texts if simplified(text) != text] == []
    assert simplified("設立“義警管理服務中心”") != "設立“義警管理服務中心”"  # the test can fail


def test_rings_are_one_three_five_minutes():
    assert [ring(rid) for rid in RINGS] == [("ring1", 1), ("ring2", 3), ("ring3", 5)]


# --------------------------------------------------------------------------- 1-3-5-minute response circle

UNIT = [{"id": "u", "association_id": "a", "name": "U"}]


@settings(max_examples=80, deadline=None)
@given(rule_id=st.sampled_from(RINGS), delta=st.sampled_from([-60, -1, 0, 1, 60]),
       alert=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2025, 12, 30)).map(
           lambda d: d.replace(microsecond=0)))
def test_arrival_boundary_at_the_second(rule_id, delta, alert):
    tier, minutes = ring(rule_id)
    arrival = alert + timedelta(minutes=minutes, seconds=delta)
    incident = {"id": "i", "emergency_unit_id": "u", "tier": tier,
                "alerted_at": alert.isoformat(), "arrived_at": arrival.isoformat()}
    got = run(rule_id, associations=ASSOCIATION, emergency_units=UNIT, incidents=[incident])
    assert got == {"i": "pass" if delta <= 0 else "fail"}


@settings(max_examples=30, deadline=None)
@given(rule_id=st.sampled_from(RINGS), other=st.sampled_from(RINGS))
def test_each_rule_judges_only_its_ring(rule_id, other):
    tier, _ = ring(other)
    incident = {"id": "i", "emergency_unit_id": "u", "tier": tier, "alerted_at": "2025-06-01T20:00:00"}
    got = run(rule_id, associations=ASSOCIATION, emergency_units=UNIT, incidents=[incident])
    assert got == ({"i": "fail"} if rule_id == other else {})  # no arrival, long past the deadline


def test_no_arrival_yet_is_pending_then_fails():
    tier, minutes = ring(RINGS[0])
    alert = datetime(2025, 6, 1, 20)
    incident = [{"id": "i", "emergency_unit_id": "u", "tier": tier, "alerted_at": alert.isoformat()}]
    data = dict(associations=ASSOCIATION, emergency_units=UNIT, incidents=incident)
    assert run(RINGS[0], as_of=alert + timedelta(minutes=minutes), **data) == {"i": "pending"}
    assert run(RINGS[0], as_of=alert + timedelta(minutes=minutes, seconds=1), **data) == {"i": "fail"}


def test_incidents_not_provided_are_not_assessable_and_arrival_before_alert_is_rejected(tmp_path):
    assert run(RINGS[0], associations=ASSOCIATION, emergency_units=UNIT) == {"*": "not_assessable"}
    (tmp_path / "associations.yaml").write_text(yaml.safe_dump(ASSOCIATION), encoding="utf-8")
    (tmp_path / "emergency_units.yaml").write_text(yaml.safe_dump(UNIT), encoding="utf-8")
    (tmp_path / "incidents.yaml").write_text(yaml.safe_dump([
        {"id": "i", "emergency_unit_id": "u", "tier": "ring1", "alerted_at": "2025-06-01T20:00:00",
         "arrived_at": "2025-06-01T19:59:59"}]), encoding="utf-8")
    with pytest.raises(InputError, match="before alerted_at"):
        load_dataset(tmp_path)


# --------------------------------------------------------------------------- political review

MEMBER = {"id": "m", "team_id": "t", "name": "M", "join_date": "2024-03-01"}


@settings(max_examples=40, deadline=None)
@given(days=st.integers(-400, 400))
def test_review_before_serving_at_the_day(days):
    done = date(2024, 3, 1) + timedelta(days=days)
    reviews = [{"id": "r", "member_id": "m", "result": "passed", "completed_on": done.isoformat()}]
    got = run("gc-P5.4-review-before-serving", associations=ASSOCIATION, teams=TEAM, members=[MEMBER],
              political_reviews=reviews)
    assert got == {"m": "pass" if days <= 0 else "fail"}


@pytest.mark.parametrize("result,status", [("passed", "pass"), ("failed", "fail"), ("pending", "fail")])
def test_only_a_passed_review_counts(result, status):
    review = {"id": "r", "member_id": "m", "result": result}
    if result != "pending":
        review["completed_on"] = "2024-02-01"
    got = run("gc-P5.4-political-review", associations=ASSOCIATION, teams=TEAM, members=[MEMBER],
              political_reviews=[review])
    assert got == {"m": status}
    assert run("gc-P5.4-political-review", associations=ASSOCIATION, teams=TEAM, members=[MEMBER]) == \
        {"m": "not_assessable"}


def test_a_decided_review_needs_its_date():
    with pytest.raises(ValidationError, match="needs completed_on"):
        PoliticalReview.model_validate({"id": "r", "member_id": "m", "result": "passed"})


# --------------------------------------------------------------------------- seven joint duties

def duty_kinds(rule_id: str) -> set[str] | None:
    where = RULES[rule_id].rule.check.where
    return set(where["kind"]["in"]) if where else None


def test_seven_duties_once_per_period():
    assert len(DUTIES) == 7
    for rid in DUTIES:
        check = RULES[rid].rule.check
        assert check.in_period and check.bound[0] == "at_least" and check.bound[1].unit == "times"
    assert RULES["gc-P5.8.1-joint-training"].rule.check.of == "trainings"


@settings(max_examples=60, deadline=None)
@given(rule_id=st.sampled_from([d for d in DUTIES if d != "gc-P5.8.1-joint-training"]),
       kind=st.sampled_from(ACTIVITY_KINDS), n=st.integers(0, 2), in_period=st.booleans())
def test_duty_counts_its_kinds_in_the_period(rule_id, kind, n, in_period):
    need = int(RULES[rule_id].rule.check.bound[1].value)
    year = 2025 if in_period else 2024
    activities = [{"id": f"x{i}", "team_id": "t", "kind": kind, "start": f"{year}-06-0{i + 1}T09:00:00",
                   "end": f"{year}-06-0{i + 1}T10:00:00"} for i in range(n)]
    got = run(rule_id, associations=ASSOCIATION, teams=TEAM, activities=activities)
    counted = n if in_period and kind in duty_kinds(rule_id) else 0
    assert got == {"a": "pass" if counted >= need else "fail"}


@pytest.mark.parametrize("rule_id", DUTIES)
def test_duties_are_judged_for_the_county_not_each_team(rule_id):
    """The seven 联 duties describe the county's method with specialised teams: one team of the county doing a duty
    is enough, the other teams are not judged on it, and another county's team does not count."""
    assert RULES[rule_id].rule.subject == "association" and RULES[rule_id].rule.where == {"level": "county"}
    collection = RULES[rule_id].rule.check.of
    kind = "regular" if collection == "trainings" else sorted(duty_kinds(rule_id))[0]
    record = {"id": "x", "team_id": "t1", "kind": kind, "start": "2025-06-01T09:00:00", "end": "2025-06-01T10:00:00"}
    data = dict(associations=ASSOCIATION + [{"id": "b", "name": "B", "level": "county"}],
                teams=[{"id": "t1", "association_id": "a", "name": "T1"}, {"id": "t2", "association_id": "a", "name": "T2"},
                       {"id": "t3", "association_id": "b", "name": "T3"}])
    assert run(rule_id, **data, **{collection: [record]}) == {"a": "pass", "b": "fail"}


# --------------------------------------------------------------------------- the CLI on the examples

EXAMPLE = REPO / "examples" / "gucheng"
ARGS = ["check", str(EXAMPLE), "--pack", "gucheng", "--period", "2025-Q2", "--as-of", "2025-07-01"]
NON_CONFORMANT = {"gc-a2", "gc-t2", "gc-m3", "gc-m4", "gc-u3", "gc-i3", "gc-x7", "gc-x8", "gc-r3"}


def test_cli_json_findings(tmp_path):
    out = tmp_path / "report.json"
    assert main(ARGS + ["--format", "json", "--out", str(out)]) == 1
    report = json.loads(out.read_text(encoding="utf-8"))
    failing = {(f["rule_id"], f["subject"]["id"]) for f in report["findings"] if f["status"] == "fail"}
    assert failing == {
        ("gc-P1.2-management-centre", "gc-a2"), ("gc-P1.5-workstations", "gc-a2"),
        ("gc-P2.1-honours-scheme", "gc-a2"), ("gc-P4.2-party-branch", "gc-a2"), ("gc-P1.4-team-workstation", "gc-t2"),
        ("gc-P2.1-points-for-service", "gc-m3"), ("gc-P2.3-insurance", "gc-m3"),
        ("gc-P5.4-review-before-serving", "gc-m3"), ("gc-P2.3-clothing", "gc-m4"),
        ("gc-P2.3-equipment", "gc-m4"), ("gc-P5.4-political-review", "gc-m4"),
        ("gc-P3.2-unit-linked", "gc-u3"), ("gc-P5.6-ring3-arrival", "gc-i3"),
        *{(rid, "gc-a2") for rid in DUTIES if rid not in ("gc-P5.8.2-joint-patrol", "gc-P5.8.7-joint-publicity")},
    }
    conformant = [f for f in report["findings"] if f["subject"]["id"] not in NON_CONFORMANT]
    assert conformant and {f["status"] for f in conformant} == {"pass"}
    assert {f["rule_id"] for f in conformant} == set(RULES)  # the conformant side exercises every rule


def conformant_only(tmp_path):
    """A copy of the example without the non-conformant association's records."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    for path in EXAMPLE.glob("*.yaml"):
        records = [r for r in yaml.safe_load(path.read_text(encoding="utf-8")) if r["id"] not in NON_CONFORMANT]
        (tmp_path / path.name).write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_cli_every_format(tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    assert main(ARGS + ["--format", fmt, "--out", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    assert "gc-P5.6-ring3-arrival" in text and "gc-i3" in text
    good = conformant_only(tmp_path / "good")
    out_good = tmp_path / f"good.{fmt}"
    assert main(["check", str(good), *ARGS[2:], "--format", fmt, "--out", str(out_good)]) == 0
    assert out_good.read_text(encoding="utf-8").strip()


def test_cli_rules_commands(capsys):
    pack = str(REPO / "rules" / "gucheng")
    assert main(["rules", "lint", pack]) == 0
    assert main(["rules", "test", pack]) == 0
    capsys.readouterr()
    assert main(["rules", "matrix", pack, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)["gucheng"]
    assert all(r["status"] in ("rules", "not_checkable") for r in rows)
