"""Tests for hongfeng_rules.timecalc: timezone, periods, working days, deadlines."""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hongfeng_rules.timecalc import (
    CUT_BY_NOT_BEFORE,
    CUT_BY_PERIOD,
    NOT_ENDED,
    SHANGHAI,
    UNITS,
    CalendarUnavailable,
    Extension,
    Period,
    WorkCalendar,
    as_shanghai,
    day_end,
    day_start,
    deadline,
    effective_deadline,
    judge_deadline,
    not_older_until,
    skip_reason,
    time_left,
    unit_containing,
    whole_periods,
)
from hongfeng_rules.timecalc.deadlines import LONGEST, amount_problem
from hongfeng_rules.timecalc.zone import FIRST_DAY, LAST_DAY, as_of_instant, supported_as_of, supported_day, supported_instant
from hongfeng_rules.timecalc.workdays import derive_last_year, has_makeup_workdays

CAL = WorkCalendar()
EIGHT_HOURS = timedelta(hours=8)
UTC = timezone.utc


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


# --------------------------------------------------------------------------- zone
def test_naive_is_read_as_shanghai():
    value = as_shanghai(datetime(2025, 3, 1, 9, 30))
    assert value == sh(2025, 3, 1, 9, 30)
    assert value.utcoffset() == EIGHT_HOURS
    assert value.astimezone(UTC) == datetime(2025, 3, 1, 1, 30, tzinfo=UTC)


def test_aware_is_converted_to_shanghai():
    value = as_shanghai(datetime(2025, 3, 31, 16, 30, tzinfo=UTC))
    assert value.tzinfo is SHANGHAI
    assert (value.date(), value.hour, value.minute) == (date(2025, 4, 1), 0, 30)


def test_as_shanghai_rejects_a_date():
    with pytest.raises(TypeError, match=r"^expected a datetime, got date: datetime\.date\(2025, 1, 1\)$"):
        as_shanghai(date(2025, 1, 1))  # type: ignore[arg-type]


def test_day_start_and_end():
    assert day_start(date(2025, 10, 13)) == sh(2025, 10, 13)
    assert day_end(date(2025, 10, 13)) == sh(2025, 10, 13, 23, 59, 59, 999999)
    assert day_end(date(2025, 10, 13)) + timedelta(microseconds=1) == day_start(date(2025, 10, 14))


# China has had no daylight saving since 1991.
_any_zone_datetimes = st.datetimes(
    min_value=datetime(1992, 1, 1), max_value=datetime(2100, 12, 31), timezones=st.timezones()
)


@given(_any_zone_datetimes)
def test_shanghai_offset_is_always_plus_eight_and_instant_is_kept(value):
    converted = as_shanghai(value)
    assert converted.utcoffset() == EIGHT_HOURS
    assert converted.dst() in (None, timedelta(0))
    assert converted.timestamp() == value.timestamp()


@given(st.datetimes(min_value=datetime(1992, 1, 1), max_value=datetime(2100, 12, 31)))
def test_naive_keeps_its_wall_clock(value):
    converted = as_shanghai(value)
    assert converted.replace(tzinfo=None) == value
    assert converted.utcoffset() == EIGHT_HOURS


# ------------------------------------------------------------------------ periods
@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2025", date(2025, 1, 1), date(2025, 12, 31), "2025"),
        ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31), "2025-Q1"),
        ("2024-Q4", date(2024, 10, 1), date(2024, 12, 31), "2024-Q4"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024-02"),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31), "2025-12"),
        ("2025-W14", date(2025, 3, 31), date(2025, 4, 6), "2025-W14"),
        ("2025-W01", date(2024, 12, 30), date(2025, 1, 5), "2025-W01"),
        ("2025-01-01..2025-06-30", date(2025, 1, 1), date(2025, 6, 30), "2025-01-01..2025-06-30"),
        (" 2025-03 ", date(2025, 3, 1), date(2025, 3, 31), "2025-03"),
    ],
)
def test_period_parse(text, start, end, label):
    period = Period.parse(text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert str(period) == label


@pytest.mark.parametrize(
    "text", ["", "25", "2025-13", "2025-Q5", "2025-W54", "2025/03", "2025-3", "Q1-2025",
             "2025-06-30..2025-01-01", "2025-02-30..2025-03-01", "2025-01-01.."]
)
def test_period_parse_rejects_with_clear_message(text):
    with pytest.raises(ValueError, match="invalid period"):
        Period.parse(text)


def test_period_rejects_reversed_range():
    with pytest.raises(ValueError, match="^period starts after it ends: 2025-02-01 > 2025-01-01$"):
        Period(date(2025, 2, 1), date(2025, 1, 1), "x")


def test_period_contains_uses_shanghai_date():
    march, q2 = Period.parse("2025-03"), Period.parse("2025-Q2")
    late_utc = datetime(2025, 3, 31, 16, 30, tzinfo=UTC)  # 2025-04-01 00:30 in Shanghai
    assert not march.contains(late_utc)
    assert q2.contains(late_utc)
    assert march.contains(datetime(2025, 3, 31, 23, 59))  # naive -> Shanghai
    assert march.contains(date(2025, 3, 1)) and not march.contains(date(2025, 2, 28))


def test_period_clip():
    year = Period.parse("2025")
    assert year.clip() is year
    assert year.clip(start=date(2025, 5, 20)) == Period(date(2025, 5, 20), date(2025, 12, 31),
                                                         "2025-05-20..2025-12-31")
    assert year.clip(date(2024, 1, 1), date(2025, 2, 1)).label == "2025-01-01..2025-02-01"
    assert year.clip(start=date(2026, 1, 1)) is None
    assert year.clip(end=date(2024, 12, 31)) is None


@pytest.mark.parametrize("start, end, label", [
    (date(2025, 12, 30), None, "2025-12-30..2025-12-31"),  # from the day before the period's last: two days
    (date(2025, 12, 31), None, "2025-12-31..2025-12-31"),  # from its last day: that one day, not nothing
    (date(2026, 1, 1), None, None),                        # from the day after: nothing
    (None, date(2025, 1, 1), "2025-01-01..2025-01-01"),    # up to its first day: that one day
    (date(2025, 6, 1), date(2025, 6, 1), "2025-06-01..2025-06-01"),
    (date(2025, 6, 2), date(2025, 6, 1), None),
])
def test_a_clip_to_one_day_is_that_day(start, end, label):
    """issue 24: `clip` with `>=` for `>` (an empty part when start and end are the same day) survived: a member
    joining on the period's last day has one day of it."""
    clipped = Period.parse("2025").clip(start, end)
    assert (clipped.label if clipped else None) == label


def labels(periods):
    return [p.label for p in periods]


def test_whole_weeks_of_a_month():
    # March 2025 starts on a Saturday and ends on a Monday.
    judged, skipped = whole_periods(Period.parse("2025-03"), "week", sh(2025, 4, 10))
    assert labels(judged) == ["2025-W10", "2025-W11", "2025-W12", "2025-W13"]
    assert labels(skipped) == ["2025-W09", "2025-W14"]
    assert all(skip_reason(w, Period.parse("2025-03"), sh(2025, 4, 10)) == CUT_BY_PERIOD for w in skipped)
    assert judged[0].start == date(2025, 3, 3) and judged[0].start.weekday() == 0
    assert judged[-1].end == date(2025, 3, 30) and judged[-1].end.weekday() == 6


def test_whole_weeks_of_a_year_cross_iso_year_edges():
    judged, skipped = whole_periods(Period.parse("2025"), "week", sh(2026, 2, 1))
    assert labels(skipped) == ["2025-W01", "2026-W01"]  # 2024-12-30.. and ..2026-01-04
    assert len(judged) == 51
    assert judged[0].start == date(2025, 1, 6) and judged[-1].end == date(2025, 12, 28)


def test_whole_months_not_yet_ended():
    year = Period.parse("2025")
    before_end = day_end(date(2025, 6, 30)) - timedelta(microseconds=1)
    judged, skipped = whole_periods(year, "month", before_end)
    assert labels(judged) == [f"2025-{m:02d}" for m in range(1, 6)]
    assert labels(skipped) == [f"2025-{m:02d}" for m in range(6, 13)]
    assert skip_reason(skipped[0], year, before_end) == NOT_ENDED
    # At June's last instant (what `--as-of 2025-06-30` means) June has ended.
    judged, _ = whole_periods(year, "month", day_end(date(2025, 6, 30)))
    assert labels(judged)[-1] == "2025-06"


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(["week", "month", "quarter", "year"]))
def test_a_unit_ending_on_the_as_of_day_is_judged(day, per):
    """A unit is over at its last instant: judged at as-of = its last day (as the command line reads
    `--as-of DATE`) and at its last instant; still open one microsecond before."""
    from hongfeng_rules.cli import period_and_as_of

    unit = unit_containing(day, per)
    period = Period.between(unit.start, unit.end)
    _, as_of_day = period_and_as_of(None, unit.end.isoformat())
    last_instant = day_end(unit.end)
    assert as_of_day == last_instant
    for as_of in (as_of_day, last_instant, last_instant + timedelta(microseconds=1)):
        assert labels(whole_periods(period, per, as_of)[0]) == [unit.label]
        assert skip_reason(unit, period, as_of) is None
    before = last_instant - timedelta(microseconds=1)
    judged, skipped = whole_periods(period, per, before)
    assert judged == [] and skipped == [unit]
    assert skip_reason(unit, period, before) == NOT_ENDED


def test_whole_months_mid_year_founding():
    year = Period.parse("2025")
    founded = date(2025, 5, 20)
    as_of = sh(2026, 1, 15)
    judged, skipped = whole_periods(year, "month", as_of, not_before=founded)
    assert labels(judged) == [f"2025-{m:02d}" for m in range(6, 13)]
    assert labels(skipped) == [f"2025-{m:02d}" for m in range(1, 6)]
    assert {skip_reason(p, year, as_of, founded) for p in skipped} == {CUT_BY_NOT_BEFORE}
    # Founded on the first of a month: that month counts.
    judged, _ = whole_periods(year, "month", as_of, not_before=date(2025, 6, 1))
    assert labels(judged)[0] == "2025-06"


def test_whole_quarters_with_partial_period_and_founding():
    half = Period.parse("2025-01-01..2025-05-31")
    judged, skipped = whole_periods(half, "quarter", sh(2026, 1, 1), not_before=date(2025, 2, 10))
    assert labels(judged) == []
    assert labels(skipped) == ["2025-Q1", "2025-Q2"]
    assert skip_reason(skipped[0], half, sh(2026, 1, 1), date(2025, 2, 10)) == CUT_BY_NOT_BEFORE
    assert skip_reason(skipped[1], half, sh(2026, 1, 1), date(2025, 2, 10)) == CUT_BY_PERIOD

    judged, skipped = whole_periods(Period.parse("2025"), "quarter", sh(2025, 10, 1))
    assert labels(judged) == ["2025-Q1", "2025-Q2", "2025-Q3"]
    assert labels(skipped) == ["2025-Q4"]


def test_whole_years():
    judged, skipped = whole_periods(Period.parse("2024-07-01..2025-12-31"), "year", sh(2026, 1, 1))
    assert labels(judged) == ["2025"]
    assert labels(skipped) == ["2024"]


def test_whole_periods_rejects_unknown_unit():
    with pytest.raises(ValueError, match="fortnight"):
        whole_periods(Period.parse("2025"), "fortnight", sh(2026, 1, 1))


# ------------------------------------------------------------------ working days
@pytest.mark.parametrize(
    "day",
    [
        date(2024, 2, 4), date(2024, 2, 18),  # Sundays, Spring Festival 调休
        date(2024, 4, 7), date(2024, 4, 28), date(2024, 5, 11),
        date(2024, 9, 14), date(2024, 9, 29), date(2024, 10, 12),
        date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27),
        date(2025, 9, 28), date(2025, 10, 11),  # Sunday and Saturday, National Day 调休
        date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9),
        date(2026, 9, 20), date(2026, 10, 10),  # 2026 State Council notice
        date(2025, 10, 9), date(2026, 10, 8), date(2024, 2, 19),  # ordinary weekdays after holidays
    ],
)
def test_working_days(day):
    assert CAL.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        *(date(2024, 2, d) for d in range(10, 18)),  # 2024 Spring Festival Feb 10-17
        *(date(2024, 10, d) for d in range(1, 8)),
        *(date(2025, 1, 28) + timedelta(days=i) for i in range(8)),  # 2025 Jan 28 - Feb 4
        *(date(2025, 10, d) for d in range(1, 9)),  # 2025 Oct 1-8
        date(2025, 5, 5), date(2025, 6, 2),
        *(date(2026, 2, d) for d in range(15, 24)),  # 2026 Feb 15-23
        date(2026, 1, 2), date(2026, 5, 4), date(2026, 5, 5),
        *(date(2026, 10, d) for d in range(1, 8)),  # 2026 Oct 1-7
        date(2025, 9, 27), date(2025, 10, 12),  # ordinary weekend days
    ],
)
def test_days_off(day):
    assert not CAL.is_working_day(day)


def test_working_days_per_year_by_hand():
    # 365/366 days - weekend days - statutory holidays; 调休 swaps cancel out within these years.
    # 2024: 366 - 104 - 11 = 251; 2025: 365 - 104 - 13 = 248; 2026: 365 - 104 - 13 = 248.
    for year, expected in [(2024, 251), (2025, 248), (2026, 248)]:
        assert CAL.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == expected


def test_every_supported_year_is_plausible():
    for year in range(CAL.first_year, CAL.last_year + 1):
        count = CAL.working_days_between(date(year - 1, 12, 31), date(year, 12, 31))
        assert 245 <= count <= 254, (year, count)


def test_last_year_is_derived_from_the_library():
    independent = max(
        y for y in range(2001, holidays.China.end_year + 1)
        if any(d.year == y for d in holidays.China(years=y).weekend_workdays)
    )
    assert CAL.last_year == derive_last_year() == independent
    assert CAL.last_year >= 2026
    assert has_makeup_workdays(CAL.last_year)
    assert not has_makeup_workdays(CAL.last_year + 1)
    assert CAL.first_year == 2001


@pytest.mark.parametrize("day", [date(2027, 1, 4), date(2000, 6, 1), date(2000, 12, 31)])
def test_unsupported_years_raise(day):
    with pytest.raises(CalendarUnavailable) as info:
        CAL.is_working_day(day)
    assert info.value.year == day.year
    assert str(day.year) in info.value.message
    assert str(day.year) in str(info.value)
    assert "年" in info.value.message and "cannot be computed" in info.value.message  # zh and en


@pytest.mark.parametrize("day, reason", [
    (date(2000, 12, 31), "2000 is before 2001, the first year of the working-day calendar; working days in 2000 "
                         "cannot be computed"),
    (date(2027, 1, 1), "the 2027 holiday arrangement has not been published (official data ends with 2026); "
                       "working days in 2027 cannot be computed")])
def test_an_unsupported_year_names_the_calendar_s_first_or_last_year(day, reason):
    """The calendar's own bounds in the reason (a year before the first, or after the last published)."""
    with pytest.raises(CalendarUnavailable) as info:
        CAL.is_working_day(day)
    assert info.value.en == reason
    assert info.value.message.endswith(f" / {reason}")


def test_2027_is_unavailable_today():
    # holidays 0.109 publishes through 2026; if this fails after an upgrade, update docs/time.md.
    assert CAL.last_year == 2026
    with pytest.raises(CalendarUnavailable, match="2027"):
        CAL.is_working_day(date(2027, 3, 1))
    with pytest.raises(CalendarUnavailable, match="2000"):
        CAL.working_days_between(date(1999, 12, 31), date(2000, 1, 10))


def test_add_working_days_and_between():
    assert CAL.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)  # Sunday 调休 workday
    assert CAL.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert CAL.working_days_between(date(2025, 9, 26), date(2025, 10, 13)) == 7
    assert CAL.working_days_between(date(2025, 10, 13), date(2025, 9, 26)) == -7
    assert CAL.working_days_between(date(2025, 10, 1), date(2025, 10, 1)) == 0
    with pytest.raises(ValueError, match="^n must be an integer >= 1, got 0$"):
        CAL.add_working_days(date(2025, 1, 1), 0)


_supported_dates = st.dates(min_value=date(CAL.first_year, 1, 1), max_value=date(CAL.last_year, 6, 30))


@settings(max_examples=200, deadline=None)
@given(_supported_dates, st.integers(min_value=1, max_value=60))
def test_add_then_count_round_trips(d, n):
    result = CAL.add_working_days(d, n)
    assert CAL.working_days_between(d, result) == n
    assert CAL.is_working_day(result)
    assert CAL.working_days_between(d, result - timedelta(days=1)) == n - 1


# ---------------------------------------------------------------------- deadlines
def test_units():
    assert UNITS == {"second", "minute", "hour", "day", "working_day", "month"}


def test_24_hours_is_exact_to_the_microsecond():
    start = sh(2025, 3, 9, 10, 15, 30, 123456)
    due = deadline(start, 24, "hour")
    assert due == sh(2025, 3, 10, 10, 15, 30, 123456)
    assert due.utcoffset() == EIGHT_HOURS
    assert judge_deadline(start, due, due, due) == "pass"
    assert judge_deadline(start, due + timedelta(microseconds=1), due, sh(2025, 4, 1)) == "fail"


@given(_any_zone_datetimes.filter(lambda d: d.year < 2100))
def test_hours_are_real_elapsed_time_from_any_zone(start):
    due = deadline(start, 24, "hour")
    assert due.astimezone(UTC) - start.astimezone(UTC) == timedelta(seconds=86400)
    assert due.tzinfo is SHANGHAI


def test_other_exact_units():
    start = sh(2025, 12, 31, 23, 59, 59)
    assert deadline(start, 1, "second") == sh(2026, 1, 1)
    assert deadline(start, 2, "minute") == sh(2026, 1, 1, 0, 1, 59)
    assert deadline(start, 3, "day") == sh(2026, 1, 3, 23, 59, 59)


def test_month_end_of_month():
    # 民法典 §201–203: from the next day to 24:00 of the corresponding day, or the month's last day
    end = time(23, 59, 59, 999999)
    assert deadline(sh(2025, 1, 31, 14, 0), 1, "month") == sh(2025, 2, 28, *_hms(end))
    assert deadline(sh(2024, 1, 31, 14, 0), 1, "month") == sh(2024, 2, 29, *_hms(end))
    assert deadline(sh(2024, 2, 29, 0, 0), 12, "month") == sh(2025, 2, 28, *_hms(end))
    assert deadline(sh(2025, 12, 31, 23, 59, 59, 999999), 1, "month") == sh(2026, 1, 31, *_hms(end))
    assert deadline(datetime(2025, 3, 15, 8, 30), 1, "month") == sh(2025, 4, 15, *_hms(end))  # naive


def _hms(t: time) -> tuple[int, int, int, int]:
    return t.hour, t.minute, t.second, t.microsecond


def _corresponding_day(d: date, months: int) -> date:
    """An independent oracle: the same day of the month `months` later, or that month's last day."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


_month_edges = st.one_of(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2098, 12, 31)),
    # month ends, 29 February, year ends: the days where a month has no corresponding day
    st.builds(lambda y, m, back, t: datetime.combine(date(y, m, calendar.monthrange(y, m)[1]) - timedelta(days=back), t),
              st.integers(2000, 2098), st.integers(1, 12), st.integers(0, 3), st.times()),
    st.builds(lambda y, t: datetime.combine(date(y, 2, 29), t), st.sampled_from([2000, 2004, 2024, 2028, 2096]), st.times()),
)


@settings(max_examples=300, deadline=None)
@given(_month_edges, st.integers(min_value=1, max_value=24))
def test_month_period_ends_at_the_end_of_the_corresponding_day(start, months):
    due = deadline(start, months, "month")
    target = _corresponding_day(start.date(), months)
    assert due == datetime.combine(target, time.max, tzinfo=SHANGHAI)  # 24:00 of the last day, whatever the hour
    # the instant before / at / after: not yet a full period, exactly one (届满), more than one
    assert not_older_until(start, months, "month") == due - timedelta(microseconds=1)
    assert judge_deadline(start, due, due, due) == "pass"
    assert judge_deadline(start, due + timedelta(microseconds=1), due, due + timedelta(days=1)) == "fail"
    assert judge_deadline(start, None, due, due) == "pending"
    assert judge_deadline(start, None, due, due + timedelta(microseconds=1)) == "fail"


@settings(max_examples=200, deadline=None)
@given(_month_edges)
def test_a_later_start_on_the_same_day_gives_the_same_end(start):
    # the day of the event is not counted (§201): the time of day never moves the end
    assert deadline(start, 1, "month") == deadline(datetime.combine(start.date(), time(0)), 1, "month")
    assert deadline(start, 1, "month") == deadline(datetime.combine(start.date(), time.max), 1, "month")


def test_complaint_closed_before_national_day_2025():
    # Investigation ends Friday 2025-09-26. Counting from the next day:
    # Sat 27 off; Sun 28 (调休) =1; Mon 29 =2; Tue 30 =3; Oct 1-8 holidays;
    # Thu Oct 9 =4; Fri 10 =5; Sat 11 (调休) =6; Sun 12 off; Mon Oct 13 =7.
    closed = sh(2025, 9, 26, 16, 0)
    due = deadline(closed, 7, "working_day", CAL)
    assert due == sh(2025, 10, 13, 23, 59, 59, 999999)
    assert deadline(datetime(2025, 9, 26, 8, 0), 7, "working_day") == due  # default calendar, naive
    assert judge_deadline(closed, sh(2025, 10, 13, 18, 0), due, sh(2025, 11, 1)) == "pass"
    assert judge_deadline(closed, sh(2025, 10, 14, 0, 0), due, sh(2025, 11, 1)) == "fail"


def test_working_day_start_is_judged_by_shanghai_date():
    # 2025-09-26 17:00 UTC is already Saturday 27 01:00 in Shanghai.
    due = deadline(datetime(2025, 9, 26, 17, 0, tzinfo=UTC), 1, "working_day")
    assert due == day_end(date(2025, 9, 28))


def test_working_day_window_past_last_year_raises():
    with pytest.raises(CalendarUnavailable) as info:
        deadline(sh(CAL.last_year, 12, 28), 7, "working_day")
    assert info.value.year == CAL.last_year + 1


@pytest.mark.parametrize(("amount", "unit", "why"), [
    (0, "hour", "amount must be an integer >= 1, got 0"), (-1, "day", "amount must be an integer >= 1, got -1"),
    (1.5, "hour", "amount must be an integer >= 1, got 1.5"), (True, "day", "amount must be an integer >= 1, got True"),
    (1, "week", "unknown time unit 'week': expected one of day, hour, minute, month, second, working_day"),
    (1, "workday", "unknown time unit 'workday': expected one of day, hour, minute, month, second, working_day")])
def test_deadline_rejects_bad_input(amount, unit, why):
    with pytest.raises(ValueError, match=f"^{re.escape(why)}$"):
        deadline(sh(2025, 1, 1), amount, unit)


_starts = st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(CAL.last_year, 6, 30))


@settings(max_examples=300, deadline=None)
@given(_starts, _starts, st.sampled_from(sorted(UNITS)), st.integers(min_value=1, max_value=60))
def test_deadline_is_monotonic_in_start(a, b, unit, amount):
    early, late = min(a, b), max(a, b)
    assert deadline(early, amount, unit) <= deadline(late, amount, unit)


# --------------------------------------------------------------------- extensions
ORIGINAL = sh(2025, 10, 13, 23, 59, 59, 999999)


def test_no_extension():
    assert effective_deadline(ORIGINAL, None) == (ORIGINAL, None)


def test_extension_honoured():
    new = sh(2025, 10, 31, 23, 59, 59)
    ext = Extension(notified_at=sh(2025, 10, 10, 9, 0), reason="涉及多个部门，需补充调查", new_deadline=new)
    assert effective_deadline(ORIGINAL, ext) == (new, None)
    # Notice given exactly at the original deadline still counts.
    assert effective_deadline(ORIGINAL, Extension(ORIGINAL, "复杂", new)) == (new, None)


@pytest.mark.parametrize(
    ("ext", "words"),
    [
        (Extension(ORIGINAL + timedelta(microseconds=1), "复杂", sh(2025, 10, 31)), ["late"]),
        (Extension(None, "复杂", sh(2025, 10, 31)), ["notice"]),
        (Extension(sh(2025, 10, 10), "  ", sh(2025, 10, 31)), ["reason"]),
        (Extension(sh(2025, 10, 10), None, sh(2025, 10, 31)), ["reason"]),
        (Extension(sh(2025, 10, 10), "复杂", None), ["no new deadline"]),
        (Extension(sh(2025, 10, 10), "复杂", ORIGINAL), ["not later"]),
        (Extension(sh(2025, 10, 20), "", None), ["late", "reason", "no new deadline"]),
    ],
)
def test_extension_ignored(ext, words):
    due, note = effective_deadline(ORIGINAL, ext)
    assert due == ORIGINAL
    assert note is not None and note.startswith("extension ignored")
    for word in words:
        assert word in note


# ----------------------------------------------------------------------- verdicts
def test_judge_deadline_cases():
    start, due = sh(2025, 3, 1, 8), sh(2025, 3, 2, 8)
    assert judge_deadline(start, None, due, sh(2025, 3, 1, 20)) == "pending"
    assert judge_deadline(start, None, due, due) == "pending"
    assert judge_deadline(start, None, due, due + timedelta(microseconds=1)) == "fail"
    assert judge_deadline(start, sh(2025, 3, 1, 9), due, sh(2025, 3, 5)) == "pass"
    # An end after as_of has not happened yet at as_of.
    assert judge_deadline(start, sh(2025, 3, 1, 9), due, sh(2025, 3, 1, 8, 30)) == "pending"
    assert judge_deadline(start, sh(2025, 3, 3), due, sh(2025, 3, 1, 8, 30)) == "pending"
    assert judge_deadline(start, sh(2025, 3, 3), due, sh(2025, 3, 4)) == "fail"
    # Naive inputs are Shanghai time: 00:00 UTC on Mar 2 is 08:00 Shanghai, i.e. exactly due.
    assert judge_deadline(start, datetime(2025, 3, 2, 0, tzinfo=UTC), datetime(2025, 3, 2, 8), sh(2025, 4, 1)) == "pass"


@given(_starts, st.integers(min_value=0, max_value=10**12))
def test_judge_deadline_boundary(due, later_us):
    due = as_shanghai(due)
    as_of = due + timedelta(microseconds=1 + later_us)
    assert judge_deadline(due, due, due, as_of) == "pass"
    assert judge_deadline(due, due + timedelta(microseconds=1), due, as_of) == "fail"
    assert judge_deadline(due, None, due, due) == "pending"
    assert judge_deadline(due, None, due, as_of) == "fail"


def test_time_left():
    due = sh(2025, 3, 2, 8)
    assert time_left(due, sh(2025, 3, 1, 8)) == timedelta(days=1)
    assert time_left(due, datetime(2025, 3, 2, 9)) == timedelta(hours=-1)
    assert time_left(due, datetime(2025, 3, 2, 0, tzinfo=UTC)) == timedelta(0)


def test_a_fresh_calendar_holds_every_supported_year():
    """WorkCalendar() itself, not the shared instance the other tests (and a warmed-up test run) built before."""
    cal = WorkCalendar()
    assert (cal.first_year, cal.last_year, repr(cal)) == (2001, derive_last_year(), f"WorkCalendar(2001..{cal.last_year})")
    assert not cal.is_working_day(date(2001, 1, 1)) and cal.is_working_day(date(2001, 1, 2))  # 元旦 of the first year
    assert not cal.is_working_day(date(2026, 10, 1)) and cal.is_working_day(date(2026, 9, 30))
    assert cal.is_working_day(date(2026, 1, 4))  # a Sunday made a working day (调休)
    last_new_year = date(cal.last_year, 1, 1)
    assert not cal.is_working_day(last_new_year)


@pytest.mark.parametrize("year, last, en", [
    (2000, 2026, "2000 is before 2001, the first year of the working-day calendar; working days in 2000 cannot be "
                 "computed"),
    (2001, 2026, "the 2001 holiday arrangement has not been published (official data ends with 2026); working days "
                 "in 2001 cannot be computed"),
    (2027, 2026, "the 2027 holiday arrangement has not been published (official data ends with 2026); working days "
                 "in 2027 cannot be computed"),
    (2027, None, "the 2027 holiday arrangement has not been published; working days in 2027 cannot be computed"),
])
def test_calendar_unavailable_says_why_in_both_languages(year, last, en):
    error = CalendarUnavailable(year, 2001, last)
    zh = (f"{year} 年早于工作日历支持的首个年份 2001 年，无法计算工作日" if year < 2001
          else f"{year} 年节假日安排（国务院办公厅通知）尚未发布，无法计算工作日")
    assert (error.year, error.en, error.zh, error.message, str(error)) == (year, en, zh, f"{zh} / {en}", f"{zh} / {en}")


FORMS = '"2025", "2025-Q1", "2025-03", "2025-W14" or "2025-01-01..2025-06-30"'


@pytest.mark.parametrize("text, why", [
    ("", f"expected {FORMS}"), ("2025-Q5", f"expected {FORMS}"), ("2025-3", f"expected {FORMS}"),
    ("2025-01-01..", f"expected {FORMS}"), ("2025-13", "month must be in 1..12"), ("2025-W54", "Invalid week: 54"),
    ("2025-06-30..2025-01-01", "period starts after it ends: 2025-06-30 > 2025-01-01"),
    ("2025-02-30..2025-03-01", "day is out of range for month")])
def test_period_parse_errors_say_what_is_wrong(text, why):
    with pytest.raises(ValueError, match=f"^{re.escape(f'invalid period {text!r}: {why}')}$"):
        Period.parse(text)


@pytest.mark.parametrize("value", [2025, None])
def test_a_period_is_text(value):
    with pytest.raises(ValueError, match=f"^{re.escape(f'period must be text such as {FORMS}, got {value!r}')}$"):
        Period.parse(value)


def test_period_constructors_check_their_arguments():
    for q in (0, 5):
        with pytest.raises(ValueError, match=f"^quarter must be 1-4, got {q}$"):
            Period.quarter(2025, q)
    assert [Period.quarter(2025, q).label for q in (1, 4)] == ["2025-Q1", "2025-Q4"]
    with pytest.raises(TypeError, match=r"^Period\.start must be a date, got datetime\.datetime\(2025, 1, 1, 0, 0\)$"):
        Period(datetime(2025, 1, 1), date(2025, 1, 2))
    with pytest.raises(TypeError, match=r"^Period\.end must be a date, got '2025-01-02'$"):
        Period(date(2025, 1, 1), "2025-01-02")
    for call in (lambda: unit_containing(date(2025, 1, 1), "day"),
                 lambda: whole_periods(Period.year(2025), "day", datetime(2026, 1, 1))):
        with pytest.raises(ValueError, match="^unknown period unit 'day': expected one of week, month, quarter, year$"):
            call()


def test_covers_includes_both_ends():
    q1 = Period.quarter(2025, 1)
    assert q1.covers(Period.month(2025, 1)) and q1.covers(Period.month(2025, 3)) and q1.covers(q1)
    assert not q1.covers(Period.month(2025, 4)) and not q1.covers(Period.between(date(2024, 12, 31), date(2025, 1, 31)))
    assert not q1.covers(Period.between(date(2025, 3, 1), date(2025, 4, 1)))


def test_skip_reasons_in_order_of_precedence():
    period, after = Period.parse("2025-01-10..2025-12-31"), datetime(2026, 2, 1)
    assert skip_reason(Period.month(2025, 1), period, after) == "cut_by_period"
    assert skip_reason(Period.month(2025, 2), period, after, not_before=date(2025, 2, 2)) == "cut_by_not_before"
    assert skip_reason(Period.month(2025, 2), period, after, not_before=date(2025, 2, 1)) is None
    assert skip_reason(Period.month(2025, 2), period, after, not_before=datetime(2025, 1, 31, 17, tzinfo=UTC)) is None
    assert skip_reason(Period.month(2025, 12), period, datetime(2025, 12, 31, 23, 59)) == "not_ended"
    assert skip_reason(Period.month(2025, 1), period, after, not_before=date(2025, 2, 2)) == "cut_by_period"


# ------------------------------------------------- time limits a rule may set (issue 24: mutation survivors)
def test_the_longest_time_limit_is_100_years_of_366_days_in_each_unit():
    days = 100 * 366
    assert LONGEST == {"second": days * 86400, "minute": days * 1440, "hour": days * 24, "day": days,
                       "working_day": days, "month": 1200, "year": 100}


@pytest.mark.parametrize("unit", ["day", "hour", "month"])
def test_a_time_limit_is_checked_at_1_and_at_the_longest(unit):
    longest = LONGEST[unit]
    assert [amount_problem(n, unit) for n in (1, 2, longest - 1, longest)] == [None] * 4
    assert amount_problem(float(longest), unit) is None  # a whole number written as 2.0 is whole
    assert amount_problem(longest + 1, unit) == f"a time limit is at most {longest} {unit} (100 years; got {longest + 1})"
    assert amount_problem(0, unit) == f"a time limit is at least 1 {unit} (got 0)"
    assert amount_problem(-1, unit) == f"a time limit is at least 1 {unit} (got -1)"


@pytest.mark.parametrize("amount", [1.5, True, False, "3", None])
def test_a_time_limit_that_is_not_a_whole_number_says_so(amount):
    assert amount_problem(amount, "day") == (f"a time limit is a whole number of day (got {amount!r}): write a "
                                             "smaller unit (36 hour, not 1.5 day)")


def test_a_unit_without_a_longest_limit_has_no_upper_bound():
    assert amount_problem(10**12, "fortnight") is None


LATE = ("late notice (告知晚于原期限): notified 2025-10-14T00:00:00+08:00 after the original deadline "
        "2025-10-13T23:59:59.999999+08:00")
NOT_LATER = ("new deadline 2025-10-13T23:59:59.999999+08:00 is not later than the original "
             "2025-10-13T23:59:59.999999+08:00 (新期限未晚于原期限)")


@pytest.mark.parametrize(("ext", "reasons"), [
    (Extension(ORIGINAL + timedelta(microseconds=1), "复杂", sh(2025, 10, 31)), [LATE]),
    (Extension(None, "复杂", sh(2025, 10, 31)), ["no notice date (未记录告知时间)"]),
    (Extension(sh(2025, 10, 10), " \t", sh(2025, 10, 31)), ["no reason given (未说明理由)"]),
    (Extension(sh(2025, 10, 10), "复杂", None), ["no new deadline (未给出新期限)"]),
    (Extension(sh(2025, 10, 10), "复杂", ORIGINAL), [NOT_LATER]),
    (Extension(datetime(2025, 10, 13, 16, 0, tzinfo=UTC), None, datetime(2025, 10, 13, 23, 59, 59, 999999)),
     [LATE, "no reason given (未说明理由)", NOT_LATER]),  # naive and UTC instants are read in Shanghai time
])
def test_an_ignored_extension_names_every_reason(ext, reasons):
    assert effective_deadline(ORIGINAL, ext) == (ORIGINAL, "extension ignored: " + "; ".join(reasons))


def test_an_extension_one_microsecond_later_than_the_original_counts():
    later = ORIGINAL + timedelta(microseconds=1)
    assert effective_deadline(ORIGINAL, Extension(ORIGINAL, "复杂", later)) == (later, None)
    assert effective_deadline(datetime(2025, 10, 13, 15, 59, 59, 999999, tzinfo=UTC),
                              Extension(None, "", later))[0] == ORIGINAL  # the original, read in Shanghai time


# ---------------------------------------------------- the supported dates, at their ends (issue 24)
OUTSIDE = "is outside the supported dates (1900-01-01 to 2199-12-31)"


def test_supported_days_are_1900_01_01_to_2199_12_31_inclusive():
    for day in (date(1900, 1, 1), date(1900, 1, 2), date(2199, 12, 30), date(2199, 12, 31)):
        assert supported_day(day) is day
    for day in (date(1899, 12, 31), date(2200, 1, 1)):
        with pytest.raises(ValueError, match=f"^{day.isoformat()} {re.escape(OUTSIDE)}$"):
            supported_day(day)


def test_supported_instants_are_judged_by_their_shanghai_date():
    first, last = sh(1900, 1, 1), datetime(2199, 12, 31, 23, 59, 59, 999999)
    assert supported_instant(first) == first and supported_instant(last) == sh(2199, 12, 31, 23, 59, 59, 999999)
    # another zone's date outside the range, Shanghai's inside: supported (2199-12-31 23:00 in Shanghai)
    assert supported_instant(datetime(2200, 1, 1, tzinfo=timezone(timedelta(hours=9)))) == sh(2199, 12, 31, 23)
    assert supported_instant(datetime(1899, 12, 31, 20, tzinfo=UTC)).date() == date(1900, 1, 1)
    for value in (datetime(1899, 12, 31, 23, 59, 59, 999999), last + timedelta(microseconds=1), datetime(1, 1, 1),
                  datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))):
        with pytest.raises(ValueError, match=f"^{value.date().isoformat()} {re.escape(OUTSIDE)}$"):
            supported_instant(value)
    with pytest.raises(ValueError, match=r"^2199-12-31T23:00:00-05:00 is 2200-01-01 in Shanghai, outside the "
                                         r"supported dates \(1900-01-01 to 2199-12-31\)$"):
        supported_instant(datetime(2199, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))))
    with pytest.raises(ValueError, match=r"^1900-01-01T00:00:00\+09:00 is 1899-12-31 in Shanghai, outside"):
        supported_instant(datetime(1900, 1, 1, tzinfo=timezone(timedelta(hours=9))))


def test_the_as_of_of_a_date_is_the_end_of_that_day():
    assert supported_as_of(date(2199, 12, 31)) == sh(2199, 12, 31, 23, 59, 59, 999999)
    assert supported_as_of(datetime(2025, 3, 1, 9)) == sh(2025, 3, 1, 9)  # a datetime is that instant
    assert as_of_instant(date(2025, 3, 1)) == sh(2025, 3, 1, 23, 59, 59, 999999)
    with pytest.raises(ValueError, match=f"^1899-12-31 {re.escape(OUTSIDE)}$"):
        supported_as_of(date(1899, 12, 31))


def test_the_first_supported_instant_is_midnight_of_1900_01_01_in_shanghai_local_mean_time():
    """Shanghai kept local mean time (+08:05:43) until 1901: its 1900-01-01 began at 23:54:17+08:00."""
    assert supported_instant(datetime(1899, 12, 31, 23, 54, 17, tzinfo=timezone(EIGHT_HOURS))).date() == date(1900, 1, 1)
    with pytest.raises(ValueError, match=r"^1899-12-31 is outside the supported dates"):
        supported_instant(datetime(1899, 12, 31, 23, 54, 16, 999999, tzinfo=timezone(EIGHT_HOURS)))


@pytest.mark.parametrize("n", [0, -1, True, False, 1.0, "1"])
def test_working_days_are_added_by_a_whole_number_from_1(n):
    with pytest.raises(ValueError, match=f"^{re.escape(f'n must be an integer >= 1, got {n!r}')}$"):
        CAL.add_working_days(date(2025, 3, 3), n)
    assert CAL.add_working_days(date(2025, 3, 3), 1) == date(2025, 3, 4)  # Monday + 1: Tuesday


class _NoOffset(tzinfo):
    """A time zone that does not know its offset: Python treats such a value as naive."""

    def utcoffset(self, dt):
        return None


def test_an_instant_whose_zone_has_no_offset_is_read_as_shanghai_wall_clock():
    assert as_shanghai(datetime(2025, 3, 1, 9, tzinfo=_NoOffset())) == sh(2025, 3, 1, 9)


def test_the_day_of_an_instant_is_its_shanghai_day():
    late_utc = datetime(2025, 3, 1, 16, tzinfo=UTC)  # 2025-03-02 00:00 in Shanghai
    assert (day_start(late_utc), day_end(late_utc)) == (sh(2025, 3, 2), sh(2025, 3, 2, 23, 59, 59, 999999))
    assert day_start(datetime(2025, 3, 2, 23, 59)) == sh(2025, 3, 2)  # naive: Shanghai wall clock


def test_the_as_of_of_an_instant_is_that_instant_in_shanghai():
    assert as_of_instant(datetime(2025, 3, 1, 16, tzinfo=UTC)) == sh(2025, 3, 2)
    assert as_of_instant(datetime(2025, 3, 1, 16)) == sh(2025, 3, 1, 16)  # naive: Shanghai wall clock, not day's end


class _EveryDayWorks(WorkCalendar):
    """A calendar of the caller's: every day a working day."""

    def is_working_day(self, d):
        return True


def test_a_working_day_deadline_counts_by_the_calendar_it_is_given():
    assert deadline(sh(2025, 10, 1, 9), 3, "working_day", _EveryDayWorks()) == day_end(date(2025, 10, 4))
    assert deadline(sh(2025, 10, 1, 9), 3, "working_day") == day_end(date(2025, 10, 11))  # 国庆: Oct 9, 10, 11 (调休)


def test_an_as_of_far_outside_the_supported_dates_is_a_value_error_not_an_overflow():
    for value in (datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))), datetime(1, 1, 1, tzinfo=UTC)):
        with pytest.raises(ValueError, match=f"^{value.date().isoformat()} is outside the supported dates"):
            supported_as_of(value)


@pytest.mark.parametrize("value, named", [
    (datetime(1899, 12, 31, 20, tzinfo=timezone(timedelta(hours=-5))), None),  # 1900-01-01 in Shanghai: supported
    (datetime(1898, 12, 31, 20, tzinfo=timezone(timedelta(hours=-5))), "1898-12-31"),  # two years out: not converted
    (datetime(2200, 1, 1, tzinfo=timezone(timedelta(hours=9))), None),  # 2199-12-31 23:00 in Shanghai: supported
    (datetime(2201, 1, 1, tzinfo=timezone(timedelta(hours=9))), "2201-01-01")])
def test_only_an_instant_within_a_year_of_the_supported_dates_is_read_in_shanghai(value, named):
    """The year margin is one year each side: a value dated in 1899 or 2200 is converted and judged by its Shanghai
    date; one dated in 1898 or 2201 is refused by its own date, unconverted (as 0001-01-01 is, which would overflow),
    though its Shanghai date (1899-01-01, 2200-12-31) differs from it."""
    if named is None:
        assert FIRST_DAY <= supported_instant(value).date() <= LAST_DAY
    else:
        with pytest.raises(ValueError, match=f"^{named} {re.escape(OUTSIDE)}$"):
            supported_instant(value)


def test_a_holidays_release_without_any_official_arrangement_is_refused_by_name(monkeypatch):
    """Were `holidays.China` to hold no year with make-up working days (调休上班), there is no last official year:
    the calendar refuses to start, saying why, rather than guess one."""
    from hongfeng_rules.timecalc import workdays

    monkeypatch.setattr(workdays, "has_makeup_workdays", lambda year: False)
    derive_last_year.cache_clear()
    try:
        with pytest.raises(RuntimeError, match=r"^holidays\.China has no official holiday arrangement "
                                               r"\(no make-up working days\)$"):
            derive_last_year()
    finally:
        derive_last_year.cache_clear()
    monkeypatch.undo()
    assert derive_last_year() == CAL.last_year


# 1986-05-04: Shanghai's clocks went from 02:00 to 03:00 (summer time, 1986-1991); 1986-09-14: from 02:00 back to 01:00
@pytest.mark.parametrize("wall, exists", [
    ("1986-05-04T01:59:59", True), ("1986-05-04T02:00:00", False), ("1986-05-04T02:30:00", False),
    ("1986-05-04T02:59:59", False), ("1986-05-04T03:00:00", True),
    ("1986-09-14T01:30:00", True),  # twice on the clock: the first (summer time), as Python's fold=0 reads it
    ("1992-05-04T02:30:00", True),  # no summer time since 1992
])
def test_a_naive_instant_in_the_hour_summer_time_skipped_is_refused(wall: str, exists: bool):
    value = datetime.fromisoformat(wall)
    if exists:
        assert supported_instant(value).replace(tzinfo=None) == value
    else:
        with pytest.raises(ValueError, match=rf"^{re.escape(wall)} did not exist in Shanghai: its clocks were put "
                                             r"forward an hour that day \(summer time\); give the instant with its offset$"):
            supported_instant(value)
    aware = datetime.fromisoformat(wall + "+08:00")  # with its offset it is an instant, whatever the clocks read
    assert supported_instant(aware).timestamp() == aware.timestamp()  # (PEP 495: an ambiguous time equals no other zone's)


@pytest.mark.parametrize("start, problem", [
    ("1986-05-04T01:59:59", None), ("1986-05-04T02:00:00", "1986-05-04T02:00:00 did not exist in Shanghai"),
    ("1986-05-04T03:00:00", None), ("1986-05-04T02:30:00+08:00", None),
])
def test_a_skipped_wall_time_in_a_dataset_is_the_records_problem_not_a_crash(start: str, problem: str | None):
    from helpers import load_problems, valid_with
    from hongfeng_rules.tables import tables_from_data

    day = start[:10]
    training = {"id": "tr1", "team_id": "t1", "kind": "regular", "start": start, "end": f"{day}T23:00:00",
                "attendee_ids": ["m0", "m1"]}
    data = valid_with(trainings=[training])
    if problem is None:
        assert tables_from_data(data).frames["trainings"].height == 1
    else:
        found = load_problems(data)
        assert len(found) == 1 and "trainings[0]" in found[0] and "start" in found[0] and problem in found[0], found
