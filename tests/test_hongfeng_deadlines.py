"""Hongfeng clauses 6–7: deadlines pinned at their boundary instants, 6.1.2's counts at n-1/n/n+1.
Thresholds are read from the rule files;
the golden rows for these rules are in tests/golden/hongfeng-6-7.yaml."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

import holidays
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from hongfeng_rules import audit, load_pack
from hongfeng_rules.models import (Activity, Association, Complaint, Dataset, Dispute, FollowUp, Hazard, Member,
                                   Participation, Team)
from hongfeng_rules.rulebook.pack import RulePack
from hongfeng_rules.timecalc import SHANGHAI, day_end

RULES = Path(__file__).resolve().parents[1] / "rules" / "hongfeng"
US = timedelta(microseconds=1)
FAST = settings(max_examples=40, deadline=None)
BASE = dict(associations=[Association(id="a1", name="A", level="county")],
            teams=[Team(id="t1", association_id="a1", name="T")])


@lru_cache(maxsize=1)
def pack() -> RulePack:
    return load_pack(RULES)


def rule(rule_id: str):
    return next(r for r in pack().rules if r.rule.id == rule_id)


def threshold(rule_id: str):
    """(value, unit) of the rule's number, as the rule file states it."""
    check = rule(rule_id).rule.check
    t = getattr(check, "within", None) or check.bound[1]
    return t.value, t.unit


def status(rule_id: str, as_of: datetime, period: str = "2025", **collections) -> dict[str, str]:
    one = RulePack(pack().manifest, pack().directory, [rule(rule_id)])
    report = audit(Dataset(**BASE, **collections), one, period, as_of)
    return {f.subject.id: f.status for f in report.findings}


instants = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2025, 11, 30)).map(
    lambda d: d.replace(tzinfo=SHANGHAI))


# 6.2.3 — major hazard reported within 24 hours ------------------------------------------------------------

def hazard(found, reported=None):
    return Hazard(id="h", team_id="t1", found_at=found, major=True, reported_at=reported)


@FAST
@given(found=instants)
def test_6_2_3_report_deadline_boundary(found):
    value, unit = threshold("hf-6.2.3-major-hazard-report")
    assert unit == "hour"
    due = found + timedelta(hours=value)  # Shanghai has no DST: wall clock = elapsed time
    rid, late = "hf-6.2.3-major-hazard-report", due + timedelta(days=1)
    assert status(rid, late, hazards=[hazard(found, due)]) == {"h": "pass"}
    assert status(rid, late, hazards=[hazard(found, due + US)]) == {"h": "fail"}
    assert status(rid, due, hazards=[hazard(found)]) == {"h": "pending"}
    assert status(rid, due + US, hazards=[hazard(found)]) == {"h": "fail"}


# 6.3.3 — major dispute followed up within 1 month of mediation --------------------------------------------

def dispute(mediated):
    return Dispute(id="d", team_id="t1", registered_at=mediated, mediated_at=mediated, major=True)


def follow_up_status(mediated, follow_up_at, as_of):
    follow = [FollowUp(id="f", dispute_id="d", at=follow_up_at)] if follow_up_at else []
    return status("hf-6.3.3-major-follow-up", as_of, disputes=[dispute(mediated)], follow_ups=follow)["d"]


def month_end(start: datetime, months: int) -> datetime:
    """24:00 of the corresponding day `months` later, or of that month's last day (民法典 §201–203)."""
    return day_end(start.date() + relativedelta(months=months))


@FAST
@given(mediated=instants)
def test_6_3_3_follow_up_deadline_boundary(mediated):
    value, unit = threshold("hf-6.3.3-major-follow-up")
    assert unit == "month"
    due = month_end(mediated, int(value))
    late = due + timedelta(days=40)
    assert follow_up_status(mediated, due, late) == "pass"
    assert follow_up_status(mediated, due + US, late) == "fail"
    assert follow_up_status(mediated, None, due) == "pending"
    assert follow_up_status(mediated, None, due + US) == "fail"


@pytest.mark.parametrize("mediated, due", [
    (datetime(2025, 1, 31, 14, tzinfo=SHANGHAI), day_end(date(2025, 2, 28))),
    (datetime(2024, 1, 31, 14, tzinfo=SHANGHAI), day_end(date(2024, 2, 29))),  # leap year
    (datetime(2025, 12, 31, 9, tzinfo=SHANGHAI), day_end(date(2026, 1, 31))),  # year end
])
def test_6_3_3_month_end(mediated, due):
    period, late = str(mediated.year), due + timedelta(days=30)
    follow = lambda at: [FollowUp(id="f", dispute_id="d", at=at)]  # noqa: E731
    rid = "hf-6.3.3-major-follow-up"
    assert status(rid, late, period, disputes=[dispute(mediated)], follow_ups=follow(due)) == {"d": "pass"}
    assert status(rid, late, period, disputes=[dispute(mediated)], follow_ups=follow(due + US)) == {"d": "fail"}
    # later in the day than the mediation, on the corresponding day: on time (the old same-time reading failed it)
    later = due.replace(hour=mediated.hour + 1, minute=0, second=0, microsecond=0)
    assert status(rid, late, period, disputes=[dispute(mediated)], follow_ups=follow(later)) == {"d": "pass"}


# 7.3.3 — feedback within 7 working days, with 调休, and extensions ---------------------------------------

def working_day_oracle(start: date, n: int) -> date:
    """The n-th working day after `start`, straight from holidays.China (weekend make-up days included)."""
    china = holidays.China(years=range(start.year, start.year + 2))
    d, left = start, n
    while left:
        d += timedelta(days=1)
        if d in china.weekend_workdays or (d.weekday() < 5 and d not in china):
            left -= 1
    return d


def complaint(closed, feedback=None, **ext):
    return Complaint(id="c", team_id="t1", channel="phone", received_at=closed,
                     investigation_closed_at=closed, feedback_at=feedback, **ext)


def feedback_status(c, as_of):
    return status("hf-7.3.3-feedback", as_of, complaints=[c])["c"]


@FAST
@given(closed=instants)
def test_7_3_3_feedback_deadline_boundary(closed):
    value, unit = threshold("hf-7.3.3-feedback")
    assert unit == "working_day"
    due = day_end(working_day_oracle(closed.date(), int(value)))
    late = due + timedelta(days=30)
    assert feedback_status(complaint(closed, due), late) == "pass"
    assert feedback_status(complaint(closed, due + US), late) == "fail"
    assert feedback_status(complaint(closed), due) == "pending"
    assert feedback_status(complaint(closed), due + US) == "fail"


def test_7_3_3_national_day_2025_make_up_sunday():
    # Closed Fri 19 Sep: 22–26 Sep are days 1–5, Sun 28 Sep (调休) day 6, Mon 29 Sep day 7.
    closed, as_of = datetime(2025, 9, 19, 16, tzinfo=SHANGHAI), datetime(2025, 11, 1, tzinfo=SHANGHAI)
    assert feedback_status(complaint(closed, day_end(date(2025, 9, 29))), as_of) == "pass"
    assert feedback_status(complaint(closed, day_end(date(2025, 9, 29)) + US), as_of) == "fail"
    # Closed Fri 26 Sep: the holiday 1–8 Oct does not count, Sat 11 Oct does → due Mon 13 Oct.
    closed = datetime(2025, 9, 26, 16, tzinfo=SHANGHAI)
    assert feedback_status(complaint(closed, day_end(date(2025, 10, 13))), as_of) == "pass"
    assert feedback_status(complaint(closed, day_end(date(2025, 10, 13)) + US), as_of) == "fail"


def test_7_3_3_past_the_last_published_year_is_not_assessable():
    c = complaint(datetime(2026, 12, 28, 16, tzinfo=SHANGHAI), datetime(2027, 1, 4, 10, tzinfo=SHANGHAI))
    got = status("hf-7.3.3-feedback", datetime(2027, 2, 1, tzinfo=SHANGHAI), "2026-01-01..2027-12-31", complaints=[c])
    assert got == {"c": "not_assessable"}


@FAST
@given(closed=instants, offset_us=st.integers(-10**7, 10**7), reason=st.sampled_from(["", "  ", "涉及多个部门，需补充调查"]))
def test_7_3_3_extension_only_when_notified_by_the_deadline_with_a_reason(closed, offset_us, reason):
    value, _ = threshold("hf-7.3.3-feedback")
    due = day_end(working_day_oracle(closed.date(), int(value)))
    notified, new_due = due + timedelta(microseconds=offset_us), due + timedelta(days=20)
    c = complaint(closed, new_due, extension_notified_at=notified, extension_reason=reason or None,
                  extended_until=new_due)
    honoured = notified <= due and reason.strip() != ""
    assert feedback_status(c, new_due + timedelta(days=1)) == ("pass" if honoured else "fail")


# 6.1.2 — ≥12 special activities a year; every core member in ≥9 activities ---------------------------------

AS_OF_2026 = datetime(2026, 1, 15, 12, tzinfo=SHANGHAI)
in_2025 = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2025, 12, 31, 20))


def activity(i, start, kind="special", member=None):
    start = start.replace(tzinfo=SHANGHAI)
    people = [Participation(member_id=member, hours=2)] if member else []
    return Activity(id=f"a{i}", team_id="t1", kind=kind, start=start, end=start + timedelta(hours=2),
                    participants=people)


@FAST
@given(delta=st.sampled_from([-1, 0, 1]), starts=st.lists(in_2025, min_size=14, max_size=14))
def test_6_1_2_special_activities_n_minus_1_n_n_plus_1(delta, starts):
    value, unit = threshold("hf-6.1.2-special-activities")
    assert unit == "times"
    n = int(value) + delta
    acts = [activity(i, s) for i, s in enumerate(starts[:n])]
    got = status("hf-6.1.2-special-activities", AS_OF_2026, activities=acts)
    assert got == {"t1": "fail" if delta < 0 else "pass"}


@FAST
@given(delta=st.sampled_from([-1, 0, 1]), starts=st.lists(in_2025, min_size=11, max_size=11))
def test_6_1_2_core_member_activities_n_minus_1_n_n_plus_1(delta, starts):
    value, unit = threshold("hf-6.1.2-core-member-activities")
    assert unit == "times"
    n = int(value) + delta
    members = [Member(id="c1", team_id="t1", name="C", join_date=date(2024, 1, 1), roles=["core"]),
               Member(id="m1", team_id="t1", name="M", join_date=date(2024, 1, 1))]
    acts = [activity(i, s, kind="patrol", member="c1") for i, s in enumerate(starts[:n])]
    got = status("hf-6.1.2-core-member-activities", AS_OF_2026, members=members, activities=acts)
    assert got == {"c1": "fail" if delta < 0 else "pass"}  # m1 is not a core member: no finding
