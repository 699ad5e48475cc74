"""Schemathesis against the live server: examples generated from its own OpenAPI document (valid and
invalid ones) find no 500, no answer outside the document (status, content type, schema) and none
slower than the server's time limit. Bounded: a few dozen examples an operation. Without the monitor extra
(durable-rules) the monitor's operations answer their documented 501 to every valid request, and the test
expects exactly that."""
from __future__ import annotations

import importlib.util
import time

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import (content_type_conformance, not_a_server_error,  # noqa: E402
                                 response_schema_conformance, status_code_conformance)

from hongfeng_rules.service.app import create_app  # noqa: E402
from hongfeng_rules.service.config import ServiceConfig  # noqa: E402
from service_server import start, stop  # noqa: E402

REQUEST_SECONDS = 10  # the server's request_seconds: nothing may take longer
EXAMPLES = 40  # per operation and mode (a minute in all on 2 cores)
DOCUMENT = create_app(ServiceConfig()).openapi()  # the same document the live server serves
OPERATIONS = [(method.upper(), path, mode) for path, ops in DOCUMENT["paths"].items() for method, op in ops.items()
              for mode in [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
              if mode == GenerationMode.POSITIVE or op.get("parameters") or op.get("requestBody")]  # something to break
MONITOR = importlib.util.find_spec("durable") is not None  # the extra installed: the monitor answers
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    proc, base = start(tmp_path_factory.mktemp("schemathesis"), workers=1, request_seconds=REQUEST_SECONDS,
                       max_concurrent=4, monitor={"state_file": "state.json"})
    try:
        yield schemathesis.openapi.from_url(base + "/openapi.json"), base
    finally:
        stop(proc)


def test_the_monitor_documents_its_501():
    monitor = [op for path, ops in DOCUMENT["paths"].items() if path.startswith("/v1/monitor/") for op in ops.values()]
    assert len(monitor) == 4 and all("501" in op["responses"] for op in monitor)


def test_the_live_document_is_the_one_tested(live):
    schema, _ = live
    assert schema.raw_schema["paths"].keys() == DOCUMENT["paths"].keys()


@pytest.mark.parametrize("method, path, mode", OPERATIONS,
                         ids=[f"{m} {p} {'valid' if g == GenerationMode.POSITIVE else 'invalid'}" for m, p, g in OPERATIONS])
def test_the_api_keeps_its_document(live, method, path, mode):
    schema, base = live
    operation = schema[path][method]
    slow = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        started = time.monotonic()
        response = case.call(base_url=base, timeout=REQUEST_SECONDS + 5)
        elapsed = time.monotonic() - started
        case.validate_response(response, checks=CHECKS)
        if path.startswith("/v1/monitor/") and not MONITOR and mode == GenerationMode.POSITIVE:
            assert response.status_code == 501, (case.as_curl_command(), response.text)
        if elapsed > REQUEST_SECONDS:
            slow.append(f"{method} {path}: {elapsed:.1f} s")

    run()
    assert not slow
