"""The column-wise engine (issue 18), the audit's, agrees with the per-object one (tests/oracle/engine.py, the oracle): the
reports of the four examples are the same bytes, and every rule case passes on it."""
from __future__ import annotations

import polars as pl
import pytest

from hongfeng_rules import auditing, load_dataset, load_pack
from oracle import engine as object_engine
from hongfeng_rules.rulebook.cases import run_cases
from hongfeng_rules.rulebook.locate import pack_dirs
from helpers import REPO, member, team_data

EXAMPLES = {
    "hongfeng": ("2025", "2026-01-15"),
    "yunge": ("2025", "2025-12-31"),
    "keqiao-zhucun": ("2025-Q1", "2025-04-01"),
    "gucheng": ("2025-Q2", "2025-07-01"),
}


def report_json(pack, dataset, period, as_of, which: str) -> str:
    from datetime import date

    audit = {"objects": object_engine.audit, "columns": auditing.audit}[which]
    return audit(dataset, pack, period, date.fromisoformat(as_of)).model_dump_json(indent=2)


@pytest.mark.parametrize("name", EXAMPLES)
def test_examples_are_the_same_bytes(name):
    pack, dataset = load_pack(REPO / "rules" / name), load_dataset(REPO / "examples" / name)
    period, as_of = EXAMPLES[name]
    objects = report_json(pack, dataset, period, as_of, "objects")
    columns = report_json(pack, dataset, period, as_of, "columns")
    assert columns == objects


@pytest.mark.parametrize("folder", pack_dirs(), ids=lambda folder: folder.name)
def test_every_rule_case_passes_column_wise(folder):
    """`hongfeng-rules rules test` on the column-wise engine: every case of every shipped rule."""
    pack = load_pack(folder)
    failures = [f"{r.case}: {f}" for r in run_cases(pack) for f in r.failures]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("kind", ["document", "every", "count"])
def test_a_batched_kind_evaluated_alone_gives_each_subject_the_per_object_outcome(kind):
    """`kinds.KINDS` of a kind the audit batches (`kinds.MANY`): one rule alone, on the hongfeng example, gives
    every subject the oracle's status, measured value, expected text, evidence and note."""
    from columns_oracle import assert_same_outcomes, case, contexts, pack_rules
    from oracle.engine import evaluate_of

    ctx, cctx = contexts(*case("hongfeng")[1:])
    judged = sum(assert_same_outcomes(kind, r.rule.check, r.subject_collection, evaluate_of(r), r.applies, ctx, cctx)
                 for r in pack_rules("hongfeng", kind))
    assert judged > 0


def _plan_agrees(kind: str, specs: list[dict], data) -> dict:
    """The kind's `evaluate_many` of the checks in one plan over the teams of `data` (as-of the end of 2025): each
    (rule, team) row's status, measured value and evidence are the per-object outcome's; the rows by (rule, team)."""
    from datetime import datetime
    from importlib import import_module

    from hongfeng_rules.checks.registry import CHECK_KINDS
    from hongfeng_rules.timecalc import SHANGHAI
    from columns_oracle import contexts, subject_records
    from oracle.kinds import evaluator

    checks = [CHECK_KINDS[kind].model_validate(spec) for spec in specs]
    ctx, cctx = contexts(data, "2025", datetime(2025, 12, 31, 12, tzinfo=SHANGHAI))
    teams = subject_records("teams", None, ctx)
    many = import_module(f"hongfeng_rules.columns.kinds.{kind}").evaluate_many
    out = many(list(enumerate(checks)), "teams", cctx.tables.get("teams").lazy(), cctx).collect()
    rows = {(row["rule"], row["id"]): row for row in out.to_dicts()}
    assert len(rows) == len(checks) * len(teams) == out.height
    for i, check in enumerate(checks):
        for team in teams:
            o, row = evaluator(check, "teams")(team, ctx), rows[(i, team.id)]
            assert (row["status"], row["measured"], row["evidence"]) == (o.status, o.measured, list(o.evidence)), (
                i, team.id)
    return rows


MEMBERS = [member(0, real_name_verified=True), member(1, party_member=True), member(2),
           member(3, real_name_verified=False, party_member=False)]


@pytest.mark.parametrize("rules", [1, 2, 3])
def test_count_rules_in_one_plan_count_each_its_own_records_and_no_unknown_one(rules):
    """Plain count rules over the same members of a team are one plan (one cached frame, each rule's `where` a
    filter of it): each counts the members its own `where` holds for — an unset yes/no is not counted — never the
    first rule's records for all; per team, as the per-object count."""
    wheres = [{"real_name_verified": True}, {"party_member": True}, {"real_name_verified": False}]
    specs = [{"kind": "count", "of": "members", "where": wheres[k], "at_least": {"value": 1, "unit": "person"}}
             for k in range(rules)]
    rows = _plan_agrees("count", specs, team_data(members=MEMBERS))
    assert [rows[(i, "t1")]["measured"] for i in range(rules)] == [1, 1, 1][:rules]


@pytest.mark.parametrize("rules", [1, 2, 3])
def test_every_rules_in_one_plan_select_each_its_own_records(rules):
    """`every` rules over two selections (members, trainings) in one plan: each judges its own records; a member
    whose `where` is unknown is not selected, and one failing `require` whose `pending_while` is unknown fails
    (not pending) — per team, as the per-object check."""
    specs = [{"kind": "every", "of": "members", "where": {"real_name_verified": True}, "require": {"party_member": True}},
             {"kind": "every", "of": "trainings", "require": {"kind": "pre_job"}},
             {"kind": "every", "of": "members", "require": {"party_member": True},
              "pending_while": {"real_name_verified": True}}][:rules]
    trainings = [{"id": "tr1", "team_id": "t1", "kind": "regular", "start": "2025-05-01T09:00:00",
                  "end": "2025-05-01T11:00:00", "attendee_ids": ["m0"]}]
    rows = _plan_agrees("every", specs, team_data(members=MEMBERS, trainings=trainings))
    assert [rows[(i, "t1")]["status"] for i in range(rules)] == ["fail", "fail", "fail"][:rules]


def test_an_every_rule_selects_its_records_through_its_via():
    """`via` through another collection: points have no `team_id`, so `member_id->members.team_id` links each entry
    to its member's team. Each team judges the entries of its own members (t1's are all `hours`, one of t2's is
    not), alone and in one plan with a rule over the members themselves — per team, as the per-object check."""
    specs = [{"kind": "every", "of": "points", "via": "member_id->members.team_id", "require": {"reason": "hours"}},
             {"kind": "every", "of": "members", "require": {"party_member": True}}]
    teams = [{"id": t, "association_id": "a1", "name": t, "founded_on": "2020-01-01"} for t in ("t1", "t2")]
    points = [{"id": f"p{i}", "member_id": m, "on": "2025-03-01", "amount": 1, "reason": reason}
              for i, (m, reason) in enumerate([("m0", "hours"), ("m1", "hours"), ("m2", "hours"), ("m2", "quality")])]
    data = team_data(teams=teams, members=[member(0), member(1), member(2, team="t2", party_member=True)],
                     points=points)
    for n in (1, 2):
        rows = _plan_agrees("every", specs[:n], data)
        assert [(rows[(0, t)]["status"], rows[(0, t)]["evidence"]) for t in ("t1", "t2")] == [
            ("pass", []), ("fail", ["p3"])]


def test_rules_over_missing_subject_collections_give_each_its_own_subject_star(tmp_path):
    """A rule whose subject collection the dataset lacks gives one not-assessable finding for the subject "*"
    naming that collection (engine.results, remembered per collection): two rules over disputes, one over hazards,
    as the per-object engine."""
    from datetime import datetime

    from hongfeng_rules.timecalc import SHANGHAI
    from helpers import rule, write_pack

    rules = [rule({"kind": "every", "require": {"major": True}}, "dispute", rid="hf-5.1.1-test"),
             rule({"kind": "every", "require": {"rectified_at": {"is_set": True}}}, "hazard", rid="hf-5.2.1-test"),
             rule({"kind": "every", "require": {"major": False}}, "dispute", rid="hf-5.3.1-test")]
    pack = load_pack(write_pack(tmp_path, *rules))
    dataset, as_of = team_data(members=[member(0)]), datetime(2026, 1, 15, 12, tzinfo=SHANGHAI)
    report = auditing.audit(dataset, pack, "2025", as_of)
    assert report.model_dump_json() == object_engine.audit(dataset, pack, "2025", as_of).model_dump_json()
    assert sorted((f.rule_id, f.subject.id, f.status, f.note) for f in report.findings) == [
        ("hf-5.1.1-test", "*", "not_assessable", "the dataset has no disputes"),
        ("hf-5.2.1-test", "*", "not_assessable", "the dataset has no hazards"),
        ("hf-5.3.1-test", "*", "not_assessable", "the dataset has no disputes")]


def test_a_rule_needing_missing_collections_names_them_for_each_subject(tmp_path):
    """Subjects present, collections the rule needs missing (its selection's and its hop's): each subject is not
    assessable, the note naming them in order, ", " between (engine.results), as the per-object engine."""
    from datetime import datetime

    from hongfeng_rules.timecalc import SHANGHAI
    from helpers import rule, write_pack

    check = {"kind": "count", "of": "patrol_sign_ins", "via": "activity_id->activities.participants.member_id",
             "at_least": {"value": 1, "unit": "times"}}
    pack = load_pack(write_pack(tmp_path, rule(check, "member")))
    dataset, as_of = team_data(members=[member(0), member(1)]), datetime(2026, 1, 15, 12, tzinfo=SHANGHAI)
    report = auditing.audit(dataset, pack, "2025", as_of)
    assert report.model_dump_json() == object_engine.audit(dataset, pack, "2025", as_of).model_dump_json()
    note = "the dataset has no activities, patrol_sign_ins"
    assert sorted((f.subject.id, f.status, f.note) for f in report.findings) == [
        ("m0", "not_assessable", note), ("m1", "not_assessable", note)]


def _report(tmp_path, rules, dataset, as_of=None):
    """The rules audited column-wise (period 2025, as-of 2026-01-15 noon unless given); the report JSON is the
    per-object engine's, byte for byte."""
    from datetime import datetime

    from hongfeng_rules.timecalc import SHANGHAI
    from helpers import write_pack

    pack = load_pack(write_pack(tmp_path, *rules))
    as_of = as_of or datetime(2026, 1, 15, 12, tzinfo=SHANGHAI)
    report = auditing.audit(dataset, pack, "2025", as_of)
    assert report.model_dump_json(indent=2) == object_engine.audit(dataset, pack, "2025", as_of).model_dump_json(
        indent=2)
    return report


def _audit_one(tmp_path, check, subject, dataset, **extra):
    """One rule audited column-wise (`_report`): its findings' (subject, status, note), sorted."""
    from helpers import rule

    report = _report(tmp_path, [rule(check, subject, **extra)], dataset)
    return sorted((f.subject.id, f.status, f.note) for f in report.findings)


def test_an_event_collections_subjects_are_its_records_of_the_period_only(tmp_path):
    """Trainings are events (engine._subjects, `counted(…, True, …)`): a rule over trainings judges only those that
    start inside 2025 and not after as-of — neither the one of 2024 nor the one after as-of is a subject."""
    trainings = [{"id": f"tr{y}", "team_id": "t1", "kind": "regular", "start": f"{y}-01-10T09:00:00",
                  "end": f"{y}-01-10T11:00:00", "attendee_ids": ["m0"]} for y in (2024, 2025, 2026)]
    findings = _audit_one(tmp_path, {"kind": "every", "require": {"kind": "regular"}}, "training",
                          team_data(members=[member(0)], trainings=trainings))
    assert [(s, status) for s, status, _ in findings] == [("tr2025", "pass")]


def test_a_subject_whose_where_is_unknown_is_not_a_subject(tmp_path):
    """The rule's `where` must hold (engine._subjects: an unknown answer is not held): of three members only the one
    born before 1990 is judged, not the one whose date of birth is not recorded nor the one born in 2000."""
    members = [member(0, birth_date="1980-01-01", real_name_verified=False), member(1, real_name_verified=False),
               member(2, birth_date="2000-01-01", real_name_verified=False)]
    findings = _audit_one(tmp_path, {"kind": "every", "require": {"real_name_verified": True}}, "member",
                          team_data(members=members), where={"birth_date": {"lt": "1990-01-01"}})
    assert [(s, status) for s, status, _ in findings] == [("m0", "fail")]


def test_a_batched_kinds_rule_over_a_missing_subject_collection_gives_subject_star(tmp_path):
    """A count rule (a kind of kinds.MANY) whose subject collection, teams, the dataset lacks is not batched
    (engine._batch): one not-assessable finding for "*"."""
    from hongfeng_rules.models import Dataset

    check = {"kind": "count", "of": "members", "at_least": {"value": 1, "unit": "person"}}
    dataset = Dataset.model_validate({"associations": [{"id": "a1", "name": "A", "level": "county"}]})
    assert _audit_one(tmp_path, check, "team", dataset) == [("*", "not_assessable", "the dataset has no teams")]


def test_a_batched_kinds_rule_needing_a_missing_collection_is_not_assessable_per_subject(tmp_path):
    """A count rule (kinds.MANY) over trainings the dataset lacks is not batched (engine._batch): each team is not
    assessable, the note naming trainings."""
    teams = [{"id": t, "association_id": "a1", "name": t, "founded_on": "2020-01-01"} for t in ("t1", "t2")]
    check = {"kind": "count", "of": "trainings", "at_least": {"value": 1, "unit": "times"}}
    note = "the dataset has no trainings"
    assert _audit_one(tmp_path, check, "team", team_data(teams=teams, members=[member(0)])) == [
        ("t1", "not_assessable", note), ("t2", "not_assessable", note)]


def test_no_rules_give_no_rows_in_the_columns_of_all_rows():
    """`evaluate_all` of no rules: no rows, in its columns — `rule` (UInt32), `id` and the result columns but
    `measured` (no dtype of `measured` is known, so none of its columns)."""
    from hongfeng_rules.columns.engine import evaluate_all
    from hongfeng_rules.columns.kinds import RESULT_SCHEMA
    from columns_oracle import contexts

    _, cctx = contexts(team_data(members=[member(0)]), "2025", "2025-12-31")
    out = evaluate_all([], cctx)
    assert out.height == 0
    assert dict(out.schema) == {"rule": pl.UInt32, **{k: v for k, v in RESULT_SCHEMA.items() if k != "measured"}}


def test_each_rules_rows_keep_the_subjects_table_order_after_the_sort_by_rule(tmp_path):
    """`evaluate_all` sorts the rows by rule and keeps each rule's rows in their order (the subjects' table order):
    rules 0 and 2 are one plan, rule 1 (another `where`) a second one after it, so the sort moves rule 1's rows
    between the others; 150 members a rule, the table not in id order."""
    from hongfeng_rules.columns.engine import evaluate_all
    from columns_oracle import contexts
    from helpers import rule, write_pack

    ids = [(i * 37) % 150 for i in range(150)]  # a permutation of 0..149: table order is not id order
    members = [member(i, birth_date="1980-01-01") for i in ids]
    rules = [rule({"kind": "every", "require": {"party_member": True}}, "member", rid="hf-5.1.1-test"),
             rule({"kind": "every", "require": {"party_member": False}}, "member", rid="hf-5.1.2-test",
                  where={"birth_date": {"lt": "1990-01-01"}}),
             rule({"kind": "every", "require": {"real_name_verified": True}}, "member", rid="hf-5.1.3-test")]
    pack = load_pack(write_pack(tmp_path, *rules))
    _, cctx = contexts(team_data(members=members), "2025", "2025-12-31")
    out = evaluate_all(pack.rules, cctx)
    order = [f"m{i}" for i in ids]
    assert [out.filter(pl.col("rule") == k)["id"].to_list() for k in range(3)] == [order] * 3


def _owners(report) -> dict:
    """Each finding's (kind, id) -> the (team, association) it rolls up to."""
    return {(f.subject.kind, f.subject.id): (f.subject.team_id, f.subject.association_id) for f in report.findings}


def _roll_up_data():
    """Two associations, a team in each; records of each kind whose roll-up differs from the table order: disputes
    not in their follow-ups' order, points of a member of t2 first, a sign-in whose own team is not its member's,
    an online group's member (a Yunge group is its own team), a follow-up and a points entry whose dispute or
    member is not in the dataset (no team, no association), evidence and a workstation with an association of their own; no hazards."""
    from hongfeng_rules.models import Dataset

    return Dataset.model_validate({
        "associations": [{"id": "a1", "name": "A1", "level": "county"}, {"id": "a2", "name": "A2", "level": "county"}],
        "teams": [{"id": "t1", "association_id": "a1", "name": "T1", "founded_on": "2020-01-01"},
                  {"id": "t2", "association_id": "a2", "name": "T2", "founded_on": "2020-01-01"}],
        "members": [member(1, team="t2"), member(0)],
        "disputes": [{"id": "d2", "team_id": "t2", "registered_at": "2025-03-01T09:00:00"},
                     {"id": "d1", "team_id": "t1", "registered_at": "2025-03-02T09:00:00"}],
        "evidence": [{"id": "e1", "kind": "charter", "team_id": "t1", "association_id": "a2"},
                     {"id": "e2", "kind": "charter", "association_id": "a1"}],
        "workstations": [{"id": "w1", "association_id": "a2", "name": "W1"}],
        "follow_ups": [{"id": "f1", "dispute_id": "d1", "at": "2025-04-01T09:00:00"},
                       {"id": "f2", "dispute_id": "d2", "at": "2025-04-02T09:00:00"},
                       {"id": "f3", "dispute_id": "d9", "at": "2025-04-03T09:00:00"}],
        "points": [{"id": "p1", "member_id": "m1", "on": "2025-05-01", "amount": 2},
                   {"id": "p0", "member_id": "m0", "on": "2025-05-02", "amount": 1},
                   {"id": "p9", "member_id": "m9", "on": "2025-05-03", "amount": 1}],
        "patrol_sign_ins": [{"id": "s1", "team_id": "t1", "member_id": "m1", "at": "2025-06-01T20:00:00"}],
        "online_groups": [{"id": "g1", "name": "G1"}],
        "group_members": [{"id": "gm1", "online_group_id": "g1", "role": "resident"}],
    })


def _every_rule(subject: str, k: int, require: dict) -> dict:
    from helpers import rule

    return rule({"kind": "every", "require": require}, subject, rid=f"hf-5.{k}.1-test")


def test_a_findings_subject_rolls_up_to_its_own_team_else_its_disputes_or_members(tmp_path):
    """`columns.findings.subjects`: a team and an online group are their own team, an association its own
    association; a member and a sign-in have their own team (the sign-in's, not its member's); a follow-up has its
    dispute's team, a points entry its member's, a group member its group; the association is the record's own,
    else its team's (evidence of t1 for a2 is a2's); an unknown dispute or member gives neither; the subject "*" of the missing hazards, in the same audit, has neither — as the
    per-object engine (byte for byte)."""
    rules = [_every_rule(s, k, {"id": {"is_set": True}}) for k, s in enumerate(
        ("association", "team", "member", "follow_up", "points_entry", "patrol_sign_in", "group_member", "evidence",
         "workstation", "hazard"), 1)]
    owners = _owners(_report(tmp_path, rules, _roll_up_data()))
    assert owners == {
        ("association", "a1"): (None, "a1"), ("association", "a2"): (None, "a2"),
        ("team", "t1"): ("t1", "a1"), ("team", "t2"): ("t2", "a2"),
        ("member", "m0"): ("t1", "a1"), ("member", "m1"): ("t2", "a2"),
        ("follow_up", "f1"): ("t1", "a1"), ("follow_up", "f2"): ("t2", "a2"), ("follow_up", "f3"): (None, None),
        ("points_entry", "p0"): ("t1", "a1"), ("points_entry", "p1"): ("t2", "a2"), ("points_entry", "p9"): (None, None),
        ("patrol_sign_in", "s1"): ("t1", "a1"), ("group_member", "gm1"): ("g1", None),
        ("evidence", "e1"): ("t1", "a2"), ("evidence", "e2"): (None, "a1"), ("workstation", "w1"): (None, "a2"),
        ("hazard", "*"): (None, None)}


@pytest.mark.parametrize("subject", ["follow_up", "points_entry"])
def test_a_rule_over_linked_records_alone_rolls_up_to_their_owners_teams(tmp_path, subject):
    """The only rule's subjects have no team of their own (follow-ups: their dispute's; points: their member's):
    the roll-up still follows the link when no other rule's subjects need it."""
    owners = _owners(_report(tmp_path, [_every_rule(subject, 1, {"id": {"is_set": True}})], _roll_up_data()))
    first, second, unknown = {"follow_up": ("f1", "f2", "f3"), "points_entry": ("p0", "p1", "p9")}[subject]
    assert owners == {(subject, first): ("t1", "a1"), (subject, second): ("t2", "a2"), (subject, unknown): (None, None)}


def test_a_pending_findings_time_left_is_in_hours_to_two_places(tmp_path):
    """A major hazard found at 07:29:10 and not yet reported is pending at noon (due 24 h after it was found): its
    time left is 19 h 29 min 10 s, written 19.49 (hours, two places); a reported one has none."""
    from datetime import datetime

    from hongfeng_rules.timecalc import SHANGHAI
    from helpers import rule

    check = {"kind": "deadline", "start": "found_at", "end": "reported_at", "within": {"value": 24, "unit": "hour"}}
    hazards = [{"id": "h1", "team_id": "t1", "found_at": "2025-12-31T07:29:10", "major": True},
               {"id": "h2", "team_id": "t1", "found_at": "2025-12-30T07:29:10", "major": True,
                "reported_at": "2025-12-30T09:00:00"}]
    report = _report(tmp_path, [rule(check, "hazard")], team_data(members=[member(0)], hazards=hazards),
                     datetime(2025, 12, 31, 12, tzinfo=SHANGHAI))
    assert sorted((f.subject.id, f.status, f.time_left_hours) for f in report.findings) == [
        ("h1", "pending", 19.49), ("h2", "pass", None)]


@pytest.mark.parametrize("members", [0, 2])
def test_the_findings_frame_has_the_finding_rows_schema(tmp_path, members):
    """`columns.findings.findings` gives the columns of `FindingRows.SCHEMA`, in order and of its types, whether
    the rule has findings or none (no members)."""
    from hongfeng_rules.columns.engine import evaluate_all
    from hongfeng_rules.columns.findings import findings
    from hongfeng_rules.report.finding_rows import SCHEMA
    from columns_oracle import contexts
    from helpers import rule, write_pack

    pack = load_pack(write_pack(tmp_path, rule({"kind": "every", "require": {"party_member": True}}, "member")))
    data = team_data(members=[member(i) for i in range(members)])
    _, cctx = contexts(data, "2025", "2025-12-31")
    out = findings(pack.rules, evaluate_all(pack.rules, cctx), cctx).frame
    assert dict(out.schema) == SCHEMA and out.height == members
