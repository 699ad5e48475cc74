"""The per-object coverage probes: what `rules test --coverage` recorded before it read the column-wise engine
(issue 18), kept as the oracle of `hongfeng_rules.columns.coverage` (tests/test_columns_differential.py).

Off unless a test turns them on (`hits` a set). Items reached are strings: `check.at_least:below|at|above` (the
measure within one unit under, at, or within one unit over the threshold), `check.within:before|at|after` (the
instant compared with a deadline within one second before, at, or within one second after it),
`check.at_least@2025-01-01` (that dated value was in force), `where.status.eq:true|false` (a condition's test gave
that answer). `declaring()` wraps each test `hongfeng_rules.checks.where.compile_condition` compiles meanwhile.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from typing import Any, Callable, Iterator

from hongfeng_rules.checks import where

hits: set[str] | None = None  # what the rule under test reached; None: probes off
ONE_SECOND = timedelta(seconds=1)
_TESTS = ("_compile_op", "_compare_fields", "_related")  # checks.where's makers of one test; the path comes last


@contextmanager
def declaring() -> Iterator[list[str]]:
    """Compile inside this to wrap each condition test with a probe; yields the tests' paths, in declaring order."""
    declared: list[str] = []
    originals = {name: getattr(where, name) for name in _TESTS}

    def wrapping(make):
        def made(*args):
            test, path = make(*args), args[-1]  # an `any`/`all`'s or `related`'s inner tests are declared first
            declared.append(path)
            return branch(test, path)
        return made

    for name, make in originals.items():
        setattr(where, name, wrapping(make))
    try:
        yield declared
    finally:
        for name, make in originals.items():
            setattr(where, name, make)


def branch(test: Callable[[Any, Any], Any], path: str) -> Callable[[Any, Any], Any]:
    """The test, recording its true and false answers."""
    def probed(record, ctx):
        result = test(record, ctx)
        if hits is not None and result is not None:
            hits.add(f"{path}:{'true' if result else 'false'}")
        return result
    return probed


def judge(check, measured, ctx):
    """`check.judge`, recording the measure's point and the dated value in force."""
    met, expected = check.judge(measured, ctx)
    if hits is not None and met is not None:
        name, threshold = check.bound
        limit, on = threshold.in_force(ctx.reference_date), ctx.reference_date
        if limit - 1 <= measured < limit:
            hits.add(f"check.{name}:below")
        elif measured == limit:
            hits.add(f"check.{name}:at")
        elif limit < measured <= limit + 1:
            hits.add(f"check.{name}:above")
        dated(f"check.{name}", threshold, on)
    return met, expected


def instant(path: str, threshold, when, due, on) -> None:
    """An instant (the end, or as-of for an open item) judged against a deadline."""
    if hits is None:
        return
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
