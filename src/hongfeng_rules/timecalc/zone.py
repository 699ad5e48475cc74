"""One clock for the whole library: Asia/Shanghai.

Every datetime that enters a judgement goes through `as_shanghai`: a naive value
is read as Shanghai wall-clock time, an aware value is converted. Dates become
instants only through `day_start` / `day_end`. China has used a fixed UTC+08:00
offset without daylight saving since 1992, so wall-clock and elapsed time agree
for every date the library judges.
"""
from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


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
