"""Schemathesis against the live server: examples generated from its own OpenAPI document (valid and
invalid ones) find no 500, no answer outside the document (status, content type, schema) and none
slower than the server's time limit. Bounded: a few dozen examples an operation. A server where the monitor extra
(durable-rules) does not import answers the monitor's operations with their documented 501 to every valid
request, and the test expects exactly that."""
from __future__ import annotations

import time

import httpx
import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (content_type_conformance, response_schema_conformance,  # noqa: E402
                                 status_code_conformance)

from hongfeng_rules.service.app import create_app  # noqa: E402
from hongfeng_rules.service.config import ServiceConfig  # noqa: E402
from service_server import start, stop  # noqa: E402

REQUEST_SECONDS = 10  # the server's request_seconds: nothing may take longer
EXAMPLES = 40  # per operation and mode (a minute in all on 2 cores)
DOCUMENT = create_app(ServiceConfig()).openapi()  # the same document the live server serves
OPERATIONS = [(method.upper(), path, mode) for path, ops in DOCUMENT["paths"].items() for method, op in ops.items()
              for mode in [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
              if mode == GenerationMode.POSITIVE or op.get("parameters") or op.get("requestBody")]  # something to break
MONITOR_OPERATIONS = [op for op in OPERATIONS if op[1].startswith("/v1/monitor/")]
CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]  # and no 5xx but below


def _live(folder, env=None):
    """The server, its document, its address and whether its monitor answers 501 (the extra does not import)."""
    proc, base = start(folder, env=env, workers=1, request_seconds=REQUEST_SECONDS, max_concurrent=4,
                       monitor={"state_file": "state.json"})
    unavailable = httpx.get(base + "/v1/monitor/open", timeout=30).status_code == 501
    return proc, schemathesis.openapi.from_url(base + "/openapi.json"), base, unavailable


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    proc, *live = _live(tmp_path_factory.mktemp("schemathesis"))
    try:
        yield live
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def without_monitor(tmp_path_factory):
    """The live server where durable-rules does not import (a venv without the monitor extra)."""
    folder = tmp_path_factory.mktemp("no-monitor")
    (folder / "shadow" / "durable").mkdir(parents=True)
    (folder / "shadow" / "durable" / "__init__.py").write_text("raise ImportError('not installed here')\n")
    proc, *live = _live(folder, env={"PYTHONPATH": str(folder / "shadow")})
    assert live[2], "the monitor answered although durable-rules does not import"
    try:
        yield live
    finally:
        stop(proc)


def test_the_monitor_documents_its_501():
    monitor = [op for path, ops in DOCUMENT["paths"].items() if path.startswith("/v1/monitor/") for op in ops.values()]
    assert len(monitor) == 4 and all("501" in op["responses"] for op in monitor)


def test_the_live_document_is_the_one_tested(live):
    schema, *_ = live
    assert schema.raw_schema["paths"].keys() == DOCUMENT["paths"].keys()


@pytest.mark.parametrize("method, path, mode", OPERATIONS,
                         ids=[f"{m} {p} {'valid' if g == GenerationMode.POSITIVE else 'invalid'}" for m, p, g in OPERATIONS])
def test_the_api_keeps_its_document(live, method, path, mode):
    """With the monitor extra installed its operations answer as documented; without it, with their 501."""
    keeps_its_document(*live, method, path, mode)


@pytest.mark.parametrize("method, path, mode", MONITOR_OPERATIONS, ids=[
    f"{m} {p} {'valid' if g == GenerationMode.POSITIVE else 'invalid'}" for m, p, g in MONITOR_OPERATIONS])
def test_without_the_extra_the_monitor_answers_its_documented_501(without_monitor, method, path, mode):
    """Every valid request is a 501 problem (documented for each monitor operation); nothing else is outside the
    document."""
    keeps_its_document(*without_monitor, method, path, mode)


def keeps_its_document(schema, base: str, monitor_unavailable: bool, method: str, path: str, mode) -> None:
    """Examples of the operation (valid or invalid, `mode`) answered within the document and the time limit, and
    never with a 5xx (Schemathesis' `not_a_server_error`) but the monitor's documented 501 where the extra does not
    import, which every valid example of a monitor operation then gets."""
    operation = schema[path][method]
    monitor_501 = monitor_unavailable and path.startswith("/v1/monitor/")
    slow = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        started = time.monotonic()
        response = case.call(base_url=base, timeout=REQUEST_SECONDS + 5)
        elapsed = time.monotonic() - started
        case.validate_response(response, checks=CHECKS)
        unavailable = response.status_code == 501 and \
            response.json()["type"] == "urn:hongfeng-rules:problem:monitor-unavailable"  # its content type checked
        assert response.status_code < 500 or (monitor_501 and unavailable), (case.as_curl_command(), response.text)
        if monitor_501 and mode == GenerationMode.POSITIVE:
            assert unavailable, (case.as_curl_command(), response.text)
        if elapsed > REQUEST_SECONDS:
            slow.append(f"{method} {path}: {elapsed:.1f} s")

    run()
    assert not slow
