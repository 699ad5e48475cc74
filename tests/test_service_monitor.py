"""The live monitor through the HTTP service: events, clock, open items, alerts, webhook, restarts."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest

from service_server import running, start, stop

HAZARDS = [{"type": "hazard_found", "event_id": f"e{i}", "at": f"2026-03-02T{8 + i:02d}:00:00",
            "hazard_id": f"h{i}", "team_id": "t1", "major": True} for i in range(4)]
REPORTED = {"type": "hazard_reported", "event_id": "r1", "at": "2026-03-02T12:00:00", "hazard_id": "h1"}


def test_without_the_extra_the_routes_say_so(tmp_path):
    fake = tmp_path / "shadow" / "durable"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('durable-rules is not installed here')\n")
    with running(tmp_path, env={"PYTHONPATH": str(fake.parent)}) as c:
        for r in (c.get("/v1/monitor/open"), c.post("/v1/monitor/events", json=HAZARDS[0]),
                  c.post("/v1/monitor/events", json=[]), c.post("/v1/monitor/events", json=HAZARDS),
                  c.post("/v1/monitor/events", content=b"[", headers={"content-type": "application/json"}),
                  c.post("/v1/monitor/clock", json={"now": "2026-03-02T09:00:00"}), c.get("/v1/monitor/alerts")):
            assert r.status_code == 501 and r.headers["content-type"] == "application/problem+json"
            assert r.json()["type"] == "urn:hongfeng-rules:problem:monitor-unavailable"
            assert 'pip install "hongfeng-rules[monitor]"' in r.json()["detail"]
        assert c.post("/v1/audit", json={"teams": []}).status_code in (200, 422)  # the rest works
    with running(tmp_path, monitor={"enabled": False}) as c:
        assert "monitor.enabled" in c.get("/v1/monitor/open").json()["detail"]


durable = pytest.importorskip("durable")


def test_events_one_or_a_batch_clock_open_and_alerts(tmp_path):
    with running(tmp_path) as c:
        r = c.post("/v1/monitor/events", json=HAZARDS[0])
        assert r.status_code == 200 and r.json() == {"accepted": 1, "alerts": []}
        assert c.post("/v1/monitor/events", json=HAZARDS[1:] + [REPORTED]).json()["accepted"] == 4
        opened = c.get("/v1/monitor/open").json()["items"]
        assert sorted(i["subject_id"] for i in opened) == ["h0", "h2", "h3"]
        bad = c.post("/v1/monitor/events", json=[{**HAZARDS[0], "event_id": "x9", "hazard_id": "h9"},
                                                 {"type": "hazard_found", "event_id": "x10"}])
        assert bad.status_code == 422 and bad.json()["problems"][0]["record"] == "events[1]"
        assert c.get("/v1/monitor/open").json()["items"] == opened  # the batch is checked whole first
        alerts = c.post("/v1/monitor/clock", json={"now": "2026-03-03T08:30:00"}).json()["alerts"]
        assert [(a["kind"], a["subject_id"]) for a in alerts] == [  # 24 h; due soon at 18 h; by deadline
            ("overdue", "h0"), ("due_soon", "h2"), ("due_soon", "h3")]
        back = c.post("/v1/monitor/clock", json={"now": "2026-03-01T00:00:00"})
        assert back.status_code == 422 and "cannot go back" in back.json()["detail"]
        listed = c.get("/v1/monitor/alerts").json()["alerts"]
        assert [a["seq"] for a in listed] == [1, 2, 3] and listed[0]["rule_id"] == "hf-6.2.3-major-hazard-report"
        assert [a["seq"] for a in c.get("/v1/monitor/alerts", params={"after": 2}).json()["alerts"]] == [3]
        assert "hongfeng_monitor_open_items 3" in c.get("/metrics").text
        for body in (b"{", b"[1, 2]", b'{"now": 3}'):
            assert c.post("/v1/monitor/events", content=body, headers={"content-type": "application/json"}
                          ).status_code == 422


class _Hook(BaseHTTPRequestHandler):
    received: list = []
    fail_first = 2

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        if _Hook.fail_first > 0:
            _Hook.fail_first -= 1
            self.send_response(500)
        else:
            _Hook.received.append(body["alert"])
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_alerts_reach_the_webhook_after_retries(tmp_path):
    hook = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{hook.server_address[1]}/alerts"
    try:
        with running(tmp_path, monitor={"webhook": {"url": url, "backoff_seconds": 0.05, "attempts": 5}}) as c:
            c.post("/v1/monitor/events", json=HAZARDS[:2])
            c.post("/v1/monitor/clock", json={"now": "2026-03-04T00:00:00"})
            deadline = time.monotonic() + 20
            while len(_Hook.received) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert [a["subject_id"] for a in _Hook.received] == ["h0", "h1"]
            assert [a["seq"] for a in _Hook.received] == [1, 2]
            metrics = c.get("/metrics").text
            assert "hongfeng_webhook_failures_total 2" in metrics and "hongfeng_webhook_deliveries_total 2" in metrics
    finally:
        hook.shutdown()


def _session(base: str, steps) -> None:
    with httpx.Client(base_url=base, timeout=30) as c:
        for path, body in steps:
            assert c.post(path, json=body).status_code == 200


def _state(base: str) -> tuple:
    with httpx.Client(base_url=base, timeout=30) as c:
        return c.get("/v1/monitor/open").json(), c.get("/v1/monitor/alerts").json()


FIRST = [("/v1/monitor/events", HAZARDS), ("/v1/monitor/clock", {"now": "2026-03-02T20:00:00"})]
THEN = [("/v1/monitor/events", [REPORTED, HAZARDS[0]]),  # HAZARDS[0] again: a duplicate, ignored
        ("/v1/monitor/clock", {"now": "2026-03-03T09:30:00"}),
        ("/v1/monitor/events", {**REPORTED, "event_id": "r0", "hazard_id": "h0", "at": "2026-03-03T10:00:00"})]  # late


@pytest.mark.parametrize("how", ["kill -9", "SIGTERM"])
def test_a_restart_loses_nothing(tmp_path, how):
    (tmp_path / "control").mkdir()
    (tmp_path / "restarted").mkdir()
    monitor = {"state_file": "monitor-state.json", "snapshot_seconds": 3600}
    control, control_base = start(tmp_path / "control", monitor=monitor)
    proc, base = start(tmp_path / "restarted", monitor=monitor)
    try:
        _session(control_base, FIRST + THEN)
        _session(base, FIRST)
        assert _state(base)[0]["items"]  # open items at the moment of the kill
        if how == "kill -9":
            proc.kill()
            proc.wait()
            proc.stdout.close()
            proc.stderr.close()
        else:
            assert stop(proc) in (0, -15)  # uvicorn re-raises SIGTERM after its graceful shutdown
        proc, base = start(tmp_path / "restarted", monitor=monitor)
        _session(base, THEN)
        assert _state(base) == _state(control_base)
        open_items, alerts = _state(base)
        assert sorted((i["subject_id"], i["stage"]) for i in open_items["items"]) == [("h2", "warned"), ("h3", "warned")]
        assert [(a["kind"], a["subject_id"]) for a in alerts["alerts"]] == [
            ("overdue", "h0"), ("due_soon", "h2"), ("due_soon", "h3"), ("resolved_late", "h0")]
    finally:
        stop(proc)
        stop(control)
