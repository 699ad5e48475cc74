"""Coverage probes for `rules test --coverage` (rulebook/case_coverage.py).

Off unless a coverage run turns them on: an audit then pays one test of `hits` per threshold judged, and a
condition compiled while they are off is not wrapped at all. Items reached are strings:
`check.at_least:below|at|above` (the measure within one unit under, at, or within one unit over the threshold:
n−1, n, n+1 for whole counts), `check.within:before|at|after` (the instant compared with a deadline within one
second before, at, or within one second after it), `check.at_least@2025-01-01` (that dated value was in
force), `where.status.eq:true|false` (a condition's test gave that answer).
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from typing import Any, Callable, Iterator

hits: set[str] | None = None  # what the rule under test reached; None: probes off
declared: list[str] | None = None  # the condition tests of the rule being compiled; None: do not wrap
ONE_SECOND = timedelta(seconds=1)


@contextmanager
def declaring() -> Iterator[list[str]]:
    """Compile inside this to wrap each condition test with a probe; yields the tests' paths."""
    global declared
    declared = []
    try:
        yield declared
    finally:
        declared = None


def branch(test: Callable[[Any, Any], Any], path: str) -> Callable[[Any, Any], Any]:
    """The test, recording its true and false answers when compiled under `declaring`."""
    if declared is None:
        return test
    declared.append(path)

    def probed(record, ctx):
        result = test(record, ctx)
        if hits is not None and result is not None:
            hits.add(f"{path}:{'true' if result else 'false'}")
        return result
    return probed


def threshold(path: str, threshold, measured, limit, on) -> None:
    """A measure judged against a threshold's value in force (called only when `hits` is not None)."""
    if limit - 1 <= measured < limit:
        hits.add(f"{path}:below")
    elif measured == limit:
        hits.add(f"{path}:at")
    elif limit < measured <= limit + 1:
        hits.add(f"{path}:above")
    dated(path, threshold, on)


def instant(path: str, threshold, when, due, on) -> None:
    """An instant (the end, or as-of for an open item) judged against a deadline."""
    if due - ONE_SECOND <= when < due:
        hits.add(f"{path}:before")
    elif when == due:
        hits.add(f"{path}:at")
    elif due < when <= due + ONE_SECOND:
        hits.add(f"{path}:after")
    dated(path, threshold, on)


def dated(path: str, threshold, on) -> None:
    if threshold.dated():
        starts = [d for d in sorted(threshold.values) if d <= on]
        if starts:
            hits.add(f"{path}@{starts[-1].isoformat()}")
