"""The FastAPI application: routes, limits, problems for every error, metrics and the access log."""
from __future__ import annotations

import sys
import time
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import PlainTextResponse
from starlette.exceptions import HTTPException

from pydantic import TypeAdapter

from .. import __version__
from ..errors import InputError, Problem
from ..models import Dataset
from ..monitor.events import AnyEvent
from ..report.model import ComplianceReport
from ..rulebook.locate import load_packs
from ..sources import load_mapping
from . import audit_routes, catalog_routes, monitor_routes
from .accesslog import AccessLog
from .auth import client_of
from .config import ServiceConfig
from .limits import AtWork, Busy, Limits, TooLarge, busy
from .metrics import Metrics
from .problems import Refused, input_problem, problem
from .workers import NoWorkers, Pool


class State:
    """What the routes share: config, packs, worker pool, metrics, log, monitor."""

    def __init__(self, config: ServiceConfig):
        self.config = config
        self.catalog = {p.name: p for p in load_packs(config.packs)}
        for path in config.mappings.values():
            load_mapping(path)  # a bad mapping stops the start, with its problems
        self.metrics = Metrics()
        self.log = AccessLog(config.access_log)
        self.pool: Pool | None = None
        self.monitor = monitor_routes.MonitorService(config.monitor, self.catalog, self.metrics)
        self.ready = False

    def log_internal(self, request: Request, text: str) -> None:
        """A bug's traceback goes to the server's standard error, never to the client."""
        print(f"internal error on {request.method} {request.url.path}:\n{text}", file=sys.stderr)


def create_app(config: ServiceConfig) -> FastAPI:
    state = State(config)
    at_work = AtWork()

    @asynccontextmanager
    async def lifespan(app):
        state.pool = Pool(config.workers, config.max_concurrent, config.packs, config.max_body_bytes,
                          config.max_records, config.mappings, config.default_packs, max_batch=config.max_batch,
                          gather_seconds=config.gather_seconds, at_work=at_work,
                          batches=state.metrics.batches)
        await state.pool.start()
        await state.monitor.start()
        state.ready = True
        try:
            yield
        finally:
            state.ready = False
            await state.monitor.stop()
            await state.pool.close()
            state.log.close()

    app = FastAPI(title="hongfeng-rules", version=__version__, lifespan=lifespan,
                  description="The Hongfeng volunteer-police standard as checkable policy, over HTTP. "
                              "Errors are RFC 9457 problem details (application/problem+json).")
    app.state.hf = state

    def auth(scope: str):
        async def check(request: Request) -> None:  # async: a sync dependency would cost a thread hand-off
            request.state.client = client_of(request.headers.get("authorization"), config.api_keys, scope)
        return check

    app.include_router(audit_routes.router(state, auth))
    app.include_router(catalog_routes.router(state.catalog, auth))
    app.include_router(monitor_routes.router(state.monitor, auth))

    @app.get("/healthz", tags=["operations"], summary="The process answers")
    def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], summary="Ready for work (workers started, monitor restored)",
             responses={503: {"description": "not ready"}})
    def readyz():
        if not state.ready:
            return problem(503, "starting or stopping", slug="busy")
        if not state.pool.live:
            return problem(503, NoWorkers.REASON, slug="unavailable")
        return {"status": "ready"}

    @app.get("/metrics", tags=["operations"], summary="Prometheus text format",
             response_class=PlainTextResponse, dependencies=[Depends(auth("metrics"))])
    def metrics():
        return PlainTextResponse(state.metrics.text(), media_type="text/plain; version=0.0.4; charset=utf-8")

    state.metrics.gauges["audit_jobs_outstanding"] = lambda: state.pool.outstanding if state.pool else 0

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError):
        return input_problem(exc, request.url.path)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused):
        return problem(exc.status, exc.detail, instance=request.url.path, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError):
        problems = [Problem(str(e["loc"][0]) if e["loc"] else "request", e["msg"],
                            field=".".join(str(x) for x in e["loc"][1:]) or None) for e in exc.errors()]
        return input_problem(InputError(problems), request.url.path)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return problem(exc.status_code, str(exc.detail), instance=request.url.path, headers=exc.headers)

    @app.exception_handler(TooLarge)
    async def too_large(request: Request, exc: TooLarge):
        return problem(413, str(exc), instance=request.url.path)

    @app.exception_handler(Busy)
    async def no_room(request: Request, exc: Busy):
        return busy(request.url.path)

    @app.exception_handler(NoWorkers)
    async def no_workers(request: Request, exc: NoWorkers):
        return problem(503, NoWorkers.REASON, slug="unavailable", instance=request.url.path, headers={"Retry-After": "5"})

    @app.exception_handler(audit_routes.Unsupported)
    async def unsupported(request: Request, exc: audit_routes.Unsupported):
        return problem(415, str(exc), instance=request.url.path)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception):
        import traceback
        state.log_internal(request, traceback.format_exc())
        return problem(500, f"internal error: {type(exc).__name__}", instance=request.url.path)

    state.metrics.gauges["requests_at_work"] = lambda: at_work.count
    app.add_middleware(Limits, max_body_bytes=config.max_body_bytes, max_concurrent=config.max_concurrent,
                       request_seconds=config.request_seconds, at_work=at_work)
    app.add_middleware(Observe, state=state)
    app.openapi = lambda: _openapi(app)
    return app


class Observe:
    """Every answer counted in the metrics and written to the access log (outermost, so 413/429 too)."""

    def __init__(self, app, state: State):
        self.app, self.state = app, state

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        seen = {"status": 500, "bytes": 0}

        async def watched(message):
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message["type"] == "http.response.body":
                seen["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            seconds = time.perf_counter() - start
            route = getattr(scope.get("route"), "path", "unmatched")
            self.state.metrics.observe(route, scope["method"], seen["status"], seconds)
            client = scope.get("client")
            self.state.log.write(client=client[0] if client else None, method=scope["method"], route=route,
                                 status=seen["status"], bytes=seen["bytes"], ms=round(seconds * 1000, 1),
                                 key=scope.get("state", {}).get("client"))


def _openapi(app: FastAPI) -> dict:
    """FastAPI's document, with the dataset's and report's schemas as components and bearer auth."""
    if app.openapi_schema:
        return app.openapi_schema
    doc = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name, adapter in (("Dataset", TypeAdapter(Dataset)), ("ComplianceReport", TypeAdapter(ComplianceReport)),
                          ("MonitorEvent", TypeAdapter(AnyEvent))):
        schema = adapter.json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[name] = schema
    components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
    doc["security"] = [{}, {"bearer": []}]
    app.openapi_schema = doc
    return doc
