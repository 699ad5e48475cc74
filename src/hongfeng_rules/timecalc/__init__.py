"""Time semantics for the rules: one timezone, periods, working days, deadlines.

Pure functions with no knowledge of domain models. See docs/time.md.
"""
from .deadlines import (
    FAIL,
    PASS,
    PENDING,
    UNITS,
    Extension,
    deadline,
    effective_deadline,
    judge_deadline,
    not_older_until,
    time_left,
)
from .periods import (
    CUT_BY_NOT_BEFORE,
    CUT_BY_PERIOD,
    NOT_ENDED,
    PERIOD_UNITS,
    Period,
    skip_reason,
    unit_containing,
    whole_periods,
)
from .workdays import FIRST_YEAR, CalendarUnavailable, WorkCalendar, default_calendar, derive_last_year
from .zone import (FIRST_DAY, LAST_DAY, SHANGHAI, SUPPORTED, as_of_instant, as_shanghai, day_end, day_start,
                   local_date, supported_as_of, supported_day, supported_instant)

__all__ = [
    "SHANGHAI",
    "FIRST_DAY",
    "LAST_DAY",
    "SUPPORTED",
    "supported_day",
    "supported_instant",
    "supported_as_of",
    "as_shanghai",
    "as_of_instant",
    "local_date",
    "day_start",
    "day_end",
    "Period",
    "PERIOD_UNITS",
    "unit_containing",
    "whole_periods",
    "skip_reason",
    "CUT_BY_PERIOD",
    "CUT_BY_NOT_BEFORE",
    "NOT_ENDED",
    "FIRST_YEAR",
    "CalendarUnavailable",
    "WorkCalendar",
    "default_calendar",
    "derive_last_year",
    "UNITS",
    "deadline",
    "Extension",
    "effective_deadline",
    "judge_deadline",
    "not_older_until",
    "time_left",
    "PASS",
    "FAIL",
    "PENDING",
]
