"""The monitor's durable state: its snapshot, the alerts raised (numbered) and how far the webhook got.

Written atomically (`output.write_atomic`) after every change, before the change is acknowledged, so a
server killed at any instant restarts with everything it had answered for; restored on start.
"""
from __future__ import annotations

import json
import threading
from collections import deque
from pathlib import Path

from ..errors import fail
from ..output import write_atomic

FORMAT = "hongfeng-service-monitor/1"


class MonitorStore:
    """One monitor with its alert log; every method holds the lock (the monitor is not thread-safe)."""

    def __init__(self, monitor_class, pack, path: str | None, keep: int, **options):
        self.lock = threading.Lock()
        self.path = Path(path) if path else None
        self.alerts: deque[dict] = deque(maxlen=keep)
        self.next_seq, self.delivered = 1, 0
        saved = self._read()
        if saved:
            self.monitor = monitor_class.restore(pack, json.dumps(saved["monitor"]), **options)
            self.alerts.extend(saved["alerts"])
            self.next_seq, self.delivered = saved["next_seq"], saved["delivered"]
        else:
            self.monitor = monitor_class(pack, **options)

    def _read(self) -> dict | None:
        if self.path is None or not self.path.exists():
            return None
        try:
            saved = json.loads(self.path.read_text(encoding="utf-8"))
            if saved.get("format") != FORMAT:
                raise ValueError(f"format {saved.get('format')!r}, expected {FORMAT}")
            return saved
        except (ValueError, OSError, AttributeError) as exc:
            raise fail(str(self.path), f"not a monitor state file this service can restore: {exc}") from None

    def change(self, apply) -> list[dict]:
        """Run `apply(monitor)` (it returns the alerts raised), number the alerts, save, and return them.
        Alerts of one change are numbered by instant, deadline, rule and subject (the engine's own order
        of simultaneous alerts differs between a process and its restored successor)."""
        with self.lock:
            raised = sorted(apply(self.monitor), key=lambda a: (a.at, a.deadline, a.rule_id, a.subject_id, a.kind))
            raised = [dict(a.to_dict(), seq=self._seq()) for a in raised]
            self.alerts.extend(raised)
            self.save_locked()
            return raised

    def _seq(self) -> int:
        self.next_seq += 1
        return self.next_seq - 1

    def read(self, look):
        with self.lock:
            return look(self.monitor)

    def after(self, seq: int, limit: int) -> list[dict]:
        with self.lock:
            return [a for a in self.alerts if a["seq"] > seq][:limit]

    def mark_delivered(self, seq: int) -> None:
        with self.lock:
            self.delivered = max(self.delivered, seq)
            self.save_locked()

    def save(self) -> None:
        with self.lock:
            self.save_locked()

    def save_locked(self) -> None:
        if self.path is None:
            return
        state = {"format": FORMAT, "monitor": json.loads(self.monitor.snapshot()), "alerts": list(self.alerts),
                 "next_seq": self.next_seq, "delivered": self.delivered}
        write_atomic(self.path, json.dumps(state, ensure_ascii=False))
