"""Deadlines: when a time limit ends, extensions of it (7.3.3), and the verdict.

A deadline is the last instant at which the closing event still counts as on
time; an event exactly at the deadline passes, one microsecond later fails.

* "second", "minute", "hour", "day": exact elapsed time. "在 24 小时内" (6.2.3)
  is start + 86 400 s of real time, to the microsecond (computed in UTC).
* "month": 民法典 §201–203: the period starts the day after the start date
  (Shanghai) and ends at 24:00 (23:59:59.999999) of the corresponding day of
  the target month, or of its last day where that day does not exist;
  "在 1 个月内" (6.3.3) from Jan 31, any time of day, ends at the end of Feb 28
  (Feb 29 in a leap year).
* "working_day": "7 个工作日之内" (7.3.3) counts working days from the day after
  the start date (Shanghai) and ends at 23:59:59.999999 of the last one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from dateutil.relativedelta import relativedelta

from .workdays import WorkCalendar, default_calendar
from .zone import SHANGHAI, as_shanghai, day_end

TIME_UNITS = ("second", "minute", "hour", "day", "working_day", "month")  # in the order rule authors read them
UNITS = frozenset(TIME_UNITS)

_EXACT = {
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
}

LONGEST = {"second": 100 * 366 * 86400, "minute": 100 * 366 * 1440, "hour": 100 * 366 * 24, "day": 100 * 366,
           "working_day": 100 * 366, "month": 100 * 12, "year": 100}
"""The longest time limit a rule may set: 100 years in each unit, so that a deadline from any supported day is
a date Python can hold (a rule with `within: {value: 1e9, unit: day}` is a lint error, not an OverflowError)."""


def amount_problem(amount, unit: str) -> str | None:
    """Why `amount` `unit` cannot be a time limit (not whole, below 1, beyond LONGEST), or None."""
    if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not float(amount).is_integer():
        return f"a time limit is a whole number of {unit} (got {amount!r}): write a smaller unit (36 hour, not 1.5 day)"
    if amount < 1:
        return f"a time limit is at least 1 {unit} (got {amount:g})"
    if amount > LONGEST.get(unit, float("inf")):
        return f"a time limit is at most {LONGEST[unit]} {unit} (100 years; got {amount:g})"
    return None


PASS = "pass"
FAIL = "fail"
PENDING = "pending"


def deadline(start: datetime, amount: int, unit: str, calendar: WorkCalendar | None = None) -> datetime:
    """The last instant (Asia/Shanghai) at which the closing event is still on time.

    Raises ValueError for an unknown unit or an amount that is not an integer >= 1,
    and CalendarUnavailable (working_day) when the window reaches a year the
    calendar cannot answer.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown time unit {unit!r}: expected one of {', '.join(sorted(UNITS))}")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 1:
        raise ValueError(f"amount must be an integer >= 1, got {amount!r}")
    begin = as_shanghai(start)
    if unit in _EXACT:
        # Real elapsed time, independent of wall-clock rules.
        return (begin.astimezone(timezone.utc) + amount * _EXACT[unit]).astimezone(SHANGHAI)
    if unit == "month":
        return day_end(begin.date() + relativedelta(months=amount))
    cal = calendar if calendar is not None else default_calendar()
    return day_end(cal.add_working_days(begin.date(), amount))


def not_older_until(since: datetime, amount: int, unit: str) -> datetime:
    """The last instant at which something dated `since` is less than `amount` `unit` old.

    The period is counted forward from `since` as `deadline` counts it; once it has run out
    (届满, at its end instant) the thing is `amount` `unit` old, and "1个月以上" (5.2.7) includes
    exactly one month (民法典 §1259), so that instant is already too old.
    """
    return deadline(since, amount, unit) - timedelta(microseconds=1)


@dataclass(frozen=True)
class Extension:
    """A notice to the complainant that the time limit is extended (7.3.3)."""

    notified_at: datetime | None
    reason: str | None
    new_deadline: datetime | None


def effective_deadline(original: datetime, extension: Extension | None) -> tuple[datetime, str | None]:
    """The deadline after a possible extension, and a note when the extension is ignored.

    An extension counts only if the notice was given by the original deadline
    (notified_at <= original), with a non-empty reason, and new_deadline is later
    than original. Otherwise the original deadline stands and the note lists
    every reason the extension was ignored.
    """
    original = as_shanghai(original)
    if extension is None:
        return original, None
    problems: list[str] = []
    if extension.notified_at is None:
        problems.append("no notice date (未记录告知时间)")
    elif as_shanghai(extension.notified_at) > original:
        problems.append(
            f"late notice (告知晚于原期限): notified {as_shanghai(extension.notified_at).isoformat()} "
            f"after the original deadline {original.isoformat()}"
        )
    if not (extension.reason or "").strip():
        problems.append("no reason given (未说明理由)")
    if extension.new_deadline is None:
        problems.append("no new deadline (未给出新期限)")
    elif as_shanghai(extension.new_deadline) <= original:
        problems.append(
            f"new deadline {as_shanghai(extension.new_deadline).isoformat()} is not later than "
            f"the original {original.isoformat()} (新期限未晚于原期限)"
        )
    if problems:
        return original, "extension ignored: " + "; ".join(problems)
    assert extension.new_deadline is not None
    return as_shanghai(extension.new_deadline), None


def judge_deadline(start: datetime, end: datetime | None, due: datetime, as_of: datetime) -> str:
    """"pass" if the closing event `end` happened by `due`; "fail" if it happened
    after `due`, or has not happened and `as_of` is past `due`; "pending" if it has
    not happened and `as_of` <= `due`. An `end` later than `as_of` has not happened
    yet. `start` is not used in the verdict (kept so callers pass the whole window).
    """
    due = as_shanghai(due)
    as_of = as_shanghai(as_of)
    if end is not None and as_shanghai(end) > as_of:
        end = None
    if end is not None:
        return PASS if as_shanghai(end) <= due else FAIL
    return FAIL if as_of > due else PENDING


def time_left(due: datetime, as_of: datetime) -> timedelta:
    """Real time from `as_of` until `due`; negative when overdue."""
    return as_shanghai(due) - as_shanghai(as_of)
