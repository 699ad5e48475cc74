"""Under CI=true a missing prerequisite (../shared, Chromium, durable-rules, PostgreSQL, an optional package) fails
the run instead of skipping silently (issue 16): a skipped test, or a test module skipped while it is collected
(`pytest.importorskip` at module level), is reported as failed, with its reason. A skip that is about the machine,
not a missing prerequisite, says so with a reason containing "not applicable here"."""
from __future__ import annotations

import os

import pytest

NOT_APPLICABLE = "not applicable here"


def ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _fail_a_skip(report) -> None:
    if ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        if NOT_APPLICABLE not in reason:
            report.outcome = "failed"
            report.longrepr = f"skipped under CI=true, where every prerequisite must be there: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    _fail_a_skip(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    _fail_a_skip(outcome.get_result())
