"""Verdicts and report content of the aggregate checks at their boundaries, as mutation testing asked for
(issue 24): one-day periods, quarters of periods not starting in January, frequency units ending exactly on
the reference date, instants against $as_of, and the measured/expected texts of share, mean and frequency."""
import re
from datetime import date, datetime

import pytest
import yaml

from hongfeng_rules.checks.context import Context
from hongfeng_rules.cli import main
from hongfeng_rules.derived import DERIVED
from hongfeng_rules.index import Index
from hongfeng_rules import audit
from hongfeng_rules.models import COLLECTIONS, Dataset
from hongfeng_rules.rulebook.units import COUNT_UNITS
from hongfeng_rules.rulebook.pack import load_pack
from hongfeng_rules.timecalc import (CalendarUnavailable, Period, default_calendar, skip_reason, supported_as_of, unit_containing,
                                     whole_periods)

from helpers import REPO, member, rule, run, team_data, write_pack
from oracle.kinds import evaluator


@pytest.mark.parametrize("month, quarter", [(1, 1), (2, 1), (3, 1), (4, 2), (6, 2), (7, 3), (9, 3), (10, 4),
                                            (11, 4), (12, 4)])
def test_the_quarter_of_every_month(month, quarter):
    assert unit_containing(date(2025, month, 15), "quarter").label == f"2025-Q{quarter}"


def test_a_period_starting_in_february_keeps_its_first_partial_quarter():
    judged, skipped = whole_periods(Period.parse("2025-02-01..2025-12-31"), "quarter", datetime(2026, 1, 5))
    assert [p.label for p in judged] == ["2025-Q2", "2025-Q3", "2025-Q4"]
    assert [(p.label, skip_reason(p, Period.parse("2025-02-01..2025-12-31"), datetime(2026, 1, 5)))
            for p in skipped] == [("2025-Q1", "cut_by_period")]


def test_a_period_starting_in_december_is_split_into_quarters():
    judged, skipped = whole_periods(Period.parse("2025-12-01..2026-06-30"), "quarter", datetime(2026, 7, 1))
    assert [p.label for p in judged] == ["2026-Q1", "2026-Q2"] and [p.label for p in skipped] == ["2025-Q4"]


QUARTERLY = {"kind": "frequency", "of": "meetings", "per": "quarter", "at_least": {"value": 1, "unit": "times"}}


def meetings(*days: str) -> list[dict]:
    return [{"id": f"g{i}", "team_id": "t1", "kind": "weekly", "held_at": f"{d}T19:00:00"} for i, d in enumerate(days)]


def test_quarterly_over_a_period_starting_in_february(tmp_path):
    data = team_data(meetings=meetings("2025-02-10", "2025-05-10", "2025-08-10"))  # none in Q4
    (f,) = run(tmp_path, QUARTERLY, data, period="2025-02-01..2025-12-31", as_of=datetime(2026, 1, 5))
    assert (f.status, f.measured, f.expected, f.evidence_ids) == (
        "fail", "2 of 3 quarters met", "≥ 1 times every quarter", ["2025-Q4: 0"])


def test_quarterly_over_a_period_starting_in_december(tmp_path):
    data = team_data(meetings=meetings("2025-12-10", "2026-02-10"))
    (f,) = run(tmp_path, QUARTERLY, data, period="2025-12-01..2026-03-31", as_of=datetime(2026, 4, 1))
    assert (f.status, f.measured) == ("pass", "1 of 1 quarters met")


MONTHLY = {"kind": "frequency", "of": "meetings", "per": "month", "at_least": {"value": 1, "unit": "times"}}


@pytest.mark.parametrize("as_of, status", [
    (datetime(2025, 3, 31, 12), "pending"),                       # March ends later on the reference date
    (datetime(2025, 3, 31, 23, 59, 59, 999998), "pending"),       # one microsecond before its end
    (datetime(2025, 3, 31, 23, 59, 59, 999999), "fail"),          # at its last instant: judged
    (datetime(2025, 4, 1, 0, 0), "fail"),
])
def test_frequency_pending_until_the_unit_ending_on_the_reference_date_ends(tmp_path, as_of, status):
    (f,) = run(tmp_path, MONTHLY, team_data(meetings=[]), period="2025-03", as_of=as_of)
    assert f.status == status
    if status == "pending":
        assert f.note == "no whole month of the period has ended by the as-of date"


@pytest.mark.parametrize("period, per", [("2025-03-01..2025-03-01", "week"), ("2025-03-01..2025-03-01", "month"),
                                         ("2025-03-10..2025-03-31", "month"), ("2025-02", "quarter")])
@pytest.mark.parametrize("as_of", [datetime(2025, 3, 1, 12), datetime(2025, 6, 1)])
def test_frequency_over_a_period_holding_no_whole_unit_is_not_applicable(tmp_path, period, per, as_of):
    """Not pending: no unit of that period will ever be judged, however long one waits."""
    check = {**MONTHLY, "per": per}
    (f,) = run(tmp_path, check, team_data(meetings=[]), period=period, as_of=as_of)
    assert (f.status, f.note) == ("not_applicable", f"no whole {per} of the period has ended by the as-of date")


def test_frequency_of_a_team_founded_after_the_period_is_not_applicable(tmp_path):
    data = team_data(meetings=[])
    data.teams[0].founded_on = date(2025, 7, 1)
    (f,) = run(tmp_path, MONTHLY, data, period="2025-Q2", as_of=datetime(2025, 5, 1))
    assert f.status == "not_applicable"


def test_frequency_of_a_team_founded_inside_the_period_waits_for_its_first_whole_unit(tmp_path):
    data = team_data(meetings=[])
    data.teams[0].founded_on = date(2025, 5, 20)
    (f,) = run(tmp_path, MONTHLY, data, period="2025-Q2", as_of=datetime(2025, 6, 10))
    assert f.status == "pending"


def test_a_one_day_period(tmp_path):
    period = Period.parse("2025-03-01..2025-03-01")
    assert (period.start, period.end, period.label) == (date(2025, 3, 1), date(2025, 3, 1), "2025-03-01..2025-03-01")
    assert period.contains(date(2025, 3, 1)) and not period.contains(date(2025, 3, 2))
    assert period.contains(datetime(2025, 3, 1, 23, 59)) and not period.contains(datetime(2025, 2, 28, 23, 59))
    assert whole_periods(period, "week", datetime(2025, 4, 1))[0] == []
    one_day = {"kind": "count", "of": "trainings", "in_period": True, "at_least": {"value": 1, "unit": "times"}}
    training = {"team_id": "t1", "kind": "regular"}
    data = team_data(trainings=[{"id": "on", **training, "start": "2025-03-01T23:00:00", "end": "2025-03-01T23:30:00"},
                                {"id": "after", **training, "start": "2025-03-02T00:00:00",
                                 "end": "2025-03-02T01:00:00"},
                                {"id": "before", **training, "start": "2025-02-28T23:59:59",
                                 "end": "2025-03-01T01:00:00"}])
    (f,) = run(tmp_path, one_day, data, period="2025-03-01..2025-03-01", as_of=datetime(2025, 3, 10))
    assert (f.status, f.measured, f.evidence_ids) == ("pass", 1, ["on"])


NO_BOUND = [{"kind": "count", "of": "members"},
            {"kind": "share", "of": "members", "numerator": {"party_member": True}},
            {"kind": "mean", "of": "members", "value": "@age_years"},
            {"kind": "frequency", "of": "meetings", "per": "month"},
            {"kind": "count", "of": "members", "at_least": {"value": 1, "unit": "person"},
             "at_most": {"value": 3, "unit": "person"}},
            {"kind": "count", "of": "members", "at_least": {"value": 1, "unit": "person"},
             "at_most": {"value": 3, "unit": "person"}, "exactly": {"value": 2, "unit": "person"}}]


@pytest.mark.parametrize("check", NO_BOUND, ids=lambda c: f"{c['kind']}-{sum(b in c for b in BOUNDS)}-bounds")
def test_a_rule_without_exactly_one_bound_is_a_lint_error(tmp_path, capsys, check):
    write_pack(tmp_path / "pack", rule(check))
    assert main(["rules", "lint", str(tmp_path / "pack")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [f"error: {tmp_path / 'pack' / 'hf-5.0.1-test.yaml'}:12: check: "
                   "give exactly one of at_least, at_most, exactly"]


BOUNDS = ("at_least", "at_most", "exactly")


@pytest.mark.parametrize("bound, sign, status", [("at_least", "≥", "fail"), ("at_most", "≤", "pass"),
                                                 ("exactly", "=", "fail")])
def test_share_lists_the_members_not_counted_and_the_sign(tmp_path, bound, sign, status):
    check = {"kind": "share", "of": "members", "numerator": {"party_member": True},
             bound: {"value": 25, "unit": "percent"}}
    data = team_data(members=[member(0, party_member=True)] + [member(i) for i in range(1, 5)]
                     + [member(5, real_name_verified=True)])
    (f,) = run(tmp_path, check, data)
    assert (f.status, f.measured, f.expected) == (status, "16.67% (1/6)", f"{sign} 25 percent")
    assert f.evidence_ids == ([] if status == "pass" else ["m1", "m2", "m3", "m4", "m5"])
    assert f.message.en == (f"16.67% (1/6) vs {sign} 25 %" if status == "fail" else "pass: test")


@pytest.mark.parametrize("hits, status", [(0, "fail"), (1, "pass"), (2, "pass")])
def test_share_at_the_threshold_passes(tmp_path, hits, status):
    check = {"kind": "share", "of": "members", "numerator": {"party_member": True},
             "at_least": {"value": 25, "unit": "percent"}}
    data = team_data(members=[member(i, party_member=i < hits) for i in range(4)])
    (f,) = run(tmp_path, check, data)
    assert (f.status, f.measured) == (status, f"{100 * hits / 4}% ({hits}/4)")


def test_share_of_nothing_is_not_applicable(tmp_path):
    check = {"kind": "share", "of": "members", "where": {"party_member": True}, "numerator": {"skills": {"min_items": 1}},
             "at_least": {"value": 25, "unit": "percent"}}
    (f,) = run(tmp_path, check, team_data(members=[member(0)]))
    assert (f.status, f.note) == ("not_applicable", "no members to take a share of")


@pytest.mark.parametrize("bound, sign, status", [("at_least", "≥", "fail"), ("at_most", "≤", "pass"),
                                                 ("exactly", "=", "fail")])
def test_mean_reports_the_measured_mean_and_the_sign(tmp_path, bound, sign, status):
    check = {"kind": "mean", "of": "members", "value": "@age_years", bound: {"value": 40, "unit": "year"}}
    # on 2025-12-31: 30, 35 and 36 years old, a mean of 33.67
    data = team_data(members=[member(0, birth_date="1995-06-01"), member(1, birth_date="1990-12-31"),
                              member(2, birth_date="1989-01-01")])
    (f,) = run(tmp_path, check, data)
    assert (f.status, f.measured, f.expected) == (status, 33.67, f"{sign} 40 year")
    assert f.message.en == (f"33.67 vs {sign} 40 years" if status == "fail" else "pass: test")


@pytest.mark.parametrize("age_of_third, status", [(35, "pass"), (36, "fail")])
def test_mean_at_the_threshold_passes(tmp_path, age_of_third, status):
    check = {"kind": "mean", "of": "members", "value": "@age_years", "at_most": {"value": 35, "unit": "year"}}
    data = team_data(members=[member(0, birth_date="1990-06-01"), member(1, birth_date="1990-06-01"),
                              member(2, birth_date=f"{2025 - age_of_third}-06-01")])
    assert run(tmp_path, check, data)[0].status == status


def test_mean_of_nothing_and_of_unknown_values(tmp_path):
    check = {"kind": "mean", "of": "members", "where": {"party_member": True}, "value": "@age_years",
             "at_most": {"value": 35, "unit": "year"}}
    (f,) = run(tmp_path / "a", check, team_data(members=[member(0)]))
    assert (f.status, f.note) == ("not_applicable", "no members to average")
    data = team_data(members=[member(0, party_member=True), member(1, party_member=True, birth_date="1990-01-01")])
    (g,) = run(tmp_path / "b", check, data)
    assert (g.status, g.note, g.evidence_ids) == ("not_assessable", "@age_years not recorded for 1 of 2", ["m0"])


def test_frequency_reports_n_of_m_met_and_the_missed_units(tmp_path):
    data = team_data(meetings=meetings("2025-04-10", "2025-06-30"))  # none in May; 23:00 on 30 June counts
    (f,) = run(tmp_path, MONTHLY, data, period="2025-Q2", as_of=datetime(2025, 7, 1))
    assert (f.status, f.measured, f.expected, f.evidence_ids) == (
        "fail", "2 of 3 months met", "≥ 1 times every month", ["2025-05: 0"])
    (g,) = run(tmp_path / "b", {**MONTHLY, "at_most": MONTHLY["at_least"], "at_least": None}, data,
               period="2025-Q2", as_of=datetime(2025, 7, 1))
    assert (g.status, g.measured, g.expected) == ("pass", "3 of 3 months met", "≤ 1 times every month")


def test_count_reports_the_number_and_the_records(tmp_path):
    check = {"kind": "count", "of": "members", "where": {"party_member": True}, "exactly": {"value": 2, "unit": "person"}}
    data = team_data(members=[member(0, party_member=True), member(1), member(2, party_member=True)])
    (f,) = run(tmp_path, check, data)
    assert (f.status, f.measured, f.expected, f.evidence_ids) == ("pass", 2, "= 2 person", ["m0", "m2"])


def test_every_reports_n_of_m(tmp_path):
    check = {"kind": "every", "of": "members", "require": {"real_name_verified": True}}
    data = team_data(members=[member(0, real_name_verified=True), member(1, real_name_verified=False), member(2)])
    (f,) = run(tmp_path, check, data)
    assert (f.status, f.measured, f.expected, f.evidence_ids) == ("fail", "1 of 3", "all", ["m1"])
    data = team_data(members=[member(0, real_name_verified=True), member(2)])
    (g,) = run(tmp_path / "b", check, data)
    assert (g.status, g.measured, g.note, g.evidence_ids) == (
        "not_assessable", "1 of 2", "real_name_verified not recorded for 1 of 2", ["m2"])
    (h,) = run(tmp_path / "c", check, team_data(members=[member(0, real_name_verified=True)]))
    assert (h.status, h.measured, h.expected) == ("pass", "1 of 1", "all")


CLOSED_LOOP = yaml.safe_load((REPO / "rules" / "hongfeng" / "6.2.4-closed-loop.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("feedback, as_of, status", [
    ("2025-06-30T09:00:00", datetime(2025, 6, 30, 12), "pass"),   # earlier on the as-of day
    ("2025-06-30T18:00:00", datetime(2025, 6, 30, 12), "fail"),   # later on the as-of day: not yet fed back
    ("2025-07-05T10:00:00", datetime(2025, 7, 10), "pass"),       # after the period's end, before as-of
    ("2025-07-11T10:00:00", datetime(2025, 7, 10), "fail"),       # after as-of
])
def test_closed_loop_judges_instants_at_the_as_of_instant(tmp_path, feedback, as_of, status):
    """hf-6.2.4's `lte: $as_of` on instants, found two months before (its month of grace has run out)."""
    h = {"id": "h1", "team_id": "t1", "found_at": "2025-04-01T09:00:00", "reported_at": "2025-04-01T10:00:00",
         "rectified_at": "2025-04-20T10:00:00", "feedback_at": feedback}
    (f,) = run(tmp_path, CLOSED_LOOP["check"], team_data(hazards=[h]), period="2025-Q2", as_of=as_of)
    assert (f.status, f.evidence_ids) == (status, [] if status == "pass" else ["h1"])


def context(period="2025", as_of=datetime(2025, 12, 31, 12), **collections) -> Context:
    return Context(Index(team_data(**collections)), Period.parse(period), supported_as_of(as_of), default_calendar())


def value(name: str, ctx: Context, member_id: str = "m0"):
    return DERIVED[name].compute(ctx.index.by_id("members")[member_id], ctx)


@pytest.mark.parametrize("born, age", [("1990-12-30", 35), ("1990-12-31", 35), ("1991-01-01", 34),
                                       ("2000-02-29", 25)])
def test_age_in_whole_years_on_the_reference_date(born, age):
    assert value("age_years", context(members=[member(0, birth_date=born)])) == age


def test_age_of_an_unrecorded_birth_date_is_unknown():
    assert value("age_years", context(members=[member(0)])) is None


def activity(i: int, start: str, end: str, **hours: float) -> dict:
    return {"id": f"a{i}", "team_id": "t1", "kind": "patrol", "start": start, "end": end,
            "participants": [{"member_id": m, "hours": h} for m, h in hours.items()]}


def test_service_hours_add_up_the_periods_activities_only():
    ctx = context(period="2025-Q2", as_of=datetime(2025, 7, 1), members=[member(0), member(1), member(2)],
                  activities=[activity(1, "2025-04-01T09:00:00", "2025-04-01T12:00:00", m0=3, m1=1.5),
                              activity(2, "2025-06-30T20:00:00", "2025-06-30T22:00:00", m0=2),
                              activity(3, "2025-03-31T20:00:00", "2025-03-31T22:00:00", m0=7, m2=7)])
    assert [value("service_hours", ctx, m) for m in ("m0", "m1", "m2")] == [5.0, 1.5, 0.0]
    assert [value("activity_count", ctx, m) for m in ("m0", "m1", "m2")] == [2, 1, 0]


def trainings(*rows: tuple[str, str, list[str]]) -> list[dict]:
    return [{"id": f"t{i}", "team_id": "t1", "kind": kind, "start": end, "end": end, "attendee_ids": ids}
            for i, (kind, end, ids) in enumerate(rows)]


def test_pre_job_trainings_count_any_date_up_to_as_of_once_per_member():
    as_of = datetime(2025, 6, 30, 12)
    ctx = context(period="2025-Q2", as_of=as_of, members=[member(0), member(1)],
                  trainings=trainings(("pre_job", "2024-11-01T10:00:00", ["m0"]),
                                      ("pre_job", "2025-06-30T12:00:00", ["m0", "m0", "m1"]),  # ends at as-of
                                      ("pre_job", "2025-06-30T12:00:01", ["m1"]),
                                      ("regular", "2025-05-01T10:00:00", ["m1"])))
    assert [value("pre_job_trainings", ctx, m) for m in ("m0", "m1")] == [2, 1]
    assert value("pre_job_trainings", context(members=[member(0)], trainings=[])) == 0


def test_last_active_is_the_latest_activity_training_or_sign_in_not_after_as_of():
    as_of = datetime(2025, 6, 30, 12)
    ctx = context(period="2025-Q2", as_of=as_of, members=[member(0), member(1), member(2), member(3, join_date="2025-06-01")],
                  activities=[activity(1, "2025-05-01T09:00:00", "2025-05-01T12:00:00", m0=3, m1=1),
                              activity(2, "2025-06-30T10:00:00", "2025-06-30T12:00:00", m1=2),  # ends at as-of
                              activity(3, "2025-06-30T10:00:00", "2025-06-30T12:00:01", m0=2),  # after as-of
                              activity(4, "2025-03-01T09:00:00", "2025-03-01T12:00:00", m0=1, m3=1)],
                  trainings=trainings(("regular", "2025-05-20T10:00:00", ["m2"]), ("regular", "2025-04-02T10:00:00", ["m0"]),
                                      ("regular", "2025-06-01T10:00:00", ["m1"])),  # seen after m1's later activity
                  patrol_sign_ins=[{"id": "s1", "team_id": "t1", "member_id": "m0", "at": "2025-05-10T08:00:00"}])
    got = {m: value("last_active_at", ctx, m).isoformat() for m in ("m0", "m1", "m2", "m3")}
    assert got == {"m0": "2025-05-10T08:00:00+08:00", "m1": "2025-06-30T12:00:00+08:00",
                   "m2": "2025-05-20T10:00:00+08:00", "m3": "2025-06-01T00:00:00+08:00"}  # m3: joined after


def test_last_active_of_a_member_never_active_is_the_join_day():
    ctx = context(members=[member(0, join_date="2024-02-03")], activities=[], trainings=[])
    assert value("last_active_at", ctx).isoformat() == "2024-02-03T00:00:00+08:00"


def test_political_review_passed_on_is_the_earliest_pass():
    reviews = [{"id": "r0", "member_id": "m0", "result": "passed", "completed_on": "2024-06-01"},
               {"id": "r1", "member_id": "m0", "result": "passed", "completed_on": "2025-03-01"},
               {"id": "r2", "member_id": "m0", "result": "passed", "completed_on": "2024-03-01"},
               {"id": "r4", "member_id": "m0", "result": "passed", "completed_on": "2024-09-01"},
               {"id": "r3", "member_id": "m1", "result": "failed", "completed_on": "2024-01-01"}]
    ctx = context(members=[member(0), member(1)], political_reviews=reviews)
    assert [value("political_review_passed_on", ctx, m) for m in ("m0", "m1")] == [date(2024, 3, 1), None]


def test_clip_to_one_day_keeps_it():
    year = Period.year(2025)
    assert year.clip(date(2025, 3, 1), date(2025, 3, 1)) == Period(date(2025, 3, 1), date(2025, 3, 1))
    assert year.clip(datetime(2025, 3, 1, 23), None) == Period(date(2025, 3, 1), date(2025, 12, 31))
    assert year.clip(date(2025, 3, 2), date(2025, 3, 1)) is None
    assert year.clip(date(2024, 1, 1), date(2026, 1, 1)) is year and year.clip() is year


def test_a_distinct_count_counts_whole_values_and_skips_unrecorded_ones(tmp_path):
    check = {"kind": "count", "of": "members", "distinct": "unit_id", "at_least": {"value": 2, "unit": "item"}}
    data = team_data(members=[member(0, unit_id="u1"), member(1, unit_id="u22"), member(2, unit_id="u1"), member(3)])
    (f,) = run(tmp_path, check, data)
    assert (f.status, f.measured, f.expected, f.evidence_ids) == ("pass", "2: u1, u22", "≥ 2 item",
                                                                  ["m0", "m1", "m2", "m3"])
    lists = {**check, "distinct": "skills", "at_least": {"value": 3, "unit": "item"}}
    data = team_data(members=[member(0, skills=["a", "bc"]), member(1, skills=["bc", "d"]), member(2)])
    (g,) = run(tmp_path / "b", lists, data)
    assert (g.status, g.measured) == ("pass", "3: a, bc, d")
    (h,) = run(tmp_path / "c", lists, team_data(members=[member(0)]))
    assert (h.status, h.measured) == ("fail", "0")
    (n,) = run(tmp_path / "d", {**lists, "where": {"party_member": True}}, team_data(members=[member(0)]))
    assert (n.status, n.note) == ("not_applicable", "no members to count skills over")


@pytest.mark.parametrize("issued, until, status, evidence", [
    ("2025-12-31", None, "pass", ["e1"]),          # issued on the reference date
    ("2026-01-01", None, "fail", ["e1"]),          # not yet issued
    (None, "2025-12-31", "pass", ["e1"]),          # valid through the reference date
    (None, "2025-12-30", "fail", ["e1"]),          # expired the day before
])
def test_a_document_is_judged_on_the_reference_date(tmp_path, issued, until, status, evidence):
    check = {"kind": "document", "document": "charter"}
    doc = {"id": "e1", "kind": "charter", "team_id": "t1", "issued_on": issued, "valid_until": until}
    other = {"id": "e2", "kind": "licence", "team_id": "t1"}
    (f,) = run(tmp_path, check, team_data(evidence=[doc, other]), as_of=datetime(2026, 1, 15))
    assert (f.status, f.evidence_ids, f.expected) == (status, evidence, "charter")
    if status == "fail":
        assert (f.measured, f.note) == ("not valid on 2025-12-31", "the document is expired or not yet issued")
    (g,) = run(tmp_path / "b", {**check, "must_be_valid": False}, team_data(evidence=[doc]), as_of=datetime(2026, 1, 15))
    assert (g.status, g.measured, g.evidence_ids) == ("pass", "charter", ["e1"])


def test_a_missing_document_fails_and_says_so(tmp_path):
    (f,) = run(tmp_path, {"kind": "document", "document": "charter"},
               team_data(evidence=[{"id": "e2", "kind": "licence", "team_id": "t1"}]))
    assert (f.status, f.measured, f.note, f.evidence_ids) == ("fail", "none", "no record of this kind", [])


def test_a_valid_document_beside_an_expired_one_passes_with_the_valid_one(tmp_path):
    docs = [{"id": "old", "kind": "charter", "team_id": "t1", "valid_until": "2024-12-31"},
            {"id": "new", "kind": "charter", "team_id": "t1", "issued_on": "2025-01-01"}]
    (f,) = run(tmp_path, {"kind": "document", "document": "charter"}, team_data(evidence=docs))
    assert (f.status, f.evidence_ids) == ("pass", ["new"])


@pytest.mark.parametrize("measured, reached", [(8.9, None), (9, "below"), (9.5, "below"), (10, "at"),
                                               (10.5, "above"), (11, "above"), (11.1, None)])
def test_coverage_points_of_a_threshold_below_at_and_above(measured, reached):
    from hongfeng_rules.columns.coverage import _point
    assert _point(measured, 10, 1, ("below", "at", "above")) == reached


@pytest.mark.parametrize("offset, reached", [(-1.5, None), (-1, "before"), (-0.5, "before"), (0, "at"),
                                             (0.5, "after"), (1, "after"), (1.5, None)])
def test_coverage_points_of_a_deadline_before_at_and_after(offset, reached):
    from datetime import timedelta
    from hongfeng_rules.columns.coverage import ONE_SECOND, _point
    due = datetime(2025, 3, 2, 10)
    assert _point(due + timedelta(seconds=offset), due, ONE_SECOND, ("before", "at", "after")) == reached


def test_coverage_dated_values_name_the_value_in_force():
    from types import SimpleNamespace
    from hongfeng_rules.columns.coverage import _dated
    from hongfeng_rules.rulebook.units import Threshold
    dated = Threshold(unit="person", values={date(2025, 1, 1): 10, date(2026, 1, 1): 12})
    on = lambda day: SimpleNamespace(reference_date=day)  # noqa: E731
    assert _dated("check.at_least", dated, on(date(2025, 12, 31))) == {"check.at_least@2025-01-01"}
    assert _dated("check.exactly", dated, on(date(2026, 1, 1))) == {"check.exactly@2026-01-01"}
    assert _dated("check.at_most", dated, on(date(2024, 12, 31))) == set()
    assert _dated("check.at_least", Threshold(value=10, unit="person"), on(date(2025, 6, 1))) == set()


STARS = next(r for r in load_pack(REPO / "rules" / "hongfeng").rules if r.rule.id == "hf-7.2.3-stars")
TREE = [{"id": "a1", "name": "A1", "level": "province"}, {"id": "a2", "name": "A2", "level": "city", "parent_id": "a1"},
        {"id": "a3", "name": "A3", "level": "county", "parent_id": "a2"}, {"id": "a4", "name": "A4", "level": "county"}]


def star_titles(scope: str, rows: list[dict], teams: dict[str, str]) -> dict:
    data = Dataset.model_validate({"associations": TREE, "team_scores": rows,
                                   "teams": [{"id": t, "association_id": a, "name": t} for t, a in teams.items()]})
    ctx = Context(Index(data), Period.parse("2025"), supported_as_of(datetime(2026, 1, 15)), default_calendar())
    derive = evaluator(STARS.rule.check.model_copy(update={"scope": scope}), "teams")
    return {t: derive(ctx.index.by_id("teams")[t], ctx) for t in teams}


TEAMS = {"t1": "a1", "t2": "a2", "t3": "a3", "t4": "a4"}
SCORES = [{"team_id": t, "year": 2025, "score": s} for t, s in (("t1", 70), ("t2", 90), ("t3", 80), ("t4", 99))]


@pytest.mark.parametrize("scope, ranks", [("all", {"t1": 4, "t2": 2, "t3": 3, "t4": 1}),
                                          ("a1", {"t1": 3, "t2": 1, "t3": 2, "t4": None}),
                                          ("a2", {"t1": None, "t2": 1, "t3": 2, "t4": None}),
                                          ("a3", {"t1": None, "t2": None, "t3": 1, "t4": None})])
def test_a_ranking_scope_is_an_association_and_all_its_sub_associations(scope, ranks):
    got = star_titles(scope, SCORES, TEAMS)
    assert {t: (r.rank if r else None) for t, r in got.items()} == ranks
    ranked = sum(r is not None for r in ranks.values())
    assert all(r.ranked == ranked and r.scope == scope for r in got.values() if r)


def test_two_scores_for_a_team_leave_it_unranked():
    rows = SCORES + [{"team_id": "t1", "year": 2025, "score": 75}]
    got = star_titles("all", rows, TEAMS)
    assert (got["t1"].rank, got["t1"].note) == (None, "several scores recorded for 2025: unranked")
    assert {t: got[t].rank for t in ("t2", "t3", "t4")} == {"t4": 1, "t2": 2, "t3": 3}


def test_prior_years_record_their_source_title_score_and_rank():
    rows = SCORES + [{"team_id": "t2", "year": 2024, "score": 60}, {"team_id": "t4", "year": 2024, "score": 50},
                     {"team_id": "t3", "year": 2024, "title": "三星级义警队伍"},
                     {"team_id": "t2", "year": 2023, "score": 10}]
    got = star_titles("all", rows, TEAMS)
    t2 = got["t2"]
    first = t2.prior_years[0]
    assert (first.year, first.source, first.title, first.counts, first.score, first.rank) == (
        2024, "computed", "three-star", True, 60, 1)
    assert first.name.zh == "三星级义警队伍"
    assert (t2.run, t2.title.key) == (3, "five-star")
    t3 = got["t3"].prior_years[0]
    assert (t3.source, t3.title, t3.counts, t3.score, t3.rank) == ("stored", "三星级义警队伍", True, None, None)
    t1 = got["t1"].prior_years[0]
    assert (t1.source, t1.counts) == ("none", False) and got["t1"].run == 1


FEEDBACK = {"kind": "deadline", "start": "investigation_closed_at", "end": "feedback_at",
            "within": {"value": 7, "unit": "working_day"},
            "extension": {"notified_at": "extension_notified_at", "reason": "extension_reason",
                          "until": "extended_until"}}


def complaint(**fields) -> dict:
    return {"id": "c1", "team_id": "t1", "channel": "phone", "received_at": "2025-03-01T09:00:00",
            "investigation_closed_at": "2025-03-03T10:00:00", **fields}  # due: end of Wed 12 March


@pytest.mark.parametrize("fields, as_of, status, measured", [
    ({"feedback_at": "2025-03-12T23:59:59"}, datetime(2025, 3, 20), "pass", "2025-03-12T23:59:59+08:00"),
    ({"feedback_at": "2025-03-13T00:00:00"}, datetime(2025, 3, 20), "fail", "2025-03-13T00:00:00+08:00"),
    ({"feedback_at": "2025-03-11T12:00:00"}, datetime(2025, 3, 11, 11), "pending", "none by 2025-03-11T11:00:00+08:00"),
    ({}, datetime(2025, 3, 13), "fail", "none by 2025-03-13T00:00:00+08:00"),
])
def test_a_deadline_finding_states_the_due_instant_and_the_closing_event(tmp_path, fields, as_of, status, measured):
    (f,) = run(tmp_path, FEEDBACK, team_data(complaints=[complaint(**fields)]), subject="complaint", as_of=as_of)
    assert (f.status, f.measured, f.evidence_ids, f.due.isoformat()) == (status, measured, ["c1"],
                                                                         "2025-03-12T23:59:59.999999+08:00")
    assert f.expected == "by 2025-03-12T23:59:59.999999+08:00 (7 working_day after investigation_closed_at)"


def test_an_extension_notified_in_time_moves_the_deadline(tmp_path):
    ext = {"extension_notified_at": "2025-03-12T09:00:00", "extension_reason": "site visit",
           "extended_until": "2025-03-20T18:00:00", "feedback_at": "2025-03-19T10:00:00"}
    (f,) = run(tmp_path, FEEDBACK, team_data(complaints=[complaint(**ext)]), subject="complaint",
               as_of=datetime(2025, 3, 25))
    assert (f.status, f.due.isoformat(), f.note) == ("pass", "2025-03-20T18:00:00+08:00", None)
    late = {**ext, "extension_notified_at": "2025-03-13T09:00:00"}
    (g,) = run(tmp_path / "b", FEEDBACK, team_data(complaints=[complaint(**late)]), subject="complaint",
               as_of=datetime(2025, 3, 25))
    assert g.status == "fail" and g.note.startswith("extension ignored: late notice")
    (h,) = run(tmp_path / "c", {**FEEDBACK, "extension": None}, team_data(complaints=[complaint(**ext)]),
               subject="complaint", as_of=datetime(2025, 3, 25))
    assert (h.status, h.note) == ("fail", None)


def test_a_deadline_without_its_start_is_not_applicable(tmp_path):
    (f,) = run(tmp_path, FEEDBACK, team_data(complaints=[complaint(investigation_closed_at=None)]),
               subject="complaint", as_of=datetime(2025, 3, 25))
    assert (f.status, f.note) == ("not_applicable", "investigation_closed_at not recorded: the clock has not started")


def test_a_deadline_ending_at_the_earliest_record_of_another_collection(tmp_path):
    check = {"kind": "deadline", "start": "mediated_at",
             "end": {"of": "follow_ups", "via": "dispute_id", "field": "at"}, "within": {"value": 1, "unit": "month"}}
    dispute = {"id": "d1", "team_id": "t1", "registered_at": "2025-01-20T09:00:00", "mediated_at": "2025-01-31T14:00:00"}
    visits = [{"id": "f2", "dispute_id": "d1", "at": "2025-03-05T10:00:00"},
              {"id": "f1", "dispute_id": "d1", "at": "2025-02-28T18:00:00"}]  # on time: due at the end of 28 Feb
    (f,) = run(tmp_path, check, team_data(disputes=[dispute], follow_ups=visits), subject="dispute",
               as_of=datetime(2025, 4, 1))
    assert (f.status, f.measured) == ("pass", "2025-02-28T18:00:00+08:00")
    (g,) = run(tmp_path / "b", check, team_data(disputes=[dispute], follow_ups=visits[:1]), subject="dispute",
               as_of=datetime(2025, 4, 1))
    assert (g.status, g.measured) == ("fail", "2025-03-05T10:00:00+08:00")
    (h,) = run(tmp_path / "c", check, team_data(disputes=[dispute], follow_ups=[]), subject="dispute",
               as_of=datetime(2025, 2, 10))
    assert h.status == "pending"


@pytest.mark.parametrize("change, line, why", [
    ({"start": "opened_at"}, 12, "check: complaints has no field 'opened_at'"),
    ({"end": "answered_at"}, 12, "check: complaints has no field 'answered_at'"),
    ({"extension": {"notified_at": "x", "reason": "extension_reason", "until": "extended_until"}}, 12,
     "check: complaints has no field 'x'"),
    ({"end": {"of": "follow_ups", "via": "complaint_id", "field": "at"}}, 15,
     "check.end: no collection 'follow_ups' with fields 'complaint_id' and 'at'"),
    ({"end": {"of": "visits", "via": "complaint_id", "field": "at"}}, 15,
     "check.end: no collection 'visits' with fields 'complaint_id' and 'at'"),
    ({"within": {"value": 7, "unit": "person"}}, 18,
     "check.within.unit: a deadline is measured in one of ('second', 'minute', 'hour', 'day', 'working_day', 'month')"),
])
def test_deadline_errors_are_lint_errors(tmp_path, capsys, change, line, why):
    """One line each, at the line of the key at fault."""
    write_pack(tmp_path / "pack", rule({**FEEDBACK, **change}, subject="complaint"))
    assert main(["rules", "lint", str(tmp_path / "pack")]) == 2
    assert capsys.readouterr().err.splitlines() == [f"error: {tmp_path / 'pack' / 'hf-5.0.1-test.yaml'}:{line}: {why}"]


@pytest.mark.parametrize("check, why", [
    ({"kind": "count", "of": "visits", "at_least": {"value": 1, "unit": "times"}},
     "check.of: unknown collection 'visits'; known: " + str(sorted(COLLECTIONS))),
    ({"kind": "count", "of": "units", "in_period": True, "at_least": {"value": 1, "unit": "item"}},
     "check.in_period: units has no time field to place it in a period"),
    ({"kind": "count", "of": "members", "via": "captain_id", "at_least": {"value": 1, "unit": "person"}},
     "check.via: members has no field 'captain_id' linking to a team; name the link with 'via'"),
    ({"kind": "count", "of": "activities", "via": "team_id->nothing.association_id",
      "at_least": {"value": 1, "unit": "times"}},
     "check.via: 'nothing.association_id' after '->' must be a collection and its field (teams.association_id)"),
    ({"kind": "count", "of": "members", "at_least": {"value": 1, "unit": "hour"}},
     "check.at_least.unit: a count of records is in one of " + ", ".join(COUNT_UNITS) + ", not hour"),
    ({"kind": "frequency", "of": "meetings", "per": "month", "at_least": {"value": 1, "unit": "percent"}},
     "check.at_least.unit: a count of records is in one of " + ", ".join(COUNT_UNITS) + ", not percent"),
    ({"kind": "frequency", "of": "meetings", "per": "month", "place_by": "day",
      "at_least": {"value": 1, "unit": "times"}}, "check.place_by: meetings has no field 'day'"),
    ({"kind": "count", "of": "members", "distinct": "hobby", "at_least": {"value": 1, "unit": "item"}},
     "check.distinct: members has no field 'hobby'"),
    ({"kind": "mean", "of": "members", "value": "@age_years", "at_most": {"value": 50, "unit": "hour"}},
     "check.value: @age_years is in year, the bound in hour"),
    ({"kind": "share", "of": "members", "numerator": {"party_member": True}, "at_least": {"value": 5, "unit": "person"}},
     "check.at_least.unit: a share is measured in percent"),
])
def test_aggregate_check_errors_are_lint_errors(tmp_path, capsys, check, why):
    """One line each, naming the file, the line of the key at fault, the key and why."""
    write_pack(tmp_path / "pack", rule(check))
    assert main(["rules", "lint", str(tmp_path / "pack")]) == 2
    (err,) = capsys.readouterr().err.splitlines()
    assert re.fullmatch(re.escape(f"error: {tmp_path / 'pack' / 'hf-5.0.1-test.yaml'}:") + r"1[2-9]: " + re.escape(why), err)


LEVELS = [{"at_least": {"value": 100, "unit": "point"}, "name": {"key": "v3", "zh": "三级", "en": "Third"}}]


@pytest.mark.parametrize("subject, check, why", [
    ("team", {"kind": "rank_within", "of": "improvements", "score": "closed_at", "target": {"owner": {"is_set": True}},
              "top": {"value": 1, "unit": "rank"}}, "check.score: closed_at is a datetime, not a number"),
    ("team", {"kind": "rank_within", "of": "improvements", "score": "owner", "target": {"owner": {"is_set": True}},
              "top": {"value": 1, "unit": "rank"}}, "check.score: owner is a str, not a number"),
    ("team", {"kind": "rank_within", "of": "members", "score": "@status_on_reference_date",
              "target": {"roles": {"contains": "captain"}}, "top": {"value": 20, "unit": "percent"}},
     "check.score: @status_on_reference_date is in status, not a number"),
    ("team", {"kind": "mean", "of": "members", "value": "join_date", "at_most": {"value": 50, "unit": "day"}},
     "check.value: join_date is a date, not a number"),
    ("team", {"kind": "mean", "of": "members", "value": "@last_active_at", "at_most": {"value": 50, "unit": "day"}},
     "check.value: @last_active_at is in day, not a number"),
    ("member", {"kind": "levels", "of": "points", "amount": "reason", "levels": LEVELS},
     "check.amount: reason is a str, not a number"),
    ("member", {"kind": "levels", "of": "points", "amount": "nope", "levels": LEVELS},
     "check.amount: unknown field 'nope'; fields here: " + str(sorted(COLLECTIONS["points"].model.model_fields))),
    ("team", {"kind": "count", "of": "improvements", "where": {"closed_at": {"lte": "2025-06-30 12:00:00"}},
              "at_least": {"value": 1, "unit": "item"}},
     "check.where.closed_at.lte: orders an instant or a date: compare it with a date (2025-06-30) or $as_of, "
     "$period_start, $period_end, $reference_date, not '2025-06-30 12:00:00'"),
])
def test_values_a_check_cannot_measure_or_order_are_lint_errors(tmp_path, capsys, subject, check, why):
    """A rank's score, a mean's value and a levels amount are numbers (a yes/no counts 0 or 1): a date, an instant, a
    text or a status is refused at lint (the column-wise engine failed on an instant or a date with a Polars error);
    so is an instant ordered against a time of day written as text (both engines failed on the first record)."""
    write_pack(tmp_path / "pack", rule(check, subject=subject))
    assert main(["rules", "lint", str(tmp_path / "pack")]) == 2
    (err,) = capsys.readouterr().err.splitlines()
    assert re.fullmatch(re.escape(f"error: {tmp_path / 'pack' / 'hf-5.0.1-test.yaml'}:") + r"1[2-9]: " + re.escape(why), err)


def test_two_rules_selecting_differently_do_not_share_a_selection(tmp_path):
    core = {"kind": "count", "of": "members", "where": {"roles": {"contains": "core"}},
            "at_least": {"value": 1, "unit": "person"}}
    party = {**core, "where": {"party_member": True}}
    everyone = {**core, "where": None}
    pack = load_pack(write_pack(tmp_path / "pack", rule(core, rid="hf-5.0.1-core"), rule(party, rid="hf-5.0.2-party"),
                                rule(everyone, rid="hf-5.0.3-all")))
    data = team_data(members=[member(0, roles=["core"]), member(1, party_member=True), member(2, party_member=True)])
    findings = {f.rule_id: (f.measured, f.evidence_ids) for f in audit(data, pack, "2025", datetime(2026, 1, 15)).findings}
    assert findings == {"hf-5.0.1-core": (1, ["m0"]), "hf-5.0.2-party": (2, ["m1", "m2"]),
                        "hf-5.0.3-all": (3, ["m0", "m1", "m2"])}


def test_a_selection_through_another_collection_and_in_the_period(tmp_path):
    check = {"kind": "count", "of": "activities", "via": "team_id->teams.association_id", "in_period": True,
             "at_least": {"value": 2, "unit": "times"}}
    data = team_data(teams=[{"id": "t1", "association_id": "a1", "name": "T1"},
                            {"id": "t2", "association_id": "a1", "name": "T2"}],
                     activities=[activity(1, "2025-04-01T09:00:00", "2025-04-01T10:00:00"),
                                 {**activity(2, "2025-05-01T09:00:00", "2025-05-01T10:00:00"), "team_id": "t2"},
                                 activity(3, "2024-12-31T23:00:00", "2025-01-01T01:00:00")])
    (f,) = run(tmp_path, check, data, subject="association")
    assert (f.status, f.measured, f.evidence_ids) == ("pass", 2, ["a1", "a2"])


def test_levels_over_dated_records_with_a_dated_threshold():
    """A levels check over instants (trainings' hours), a level whose threshold changes in the year."""
    from hongfeng_rules.checks.levels import LevelsCheck
    check = LevelsCheck.model_validate({
        "kind": "levels", "of": "trainings", "via": "attendee_ids", "amount": "@duration_hours",
        "levels": [{"at_least": {"value": 2, "unit": "point"}, "name": {"key": "a", "zh": "甲", "en": "A"}},
                   {"at_least": {"unit": "point", "values": {"2025-01-01": 3, "2025-07-01": 5}},
                    "name": {"key": "b", "zh": "乙", "en": "B"}}]})
    derive = evaluator(check, "members")
    sessions = [{"id": "s1", "team_id": "t1", "kind": "regular", "start": "2025-06-30T09:00:00",
                 "end": "2025-06-30T12:00:00", "attendee_ids": ["m0"]}]
    on_the_day = context(period="2025-Q2", as_of=datetime(2025, 6, 30, 12), members=[member(0)], trainings=sessions)
    got = derive(on_the_day.index.by_id("members")["m0"], on_the_day)
    assert (got.points, got.entries, got.level.key, got.next, got.evidence_ids) == (3.0, 1, "b", None, ["s1"])
    later = context(period="2025", as_of=datetime(2025, 12, 31), members=[member(0)], trainings=sessions)
    got = derive(later.index.by_id("members")["m0"], later)
    assert (got.level.key, got.next.name.key, got.points_to_next) == ("a", "b", 2.0)  # 5 points from July


@pytest.mark.parametrize("joined, since, status, expected", [
    ("2026-01-01", None, "active", "not_joined"), ("2025-12-31", None, "active", "active"),
    ("2020-01-01", "2026-01-01", "exited", "active"), ("2020-01-01", "2025-12-31", "exited", "exited"),
    ("2020-01-01", "2026-01-01", "active", "demoted")])
def test_status_on_the_reference_date(joined, since, status, expected):
    ctx = context(members=[member(0, join_date=joined, status=status, status_since=since)])
    assert value("status_on_reference_date", ctx) == expected


def test_a_calendar_year_out_of_range_names_the_last_published_year():
    cal = default_calendar()
    with pytest.raises(CalendarUnavailable) as info:
        cal.is_working_day(date(cal.last_year + 1, 1, 4))
    assert info.value.en == (f"the {cal.last_year + 1} holiday arrangement has not been published (official data "
                             f"ends with {cal.last_year}); working days in {cal.last_year + 1} cannot be computed")


def test_the_per_member_values_of_one_audit_keep_apart_and_default_for_a_member_without_records():
    """Each per-member map is built once per audit under its own name: asked in turn in one context, each value
    is its own (0 hours, 0 trainings, no review for a member without records)."""
    ctx = context(period="2025-Q2", as_of=datetime(2025, 6, 30, 12), members=[member(0), member(1)],
                  activities=[activity(1, "2025-04-01T09:00:00", "2025-04-01T12:00:00", m0=3)],
                  trainings=trainings(("pre_job", "2025-04-02T10:00:00", ["m0"]), ("pre_job", "2025-04-03T10:00:00", ["m0"])),
                  political_reviews=[{"id": "r0", "member_id": "m0", "result": "passed", "completed_on": "2024-06-01"}])
    for _ in range(2):  # the second round reads the maps built by the first
        assert [(value("service_hours", ctx, m), value("pre_job_trainings", ctx, m),
                 value("political_review_passed_on", ctx, m)) for m in ("m0", "m1")] == [
            (3.0, 2, date(2024, 6, 1)), (0.0, 0, None)]
    assert type(value("service_hours", ctx, "m1")) is float and type(value("pre_job_trainings", ctx, "m1")) is int


@pytest.mark.parametrize("bound, met", [("at_least", {1: "fail", 2: "pass", 3: "pass"}),
                                        ("at_most", {1: "pass", 2: "pass", 3: "fail"}),
                                        ("exactly", {1: "fail", 2: "pass", 3: "fail"})])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_a_count_at_the_limit_minus_one_at_it_and_plus_one(tmp_path, bound, met, n):
    """以上/以下 include the number (民法典 §1259): at most 2 members is met by 2, at least 2 by 2, exactly 2 only by 2."""
    check = {"kind": "count", "of": "members", bound: {"value": 2, "unit": "person"}}
    (f,) = run(tmp_path, check, team_data(members=[member(i) for i in range(n)]))
    assert (f.status, f.measured) == (met[n], n)


@pytest.mark.parametrize("since, expected", [("2025-12-30", "active"), ("2025-12-31", "active"),
                                             ("2026-01-01", "not_joined")])
def test_an_auxiliary_post_is_not_yet_one_before_the_day_it_began(since, expected):
    """derived.status_on: an auxiliary post's `since` (到岗日期) is its joining day (the day before, on and after
    the reference date; mutation testing found it unread, issue 24)."""
    from hongfeng_rules.derived import status_on
    from hongfeng_rules.models.community import AuxiliaryPost
    post = AuxiliaryPost.model_validate({"id": "a1", "place_id": "p1", "name": "张三", "since": since})
    assert status_on(post, date(2025, 12, 31)) == expected
