"""Everything a compiled rule may look at: the tables, the period, the as-of instant and the calendar."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
