"""Verdicts and report content of the aggregate checks at their boundaries, as mutation testing asked for
(issue 24): one-day periods, quarters of periods not starting in January, frequency units ending exactly on
the reference date, instants against $as_of, and the measured/expected texts of share, mean and frequency."""
from datetime import date, datetime

import pytest
import yaml

from hongfeng_rules.checks.context import Context
from hongfeng_rules.cli import main
from hongfeng_rules.derived import DERIVED
from hongfeng_rules.index import Index
from hongfeng_rules.timecalc import (Period, default_calendar, skip_reason, supported_as_of, unit_containing,
                                     whole_periods)

from helpers import REPO, member, rule, run, team_data, write_pack


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
                  trainings=trainings(("regular", "2025-05-20T10:00:00", ["m2"]), ("regular", "2025-04-02T10:00:00", ["m0"])),
                  patrol_sign_ins=[{"id": "s1", "team_id": "t1", "member_id": "m0", "at": "2025-05-10T08:00:00"}])
    got = {m: value("last_active_at", ctx, m).isoformat() for m in ("m0", "m1", "m2", "m3")}
    assert got == {"m0": "2025-05-10T08:00:00+08:00", "m1": "2025-06-30T12:00:00+08:00",
                   "m2": "2025-05-20T10:00:00+08:00", "m3": "2025-06-01T00:00:00+08:00"}  # m3: joined after


def test_last_active_of_a_member_never_active_is_the_join_day():
    ctx = context(members=[member(0, join_date="2024-02-03")], activities=[], trainings=[])
    assert value("last_active_at", ctx).isoformat() == "2024-02-03T00:00:00+08:00"


def test_political_review_passed_on_is_the_earliest_pass():
    reviews = [{"id": "r1", "member_id": "m0", "result": "passed", "completed_on": "2025-03-01"},
               {"id": "r2", "member_id": "m0", "result": "passed", "completed_on": "2024-03-01"},
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
