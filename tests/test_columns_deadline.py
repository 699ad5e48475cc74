"""columns.kinds.deadline gives every subject the per-object checks/deadline.py outcome: the packs' deadline rules
on the examples and generated provinces, and random deadlines in every unit, with closing events, extensions and
as-of instants a microsecond before, at and after the deadline, across 春节, 调休 weekends and the calendar's ends."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hongfeng_rules.checks.deadline import DeadlineCheck
from hongfeng_rules.models import Dataset
from hongfeng_rules.timecalc import SHANGHAI, CalendarUnavailable, deadline, default_calendar

from oracle.engine import evaluate_of
from oracle.kinds import evaluator
from columns_oracle import assert_same_outcomes, case, contexts, pack_cases, pack_rules

US = timedelta(microseconds=1)


@pytest.mark.parametrize("label, pack", pack_cases("deadline"))
def test_pack_rules(label, pack):
    ctx, cctx = contexts(*case(label)[1:])
    judged = sum(assert_same_outcomes("deadline", r.rule.check, r.subject_collection, evaluate_of(r), r.applies, ctx, cctx)
                 for r in pack_rules(pack, "deadline"))
    assert judged > 0


LAST = default_calendar().last_year
STARTS = [datetime(2025, 1, 24, 18, tzinfo=SHANGHAI), datetime(2025, 1, 25, 9, tzinfo=SHANGHAI),  # before 春节, 调休
          datetime(2025, 2, 7, 23, 59, 59, 999999, tzinfo=SHANGHAI), datetime(2025, 1, 31, 10, tzinfo=SHANGHAI),
          datetime(2024, 1, 31, 0, tzinfo=SHANGHAI), datetime(2025, 9, 28, 8, tzinfo=SHANGHAI),
          datetime(LAST, 12, 25, 12, tzinfo=SHANGHAI), datetime(2000, 12, 20, 12, tzinfo=SHANGHAI),
          datetime(2000, 12, 31, 12, tzinfo=SHANGHAI)]
starts = st.sampled_from(STARTS) | st.datetimes(datetime(2024, 12, 1), datetime(2026, 2, 1)).map(
    lambda d: d.replace(tzinfo=SHANGHAI))


def due_of(start, amount, unit):
    try:
        return deadline(start, amount, unit, default_calendar())
    except CalendarUnavailable:
        return None


@st.composite
def complaints(draw, amount: int, unit: str) -> tuple[list[dict], datetime | None]:
    """Complaints, and the deadline of the first one (to put as-of around it)."""
    out, pivot = [], None
    for i in range(draw(st.integers(1, 5))):
        start = draw(st.none() | starts) if i else draw(starts)
        due = due_of(start, amount, unit) if start else None
        pivot = pivot if i else due
        near = [due - US, due, due + US, due + timedelta(days=2)] if due else []
        pick = st.sampled_from(near) if near else st.nothing()
        row = {"id": f"c{i}", "team_id": "t1", "channel": "phone", "received_at": "2025-06-01T00:00:00+08:00",
               "investigation_closed_at": start, "feedback_at": draw(st.none() | pick | starts),
               "extension_notified_at": draw(st.none() | pick), "extension_reason": draw(st.sampled_from(
                   [None, "", "complex case", "需要调查"])), "extended_until": draw(st.none() | pick)}
        out.append({k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()})
    return out, pivot


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), unit=st.sampled_from(["second", "minute", "hour", "day", "working_day", "month"]),
       amount=st.sampled_from([1, 3, 7, 24]), extension=st.booleans(), at=st.sampled_from([-1, 0, 1, None]))
def test_random_deadlines(data, unit, amount, extension, at):
    rows, pivot = data.draw(complaints(amount, unit))
    as_of = pivot + at * US if pivot is not None and at is not None else datetime(2026, 1, 15, 12, tzinfo=SHANGHAI)
    spec = {"kind": "deadline", "start": "investigation_closed_at", "end": "feedback_at",
            "within": {"value": amount, "unit": unit}}
    if extension:
        spec["extension"] = {"notified_at": "extension_notified_at", "reason": "extension_reason",
                             "until": "extended_until"}
    check = DeadlineCheck.model_validate(spec)
    dataset = Dataset.model_validate({"teams": [{"id": "t1", "association_id": "a1", "name": "T"}], "complaints": rows})
    ctx, cctx = contexts(dataset, "2025", max(as_of, datetime(2025, 6, 1, tzinfo=SHANGHAI)))
    assert assert_same_outcomes("deadline", check, "complaints", evaluator(check, "complaints"), None, ctx, cctx) == len(rows)


@settings(max_examples=60, deadline=None)
@given(mediated=st.lists(st.none() | starts, min_size=1, max_size=4), data=st.data(),
       at=st.sampled_from([datetime(2025, 3, 1, tzinfo=SHANGHAI), datetime(2026, 1, 15, 12, tzinfo=SHANGHAI)]))
def test_closing_event_from_another_collection(mediated, data, at):
    disputes, follow_ups = [], []
    for i, start in enumerate(mediated):
        disputes.append({"id": f"d{i}", "team_id": "t1", "registered_at": "2025-02-01T00:00:00+08:00", "major": True,
                         "mediated_at": start and start.isoformat()})
        due = due_of(start, 1, "month") if start else None
        for j, when in enumerate(data.draw(st.lists(st.sampled_from([due - US, due, due + US]) if due else starts,
                                                    max_size=3))):
            follow_ups.append({"id": f"f{i}-{j}", "dispute_id": f"d{i}", "at": when.isoformat()})
    check = DeadlineCheck.model_validate({"kind": "deadline", "start": "mediated_at", "within": {"value": 1, "unit": "month"},
                                          "end": {"of": "follow_ups", "via": "dispute_id", "field": "at"}})
    dataset = Dataset.model_validate({"teams": [{"id": "t1", "association_id": "a1", "name": "T"}],
                                      "disputes": disputes, "follow_ups": follow_ups})
    ctx, cctx = contexts(dataset, "2025", at)
    assert_same_outcomes("deadline", check, "disputes", evaluator(check, "disputes"), None, ctx, cctx)


def test_no_value_in_force():
    check = DeadlineCheck.model_validate({"kind": "deadline", "start": "investigation_closed_at", "end": "feedback_at",
                                          "within": {"unit": "working_day", "values": {"2026-01-01": 7}}})
    rows = [{"id": f"c{i}", "team_id": "t1", "channel": "phone", "received_at": "2025-06-01T00:00:00+08:00",
             "investigation_closed_at": start} for i, start in enumerate([None, "2025-06-02T00:00:00+08:00"])]
    ctx, cctx = contexts(Dataset.model_validate({"complaints": rows}), "2025", datetime(2025, 12, 1, tzinfo=SHANGHAI))
    assert assert_same_outcomes("deadline", check, "complaints", evaluator(check, "complaints"), None, ctx, cctx) == 2


def test_no_value_in_force_beside_a_deadline_in_force(tmp_path):
    """A deadline rule with no value in force (only statuses and notes, no `measured`) in one audit with one in
    force (a text `measured`): each subject gets its own rule's outcome."""
    from hongfeng_rules import audit, load_pack

    from helpers import rule, write_pack

    spec = {"kind": "deadline", "start": "investigation_closed_at", "end": "feedback_at"}
    pack = load_pack(write_pack(
        tmp_path / "p", rule({**spec, "within": {"unit": "working_day", "values": {"2026-01-01": 7}}}, "complaint",
                             rid="hf-5.0.1-retired"),
        rule({**spec, "within": {"value": 7, "unit": "working_day"}}, "complaint", rid="hf-5.0.2-live")))
    rows = [{"id": f"c{i}", "team_id": "t1", "channel": "phone", "received_at": "2025-06-01T00:00:00+08:00",
             "investigation_closed_at": start} for i, start in enumerate([None, "2025-06-02T00:00:00+08:00"])]
    dataset = Dataset.model_validate({"associations": [{"id": "a1", "name": "A", "level": "county"}],
                                      "teams": [{"id": "t1", "association_id": "a1", "name": "T"}], "complaints": rows})
    report = audit(dataset, pack, "2025", datetime(2025, 12, 1, tzinfo=SHANGHAI))
    got = sorted((f.rule_id, f.subject.id, f.status, f.measured, f.note) for f in report.findings)
    not_started = "investigation_closed_at not recorded: the clock has not started"
    assert got == [("hf-5.0.1-retired", "c0", "not_applicable", None, not_started),
                   ("hf-5.0.1-retired", "c1", "not_applicable", None, "no value in force"),
                   ("hf-5.0.2-live", "c0", "not_applicable", None, not_started),
                   ("hf-5.0.2-live", "c1", "fail", "none by 2025-12-01T00:00:00+08:00", None)]


@pytest.mark.parametrize("shift, status", [(-US, "pass"), (timedelta(0), "pass"), (US, "pending")])
def test_a_closing_event_at_the_as_of_instant_has_happened(shift, status):
    """Feedback a microsecond before or at the as-of instant has been given (on time: pass); a microsecond after,
    it has not yet (the deadline still running: pending) — as the per-object check."""
    as_of = datetime(2025, 6, 3, 12, tzinfo=SHANGHAI)
    check = DeadlineCheck.model_validate({"kind": "deadline", "start": "investigation_closed_at", "end": "feedback_at",
                                          "within": {"value": 7, "unit": "day"}})
    rows = [{"id": "c1", "team_id": "t1", "channel": "phone", "received_at": "2025-06-01T00:00:00+08:00",
             "investigation_closed_at": "2025-06-02T00:00:00+08:00", "feedback_at": (as_of + shift).isoformat()}]
    dataset = Dataset.model_validate({"teams": [{"id": "t1", "association_id": "a1", "name": "T"}], "complaints": rows})
    ctx, cctx = contexts(dataset, "2025", as_of)
    assert evaluator(check, "complaints")(dataset.complaints[0], ctx).status == status
    assert assert_same_outcomes("deadline", check, "complaints", evaluator(check, "complaints"), None, ctx, cctx) == 1


FIRST = default_calendar().first_year


@pytest.mark.parametrize("start, bound", [
    (datetime(LAST, 12, 25, 12, tzinfo=SHANGHAI), f"(official data ends with {LAST})"),  # due in the year after
    (datetime(FIRST - 1, 12, 20, 12, tzinfo=SHANGHAI), f"{FIRST - 1} is before {FIRST}, the first year")])
def test_a_working_day_deadline_the_calendar_cannot_answer_names_the_calendar_s_first_or_last_year(start, bound):
    """7 working days from 25 December of the calendar's last year, or from a day of the year before its first: not
    assessable, the note naming the year the calendar ends with, or the first year it has — as the per-object check."""
    check = DeadlineCheck.model_validate({"kind": "deadline", "start": "investigation_closed_at", "end": "feedback_at",
                                          "within": {"value": 7, "unit": "working_day"}})
    rows = [{"id": "c1", "team_id": "t1", "channel": "phone", "received_at": "2025-06-01T00:00:00+08:00",
             "investigation_closed_at": start.isoformat()}]
    dataset = Dataset.model_validate({"teams": [{"id": "t1", "association_id": "a1", "name": "T"}], "complaints": rows})
    ctx, cctx = contexts(dataset, "2025", datetime(2025, 12, 1, tzinfo=SHANGHAI))
    outcome = evaluator(check, "complaints")(dataset.complaints[0], ctx)
    assert outcome.status == "not_assessable" and bound in outcome.note
    assert assert_same_outcomes("deadline", check, "complaints", evaluator(check, "complaints"), None, ctx, cctx) == 1
