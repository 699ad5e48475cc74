"""A guarded wrapper around one durable-rules 2.0.28 ruleset.

Guards against the engine's known defects (docs/monitor.md):
* no `durable.lang`/`Host`: the Host dispatches actions on background timer threads and
  registers names globally; here actions run synchronously on the caller's thread;
* every ruleset gets a unique name; only one session (`sid` "0") is ever used (≤ 1024 allowed);
* message identity is the FNV-1a 32-bit hash of `id` with no full comparison: ids are chosen so
  that no two live messages share a hash, and a `MessageObservedException` is raised as
  `EngineError`, never ignored;
* exceptions in actions are swallowed by durable into session state: actions are wrapped and the
  first exception is re-raised after the dispatch.
"""
from __future__ import annotations

import itertools
import uuid
from typing import Any, Callable

from durable.engine import MessageNotHandledException, MessageObservedException, Ruleset

SID = "0"
_NAMES = itertools.count(1)


class EngineError(RuntimeError):
    """The rule engine rejected a message or an action failed."""


def fnv1a32(text: str) -> int:
    """The hash durable-rules uses for message identity (state.c fnv1Hash32, signed char)."""
    h = 0x811C9DC5
    for byte in text.encode():
        h ^= byte if byte < 0x80 else (byte - 256) & 0xFFFFFFFF
        h = (h * 16777619) & 0xFFFFFFFF
    return h


class GuardedRuleset:
    """One durable ruleset with synchronous dispatch, surfaced errors and collision-free ids."""

    def __init__(self, label: str, rules: dict[str, dict], actions: dict[str, Callable[..., None]]):
        self.name = f"hfmon-{uuid.uuid4().hex[:12]}-{next(_NAMES)}-{label}"
        self._errors: list[BaseException] = []
        self._live: dict[int, str] = {}  # hash -> id of every fact in the engine
        self._event_ids = itertools.count(1)
        self.collisions_avoided = 0
        self._session = False  # durable-rules makes the session with the first message; before it, no facts
        definition = {}
        for name, rule in rules.items():
            definition[name] = dict(rule, run=self._wrap(actions[name]))
        self._rs = Ruleset(self.name, None, definition)

    def _wrap(self, action):
        def run(c):
            if self._errors:
                return
            try:
                action(self, c, {k: dict(v) for k, v in c._m.items()} if c._m else {})
            except BaseException as exc:  # durable would swallow it into c.s.exception
                self._errors.append(exc)
        return run

    # identities -------------------------------------------------------------------------
    def reserve(self, mid: str) -> None:
        """Hold `mid`'s hash for one of the monitor's own facts (the clock) before that fact exists, so no
        fact built from event content can take it (`fact_id` salts around it)."""
        self._live[fnv1a32(mid)] = mid

    def fact_id(self, base: str) -> str:
        """`base`, salted if its hash collides with another live fact."""
        mid, n = base, 0
        while self._live.get(fnv1a32(mid), mid) != mid:
            n += 1
            mid = f"{base}~{n}"
            self.collisions_avoided += 1
        return mid

    def _event_id(self) -> str:
        while True:
            mid = f"ev{next(self._event_ids)}"
            if fnv1a32(mid) not in self._live:
                return mid
            self.collisions_avoided += 1

    # messages ---------------------------------------------------------------------------
    def assert_fact(self, fact: dict) -> None:
        fact = dict(fact, sid=SID)
        self._run(self._rs.assert_fact, fact)
        self._live[fnv1a32(fact["id"])] = fact["id"]

    def retract_fact(self, fact: dict) -> None:
        self._run(self._rs.retract_fact, dict(fact, sid=SID))
        self._live.pop(fnv1a32(fact["id"]), None)

    def post(self, event: dict) -> None:
        self._run(self._rs.assert_event, dict(event, id=self._event_id(), sid=SID))

    # inside an action: through the closure, so the engine schedules the consequences
    def c_assert(self, c, fact: dict) -> None:
        fact = dict(fact, sid=SID)
        c.assert_fact(fact)
        self._live[fnv1a32(fact["id"])] = fact["id"]

    def c_retract(self, c, fact: dict) -> None:
        c.retract_fact(dict(fact, sid=SID))
        self._live.pop(fnv1a32(fact["id"]), None)

    def facts(self) -> list[dict]:
        return list(self._rs.get_facts(SID)) if self._session else []

    def pending_events(self) -> list[dict]:
        return self._rs.get_pending_events(SID)

    def _run(self, call, message: dict) -> None:
        self._session = True
        try:
            handle = call(message)
        except MessageObservedException as exc:
            raise EngineError(f"durable-rules rejected a message as already observed (32-bit id hash "
                              f"collision or duplicate): {exc.message}") from None
        except MessageNotHandledException:
            handle = None
        if handle:
            outcome: list[Any] = []
            self._rs.do_actions(handle, lambda e, state: outcome.append(e))
            if outcome and outcome[0] and not self._errors:
                self._errors.append(outcome[0] if isinstance(outcome[0], BaseException) else EngineError(str(outcome[0])))
        if self._errors:
            first, self._errors = self._errors[0], []
            raise EngineError(f"an action of ruleset {self.name} failed: {first!r}") from first
