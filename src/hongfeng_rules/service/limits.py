"""Request limits, as one ASGI middleware: body size (413), requests at work (429 with Retry-After)
and the time a request may take (503). Health, readiness and metrics are never limited."""
from __future__ import annotations

import asyncio

from .problems import problem

UNLIMITED = ("/healthz", "/readyz", "/metrics")


class TooLarge(Exception):
    """The body grew past the limit while it was read (no or a false Content-Length)."""

    def __init__(self, limit: int):
        super().__init__(f"the request body is larger than {limit} bytes (max_body_bytes)")


class Busy(Exception):
    """No room for more work now."""


class AtWork:
    """How many requests are at work now (read by /metrics)."""

    count = 0


class Limits:
    def __init__(self, app, *, max_body_bytes: int, max_concurrent: int, request_seconds: float, at_work: AtWork):
        self.app, self.max_body, self.max_concurrent, self.seconds = app, max_body_bytes, max_concurrent, request_seconds
        self.work = at_work

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in UNLIMITED:
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            return await problem(413, str(TooLarge(self.max_body)), instance=scope["path"])(scope, receive, send)
        if self.work.count >= self.max_concurrent:
            return await busy(scope["path"])(scope, receive, send)
        self.work.count += 1
        started = False
        seen = 0

        async def counted_receive():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise TooLarge(self.max_body)
            return message

        async def watched_send(message):
            nonlocal started
            started = True
            await send(message)

        try:
            await asyncio.wait_for(self.app(scope, counted_receive, watched_send), self.seconds)
        except asyncio.TimeoutError:
            if not started:
                await problem(503, f"the request took longer than {self.seconds:g} s (request_seconds)",
                              slug="timeout", instance=scope["path"], headers={"Retry-After": "1"})(scope, receive, send)
        finally:
            self.work.count -= 1


def busy(path: str | None = None):
    return problem(429, "too many requests at work; retry after the time in Retry-After", instance=path,
                   headers={"Retry-After": "1"})
