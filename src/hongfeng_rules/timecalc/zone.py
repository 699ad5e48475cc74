"""One clock for the whole library: Asia/Shanghai.

Every datetime that enters a judgement goes through `as_shanghai`: a naive value
is read as Shanghai wall-clock time, an aware value is converted. Dates become
instants only through `day_start` / `day_end`. China has used a fixed UTC+08:00
offset since 1992; in its summer time (1986–1991) the hour skipped each spring is no
Shanghai wall-clock time, and a naive instant in it is refused (`supported_instant`).
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2199, 12, 31)
"""The supported dates (and instants: from 00:00 of the first to the end of the last day, Shanghai time).
Far enough for any birth date and any plan; near enough that a deadline or a period computed from such a
day never leaves what Python's datetime can hold (year 1 to 9999)."""
SUPPORTED = f"{FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"


def supported_day(value: date) -> date:
    """`value`, or ValueError if it lies outside FIRST_DAY..LAST_DAY."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"{value.isoformat()} is outside the supported dates ({SUPPORTED})")
    return value


def supported_instant(value: datetime) -> datetime:
    """`value` in Shanghai time, or ValueError if its Shanghai date lies outside FIRST_DAY..LAST_DAY.

    Only a value within a year of the range is converted, so 0001-01-01T00:00+09:00 or 9999-12-31T23:00-05:00 is a
    plain ValueError, not an OverflowError; 2200-01-01T00:00+09:00 (2199-12-31 23:00 in Shanghai) is supported.
    A naive value in the hour summer time skipped (1986-05-04T02:30) is a ValueError: no clock in Shanghai read it."""
    if FIRST_DAY.year - 1 <= value.year <= LAST_DAY.year + 1:
        result = as_shanghai(value)
        if value.utcoffset() is None and result.astimezone(UTC).astimezone(SHANGHAI).replace(tzinfo=None) != value:
            raise ValueError(f"{value.isoformat()} did not exist in Shanghai: its clocks were put forward an hour "
                             "that day (summer time); give the instant with its offset")
        if FIRST_DAY <= result.date() <= LAST_DAY:
            return result
        if result.date() != value.date():
            raise ValueError(f"{value.isoformat()} is {result.date().isoformat()} in Shanghai, outside the "
                             f"supported dates ({SUPPORTED})")
    raise ValueError(f"{value.date().isoformat()} is outside the supported dates ({SUPPORTED})")


def as_shanghai(value: datetime) -> datetime:
    """Naive -> interpreted as Asia/Shanghai; aware -> converted to Asia/Shanghai."""
    if type(value) is datetime and value.tzinfo is SHANGHAI:  # fast path: already Shanghai (every loaded instant)
        return value
    if not isinstance(value, datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}: {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def local_date(value: date | datetime) -> date:
    """The Shanghai calendar date of a datetime; a plain date is returned as is."""
    if isinstance(value, datetime):
        return (value if value.tzinfo is SHANGHAI else as_shanghai(value)).date()
    return value


def day_start(d: date) -> datetime:
    """00:00 Asia/Shanghai of that date (a datetime argument is first reduced to its Shanghai date)."""
    return datetime.combine(local_date(d), time(0), tzinfo=SHANGHAI)


def day_end(d: date) -> datetime:
    """The last instant of that date: 23:59:59.999999 Asia/Shanghai."""
    return datetime.combine(local_date(d), time.max, tzinfo=SHANGHAI)


def as_of_instant(value: date | datetime) -> datetime:
    """The instant an audit is judged at: a date means the end of that day (as on the command line), a datetime
    is that instant (naive: Shanghai wall-clock time)."""
    return as_shanghai(value) if isinstance(value, datetime) else day_end(value)


def supported_as_of(value: date | datetime) -> datetime:
    """`as_of_instant(value)`, or ValueError if it lies outside the supported dates (never an OverflowError)."""
    return supported_instant(value if isinstance(value, datetime) else as_of_instant(value))
