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
