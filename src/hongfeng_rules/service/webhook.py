"""Alerts delivered to the configured webhook: POSTed one by one as JSON, in order, at least once.

A failed delivery (an error, a timeout or a status other than 2xx) is retried after `backoff_seconds`,
doubled each time up to `backoff_max_seconds`, `attempts` times in all; then the alert is given up
(counted, and still readable at GET /v1/monitor/alerts) and the next one goes. The delivered mark is
saved with the monitor's state, so a restart resumes where delivery stood.
"""
from __future__ import annotations

import asyncio
import json
import sys
import urllib.error
import urllib.request

from .config import Webhook


def post(url: str, alert: dict, timeout: float) -> None:
    body = json.dumps({"alert": alert}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", "User-Agent": "hongfeng-rules"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # raises for 4xx/5xx
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, "not 2xx", response.headers, None)


async def deliver(store, hook: Webhook, metrics, wake: asyncio.Event) -> None:
    """Run until cancelled: deliver every alert after the delivered mark, then wait to be woken."""
    while True:
        pending = store.after(store.delivered, 100)
        if not pending:
            wake.clear()
            await wake.wait()
            continue
        for alert in pending:
            delay = hook.backoff_seconds
            for attempt in range(1, hook.attempts + 1):
                try:
                    await asyncio.to_thread(post, hook.url, alert, hook.timeout_seconds)
                    metrics.events["webhook_deliveries"] += 1
                    break
                except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
                    metrics.events["webhook_failures"] += 1
                    if attempt == hook.attempts:
                        metrics.events["webhook_dropped"] += 1
                        print(f"webhook: alert {alert['seq']} given up after {attempt} attempts: {exc}",
                              file=sys.stderr)
                        break
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, hook.backoff_max_seconds)
            await asyncio.to_thread(store.mark_delivered, alert["seq"])
