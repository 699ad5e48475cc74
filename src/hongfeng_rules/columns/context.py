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


@dataclass
class ColumnContext(Judged):
    tables: Tables
    period: Period
    as_of: datetime
    calendar: WorkCalendar
    _memo: dict[str, Any] = field(default_factory=dict)

    def frame(self, key: str, build: Callable[[], pl.LazyFrame]) -> pl.LazyFrame:
        """The shared frame `key` (`build()` collected once per audit), as a plan to build on."""
        return self.memo(f"frame:{key}", lambda: build().collect().lazy())
