"""Reporting periods (inclusive date ranges) and counting whole calendar periods.

A `Period` is an inclusive range of Shanghai calendar dates with a label:
"2025", "2025-Q2", "2025-03", "2025-W14" (ISO week, Monday-Sunday) or
"2025-01-01..2025-06-30".

`whole_periods` answers "which weeks / months / quarters / years can a
'weekly / monthly / quarterly / yearly' clause be judged on?": only calendar
units that lie wholly inside the reporting period, have ended by `as_of` (their
last instant is at or before it: `--as-of 2025-03-31`, read as the end of that day,
judges March), and
start on or after `not_before` (e.g. the team's founding date). Every other
unit touching the period is returned as skipped, and `skip_reason` says why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .zone import as_shanghai, day_end, local_date

PERIOD_UNITS = ("week", "month", "quarter", "year")

# Why a calendar unit touching the period was not judged (see `skip_reason`).
CUT_BY_PERIOD = "cut_by_period"  # sticks out of the reporting period
CUT_BY_NOT_BEFORE = "cut_by_not_before"  # starts before `not_before` (e.g. founding date)
NOT_ENDED = "not_ended"  # has not ended at `as_of`

_ONE_DAY = timedelta(days=1)

_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")

_FORMS = '"2025", "2025-Q1", "2025-03", "2025-W14" or "2025-01-01..2025-06-30"'


@dataclass(frozen=True)
class Period:
    """An inclusive date range. Build one with `parse` or the named constructors."""

    start: date
    end: date
    label: str = ""  # empty -> "START..END"

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if isinstance(value, datetime) or not isinstance(value, date):
                raise TypeError(f"Period.{name} must be a date, got {value!r}")
        if self.start > self.end:
            raise ValueError(f"period starts after it ends: {self.start} > {self.end}")
        if not self.label:
            object.__setattr__(self, "label", f"{self.start.isoformat()}..{self.end.isoformat()}")

    def __str__(self) -> str:
        return self.label

    # -- constructors -----------------------------------------------------------------
    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), f"{year:04d}")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter must be 1-4, got {quarter}")
        first = date(year, 3 * quarter - 2, 1)
        last = _next_month(date(year, 3 * quarter, 1)) - _ONE_DAY
        return cls(first, last, f"{year:04d}-Q{quarter}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        first = date(year, month, 1)
        return cls(first, _next_month(first) - _ONE_DAY, f"{year:04d}-{month:02d}")

    @classmethod
    def iso_week(cls, year: int, week: int) -> Period:
        """ISO week `week` of ISO year `year`: Monday to Sunday."""
        monday = date.fromisocalendar(year, week, 1)
        return cls(monday, monday + timedelta(days=6), f"{year:04d}-W{week:02d}")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        return cls(start, end)

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse "2025", "2025-Q1", "2025-03", "2025-W14" or "2025-01-01..2025-06-30"."""
        if not isinstance(text, str):
            raise ValueError(f"period must be text such as {_FORMS}, got {text!r}")
        s = text.strip()
        try:
            if m := _YEAR.fullmatch(s):
                return cls.year(int(m[1]))
            if m := _QUARTER.fullmatch(s):
                return cls.quarter(int(m[1]), int(m[2]))
            if m := _MONTH.fullmatch(s):
                return cls.month(int(m[1]), int(m[2]))
            if m := _WEEK.fullmatch(s):
                return cls.iso_week(int(m[1]), int(m[2]))
            if m := _RANGE.fullmatch(s):
                return cls.between(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
        except ValueError as exc:
            raise ValueError(f"invalid period {text!r}: {exc}") from None
        raise ValueError(f"invalid period {text!r}: expected {_FORMS}")

    # -- queries ----------------------------------------------------------------------
    def contains(self, when: date | datetime) -> bool:
        """True if the date (for a datetime: its Shanghai date) is inside the period."""
        return self.start <= local_date(when) <= self.end

    def clip(self, start: date | None = None, end: date | None = None) -> Period | None:
        """The part of this period within [start, end] (either side open if None); None if empty."""
        lo = self.start if start is None else max(self.start, local_date(start))
        hi = self.end if end is None else min(self.end, local_date(end))
        if lo > hi:
            return None
        if (lo, hi) == (self.start, self.end):
            return self
        return Period.between(lo, hi)

    def covers(self, other: Period) -> bool:
        """True if `other` lies wholly inside this period."""
        return self.start <= other.start and other.end <= self.end


def _next_month(first_of_month: date) -> date:
    if first_of_month.month == 12:
        return date(first_of_month.year + 1, 1, 1)
    return date(first_of_month.year, first_of_month.month + 1, 1)


def unit_containing(d: date, per: str) -> Period:
    """The calendar week (ISO) / month / quarter / year that contains date `d`."""
    if per == "week":
        iso = d.isocalendar()
        return Period.iso_week(iso.year, iso.week)
    if per == "month":
        return Period.month(d.year, d.month)
    if per == "quarter":
        return Period.quarter(d.year, (d.month - 1) // 3 + 1)
    if per == "year":
        return Period.year(d.year)
    raise ValueError(f"unknown period unit {per!r}: expected one of {', '.join(PERIOD_UNITS)}")


def skip_reason(unit: Period, period: Period, as_of: datetime, not_before: date | None = None) -> str | None:
    """Why `unit` is not judged within `period` (CUT_BY_PERIOD, CUT_BY_NOT_BEFORE,
    NOT_ENDED, first that applies), or None if it is judged."""
    if not period.covers(unit):
        return CUT_BY_PERIOD
    if not_before is not None and unit.start < local_date(not_before):
        return CUT_BY_NOT_BEFORE
    if as_shanghai(as_of) < day_end(unit.end):  # its last instant reached: over, and judged
        return NOT_ENDED
    return None


def whole_periods(
    period: Period, per: str, as_of: datetime, not_before: date | None = None
) -> tuple[list[Period], list[Period]]:
    """Split the calendar units (`per` in "week", "month", "quarter", "year") touching
    `period` into (judged, skipped), both in date order.

    judged: units wholly inside `period`, ended by `as_of` (as_of at or after 23:59:59.999999
    of the unit's last day, so `--as-of` a unit's last day judges it) and starting on or after
    `not_before`.
    skipped: all other units that overlap `period`, as whole calendar units with their
    usual labels; `skip_reason` gives the reason for each.
    """
    if per not in PERIOD_UNITS:
        raise ValueError(f"unknown period unit {per!r}: expected one of {', '.join(PERIOD_UNITS)}")
    judged: list[Period] = []
    skipped: list[Period] = []
    unit = unit_containing(period.start, per)
    while unit.start <= period.end:
        if skip_reason(unit, period, as_of, not_before) is None:
            judged.append(unit)
        else:
            skipped.append(unit)
        unit = unit_containing(unit.end + _ONE_DAY, per)
    return judged, skipped
