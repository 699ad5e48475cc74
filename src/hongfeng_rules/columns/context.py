"""Everything a compiled rule may look at: the tables, the period, the as-of instant and the calendar, and the
frames several rules share.

A shared frame (`frame(key, build)`: a collection's counted records, a selection's rows, a derived value) is
collected once per audit, when first asked for; the rules' own plans read it and are collected together at the
end (polars does not share a subplan between the plans of one `collect_all`: a frame read by twenty rules would
otherwise be computed twenty times).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

import polars as pl

from ..checks.context import Judged
from ..tables import Tables
from ..timecalc import Period, WorkCalendar

# Common-subexpression and -subplan elimination cost more to plan than they save on a rule's plan (about a third
# of a one-team audit's CPU, measured): the shared frames are collected once already.
PLAN_FLAGS = pl.QueryOptFlags(comm_subexpr_elim=False, comm_subplan_elim=False)


@dataclass
class ColumnContext(Judged):
    tables: Tables
    period: Period
    as_of: datetime
    calendar: WorkCalendar
    _memo: dict[str, Any] = field(default_factory=dict)
    _schemas: dict[int, tuple[pl.LazyFrame, pl.Schema]] = field(default_factory=dict)
    _collected: dict[int, pl.LazyFrame] = field(default_factory=dict)  # the shared frames, by id

    def frame(self, key: str, build: Callable[[], pl.LazyFrame]) -> pl.LazyFrame:
        """The shared frame `key` (`build()` collected once per audit), as a plan to build on."""
        def collect() -> pl.LazyFrame:
            plan = build()
            if self._collected.get(id(plan)) is plan:  # another shared frame, as it is (`@age` is `derived:age`)
                return plan
            done = plan.collect(optimizations=PLAN_FLAGS)
            frame = self.with_schema(done.lazy(), done.schema)
            self._collected[id(frame)] = frame
            return frame
        return self.memo(f"frame:{key}", collect)

    def schema(self, frame: pl.LazyFrame) -> pl.Schema:
        """The plan's schema, resolved once per plan object (resolving costs ~0.1 ms a time)."""
        known = self._schemas.get(id(frame))
        if known is None or known[0] is not frame:
            known = self._schemas[id(frame)] = (frame, frame.collect_schema())
        return known[1]

    def with_schema(self, frame: pl.LazyFrame, schema: pl.Schema) -> pl.LazyFrame:
        """The plan, its schema known (kept with it for the audit)."""
        self._schemas[id(frame)] = (frame, schema)
        return frame
