"""Everything a compiled rule may look at: the tables, the period, the as-of instant and the calendar."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any, Callable

from ..tables import Tables
from ..timecalc import Period, WorkCalendar, as_shanghai


@dataclass
class ColumnContext:
    tables: Tables
    period: Period
    as_of: datetime
    calendar: WorkCalendar
    _memo: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def reference_date(self) -> date:
        """The day facts are judged on: the period's last day, or the as-of day if earlier (as checks.context)."""
        return min(self.period.end, as_shanghai(self.as_of).date())

    def memo(self, key: str, build: Callable[[], Any]) -> Any:
        """Compute something once per audit (a selection, a derived column, a calendar table)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]
