"""Each check kind on a small dataset: pass, fail and the statuses beside them."""
from datetime import date, datetime

import pytest

from helpers import member, run, team_data


def test_count_at_least(tmp_path):
    check = {"kind": "count", "of": "members", "where": {"roles": {"contains": "core"}},
             "at_least": {"value": 3, "unit": "person"}}
    two = team_data(members=[member(i, roles=["core"]) for i in range(2)])
    three = team_data(members=[member(i, roles=["core"]) for i in range(3)])
    assert [f.status for f in run(tmp_path / "a", check, two)] == ["fail"]
    assert [f.status for f in run(tmp_path / "b", check, three)] == ["pass"]


def test_count_exactly_one(tmp_path):
    check = {"kind": "count", "of": "members", "where": {"roles": {"contains": "captain"}},
             "exactly": {"value": 1, "unit": "person"}}
    two = team_data(members=[member(i, roles=["captain"]) for i in range(2)])
    (finding,) = run(tmp_path, check, two)
    assert finding.status == "fail" and finding.measured == 2 and finding.evidence_ids == ["m0", "m1"]


def test_share_in_percent(tmp_path):
    check = {"kind": "share", "of": "members", "numerator": {"certificates": {"min_items": 1}},
             "at_least": {"value": 25, "unit": "percent"}}
    cert = [{"name": "c"}]
    ok = team_data(members=[member(0, certificates=cert)] + [member(i) for i in range(1, 4)])
    low = team_data(members=[member(0, certificates=cert)] + [member(i) for i in range(1, 5)])
    assert run(tmp_path / "a", check, ok)[0].status == "pass"
    low_finding = run(tmp_path / "b", check, low)[0]
    assert low_finding.status == "fail" and low_finding.measured.startswith("20.0%")


def test_mean_not_assessable_when_a_value_is_missing(tmp_path):
    check = {"kind": "mean", "of": "members", "value": "@age_years", "at_most": {"value": 50, "unit": "year"}}
    data = team_data(members=[member(0, birth_date="1990-01-01"), member(1)])
    (finding,) = run(tmp_path, check, data)
    assert finding.status == "not_assessable" and finding.evidence_ids == ["m1"]


def test_mean_age_on_reference_date(tmp_path):
    check = {"kind": "mean", "of": "members", "value": "@age_years", "at_most": {"value": 50, "unit": "year"}}
    turning_51 = team_data(members=[member(0, birth_date="1974-12-31")])  # 51 on 2025-12-31
    assert run(tmp_path, check, turning_51)[0].status == "fail"


def test_every_reports_failing_and_unknown_records(tmp_path):
    check = {"kind": "every", "of": "members", "require": {"real_name_verified": True}}
    failing = team_data(members=[member(0, real_name_verified=True), member(1, real_name_verified=False)])
    unknown = team_data(members=[member(0, real_name_verified=True), member(1)])
    f = run(tmp_path / "a", check, failing)[0]
    assert (f.status, f.evidence_ids) == ("fail", ["m1"])
    u = run(tmp_path / "b", check, unknown)[0]
    assert (u.status, u.evidence_ids) == ("not_assessable", ["m1"])


def test_every_with_nothing_to_check_is_not_applicable(tmp_path):
    check = {"kind": "every", "of": "members", "where": {"roles": {"contains": "core"}},
             "require": {"skills": {"min_items": 1}}}
    assert run(tmp_path, check, team_data(members=[member(0)]))[0].status == "not_applicable"


def weekly(n: int) -> list[dict]:
    return [{"id": f"w{i}", "team_id": "t1", "kind": "weekly",
             "held_at": datetime(2025, 1, 6 + 7 * i, 19).isoformat()} for i in range(n)]


def test_frequency_counts_whole_weeks_only(tmp_path):
    check = {"kind": "frequency", "of": "meetings", "where": {"kind": "weekly"}, "per": "week",
             "at_least": {"value": 1, "unit": "times"}}
    as_of = datetime(2025, 2, 3, 0, 30)  # the weeks of Jan 6 … Jan 27 have ended; the Dec 30 week is cut
    ok = run(tmp_path / "a", check, team_data(meetings=weekly(4)), period="2025", as_of=as_of)[0]
    assert ok.status == "pass" and ok.measured == "4 of 4 weeks met"
    short = run(tmp_path / "b", check, team_data(meetings=weekly(3)), period="2025", as_of=as_of)[0]
    assert short.status == "fail" and short.evidence_ids == ["2025-W05: 0"]


def test_frequency_before_any_whole_period_is_pending(tmp_path):
    check = {"kind": "frequency", "of": "meetings", "per": "quarter", "at_least": {"value": 1, "unit": "times"}}
    (f,) = run(tmp_path, check, team_data(meetings=[]), period="2025", as_of=datetime(2025, 2, 1))
    assert f.status == "pending"


def hazard(found: str, reported: str | None) -> dict:
    return {"id": "h1", "team_id": "t1", "found_at": found, "reported_at": reported, "major": True}


DEADLINE = {"kind": "deadline", "start": "found_at", "end": "reported_at", "within": {"value": 24, "unit": "hour"}}


@pytest.mark.parametrize("reported, as_of, status", [
    ("2025-03-02T10:00:00", datetime(2025, 3, 5), "pass"),        # exactly 24 hours
    ("2025-03-02T10:00:01", datetime(2025, 3, 5), "fail"),        # one second late
    (None, datetime(2025, 3, 2, 9), "pending"),                   # open, still in time
    (None, datetime(2025, 3, 2, 10, 0, 1), "fail"),               # open, past the deadline
])
def test_deadline_hours(tmp_path, reported, as_of, status):
    data = team_data(hazards=[hazard("2025-03-01T10:00:00", reported)])
    (f,) = run(tmp_path, DEADLINE, data, subject="hazard", where={"major": True}, as_of=as_of)
    assert f.status == status


def test_deadline_past_published_calendar_is_not_assessable(tmp_path):
    check = {"kind": "deadline", "start": "investigation_closed_at", "end": "feedback_at",
             "within": {"value": 7, "unit": "working_day"}}
    complaint = {"id": "c1", "team_id": "t1", "channel": "phone", "received_at": "2026-12-20T09:00:00",
                 "investigation_closed_at": "2026-12-28T09:00:00"}
    (f,) = run(tmp_path, check, team_data(complaints=[complaint]), subject="complaint", period="2026",
               as_of=datetime(2027, 1, 20))
    assert f.status == "not_assessable" and "2027" in f.note


def test_document_present_expired_and_missing(tmp_path):
    check = {"kind": "document", "document": "charter"}
    valid = team_data(evidence=[{"id": "e1", "kind": "charter", "team_id": "t1"}])
    expired = team_data(evidence=[{"id": "e1", "kind": "charter", "team_id": "t1", "valid_until": "2024-12-31"}])
    none = team_data(evidence=[])
    assert run(tmp_path / "a", check, valid)[0].status == "pass"
    assert run(tmp_path / "b", check, expired)[0].status == "fail"
    assert run(tmp_path / "c", check, none)[0].status == "fail"


def test_missing_collection_is_not_assessable_never_pass(tmp_path):
    check = {"kind": "document", "document": "charter"}
    (f,) = run(tmp_path, check, team_data())  # no evidence collection at all
    assert f.status == "not_assessable" and "evidence" in f.note


def test_rank_within_top_share(tmp_path):
    check = {"kind": "rank_within", "of": "members", "score": "@service_hours",
             "target": {"roles": {"contains": "captain"}}, "top": {"value": 20, "unit": "percent"}}
    members = [member(i, roles=["captain"] if i == 0 else ["member"]) for i in range(10)]

    def activity(hours_of_captain):
        return [{"id": "a1", "team_id": "t1", "kind": "special", "start": "2025-05-01T09:00:00",
                 "end": "2025-05-01T13:00:00",
                 "participants": [{"member_id": f"m{i}", "hours": hours_of_captain if i == 0 else 10 - i}
                                  for i in range(10)]}]
    assert run(tmp_path / "a", check, team_data(members=members, activities=activity(8.5)))[0].status == "pass"
    # rank 3 of 10 is outside the top 20 % (2 places)
    assert run(tmp_path / "b", check, team_data(members=members, activities=activity(7.5)))[0].status == "fail"


def test_dated_threshold_uses_value_in_force(tmp_path):
    check = {"kind": "count", "of": "members", "at_least": {"unit": "person", "values": {"2020-01-01": 2,
                                                                                        "2026-01-01": 3}}}
    data = team_data(members=[member(0), member(1)])
    assert run(tmp_path / "a", check, data, period="2025")[0].status == "pass"
    assert run(tmp_path / "b", check, data, period="2026", as_of=datetime(2027, 1, 2))[0].status == "fail"


def test_records_dated_after_as_of_are_not_counted_but_due_dates_are_normal(tmp_path):
    training = {"team_id": "t1", "kind": "regular"}
    trainings = [{"id": "past", **training, "start": "2025-05-01T09:00:00", "end": "2025-05-01T13:00:00"},
                 {"id": "future", **training, "start": "2026-03-01T09:00:00", "end": "2026-03-01T13:00:00"}]
    check = {"kind": "count", "of": "trainings", "at_least": {"value": 2, "unit": "times"}}
    (f,) = run(tmp_path / "a", check, team_data(trainings=trainings))
    assert (f.status, f.evidence_ids) == ("fail", ["past"])  # the training dated after as-of is flagged, not counted
    items = [{"id": "i1", "team_id": "t1", "measure": "m", "due": "2026-03-01"}]
    check = {"kind": "count", "of": "improvements", "at_least": {"value": 1, "unit": "item"}}
    assert run(tmp_path / "b", check, team_data(improvements=items))[0].status == "pass"


def test_frequency_judges_a_team_from_its_founding_unless_told_otherwise(tmp_path):
    check = {"kind": "frequency", "of": "meetings", "per": "month", "at_least": {"value": 1, "unit": "times"}}
    data = team_data(meetings=[{"id": "m", "team_id": "t1", "kind": "weekly", "held_at": "2025-12-08T19:00:00"}])
    data.teams[0].founded_on = date(2025, 12, 1)
    assert run(tmp_path / "a", check, data)[0].status == "pass"  # only December is judged
    assert run(tmp_path / "b", {**check, "from_founding": False}, data)[0].status == "fail"  # all twelve months


def test_pending_deadline_says_how_much_time_is_left(tmp_path):
    data = team_data(hazards=[hazard("2025-03-01T10:00:00", None)])
    (f,) = run(tmp_path, DEADLINE, data, subject="hazard", as_of=datetime(2025, 3, 1, 20))
    assert (f.status, f.time_left_hours) == ("pending", 14.0)
    assert f.message.en == "pending: due 2025-03-02T10:00:00+08:00, 14.0 hours left"


def test_every_with_related_records_names_the_records_without_them(tmp_path):
    disputes = [{"id": d, "team_id": "t1", "registered_at": "2025-05-01T09:00:00"} for d in ("d1", "d2")]
    check = {"kind": "every", "of": "disputes", "in_period": True,
             "require": {"related": {"of": "follow_ups", "via": "dispute_id",
                                     "at_least": {"value": 1, "unit": "times"}}}}
    follow = [{"id": "f1", "dispute_id": "d1", "at": "2025-05-10T09:00:00"}]
    (f,) = run(tmp_path / "a", check, team_data(disputes=disputes, follow_ups=follow))
    assert (f.status, f.evidence_ids) == ("fail", ["d2"])
    (g,) = run(tmp_path / "b", check, team_data(disputes=disputes))  # no follow_ups collection at all
    assert g.status == "not_assessable"


def test_related_in_a_selection_makes_its_collection_needed(tmp_path):
    """A `related` test anywhere in a rule (here in a share's numerator), not only in `every.require`,
    makes the rule not assessable when the linked collection is absent, instead of counting zero."""
    disputes = [{"id": d, "team_id": "t1", "registered_at": "2025-05-01T09:00:00"} for d in ("d1", "d2")]
    check = {"kind": "share", "of": "disputes", "in_period": True, "at_least": {"value": 50, "unit": "percent"},
             "numerator": {"related": {"of": "follow_ups", "via": "dispute_id",
                                       "at_least": {"value": 1, "unit": "times"}}}}
    follow = [{"id": "f1", "dispute_id": "d1", "at": "2025-05-10T09:00:00"}]
    (f,) = run(tmp_path / "a", check, team_data(disputes=disputes, follow_ups=follow))
    assert f.status == "pass"
    (g,) = run(tmp_path / "b", check, team_data(disputes=disputes))  # no follow_ups collection at all
    assert g.status == "not_assessable"


@pytest.mark.parametrize("related, message", [
    ({"of": "ghosts", "via": "x", "at_least": {"value": 1, "unit": "times"}}, "unknown collection 'ghosts'"),
    ({"of": "follow_ups", "via": "x", "at_least": {"value": 1, "unit": "times"}}, "no field 'x'"),
    ({"of": "follow_ups", "via": "dispute_id", "at_least": {"value": 1, "unit": "hour"}}, "times or item"),
    ({"of": "follow_ups", "via": "dispute_id"}, "related takes"),
])
def test_related_is_checked_at_lint(tmp_path, related, message):
    from hongfeng_rules import InputError
    check = {"kind": "every", "of": "disputes", "require": {"related": related}}
    with pytest.raises(InputError, match=message):
        run(tmp_path, check, team_data())


def test_via_through_another_collection_and_its_errors():
    from hongfeng_rules.checks.selection import Selection
    from hongfeng_rules.checks.where import ConditionError

    Selection(of="activities", via="team_id->teams.association_id").validate_selection("associations")  # no error
    assert Selection(of="activities", via="team_id->teams.association_id").needs() == {"activities", "teams"}
    for bad in ("team_id->nothing.association_id", "team_id->teams.nothing", "nothing->teams.association_id"):
        with pytest.raises(ConditionError, match="via"):
            Selection(of="activities", via=bad).validate_selection("associations")


@pytest.mark.parametrize("check", [
    {"kind": "count", "of": "members", "at_least": {"unit": "person", "values": {"2020-01-01": 2, "2025-06-01": None}}},
    {"kind": "count", "of": "members", "distinct": "skills",
     "at_least": {"unit": "item", "values": {"2020-01-01": 2, "2025-06-01": None}}},
    {"kind": "share", "of": "members", "numerator": {"roles": {"contains": "core"}},
     "at_least": {"unit": "percent", "values": {"2020-01-01": 50, "2025-06-01": None}}},
    {"kind": "mean", "of": "members", "value": "@age_years", "where": {"birth_date": {"is_set": True}},
     "at_most": {"unit": "year", "values": {"2020-01-01": 50, "2025-06-01": None}}},
], ids=["count", "distinct", "share", "mean"])
def test_a_bound_with_no_value_in_force_is_not_applicable_and_says_so(tmp_path, check):
    """The value in force on the reference date (31 December 2025) is none: not applicable, "no value in force",
    nothing measured or listed; the value in force before it (2024) judges the same records."""
    data = team_data(members=[member(0, roles=["core"], skills=["law"], birth_date="1990-01-01"), member(1)])
    (f,) = run(tmp_path / "a", check, data)
    assert (f.status, f.measured, f.expected, f.evidence_ids, f.note) == (
        "not_applicable", None, None, [], "no value in force")
    (judged,) = run(tmp_path / "b", check, data, period="2024", as_of=datetime(2025, 1, 15))
    assert judged.status in ("pass", "fail") and judged.note is None


def three_teams(members: list[dict]):
    teams = [{"id": t, "association_id": "a1", "name": t.upper(), "founded_on": "2020-01-01"} for t in ("t1", "t2", "t3")]
    return team_data(members=members, teams=teams)


def test_count_reports_the_number_the_bound_and_the_records(tmp_path):
    """t1 has three members (at least 2: pass), t2 one (fail), t3 none (fail, 0, nothing listed)."""
    data = three_teams([member(0), member(1), member(2), member(3, team="t2")])
    check = {"kind": "count", "of": "members", "at_least": {"value": 2, "unit": "person"}}
    found = [(f.subject.id, f.status, f.measured, f.expected, f.evidence_ids) for f in run(tmp_path, check, data)]
    assert found == [("t1", "pass", 3, "≥ 2 person", ["m0", "m1", "m2"]), ("t2", "fail", 1, "≥ 2 person", ["m3"]),
                     ("t3", "fail", 0, "≥ 2 person", [])]


@pytest.mark.parametrize("check, expected", [
    ({"kind": "count", "of": "members", "distinct": "skills", "at_least": {"value": 2, "unit": "item"}},
     [("t1", "pass", "2: first_aid, law", "≥ 2 item"), ("t2", "fail", "0", "≥ 2 item")]),  # a list: its items
    ({"kind": "count", "of": "members", "distinct": "status", "at_most": {"value": 1, "unit": "item"}},
     [("t1", "fail", "2: active, demoted", "≤ 1 item"), ("t2", "pass", "1: active", "≤ 1 item")]),  # a value
], ids=["list", "value"])
def test_count_of_distinct_values_names_each_value_once(tmp_path, check, expected):
    """Distinct values over each team's members (law twice, an empty list: none); a team with no members has
    nothing to count over: not applicable."""
    data = three_teams([member(0, skills=["law", "first_aid"], status="active"),
                        member(1, skills=["law"], status="demoted"), member(2, skills=[], status="active"),
                        member(3, team="t2", status="active")])
    found = run(tmp_path, check, data)
    assert [(f.subject.id, f.status, f.measured, f.expected) for f in found[:2]] == expected
    assert [f.evidence_ids for f in found[:2]] == [["m0", "m1", "m2"], ["m3"]]
    assert (found[2].status, found[2].measured, found[2].note) == (
        "not_applicable", None, f"no members to count {check['distinct']} over")


@pytest.mark.parametrize("certified, status", [(1, "fail"), (2, "pass"), (3, "pass")])
def test_a_share_at_its_threshold_minus_one_at_it_and_plus_one(tmp_path, certified, status):
    """1, 2 and 3 of 4 members certified against at least 50 %: 25 % fails and names the members not counted;
    50 % (the threshold itself) and 75 % pass with nothing listed."""
    cert = [{"name": "c"}]
    data = team_data(members=[member(i, certificates=cert if i < certified else []) for i in range(4)])
    check = {"kind": "share", "of": "members", "numerator": {"certificates": {"min_items": 1}},
             "at_least": {"value": 50, "unit": "percent"}}
    (f,) = run(tmp_path, check, data)
    assert (f.status, f.measured, f.expected, f.note) == (
        status, f"{100 * certified / 4}% ({certified}/4)", "≥ 50 percent", None)
    assert f.evidence_ids == ([] if status == "pass" else [f"m{i}" for i in range(certified, 4)])


def test_a_share_is_judged_exactly_and_a_team_with_no_records_is_not_applicable(tmp_path):
    """2 of 3 is 66.666… %: under 66.67 (shown rounded as 66.67 %), over 66.66; t3 has no members."""
    cert = [{"name": "c"}]
    data = three_teams([member(0, certificates=cert), member(1, certificates=cert), member(2), member(3, team="t2")])
    share = {"kind": "share", "of": "members", "numerator": {"certificates": {"min_items": 1}}}
    for limit, status in [(66.67, "fail"), (66.66, "pass")]:
        found = run(tmp_path / str(limit), {**share, "at_least": {"value": limit, "unit": "percent"}}, data)
        assert [(f.subject.id, f.status, f.measured) for f in found[:2]] == [
            ("t1", status, "66.67% (2/3)"), ("t2", "fail", "0.0% (0/1)")]
        assert (found[2].status, found[2].measured, found[2].evidence_ids, found[2].note) == (
            "not_applicable", None, [], "no members to take a share of")


@pytest.mark.parametrize("bound, limit, status", [
    ("at_most", 39, "fail"), ("at_most", 40, "pass"), ("at_most", 41, "pass"),
    ("at_least", 39, "pass"), ("at_least", 40, "pass"), ("at_least", 41, "fail"),
])
def test_a_mean_at_its_limit_minus_one_at_it_and_plus_one(tmp_path, bound, limit, status):
    """Ages 35, 45 and 40 on 31 December 2025: the mean is 40 exactly; t2 has a member without a birth date
    (not assessable, naming it), t3 no members (not applicable)."""
    data = three_teams([member(0, birth_date="1990-06-01"), member(1, birth_date="1980-01-01"),
                        member(2, birth_date="1985-12-31"), member(3, team="t2"),
                        member(4, team="t2", birth_date="1990-01-01")])
    check = {"kind": "mean", "of": "members", "value": "@age_years", bound: {"value": limit, "unit": "year"}}
    t1, t2, t3 = run(tmp_path, check, data)
    sign = "≤" if bound == "at_most" else "≥"
    assert (t1.status, t1.measured, t1.expected, t1.evidence_ids) == (status, 40.0, f"{sign} {limit} year", [])
    assert (t2.status, t2.measured, t2.evidence_ids, t2.note) == (
        "not_assessable", None, ["m3"], "@age_years not recorded for 1 of 2")
    assert (t3.status, t3.measured, t3.note) == ("not_applicable", None, "no members to average")


def test_a_mean_is_exact_and_shown_rounded(tmp_path):
    """Ages 40, 40 and 41: a mean of 40.333… is over 40 (shown as 40.33), under 40.34."""
    data = team_data(members=[member(0, birth_date="1985-01-01"), member(1, birth_date="1985-06-01"),
                              member(2, birth_date="1984-12-31")])
    for limit, status in [(40, "fail"), (40.34, "pass")]:
        check = {"kind": "mean", "of": "members", "value": "@age_years", "at_most": {"value": limit, "unit": "year"}}
        (f,) = run(tmp_path / str(limit), check, data)
        assert (f.status, f.measured) == (status, 40.33)


@pytest.mark.parametrize("limit, status", [(1.74, "pass"), (1.75, "pass"), (1.76, "fail")])
def test_a_mean_of_fractional_values_is_not_rounded_to_whole_numbers(tmp_path, limit, status):
    """Service hours 1.5 and 2.0 (floats, not whole numbers): the mean is 1.75, at least 1.75 holds."""
    activity = {"id": "a1", "team_id": "t1", "kind": "patrol", "start": "2025-05-01T09:00:00",
                "end": "2025-05-01T11:00:00", "participants": [{"member_id": "m0", "hours": 1.5},
                                                              {"member_id": "m1", "hours": 2.0}]}
    data = team_data(members=[member(0), member(1)], activities=[activity])
    check = {"kind": "mean", "of": "members", "value": "@service_hours", "at_least": {"value": limit, "unit": "hour"}}
    (f,) = run(tmp_path, check, data)
    assert (f.status, f.measured, f.expected) == (status, 1.75, f"≥ {limit} hour")


def test_a_share_counts_an_unknown_numerator_as_not_met_and_judges_every_team_after_an_empty_one(tmp_path):
    """t1 has no members (not applicable) and comes first; in t2 one member is verified, one unknown, one not:
    1 of 3 (the unknown one is not counted as verified, and is listed with the unverified one)."""
    data = three_teams([member(0, team="t2", real_name_verified=True), member(1, team="t2"),
                        member(2, team="t2", real_name_verified=False), member(3, team="t3", real_name_verified=True)])
    check = {"kind": "share", "of": "members", "numerator": {"real_name_verified": True},
             "at_least": {"value": 50, "unit": "percent"}}
    t1, t2, t3 = run(tmp_path, check, data)
    assert (t1.subject.id, t1.status, t1.note) == ("t1", "not_applicable", "no members to take a share of")
    assert (t2.subject.id, t2.status, t2.measured, t2.evidence_ids) == ("t2", "fail", "33.33% (1/3)", ["m1", "m2"])
    assert (t3.subject.id, t3.status, t3.measured, t3.evidence_ids) == ("t3", "pass", "100.0% (1/1)", [])


@pytest.mark.parametrize("bound, limit, certified, status, listed", [
    ("at_most", 25, 2, "fail", ["m0", "m1"]), ("at_most", 50, 2, "pass", []), ("at_most", 75, 2, "pass", []),
    ("exactly", 50, 3, "fail", ["m0", "m1", "m2"]), ("exactly", 50, 2, "pass", []), ("exactly", 50, 1, "fail", ["m1", "m2", "m3"]),
])
def test_a_failed_share_names_the_records_on_the_side_that_broke_the_bound(tmp_path, bound, limit, certified, status,
                                                                           listed):
    """Over its bound a share names the records counted (they push it over), under it the rest: 2 of 4 certified
    against at most 25 % names the two certified members; against exactly 50 %, 3 of 4 names the certified
    three, 1 of 4 the three not certified."""
    cert = [{"name": "c"}]
    data = team_data(members=[member(i, certificates=cert if i < certified else []) for i in range(4)])
    check = {"kind": "share", "of": "members", "numerator": {"certificates": {"min_items": 1}},
             bound: {"value": limit, "unit": "percent"}}
    (f,) = run(tmp_path, check, data)
    assert (f.status, f.measured, f.evidence_ids) == (status, f"{100 * certified / 4}% ({certified}/4)", listed)


def test_a_share_with_no_value_in_force_is_not_applicable_for_every_team(tmp_path):
    """A threshold in force only from 2026, judged in 2025: each of the teams with members is not applicable
    ("no value in force"), the second and third as the first."""
    data = three_teams([member(0, team="t1", real_name_verified=True), member(1, team="t2"),
                        member(2, team="t3", real_name_verified=False)])
    check = {"kind": "share", "of": "members", "numerator": {"real_name_verified": True},
             "at_least": {"unit": "percent", "values": {"2026-01-01": 50}}}
    found = run(tmp_path, check, data)
    assert [(f.subject.id, f.status, f.note) for f in found] == [
        (t, "not_applicable", "no value in force") for t in ("t1", "t2", "t3")]


def test_a_share_just_under_its_bound_names_the_records_not_counted(tmp_path):
    """1 of 3 certified is 33.33… %, just under at least 33.5 % (within 1 % of it): it fails and names the two
    members not certified, who keep it under, not the one certified."""
    cert = [{"name": "c"}]
    data = team_data(members=[member(0, certificates=cert), member(1), member(2)])
    check = {"kind": "share", "of": "members", "numerator": {"certificates": {"min_items": 1}},
             "at_least": {"value": 33.5, "unit": "percent"}}
    (f,) = run(tmp_path, check, data)
    assert (f.status, f.measured, f.expected, f.evidence_ids) == ("fail", "33.33% (1/3)", "≥ 33.5 percent", ["m1", "m2"])


def test_seven_teams_each_get_their_own_share_row(tmp_path):
    """Seven teams, as many as a result row has columns: each team still gets its own row (not a column of
    them) — team ti has i + 1 members, the first of them certified — as in the per-object audit."""
    from oracle import engine as object_engine
    from hongfeng_rules import load_pack
    from helpers import AS_OF

    teams = [{"id": f"t{i}", "association_id": "a1", "name": f"T{i}", "founded_on": "2020-01-01"} for i in range(7)]
    cert = [{"name": "c"}]
    members = [member(10 * t + k, team=f"t{t}", certificates=cert if k == 0 else []) for t in range(7) for k in range(t + 1)]
    data = team_data(teams=teams, members=members)
    check = {"kind": "share", "of": "members", "numerator": {"certificates": {"min_items": 1}},
             "at_least": {"value": 50, "unit": "percent"}}
    found = run(tmp_path, check, data)
    assert [(f.subject.id, f.status, f.measured) for f in found] == [
        (f"t{t}", "pass" if t < 2 else "fail", f"{round(100 / (t + 1), 2)}% (1/{t + 1})") for t in range(7)]
    assert found[6].evidence_ids == [f"m{60 + k}" for k in range(1, 7)]
    pack = load_pack(tmp_path / "pack")  # the pack `run` wrote
    assert [f.model_dump() for f in found] == [f.model_dump() for f in object_engine.audit(data, pack, "2025", AS_OF).findings]


def _both_engines(tmp_path, check: dict, data) -> list:
    """The column-wise audit's findings (`run`), checked to be the per-object audit's, field for field."""
    from oracle import engine as object_engine
    from hongfeng_rules import load_pack
    from helpers import AS_OF

    found = run(tmp_path, check, data)
    objects = object_engine.audit(data, load_pack(tmp_path / "pack"), "2025", AS_OF).findings
    assert [f.model_dump() for f in found] == [f.model_dump() for f in objects]
    return found


def test_every_reports_each_outcome_with_its_count_records_and_note(tmp_path):
    """Every core member of a team is a verified party member, pending while they hold a certificate: t1 one
    of three core members unrecorded (not assessable, naming both fields), one unrecorded but pending; t2 one pending; t3 one failing, one
    unknown and one pending (fail: only the failing one listed, no note); t4 no members; t5 one core member who
    passes (holding a certificate too) and one not core (not counted, though failing and pending) — each its measured "N of M", evidence and
    note, as the per-object audit."""
    teams = [{"id": f"t{i}", "association_id": "a1", "name": f"T{i}", "founded_on": "2020-01-01"} for i in range(1, 6)]
    core, cert = {"roles": ["core"]}, [{"name": "c"}]
    ok = dict(core, party_member=True, real_name_verified=True)
    members = [member(0, **ok), member(1, **core, party_member=True), member(9, **core, party_member=True, certificates=cert),
               member(2, team="t2", **ok), member(3, team="t2", **core, party_member=False, real_name_verified=True,
                                                  certificates=cert),
               member(4, team="t3", **core, party_member=False, real_name_verified=True), member(5, team="t3", **core, party_member=True),
               member(6, team="t3", **core, party_member=False, real_name_verified=False, certificates=cert),
               member(7, team="t5", **ok, certificates=cert), member(8, team="t5", party_member=False, certificates=cert)]
    check = {"kind": "every", "of": "members", "where": {"roles": {"contains": "core"}},
             "require": {"party_member": True, "real_name_verified": True},
             "pending_while": {"certificates": {"min_items": 1}}}
    found = _both_engines(tmp_path, check, team_data(teams=teams, members=members))
    assert [(f.subject.id, f.status, f.measured, f.expected, f.evidence_ids, f.note) for f in found] == [
        ("t1", "not_assessable", "1 of 3", "all", ["m1"], "party_member/real_name_verified not recorded for 1 of 3"),
        ("t2", "pending", "1 of 2", "all", ["m3"], "1 of 2 still within their time limit"),
        ("t3", "fail", "0 of 3", "all", ["m4"], None),
        ("t4", "not_applicable", None, None, [], "no members to check"),
        ("t5", "pass", "1 of 1", "all", [], None)]
