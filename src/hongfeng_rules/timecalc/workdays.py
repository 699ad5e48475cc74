"""Chinese working days, from the `holidays` package's China calendar.

A day is a working day when it is a Monday-Friday that is not a public holiday
or a 调休 day off, or a Saturday/Sunday that the State Council made a make-up
working day (调休上班, `holidays`' `weekend_workdays`). All of that comes from
`holidays.China`; this module holds no holiday table of its own.

Supported years are [FIRST_YEAR, last_year]:

* FIRST_YEAR = 2001, the first year `holidays.China` checks against an official
  General Office of the State Council notice.
* last_year is derived from the library, not typed in: the last year Y for which
  `holidays.China(years=Y)` has at least one make-up working day dated in Y. Make-up
  days exist only where the library encodes that year's official notice (its
  static table of 调休 swaps); for later years it merely projects the statutory
  festivals with a generic "weekend holiday -> next weekday" rule and has no
  make-up days. Every year 2001-2026 has make-up days, so the rule is safe; when a
  new `holidays` release adds next year's notice, last_year moves on by itself.

Outside those years `CalendarUnavailable` is raised; the audit reports such a
check as not_assessable instead of guessing.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays

from .zone import local_date

FIRST_YEAR = 2001

_ONE_DAY = timedelta(days=1)


class CalendarUnavailable(Exception):
    """A working-day question needs a year without an official holiday arrangement."""

    def __init__(self, year: int, first_year: int = FIRST_YEAR, last_year: int | None = None) -> None:
        self.year = year
        if year < first_year:
            self.zh = f"{year} 年早于工作日历支持的首个年份 {first_year} 年，无法计算工作日"
            self.en = (
                f"{year} is before {first_year}, the first year of the working-day calendar; "
                f"working days in {year} cannot be computed"
            )
        else:
            known = f" (official data ends with {last_year})" if last_year is not None else ""
            self.zh = f"{year} 年节假日安排（国务院办公厅通知）尚未发布，无法计算工作日"
            self.en = (
                f"the {year} holiday arrangement has not been published{known}; "
                f"working days in {year} cannot be computed"
            )
        self.message = f"{self.zh} / {self.en}"
        super().__init__(self.message)


def has_makeup_workdays(year: int) -> bool:
    """True if `holidays.China` has a make-up working weekend day (调休上班) dated in `year`."""
    china = holidays.China(years=year)
    # weekend_workdays may also hold a few dates of other years; count only this year's.
    return any(d.year == year for d in china.weekend_workdays)


@lru_cache(maxsize=1)
def derive_last_year() -> int:
    """The last year with an official State Council arrangement in `holidays.China`:
    the latest year, up to the library's `end_year`, that has make-up working days."""
    official = [y for y in range(FIRST_YEAR, holidays.China.end_year + 1) if has_makeup_workdays(y)]
    if not official:
        raise RuntimeError("holidays.China has no official holiday arrangement (no make-up working days)")
    return max(official)


class WorkCalendar:
    """Chinese working days, including 调休 make-up working weekends, for
    the years [first_year, last_year]."""

    source, version = "holidays", holidays.__version__  # what the verdicts on working days depend on

    def __init__(self) -> None:
        self.first_year: int = FIRST_YEAR
        self.last_year: int = derive_last_year()
        self._china = holidays.China(years=range(self.first_year, self.last_year + 1), expand=False)

    def __repr__(self) -> str:
        return f"WorkCalendar({self.first_year}..{self.last_year})"

    def _check(self, d: date) -> None:
        if not self.first_year <= d.year <= self.last_year:
            raise CalendarUnavailable(d.year, self.first_year, self.last_year)

    def is_working_day(self, d: date | datetime) -> bool:
        """True for a working day (a datetime is judged by its Shanghai date)."""
        d = local_date(d)
        self._check(d)
        return self._china.is_working_day(d)

    def add_working_days(self, d: date | datetime, n: int) -> date:
        """The n-th working day counted from the day after `d` (n >= 1)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be an integer >= 1, got {n!r}")
        day = local_date(d)
        while n:
            day += _ONE_DAY
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: date | datetime, b: date | datetime) -> int:
        """Working days in (a, b]: after a, up to and including b. Negative (minus the
        count in (b, a]) when b is before a; 0 when a == b."""
        a, b = local_date(a), local_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        day = a
        while day < b:
            day += _ONE_DAY
            if self.is_working_day(day):
                count += 1
        return count


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """A shared WorkCalendar (read-only after construction)."""
    return WorkCalendar()
