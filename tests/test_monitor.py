"""The live monitor (#7): alerts per deadline clause, restart safety, durable-rules guards, and
agreement with the batch audit."""
from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("durable")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from hongfeng_rules import audit, load_pack  # noqa: E402
from hongfeng_rules.models import Dataset  # noqa: E402
from hongfeng_rules.monitor import EngineError, EventError, Monitor  # noqa: E402
from hongfeng_rules.monitor.engine import fnv1a32  # noqa: E402
from hongfeng_rules.timecalc import SHANGHAI  # noqa: E402

HERE = Path(__file__).resolve().parent
PACK = load_pack(HERE.parent / "rules" / "hongfeng")  # the shipped rule files: monitor and audit share them
HAZARD, DISPUTE, COMPLAINT, INACTIVE = ("hf-6.2.3-major-hazard-report", "hf-6.3.3-major-follow-up",
                                        "hf-7.3.3-feedback", "hf-5.2.7-inactive-members")
DEADLINE_RULES = {HAZARD, DISPUTE, COMPLAINT}


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def kinds(alerts, rule=None):
    return [(a.kind, a.subject_id) for a in alerts if rule is None or a.rule_id == rule]


def hazard(eid, hid, at, major=True):
    return {"type": "hazard_found", "event_id": eid, "at": at, "hazard_id": hid, "team_id": "t1", "major": major}


# --- one test per clause ------------------------------------------------------------------

def test_hazard_24_hours_due_soon_overdue_resolved_late():
    m = Monitor(PACK, start=t("2025-03-09T00:00"))
    assert m.post(hazard("e1", "h1", "2025-03-09T10:15:30.123456")) == []
    m.post(hazard("e2", "h2", "2025-03-09T10:15:30.123456"))
    m.post(hazard("e3", "minor", "2025-03-09T10:15:30", major=False))  # where: major only
    assert kinds(m.advance(t("2025-03-10T04:15:30.123456"))) == [("due_soon", "h2"), ("due_soon", "h1")]
    assert m.advance(t("2025-03-10T10:15:30.123456")) == []  # exactly at the deadline: still on time
    m.post({"type": "hazard_reported", "event_id": "e4", "at": "2025-03-10T10:15:30.123456", "hazard_id": "h1"})
    alerts = m.advance(t("2025-03-10T10:15:30.123457"))
    assert kinds(alerts) == [("overdue", "h2")]
    a = alerts[0]
    assert (a.rule_id, a.clause, a.strength, a.subject_kind, a.team_id, a.events) == (HAZARD, "6.2.3", "shall", "hazard", "t1", ("e2",))
    assert a.deadline == t("2025-03-10T10:15:30.123456") and "逾期" in a.message_zh and "overdue" in a.message_en
    late = m.post({"type": "hazard_reported", "event_id": "e5", "at": "2025-03-10T12:00", "hazard_id": "h2"})
    assert kinds(late) == [("resolved_late", "h2")] and late[0].events == ("e2", "e5")
    assert m.open_items() == []


def test_dispute_one_month_closed_by_first_follow_up():
    m = Monitor(PACK, start=t("2025-01-31T00:00"), due_soon=timedelta(days=3))
    for i in (1, 2):
        m.post({"type": "dispute_mediated", "event_id": f"d{i}", "at": "2025-01-31T14:00", "dispute_id": f"D{i}",
                "team_id": "t1", "registered_at": "2025-01-30T09:00", "major": True})
    # due at 24:00 on 28 Feb (民法典 §201–203), so three days before is the end of 25 Feb
    assert kinds(m.advance(t("2025-02-25T23:59:59.999998"))) == []
    assert kinds(m.advance(t("2025-02-25T23:59:59.999999"))) == [("due_soon", "D2"), ("due_soon", "D1")]
    m.post({"type": "dispute_followed_up", "event_id": "f1", "at": "2025-02-28T18:00", "follow_up_id": "F1", "dispute_id": "D1"})
    assert kinds(m.advance(t("2025-02-28T23:59:59.999999"))) == []  # later in the day than the mediation: on time
    assert kinds(m.advance(t("2025-03-01T00:00"))) == [("overdue", "D2")]
    assert m.open_items()[0]["deadline"] == "2025-02-28T23:59:59.999999+08:00"
    # a second follow-up of a closed dispute is an orphan: consumed, no alert
    assert m.post({"type": "dispute_followed_up", "event_id": "f2", "at": "2025-03-01T10:00", "follow_up_id": "F2",
                   "dispute_id": "D1"}) == []


def test_complaint_seven_working_days_with_tiaoxiu_and_extension():
    m = Monitor(PACK, start=t("2025-09-26T00:00"))
    for c in ("C1", "C2", "C3"):
        m.post({"type": "investigation_closed", "event_id": f"x{c}", "at": "2025-09-26T16:00", "complaint_id": c, "team_id": "t1"})
    m.post({"type": "extension_notified", "event_id": "n2", "at": "2025-10-10T09:00", "complaint_id": "C2",
            "reason": "涉及多个部门，需补充调查", "until": "2025-10-31T23:59:59"})
    m.post({"type": "extension_notified", "event_id": "n3", "at": "2025-10-10T09:00", "complaint_id": "C3",
            "reason": "  ", "until": "2025-10-31T23:59:59"})  # no reason: ignored (docs/time.md §5)
    alerts = m.advance(t("2025-10-14T00:00"))
    assert sorted(kinds(alerts, COMPLAINT)) == [("overdue", "C1"), ("overdue", "C3")]
    assert alerts[0].deadline == t("2025-10-13T23:59:59.999999")
    items = {i["subject_id"]: i for i in m.open_items()}
    assert items["C2"]["deadline"] == "2025-10-31T23:59:59+08:00" and items["C2"]["events"] == ["xC2", "n2"]
    assert kinds(m.advance(t("2025-11-01T00:00")), COMPLAINT) == [("overdue", "C2")]


def test_inactivity_window_read_from_the_5_2_7_rule():
    track = next(tr for tr in Monitor(PACK).tracks if tr.rule.id == INACTIVE)
    assert (track.rule.amount, track.rule.unit) == (1, "month")
    m = Monitor(PACK, start=t("2025-01-01T00:00"))
    m.post({"type": "member_active", "event_id": "a1", "at": "2025-01-10T10:00", "member_id": "m1", "team_id": "t1"})
    m.post({"type": "training_held", "event_id": "a2", "at": "2025-01-10T10:00", "end": "2025-01-10T14:00",
            "training_id": "tr1", "team_id": "t1", "attendee_ids": ["m2"]})  # active at its end, as in the audit
    assert {i["subject_id"]: i["deadline"] for i in m.open_items()}["m2"] == "2025-02-10T23:59:59.999998+08:00"
    m.advance(t("2025-02-01T00:00"))
    m.post({"type": "member_active", "event_id": "a3", "at": "2025-02-01T10:00", "member_id": "m1", "team_id": "t1"})
    m.post({"type": "meeting_held", "event_id": "a5", "at": "2025-02-05T10:00", "meeting_id": "mt1", "team_id": "t1",
            "attendee_ids": ["m2"]})  # a meeting is not activity: m2's window does not restart
    # a month from 10 Jan runs out at 24:00 on 10 Feb; 1个月以上 includes exactly one month
    assert kinds(m.advance(t("2025-02-10T23:59:59.999998")), INACTIVE) == [("due_soon", "m2")]
    assert kinds(m.advance(t("2025-02-10T23:59:59.999999")), INACTIVE) == [("overdue", "m2")]
    back = m.post({"type": "member_active", "event_id": "a4", "at": "2025-02-20T10:00", "member_id": "m2", "team_id": "t1"})
    assert kinds(back) == [("resolved_late", "m2")]


def status(eid, at, member, status_, since):
    return {"type": "member_status_changed", "event_id": eid, "at": at, "member_id": member, "team_id": "t1",
            "status": status_, "status_since": since}


def test_a_member_demoted_or_exited_is_not_judged_and_one_made_active_again_is_judged_at_once():
    m = Monitor(PACK, start=t("2025-01-01T00:00"))
    m.post({"type": "member_joined", "event_id": "j1", "at": "2025-01-01T00:00", "member_id": "m1", "team_id": "t1",
            "join_date": "2025-01-01"})
    m.post({"type": "member_active", "event_id": "a1", "at": "2025-01-10T10:00", "member_id": "m1", "team_id": "t1"})
    m.advance(t("2025-02-05T09:59:59.999999"))  # the instant before the demotion: still judged
    assert [i["subject_id"] for i in m.open_items() if i["rule_id"] == INACTIVE] == ["m1"]
    assert m.post(status("s1", "2025-02-05T10:00", "m1", "demoted", "2025-02-05")) == []  # not yet overdue: in time
    assert [i for i in m.open_items() if i["rule_id"] == INACTIVE] == []  # at the change: not judged
    m.post({"type": "member_active", "event_id": "a2", "at": "2025-02-06T10:00", "member_id": "m1", "team_id": "t1"})
    assert kinds(m.advance(t("2025-04-01T00:00")), INACTIVE) == []  # after it: no due_soon, no overdue
    saved = Monitor.restore(PACK, m.snapshot())  # the member's standing survives a restart
    assert [i for i in saved.open_items() if i["rule_id"] == INACTIVE] == []
    # active again: judged from its last activity (6 Feb, a month ran out at 24:00 on 6 Mar), overdue at once
    assert kinds(saved.post(status("s2", "2025-04-01T09:00", "m1", "active", "2025-04-01")), INACTIVE) == \
        [("overdue", "m1")]
    assert [(i["subject_id"], i["stage"]) for i in saved.open_items() if i["rule_id"] == INACTIVE] == [("m1", "overdue")]
    # exited while overdue: the mechanism applied, late
    assert kinds(saved.post(status("s3", "2025-04-02T09:00", "m1", "exited", "2025-04-02")), INACTIVE) == \
        [("resolved_late", "m1")]


def test_a_status_change_dated_after_its_event_is_malformed():
    m = Monitor(PACK, start=t("2025-01-01T00:00"))
    with pytest.raises(EventError, match="status_since 2025-02-06 is after the day of the event"):
        m.post(status("s1", "2025-02-05T10:00", "m1", "demoted", "2025-02-06"))
    m.post(status("s2", "2025-02-05T10:00", "nobody", "demoted", "2025-02-05"))  # unknown member: noted, consumed
    assert any("nobody" in n for n in m.notes)
    assert all(tr.engine.pending_events() == [] for tr in m.tracks)


def test_the_real_pack_monitors_each_of_its_deadline_rules():
    pack = load_pack(HERE.parent / "rules" / "hongfeng")
    expected = {r.rule.id for r in pack.rules if r.rule.check.kind == "deadline"}
    monitored = {tr.rule.id for tr in Monitor(pack).tracks}
    assert expected and expected <= monitored


# --- restart, duplicates, malformed events ---------------------------------------------------

def test_snapshot_and_restore_in_the_middle_of_a_deadline():
    m = Monitor(PACK, start=t("2025-03-09T00:00"))
    m.post(hazard("e1", "h1", "2025-03-09T10:00"))
    m.post(hazard("e2", "h2", "2025-03-09T10:00"))
    m.advance(t("2025-03-10T05:00"))  # both warned
    saved = m.snapshot()
    assert json.loads(saved)["rules"][HAZARD][0]["stage"] == "warned"
    restored = Monitor.restore(PACK, saved)
    assert restored.post(hazard("e1", "h1", "2025-03-09T10:00")) == []  # seen before the restart
    restored.post({"type": "hazard_reported", "event_id": "e3", "at": "2025-03-10T09:00", "hazard_id": "h1"})
    assert kinds(restored.advance(t("2025-03-10T10:00:01"))) == [("overdue", "h2")]  # no second due_soon
    with pytest.raises(ValueError, match="not a monitor snapshot"):
        Monitor.restore(PACK, "{}")


def test_same_event_id_twice_does_not_duplicate_alerts():
    got = []
    m = Monitor(PACK, on_alert=got.append, start=t("2025-03-09T00:00"))
    for _ in range(3):
        m.post(hazard("e1", "h1", "2025-03-09T10:00"))
    m.advance(t("2025-03-11T00:00"))
    for _ in range(2):
        m.post({"type": "hazard_reported", "event_id": "e2", "at": "2025-03-11T00:00", "hazard_id": "h1"})
    assert kinds(got) == [("overdue", "h1"), ("resolved_late", "h1")]
    assert list(m.alerts()) == []  # delivered to the callback, not queued


@pytest.mark.parametrize("bad", [
    {"type": "hazard_found", "event_id": "e9", "at": "yesterday", "hazard_id": "h9", "team_id": "t1"},
    {"type": "hazard_found", "event_id": "e9", "at": "2025-03-09T10:00", "team_id": "t1"},
    {"type": "no_such_event", "event_id": "e9", "at": "2025-03-09T10:00"},
    {"type": "hazard_reported", "event_id": "", "at": "2025-03-09T10:00", "hazard_id": "h1"},
])
def test_malformed_event_is_rejected_and_state_is_unchanged(bad):
    m = Monitor(PACK, start=t("2025-03-09T00:00"))
    m.post(hazard("e1", "h1", "2025-03-09T10:00"))
    before = m.snapshot()
    with pytest.raises(EventError, match="malformed event"):
        m.post(bad)
    assert m.snapshot() == before
    assert kinds(m.advance(t("2025-03-11T00:00"))) == [("overdue", "h1")]


def test_clock_never_goes_back():
    m = Monitor(PACK, start=t("2025-03-09T00:00"))
    with pytest.raises(ValueError, match="cannot go back"):
        m.advance(t("2025-03-08T00:00"))


def test_two_monitors_in_one_process_are_independent():
    a, b = Monitor(PACK, start=t("2025-03-09T00:00")), Monitor(PACK, start=t("2025-03-09T00:00"))
    assert {tr.engine.name for tr in a.tracks}.isdisjoint(tr.engine.name for tr in b.tracks)
    a.post(hazard("e1", "h1", "2025-03-09T10:00"))
    b.post(hazard("e1", "h1", "2025-03-09T10:00"))
    b.post({"type": "hazard_reported", "event_id": "e2", "at": "2025-03-09T11:00", "hazard_id": "h1"})
    assert kinds(a.advance(t("2025-03-11T00:00"))) == [("overdue", "h1")]
    assert b.advance(t("2025-03-11T00:00")) == []


# --- durable-rules guards ------------------------------------------------------------------------

def _colliding_ids(prefix: str) -> tuple[str, str]:
    """Two distinct item ids whose message ids ("o:<id>") share durable's 32-bit hash."""
    seen = {}
    for i in range(1_000_000):
        h = fnv1a32(f"o:{prefix}{i}")
        if h in seen:
            return f"{prefix}{seen[h]}", f"{prefix}{i}"
        seen[h] = i
    raise AssertionError("no collision found")


def test_guard_message_id_hash_collision():
    from durable.engine import MessageObservedException, Ruleset

    a, b = _colliding_ids("h")
    raw = Ruleset("raw-collision-demo", None, {"r": {"all": [{"o": {"t": "open"}}, {"p": {"t": "never"}}],
                                                        "run": lambda c: None}})
    raw.assert_fact({"id": f"o:{a}", "sid": "0", "t": "open"})
    with pytest.raises(MessageObservedException):  # the defect: a distinct fact is rejected
        raw.assert_fact({"id": f"o:{b}", "sid": "0", "t": "open"})
    m = Monitor(PACK, start=t("2025-03-09T00:00"))
    m.post(hazard("e1", a, "2025-03-09T10:00"))
    m.post(hazard("e2", b, "2025-03-09T10:00"))
    track = next(tr for tr in m.tracks if tr.rule.id == HAZARD)
    assert track.engine.collisions_avoided == 1
    assert sorted(kinds(m.advance(t("2025-03-11T00:00")))) == sorted([("overdue", a), ("overdue", b)])


def test_guard_observed_message_is_an_error_never_ignored():
    m = Monitor(PACK, start=t("2025-03-09T00:00"))
    engine = m.tracks[0].engine
    with pytest.raises(EngineError, match="already observed"):
        engine.assert_fact({"id": "clock", "t": "clock", "now": 1})  # a second message with a live id


def test_guard_business_ids_are_not_named_id():
    with pytest.raises(EventError, match="id"):
        Monitor(PACK).post({"type": "hazard_reported", "event_id": "e1", "id": "h1", "at": "2025-03-09T10:00",
                            "hazard_id": "h1"})


def test_guard_every_event_kind_is_consumed():
    m = Monitor(PACK, start=t("2025-01-01T00:00"))
    history = [
        {"type": "hazard_reported", "event_id": "o1", "at": "2025-01-02T00:00", "hazard_id": "no-finding"},
        {"type": "dispute_followed_up", "event_id": "o2", "at": "2025-01-02T00:00", "follow_up_id": "F", "dispute_id": "none"},
        {"type": "extension_notified", "event_id": "o3", "at": "2025-01-02T00:00", "complaint_id": "none", "reason": "r",
         "until": "2025-02-01T00:00"},
        {"type": "feedback_given", "event_id": "o4", "at": "2025-01-02T00:00", "complaint_id": "none"},
        {"type": "complaint_received", "event_id": "o5", "at": "2025-01-02T00:00", "complaint_id": "c", "team_id": "t1"},
        {"type": "meeting_held", "event_id": "o6", "at": "2025-01-02T00:00", "meeting_id": "mt", "team_id": "t1"},
        hazard("o7", "h1", "2025-01-02T00:00"),
        {"type": "hazard_reported", "event_id": "o8", "at": "2025-01-02T01:00", "hazard_id": "h1"},
        {"type": "hazard_reported", "event_id": "o9", "at": "2025-01-02T02:00", "hazard_id": "h1"},
    ]
    for ev in history:
        m.post(ev)
    m.advance(t("2025-06-01T00:00"))
    for track in m.tracks:
        assert track.engine.pending_events() == []
        assert [f["t"] for f in track.engine.facts()] == ["clock"]


def test_guard_actions_run_synchronously_on_the_callers_thread():
    threads_before = threading.active_count()
    seen = []
    m = Monitor(PACK, on_alert=lambda a: seen.append(threading.get_ident()), start=t("2025-03-09T00:00"))
    m.post(hazard("e1", "h1", "2025-03-09T10:00"))
    m.advance(t("2025-03-11T00:00"))  # no sleep: the alert is there when advance returns
    assert seen == [threading.get_ident()]
    assert threading.active_count() == threads_before  # no durable Host timer threads


def test_guard_exceptions_in_actions_are_raised(monkeypatch):
    m = Monitor(PACK, start=t("2025-03-09T00:00"))

    def boom(*args, **kwargs):
        raise RuntimeError("boom in an action")

    monkeypatch.setattr(m, "_alert", boom)
    m.post(hazard("e1", "h1", "2025-03-09T10:00"))
    with pytest.raises(EngineError, match="boom in an action"):
        m.advance(t("2025-03-11T00:00"))


def test_guard_one_session_per_ruleset_even_for_thousands_of_teams():
    m = Monitor(PACK, start=t("2025-03-09T00:00"))
    for i in range(1500):
        m.post({**hazard(f"e{i}", f"h{i}", "2025-03-09T10:00"), "team_id": f"team{i}"})
    assert len(m.advance(t("2025-03-11T00:00"))) == 1500
    track = next(tr for tr in m.tracks if tr.rule.id == HAZARD)
    assert {f["sid"] for f in track.engine.facts()} == {"0"}


def test_core_imports_without_durable_and_monitor_says_how_to_install():
    code = ("import sys; sys.modules['durable'] = None; sys.modules['durable.engine'] = None\n"
            "import hongfeng_rules, hongfeng_rules.monitor.events\n"
            "try:\n    from hongfeng_rules.monitor import Monitor\nexcept ImportError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert 'pip install "hongfeng-rules[monitor]"' in out


# --- agreement with the batch audit -------------------------------------------------------

BASE = t("2025-01-01T00:00")


def history_of(items) -> list[dict]:
    """Events for generated items: (kind, start minute, major, end delay, extension)."""
    events = []
    for n, (kind, start, major, end, ext) in enumerate(items):
        at = BASE + timedelta(minutes=start)
        def ev(type_, when, **kw):
            events.append({"type": type_, "event_id": f"{type_}-{n}-{len(events)}", "at": when.isoformat(), **kw})
        if kind == "hazard":
            ev("hazard_found", at, hazard_id=f"h{n}", team_id=f"t{n % 7}", major=major)
            if end is not None:
                ev("hazard_reported", at + timedelta(minutes=end), hazard_id=f"h{n}")
        elif kind == "dispute":
            ev("dispute_mediated", at, dispute_id=f"d{n}", team_id=f"t{n % 7}", registered_at=at.isoformat(), major=major)
            if end is not None:
                for k in range(1 + n % 2):
                    ev("dispute_followed_up", at + timedelta(minutes=end * (k + 1)), follow_up_id=f"f{n}-{k}", dispute_id=f"d{n}")
        else:
            ev("complaint_received", at - timedelta(hours=1), complaint_id=f"c{n}", team_id=f"t{n % 7}")
            ev("investigation_closed", at, complaint_id=f"c{n}", team_id=f"t{n % 7}")
            if ext is not None:
                notice, until = ext
                ev("extension_notified", at + timedelta(minutes=notice), complaint_id=f"c{n}",
                   reason="需补充调查" if major else "", until=(at + timedelta(minutes=until)).isoformat())
            if end is not None:
                ev("feedback_given", at + timedelta(minutes=end), complaint_id=f"c{n}")
    events.sort(key=lambda e: e["at"])
    return events


def dataset_of(events) -> Dataset:
    """The batch audit's view of the same history (the records the events describe)."""
    recs: dict[str, dict] = {"hazards": {}, "disputes": {}, "follow_ups": {}, "complaints": {}}
    from hongfeng_rules.monitor.events import parse_event
    for raw in events:
        ev = parse_event(raw)
        if ev.collection in recs:
            rec = recs[ev.collection].setdefault(ev.record_id(), {"id": ev.record_id()})
            rec.update({k: v for k, v in ev.sets().items() if v is not None})
    for c in recs["complaints"].values():
        c.setdefault("channel", "other")
    return Dataset(**{name: list(r.values()) for name, r in recs.items()})


def monitor_failures(events, as_of, every: int = 1) -> set[tuple[str, str]]:
    failing = set()

    def note(a):
        if a.rule_id in DEADLINE_RULES and a.kind in ("overdue", "resolved_late"):
            failing.add((a.rule_id, a.subject_id))

    m = Monitor(PACK, on_alert=note, start=BASE)
    for i, raw in enumerate(events):
        at = datetime.fromisoformat(raw["at"])
        if at > as_of:
            break
        if i % every == 0 and m.now < at:
            m.advance(at)
        m.post(raw)
    m.advance(as_of)
    return failing


def audit_failures(events, as_of) -> set[tuple[str, str]]:
    known = [e for e in events if datetime.fromisoformat(e["at"]) <= as_of]
    report = audit(dataset_of(known), PACK, "2025", as_of)
    return {(f.rule_id, f.subject.id) for f in report.findings if f.rule_id in DEADLINE_RULES and f.status == "fail"}


DAY = 24 * 60
item = st.tuples(
    st.sampled_from(["hazard", "dispute", "complaint"]),
    st.integers(60, 330 * DAY),  # start
    st.booleans(),  # major (hazard, dispute) / reason given (complaint extension)
    st.one_of(st.none(), st.integers(0, 45 * DAY), st.sampled_from([24 * 60, 24 * 60 + 1])),  # end delay
    st.one_of(st.none(), st.tuples(st.integers(0, 15 * DAY), st.integers(-5 * DAY, 40 * DAY))),  # extension
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(item, min_size=1, max_size=25), st.integers(0, 364 * DAY + DAY - 1))
def test_property_monitor_agrees_with_batch_audit(items, minute):
    events = history_of(items)
    as_of = BASE + timedelta(minutes=minute)
    assert monitor_failures(events, as_of) == audit_failures(events, as_of)


@pytest.mark.slow
def test_large_replay_agrees_with_batch_audit():
    rng = random.Random(7)
    items = []
    for _ in range(50_000):
        kind = rng.choice(["hazard", "dispute", "complaint"])
        end = None if rng.random() < 0.3 else rng.randint(0, 40 * DAY)
        ext = (rng.randint(0, 12 * DAY), rng.randint(0, 30 * DAY)) if kind == "complaint" and rng.random() < 0.3 else None
        items.append((kind, rng.randint(60, 330 * DAY), rng.random() < 0.8, end, ext))
    events = history_of(items)
    as_of = t("2025-12-31T12:00")
    failing = monitor_failures(events, as_of, every=50)
    assert len(failing) > 10_000
    assert failing == audit_failures(events, as_of)


def test_a_fresh_monitor_has_no_open_items_and_a_snapshot():
    """Before any message durable-rules has no session to read facts from (error 309): empty, not an error."""
    monitor = Monitor(PACK)
    assert monitor.open_items() == []
    restored = Monitor.restore(PACK, monitor.snapshot())
    assert restored.open_items() == [] and restored.now is None
