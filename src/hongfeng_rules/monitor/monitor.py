"""The live deadline monitor: post events as they happen, get alerts before and when deadlines pass."""
from __future__ import annotations

import json
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Callable, Iterator, Literal

from ..derived import status_on
from ..models import COLLECTIONS
from ..rulebook.pack import RulePack
from ..rulebook.spec import fill_message
from ..timecalc import (CalendarUnavailable, WorkCalendar, default_calendar, local_date, supported_instant,
                        time_left)
from .engine import EngineError, GuardedRuleset
from .events import Event, EventError, MemberStatusChanged, parse_event
from .ruleset import DURABLE_RULES, ItemRule, deadline_rules, inactivity_rule, instant, micros
from .snapshot import SNAPSHOT_FORMAT, SnapshotError, read_snapshot

AlertKind = Literal["due_soon", "overdue", "resolved_late"]
CLOCK_ID = "clock"  # the id of the one clock fact of every ruleset
_KIND_ZH = {"due_soon": "即将到期", "overdue": "已逾期", "resolved_late": "逾期办结"}
_KIND_EN = {"due_soon": "due soon", "overdue": "overdue", "resolved_late": "resolved late"}


@dataclass(frozen=True)
class Alert:
    """One alert: which rule, which item, which events, the deadline, and a message in zh and en."""

    kind: AlertKind
    rule_id: str
    clause: str
    strength: str
    subject_kind: str
    subject_id: str
    team_id: str | None
    events: tuple[str, ...]
    deadline: datetime
    at: datetime  # the instant the alert is about (clock, or the late closing event)
    message_zh: str
    message_en: str

    def to_dict(self) -> dict:
        return {**self.__dict__, "events": list(self.events), "deadline": self.deadline.isoformat(),
                "at": self.at.isoformat()}


@dataclass
class _Track:
    """One item rule and its durable ruleset."""

    rule: ItemRule
    engine: GuardedRuleset
    open: dict[str, str] = field(default_factory=dict)  # item -> fact id


class Monitor:
    """Deadline monitor over the deadline rules (and 5.2.7 inactivity rule) of a rule pack.

    `post(event)` and `advance(now)` return the alerts they raised and also hand them to
    `on_alert` (or queue them for `alerts()` when no callback is given). `due_soon` is a share of
    the time allowed (0.75: at three quarters of the window) or a timedelta left before the deadline.
    """

    def __init__(self, pack: RulePack, *, on_alert: Callable[[Alert], None] | None = None,
                 due_soon: float | timedelta = 0.75, calendar: WorkCalendar | None = None,
                 rules_on: date | None = None, inactivity_rule_id: str | None = None,
                 dedup_window: int = 100_000, start: datetime | None = None):
        if isinstance(due_soon, float | int) and not 0 < due_soon <= 1:
            raise ValueError("due_soon as a share must be in (0, 1]")
        self.pack = pack
        self.calendar = calendar or default_calendar()
        self.due_soon = due_soon
        self.on_alert = on_alert
        self.notes: deque[str] = deque(maxlen=1000)  # items that could not be opened, and why
        self._queue: deque[Alert] = deque()
        self._raised: list[Alert] = []
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._dedup_window = dedup_window
        on = rules_on or date.today()
        rules = deadline_rules(pack, on)
        inactive = inactivity_rule(pack, on, inactivity_rule_id)
        self.tracks = [self._track(r) for r in rules + ([inactive] if inactive else [])]
        self.now: datetime | None = None
        if start is not None:
            self.advance(start)

    # public API ------------------------------------------------------------------------
    def post(self, event: Event | dict) -> list[Alert]:
        """Validate and apply one event; a repeated `event_id` is ignored (no duplicate alerts)."""
        ev = parse_event(event)
        if ev.event_id in self._seen:
            return []
        plans = [(t, self._plan(t, ev)) for t in self.tracks]  # everything that can fail on input
        self._remember(ev.event_id)
        for track, plan in plans:
            for step in plan:
                step()
        return self._deliver()

    def advance(self, now: datetime | str) -> list[Alert]:
        """Move the clock to `now` (never backwards; an ISO string is read as Shanghai time). ValueError, and
        nothing changes, if `now` is not an instant, lies outside the supported dates or is before the clock."""
        now = _clock_instant(now)
        if self.now is not None and now < self.now:
            raise ValueError(f"the clock cannot go back from {self.now.isoformat()} to {now.isoformat()}")
        for track in self.tracks:
            if self.now is not None:
                track.engine.retract_fact({"id": CLOCK_ID, "t": "clock", "now": micros(self.now)})
            track.engine.assert_fact({"id": CLOCK_ID, "t": "clock", "now": micros(now)})
        self.now = now
        return self._deliver()

    def alerts(self) -> Iterator[Alert]:
        """Queued alerts (when no `on_alert` callback was given), oldest first."""
        while self._queue:
            yield self._queue.popleft()

    def open_items(self) -> list[dict]:
        """Every open item: rule, subject, deadline, stage (not members judged by no rule today: demoted, exited)."""
        out = []
        for track in self.tracks:
            for fact in track.engine.facts():
                if fact.get("t") == "open" and fact.get("on", True):
                    out.append({"rule_id": track.rule.id, "subject_id": fact["item"], "team_id": fact.get("team"),
                                "deadline": instant(fact["due"]).isoformat(), "stage": fact["stage"],
                                "events": json.loads(fact["events"])})
        return out

    def snapshot(self) -> str:
        """The open items, clock and recent event ids as JSON; `Monitor.restore` resumes from it."""
        rules = {t.rule.id: [{k: v for k, v in f.items() if k != "sid"} for f in t.engine.facts() if f.get("t") == "open"]
                 for t in self.tracks}
        return json.dumps({"format": SNAPSHOT_FORMAT, "pack": self.pack.name, "pack_version": self.pack.manifest.version,
                           "now": self.now.isoformat() if self.now else None, "seen": list(self._seen),
                           "rules": rules}, ensure_ascii=False)

    @classmethod
    def restore(cls, pack: RulePack, snapshot: str, **options) -> "Monitor":
        """A new monitor holding the snapshot's open items and clock (alerts already raised are not repeated).

        SnapshotError (a ValueError) names what is wrong when `snapshot` is not a whole snapshot of this
        format: not JSON, another format, a missing or mistyped field, an instant out of range."""
        data = read_snapshot(snapshot)
        monitor = cls(pack, **options)
        known = {t.rule.id: t for t in monitor.tracks}
        unknown = sorted(set(data.rules) - set(known))
        if unknown:
            raise SnapshotError(f"damaged monitor snapshot: it has open items of rules this pack does not monitor: "
                                f"{unknown}")
        for rule_id, facts in data.rules.items():
            track = known[rule_id]
            for fact in facts:
                if fact.item in track.open:
                    raise SnapshotError(f"damaged monitor snapshot: rules.{rule_id}: item {fact.item!r} is open twice")
                monitor._open(track, fact.model_dump())  # ids are made afresh: a snapshot's own are not trusted
        for event_id in data.seen:
            monitor._remember(event_id)
        if data.now:
            monitor.advance(data.now)
        return monitor

    # planning: validate and compute everything first, then touch the engines -----------
    def _plan(self, track: _Track, ev: Event) -> list[Callable[[], None]]:
        rule, engine, steps = track.rule, track.engine, []
        if rule.kind == "inactivity":
            active_at = micros(ev.active_at())
            for member in ev.actors():
                steps.append(lambda m=member: engine.post({"t": "activity", "item": m, "at": active_at,
                                                           "team": getattr(ev, "team_id", ""), "ev": ev.event_id}))
            if isinstance(ev, MemberStatusChanged):
                on = status_on(ev, local_date(ev.at)) == "active"  # the audit's reading of status_since
                steps.append(lambda: engine.post({"t": "status", "item": ev.member_id, "on": on,
                                                  "at": micros(ev.at), "ev": ev.event_id}))
            return steps
        if rule.opens(ev) and rule.applies(ev, self.calendar):
            item = ev.record_id()
            try:
                due = rule.due(ev.at, self.calendar)
            except CalendarUnavailable as exc:
                self.notes.append(f"{rule.id} {item}: not assessable: {exc.message}")
                due = None
            if due is not None:
                fact = self._open_fact(item, getattr(ev, "team_id", None), ev.at, due, [ev.event_id])
                steps.append(lambda: self._open(track, fact))
        if rule.extends(ev):
            s = ev.sets()
            n, r, u = rule.extension
            steps.append(lambda: engine.post({"t": "extend", "item": ev.record_id(), "at": micros(s[n]),
                                              "reason": s[r] or "", "until": micros(s[u]) if s[u] else None,
                                              "ev": ev.event_id}))
        item = rule.closes(ev)
        if item is not None:
            steps.append(lambda: engine.post({"t": "end", "item": item, "at": micros(ev.at), "ev": ev.event_id}))
        return steps

    def _open(self, track: _Track, fact: dict) -> None:
        if fact["item"] in track.open:
            return  # already open: the first start counts
        fact["id"] = track.engine.fact_id("o:" + fact["item"])
        track.engine.assert_fact(fact)
        track.open[fact["item"]] = fact["id"]

    def _open_fact(self, item: str, team, start: datetime, due: datetime, events: list[str], on: bool = True) -> dict:
        """An open item; `orig` keeps the due instant before any extension; `on`: judged now (a member active)."""
        return {"t": "open", "item": item, "team": team, "start": micros(start), "due": micros(due),
                "orig": micros(due), "warn": micros(self._warn_at(start, due)), "stage": "open", "on": on,
                "events": json.dumps(events, ensure_ascii=False)}

    def _warn_at(self, start: datetime, due: datetime) -> datetime:
        if isinstance(self.due_soon, timedelta):
            return max(start, due - self.due_soon)
        return start + (due - start) * self.due_soon

    # durable actions ----------------------------------------------------------------------
    def _track(self, rule: ItemRule) -> _Track:
        track: _Track

        def close(engine, c, o, e):
            """Retract an open item; an end after its due instant is still reported, as resolved late (while judged)."""
            engine.c_retract(c, o)
            if e["at"] > o["due"] and o.get("on", True):
                self._alert("resolved_late", track, o, instant(e["at"]), extra=[e["ev"]])

        def resolve(engine, c, m):
            close(engine, c, m["o"], m["e"])
            track.open.pop(m["o"]["item"], None)

        def extend(engine, c, m):
            o, x = m["o"], m["x"]
            original = instant(o["orig"])
            due, note = rule.extended(original, instant(x["at"]), x["reason"],
                                      instant(x["until"]) if x.get("until") is not None else None)
            events = json.loads(o["events"]) + [x["ev"]]
            engine.c_retract(c, o)
            new = dict(o, events=json.dumps(events, ensure_ascii=False))
            if micros(due) != o["due"]:
                new.update(due=micros(due), warn=micros(self._warn_at(instant(o["start"]), due)), stage="open")
            engine.c_assert(c, new)

        def renew(engine, c, m):
            if m["a"]["at"] <= m["o"]["start"]:
                return  # an earlier activity told late: the latest one counts, as in @last_active_at
            close(engine, c, m["o"], m["a"])
            first_activity(engine, c, m, on=m["o"].get("on", True))

        def first_activity(engine, c, m, on=True):
            a = m["a"]
            at = instant(a["at"])
            fact = self._open_fact(a["item"], a.get("team"), at, rule.due(at, self.calendar), [a["ev"]], on)
            fact["id"] = engine.fact_id("o:" + a["item"])
            engine.c_assert(c, fact)
            track.open[a["item"]] = fact["id"]

        def restatus(engine, c, m):
            """Demoted or exited: no longer judged (late if already overdue: the mechanism 5.2.7 asks for, applied
            late); active again: judged afresh from the same last activity, warned and overdue as it stands."""
            o, s = m["o"], m["s"]
            if s["on"] == o.get("on", True):
                return
            engine.c_retract(c, o)
            if not s["on"] and s["at"] > o["due"]:
                self._alert("resolved_late", track, o, instant(s["at"]), extra=[s["ev"]])
            events = json.loads(o["events"]) + [s["ev"]]
            engine.c_assert(c, dict(o, on=s["on"], stage="open", events=json.dumps(events, ensure_ascii=False)))

        def orphan_status(engine, c, m):
            self.notes.append(f"{rule.id} {m['s']['item']}: a status change of a member the monitor does not know "
                              "(post member_joined first): ignored")

        def due_soon(engine, c, m):
            o, k = m["o"], m["k"]
            engine.c_retract(c, o)
            engine.c_assert(c, dict(o, stage="warned"))
            if k["now"] <= o["due"]:
                self._alert("due_soon", track, o, instant(k["now"]))

        def overdue(engine, c, m):
            o, k = m["o"], m["k"]
            engine.c_retract(c, o)
            engine.c_assert(c, dict(o, stage="overdue"))
            self._alert("overdue", track, o, instant(k["now"]))

        def ignore(engine, c, m):
            pass

        actions = {"resolve": resolve, "extend": extend, "renew": renew, "first_activity": first_activity,
                   "due_soon": due_soon, "overdue": overdue, "orphan_end": ignore, "orphan_extend": ignore,
                   "restatus": restatus, "orphan_status": orphan_status}
        track = _Track(rule, GuardedRuleset(rule.id, DURABLE_RULES, actions))
        track.engine.reserve(CLOCK_ID)  # before any event: no open item's id may hash like the clock
        return track

    def _alert(self, kind: AlertKind, track: _Track, o: dict, at: datetime, extra: list[str] = ()) -> None:
        spec = track.rule.compiled.rule
        due = instant(o["due"])
        subject_kind = COLLECTIONS[track.rule.collection].kind
        item = o["item"]
        when = due.isoformat(timespec="seconds")
        if kind == "due_soon":
            left = time_left(due, at).total_seconds() / 3600
            zh = f"{spec.title.zh}：{item} 将于 {when} 到期（剩余 {left:.1f} 小时）"
            en = f"{spec.title.en}: {subject_kind} {item} is due at {when} ({left:.1f} h left)"
        else:
            values = {"measured": at.isoformat() if kind == "resolved_late" else f"none by {at.isoformat()}",
                      "expected": f"by {due.isoformat()}", "due": due.isoformat(), "subject": item,
                      "evidence": item, "count": 1, "note": ""}
            zh = f"{_KIND_ZH[kind]}：{item}：" + fill_message(spec.message.zh, values)
            en = f"{_KIND_EN[kind]}: {subject_kind} {item}: " + fill_message(spec.message.en, values)
        self._raised.append(Alert(kind, spec.id, spec.clause, spec.strength, subject_kind, item, o.get("team"),
                                  tuple(json.loads(o["events"])) + tuple(extra), due, at, zh, en))

    def _deliver(self) -> list[Alert]:
        raised, self._raised = self._raised, []
        for alert in raised:
            if self.on_alert:
                self.on_alert(alert)
            else:
                self._queue.append(alert)
        return raised

    def _remember(self, event_id: str) -> None:
        self._seen[event_id] = None
        if len(self._seen) > self._dedup_window:
            self._seen.popitem(last=False)


def _clock_instant(now) -> datetime:
    """The clock's new instant, or ValueError."""
    try:
        value = datetime.fromisoformat(now) if isinstance(now, str) else now
    except ValueError as exc:
        raise ValueError(f"not an instant: {now!r} ({exc})") from None
    if not isinstance(value, datetime):
        raise ValueError(f"the clock needs a datetime or ISO 8601 text, not {type(now).__name__}")
    return supported_instant(value)


__all__ = ["Monitor", "Alert", "EventError", "EngineError", "SnapshotError"]
