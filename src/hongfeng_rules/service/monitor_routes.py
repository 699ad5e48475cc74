"""The live monitor as a service: events in (one or a batch), the clock, open items and alerts out.

Only with the `monitor` extra (durable-rules) and `monitor.enabled`; otherwise every route answers a
501 problem saying why. Every change is saved before it is acknowledged (`monitor_store`); with
`clock: wall` the server moves the monitor's clock to the wall clock every `snapshot_seconds`.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from datetime import datetime

from fastapi import APIRouter, Depends, Query, Request

from ..errors import InputError, Problem
from ..safe_load import DEFAULT_LIMITS, read_text_document
from ..timecalc import supported_instant
from . import webhook
from .config import MonitorConfig
from .monitor_store import MonitorStore
from .problems import Refused, responses

ERRORS = responses(401, 403, 413, 422, 429, 501, 503)
_ALERT = {"type": "object", "required": ["seq", "kind", "rule_id", "subject_id", "deadline", "at"],
          "properties": {"seq": {"type": "integer"}, "kind": {"enum": ["due_soon", "overdue", "resolved_late"]},
                         "rule_id": {"type": "string"}, "clause": {"type": "string"},
                         "strength": {"type": "string"}, "subject_kind": {"type": "string"},
                         "subject_id": {"type": "string"}, "team_id": {"type": ["string", "null"]},
                         "events": {"type": "array", "items": {"type": "string"}},
                         "deadline": {"type": "string"}, "at": {"type": "string"},
                         "message_zh": {"type": "string"}, "message_en": {"type": "string"}}}
_ALERTS = {"type": "object", "required": ["alerts"], "properties": {"alerts": {"type": "array", "items": _ALERT},
                                                                      "accepted": {"type": "integer"},
                                                                      "now": {"type": ["string", "null"]}}}


class MonitorService:
    def __init__(self, config: MonitorConfig, catalog: dict, metrics):
        self.config, self.catalog, self.metrics = config, catalog, metrics
        self.store: MonitorStore | None = None
        self.unavailable = "the live monitor is disabled in the service config (monitor.enabled)"
        self.tasks: list[asyncio.Task] = []
        self.wake = asyncio.Event()
        if config.enabled and config.pack not in catalog:
            raise InputError([Problem("service config", f"the monitor's pack {config.pack!r} is not among packs "
                                                        f"{sorted(catalog)}", field="monitor.pack")])

    async def start(self) -> None:
        if not self.config.enabled:
            return
        try:
            from ..monitor import Monitor
        except ImportError as exc:
            self.unavailable = str(exc)
            return
        self.store = await asyncio.to_thread(MonitorStore, Monitor, self.catalog[self.config.pack],
                                             self.config.state_file, self.config.alerts_kept,
                                             due_soon=self.config.due_soon)
        self.metrics.gauges["monitor_open_items"] = lambda: self.store.read(lambda m: len(m.open_items()))
        self.tasks.append(asyncio.create_task(self._tick()))
        if self.config.webhook:
            self.tasks.append(asyncio.create_task(webhook.deliver(self.store, self.config.webhook, self.metrics,
                                                                  self.wake)))
            self.wake.set()

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.store:
            await asyncio.to_thread(self.store.save)

    async def _tick(self) -> None:
        """Every snapshot_seconds: move a wall clock, and save."""
        while True:
            await asyncio.sleep(self.config.snapshot_seconds)
            if self.config.clock == "wall":
                await self.change(lambda m: m.advance(datetime.now().astimezone()))
            else:
                await asyncio.to_thread(self.store.save)

    def ready(self) -> MonitorStore:
        if self.store is None:
            raise Refused(501, self.unavailable)
        return self.store

    async def change(self, apply) -> list[dict]:
        raised = await asyncio.to_thread(self.ready().change, apply)
        self.metrics.events["monitor_alerts"] += len(raised)
        if raised:
            self.wake.set()
        return raised


async def _json_body(request: Request, limit_records: int = 100_000):
    raw = await request.body()
    limits = dataclasses.replace(DEFAULT_LIMITS, max_file_bytes=len(raw) + 1, max_records=limit_records)
    return read_text_document(raw, "request body", "json", limits).data


def router(service: MonitorService, auth) -> APIRouter:
    from ..monitor.events import EventError, parse_event

    r = APIRouter(tags=["monitor"], dependencies=[Depends(auth("monitor"))])
    event_body = {"required": True, "content": {"application/json": {"schema": {"oneOf": [
        {"$ref": "#/components/schemas/MonitorEvent"},
        {"type": "array", "items": {"$ref": "#/components/schemas/MonitorEvent"}, "maxItems": 10_000}]}}}}
    ok = {200: {"description": "the alerts raised", "content": {"application/json": {"schema": _ALERTS}}}}

    @r.post("/v1/monitor/events", summary="Post one event or a batch (checked whole before any is applied)",
            responses={**ok, **ERRORS}, openapi_extra={"requestBody": event_body})
    async def events(request: Request):
        service.ready()
        data = await _json_body(request)
        items = data if isinstance(data, list) else [data]
        parsed, problems = [], []
        for i, item in enumerate(items):
            try:
                parsed.append(parse_event(item))
            except EventError as exc:
                problems.append(Problem("request body", str(exc), record=f"events[{i}]"))
        if problems:
            raise InputError(problems)

        def apply(monitor):
            return [a for ev in parsed for a in monitor.post(ev)]

        raised = await service.change(apply)
        service.metrics.events["monitor_events"] += len(parsed)
        return {"accepted": len(parsed), "alerts": raised}

    @r.post("/v1/monitor/clock", summary="Move the monitor's clock to `now` (never backwards)",
            responses={**ok, **ERRORS}, openapi_extra={"requestBody": {"required": True, "content": {
                "application/json": {"schema": {"type": "object", "required": ["now"],
                                                "properties": {"now": {"type": "string", "format": "date-time"}}}}}}})
    async def clock(request: Request):
        service.ready()
        data = await _json_body(request)
        try:
            now = supported_instant(datetime.fromisoformat(data["now"]))  # the monitor's range (1900..2199)
        except (TypeError, KeyError, ValueError) as exc:
            raise InputError([Problem("request body", f"expected {{\"now\": ISO date-time}}: {exc}",
                                      field="now")]) from None

        def apply(monitor):
            if monitor.now is not None and now < monitor.now:
                raise InputError([Problem("request body", f"the clock cannot go back from {monitor.now.isoformat()}"
                                                          f" to {now.isoformat()}", field="now")])
            return monitor.advance(now)

        return {"now": now.isoformat(), "alerts": await service.change(apply)}

    @r.get("/v1/monitor/open", summary="Every open item: rule, subject, deadline, stage",
           responses={200: {"description": "open items", "content": {"application/json": {"schema": {
               "type": "object", "required": ["items"], "properties": {
                   "now": {"type": ["string", "null"]}, "items": {"type": "array", "items": {"type": "object"}}}}}}},
               **ERRORS})
    def open_items():
        return service.ready().read(lambda m: {"now": m.now.isoformat() if m.now else None,
                                               "items": m.open_items()})

    @r.get("/v1/monitor/alerts", summary="Alerts raised after `after` (their seq), oldest first",
           responses={**ok, **ERRORS})
    def alerts(after: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=10_000)):
        return {"alerts": service.ready().after(after, limit)}

    return r
