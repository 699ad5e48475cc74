"""The monitor cannot be jammed (issue #17, class 3): no event content collides with the monitor's own clock
fact, extreme instants are EventError/ValueError, damaged snapshots are SnapshotError; and a fuzz test of the
public API (random events, clock moves, snapshots, restores) finds no other exception and no lost deadline."""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("durable")

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from hongfeng_rules import load_pack  # noqa: E402
from hongfeng_rules.monitor import EventError, Monitor, SnapshotError  # noqa: E402
from hongfeng_rules.monitor.engine import fnv1a32  # noqa: E402
from hongfeng_rules.timecalc import SHANGHAI  # noqa: E402

PACK = load_pack(Path(__file__).resolve().parent.parent / "rules" / "hongfeng")
HAZARD = "hf-6.2.3-major-hazard-report"
CLOCK_TWIN = "hlqbdQc"  # "o:hlqbdQc" has the 32-bit FNV-1a hash of "clock" (found by meeting in the middle)
TWINS = ("h7149", "h799420")  # "o:h7149" and "o:h799420" share a hash


def t(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def found(eid: str, hid: str, at: str, major: bool = True) -> dict:
    return {"type": "hazard_found", "event_id": eid, "at": at, "hazard_id": hid, "team_id": "t1", "major": major}


def reported(eid: str, hid: str, at: str) -> dict:
    return {"type": "hazard_reported", "event_id": eid, "at": at, "hazard_id": hid}


def test_the_crafted_ids_collide():
    assert fnv1a32(f"o:{CLOCK_TWIN}") == fnv1a32("clock")
    assert fnv1a32(f"o:{TWINS[0]}") == fnv1a32(f"o:{TWINS[1]}") and TWINS[0] != TWINS[1]


# ---------------------------------------------------------------- jamming the clock

def test_an_item_hashing_like_the_clock_before_the_first_advance_does_not_jam_the_monitor():
    m = Monitor(PACK)  # no start=: the clock fact does not exist yet
    m.post(found("e1", CLOCK_TWIN, "2025-03-09T10:00"))
    assert m.advance(t("2025-03-09T12:00")) == []
    saved = m.snapshot()
    assert [a.kind for a in m.advance(t("2025-03-10T10:00:01"))] == ["overdue"]
    assert [i["subject_id"] for i in m.open_items()] == [CLOCK_TWIN]
    restored = Monitor.restore(PACK, saved)
    assert [(a.kind, a.subject_id) for a in restored.advance(t("2025-03-10T10:00:01"))] == [("overdue", CLOCK_TWIN)]


def test_a_snapshot_cannot_plant_a_fact_with_the_clocks_id():
    m = Monitor(PACK, start=t("2025-03-09T00:00"))
    m.post(found("e1", "h1", "2025-03-09T10:00"))
    data = json.loads(m.snapshot())
    data["rules"][HAZARD][0]["id"] = "clock"  # a snapshot's ids are not trusted
    restored = Monitor.restore(PACK, json.dumps(data))
    assert [(a.kind, a.subject_id) for a in restored.advance(t("2025-03-11T00:00"))] == [("overdue", "h1")]


# ---------------------------------------------------------------- extreme instants

# the instant before 1900-01-01 in Shanghai, which kept local mean time (+08:05:43) until 1901
@pytest.mark.parametrize("at", ["9999-12-31T23:00:00+08:00", "0001-01-01T00:00:00+09:00", "2200-01-01T00:00:00",
                                "1899-12-31T23:54:16.999999+08:00", "2199-12-31T23:00:00-05:00"])
def test_an_event_out_of_the_supported_dates_is_an_event_error(at):
    m = Monitor(PACK, start=t("2025-01-01T00:00"))
    with pytest.raises(EventError, match="outside the supported dates"):
        m.post(found("e1", "h1", at))
    assert m.open_items() == [] and json.loads(m.snapshot())["seen"] == []


def test_an_event_at_the_last_supported_hour_gets_a_deadline_past_the_range():
    m = Monitor(PACK, start=t("2199-12-31T00:00"))
    m.post(found("e1", "h1", "2199-12-31T23:00"))
    assert m.open_items()[0]["deadline"] == "2200-01-01T23:00:00+08:00"
    assert m.advance(t("2199-12-31T23:59:59.999999")) == []  # the clock's last instant: not yet due soon
    with pytest.raises(ValueError, match="outside the supported dates"):
        m.advance(t("2199-12-31T23:59:59.999999") + timedelta(microseconds=1))
    restored = Monitor.restore(PACK, m.snapshot())
    assert restored.open_items() == m.open_items()


@pytest.mark.parametrize("now", ["9999-12-31T23:00", "0001-01-01", "2200-01-01T00:00", "not a time", "", 12,
                                 None, 1.5, datetime.max, datetime.min])
def test_a_bad_clock_is_a_value_error_and_changes_nothing(now):
    m = Monitor(PACK, start=t("2025-01-01T00:00"))
    m.post(found("e1", "h1", "2025-01-01T10:00"))
    before = m.snapshot()
    with pytest.raises(ValueError, match=r"^(\d{4}-\d{2}-\d{2} is outside the supported dates \(1900-01-01 to 2199-12-31\)"
                                         r"|not an instant: .* \(Invalid isoformat string: .*\)"
                                         r"|the clock needs a datetime or ISO 8601 text, not (int|NoneType|float))$"):
        m.advance(now)
    assert m.snapshot() == before
    assert [a.kind for a in m.advance(t("2025-01-02T10:00:01"))] == ["overdue"]  # the clock still works


# ---------------------------------------------------------------- damaged snapshots

def _good() -> dict:
    m = Monitor(PACK, start=t("2025-03-09T00:00"))
    m.post(found("e1", "h1", "2025-03-09T10:00"))
    return json.loads(m.snapshot())


def _with(change) -> str:
    data = _good()
    change(data)
    return json.dumps(data)


def _fact(**update):
    return lambda d: d["rules"][HAZARD][0].update(update)


BAD_SNAPSHOTS = {
    "null": "null", "list": "[]", "number": "1", "string": '"x"', "truncated": '{"format": "hongfeng-monitor/1", "ru',
    "not utf-8": b"\xff\xfe", "deep": "[" * 100_000, "other format": '{"format": "other/2"}',
    "rules not a mapping": _with(lambda d: d.update(rules=[])),
    "seen not a list": _with(lambda d: d.update(seen="e1")),
    "fact with no fields": _with(lambda d: d["rules"][HAZARD].__setitem__(0, {})),
    "fact not a mapping": _with(lambda d: d["rules"][HAZARD].__setitem__(0, None)),
    "due as text": _with(_fact(due="2025-03-10T10:00")),
    "due as bool": _with(_fact(due=True)),
    "due far beyond": _with(_fact(due=10 ** 30)),
    "due before 1900": _with(_fact(due=-(10 ** 17))),
    "unknown stage": _with(_fact(stage="closed")),
    "events not JSON": _with(_fact(events="[e1")),
    "events not a list of ids": _with(_fact(events="[1, 2]")),
    "item with a zero-width space": _with(_fact(item="h\u200b1")),
    "unknown field": _with(_fact(secret=1)),
    "now out of range": _with(lambda d: d.update(now="9999-12-31T23:00:00+08:00")),
    "now not a time": _with(lambda d: d.update(now="soon")),
    "item open twice": _with(lambda d: d["rules"][HAZARD].append(dict(d["rules"][HAZARD][0]))),
    "unknown rule": _with(lambda d: d["rules"].update({"hf-9.9.9-nothing": []})),
}


@pytest.mark.parametrize("name", sorted(BAD_SNAPSHOTS))
def test_a_damaged_snapshot_is_a_snapshot_error(name):
    with pytest.raises(SnapshotError) as exc:
        Monitor.restore(PACK, BAD_SNAPSHOTS[name])
    assert isinstance(exc.value, ValueError) and "\n" not in str(exc.value)
    assert "snapshot" in str(exc.value)


def test_restore_takes_only_text():
    for value in (None, 3, {"format": "hongfeng-monitor/1"}):
        with pytest.raises(SnapshotError, match="expected JSON text"):
            Monitor.restore(PACK, value)


def test_the_good_snapshot_of_these_cases_restores():
    restored = Monitor.restore(PACK, json.dumps(_good()))
    assert [i["subject_id"] for i in restored.open_items()] == ["h1"]


# ---------------------------------------------------------------- fuzz: the public API

START = t("2025-03-09T00:00")
ITEMS = ["h1", "h2", CLOCK_TWIN, *TWINS, "ev1", "clock", "o:h1", "中文"]
HOUR = timedelta(hours=1)

operation = st.one_of(
    st.tuples(st.just("found"), st.sampled_from(ITEMS), st.booleans(), st.integers(-30, 60)),
    st.tuples(st.just("reported"), st.sampled_from(ITEMS), st.integers(-30, 60)),
    st.tuples(st.just("advance"), st.integers(-5, 40)),
    st.tuples(st.just("repeat"), st.integers(0, 50)),
    st.tuples(st.just("snapshot")),
    st.tuples(st.just("garbage"), st.sampled_from([
        {"type": "hazard_found", "event_id": "g", "at": "9999-12-31T23:00:00+08:00", "hazard_id": "h1", "team_id": "t"},
        {"type": "hazard_found", "event_id": "g", "at": "2025-03-09T10:00", "hazard_id": "h\u202e1", "team_id": "t"},
        {"type": "hazard_found", "event_id": "g", "at": "2025-03-09T10:00", "hazard_id": "h1", "team_id": "t",
         "major": "yes"},
        {"type": "hazard_reported", "event_id": "g", "at": 1741500000, "hazard_id": "h1"},
        {"type": "nothing"}, {"event_id": "g"}, {}, None, [], "hazard_found", 3,
    ])),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=25))
def test_fuzz_the_monitor_api_raises_only_documented_errors_and_loses_no_deadline(ops):
    alerts = []
    m = Monitor(PACK, start=START, on_alert=alerts.append)
    now = START
    model: dict[str, datetime] = {}  # open item -> deadline (6.2.3: a major hazard is reported within 24 hours)
    posted: list[dict] = []
    overdue_seen: set[tuple[str, datetime]] = set()
    late_expected: list[tuple[str, datetime]] = []
    late_seen: list[tuple[str, datetime]] = []

    def apply(event: dict) -> None:
        """What the monitor must do with a hazard event: the reference model."""
        item, at = event["hazard_id"], datetime.fromisoformat(event["at"]).replace(tzinfo=SHANGHAI)
        if event["type"] == "hazard_found":
            if event["major"] and item not in model:
                model[item] = at + 24 * HOUR
        elif item in model:
            due = model.pop(item)
            if at > due:
                late_expected.append((item, due))

    for n, op in enumerate(ops):
        kind = op[0]
        if kind in ("found", "reported"):
            at = (now + op[-1] * HOUR).replace(tzinfo=None).isoformat()
            event = found(f"e{n}", op[1], at, op[2]) if kind == "found" else reported(f"e{n}", op[1], at)
            m.post(event)
            posted.append(event)
            apply(event)
        elif kind == "repeat" and posted:
            assert m.post(posted[op[1] % len(posted)]) == []  # an event id seen before changes nothing
        elif kind == "advance":
            target = now + op[1] * HOUR
            if target < now:
                with pytest.raises(ValueError, match="cannot go back"):
                    m.advance(target)
            else:
                m.advance(target)
                now = target
        elif kind == "snapshot":
            before = m.open_items()
            m = Monitor.restore(PACK, m.snapshot(), on_alert=alerts.append)
            assert m.open_items() == before
        elif kind == "garbage":
            before = m.snapshot()
            with pytest.raises(EventError, match=r"^malformed event [g?]: (hazard_found|hazard_reported|event)(\.\w+)?: .* "
                                                 r"\(event types: hazard_found, hazard_reported, .*\)$"):
                m.post(op[1])
            assert m.snapshot() == before
        for a in alerts:
            if a.rule_id == HAZARD and a.kind == "overdue":
                overdue_seen.add((a.subject_id, a.deadline))
            if a.rule_id == HAZARD and a.kind == "resolved_late":
                late_seen.append((a.subject_id, a.deadline))
        alerts.clear()
        # no lost deadline: every open item is held with its deadline, and one past it has been alerted
        held = {i["subject_id"]: i["deadline"] for i in m.open_items() if i["rule_id"] == HAZARD}
        assert held == {item: due.isoformat() for item, due in model.items()}
        assert all((item, due) in overdue_seen for item, due in model.items() if now > due)
        assert sorted(late_seen) == sorted(late_expected)
