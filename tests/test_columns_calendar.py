"""columns.calendar agrees with timecalc.WorkCalendar: every day of its years, and "n working days after" for
days before, inside and after the calendar, the 调休 make-up weekends and instants at a day's start, end and the
microsecond after (which is already the next day)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
import polars as pl
import pytest
from hypothesis import given, settings, strategies as st

from hongfeng_rules.columns.calendar import calendar_table, working_days_after
from hongfeng_rules.tables import SHANGHAI_INSTANT
from hongfeng_rules.timecalc import CalendarUnavailable, SHANGHAI, default_calendar

CAL = default_calendar()
FIRST, LAST = date(CAL.first_year, 1, 1), date(CAL.last_year, 12, 31)
MAKEUP = sorted(d for d in holidays.China(years=range(CAL.first_year, CAL.last_year + 1)).weekend_workdays
                if FIRST <= d <= LAST)


def test_every_day_of_the_calendar():
    table = calendar_table(CAL)
    assert table["day"].to_list() == [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
    assert table["working"].to_list() == [CAL.is_working_day(d) for d in table["day"]]
    assert MAKEUP and all(table.filter(pl.col("day") == d)["working"].item() for d in MAKEUP)  # 调休上班
    ordinal = dict(zip(table["day"], table["ordinal"]))
    for d in list(ordinal)[::97] + [LAST]:  # the running count: WorkCalendar's working days since the first day
        assert ordinal[d] == CAL.working_days_between(FIRST - timedelta(days=1), d), d


@settings(max_examples=150, deadline=None)
@given(a=st.dates(FIRST, LAST), days=st.integers(0, 60))
def test_ordinals_count_working_days_between(a, days):
    b = min(a + timedelta(days=days), LAST)
    ordinal = dict(calendar_table(CAL).filter(pl.col("day").is_in([a, b])).select("day", "ordinal").rows())
    assert ordinal[b] - ordinal[a] == CAL.working_days_between(a, b)


def expected(day: date, n: int) -> tuple[date | None, int | None]:
    try:
        return CAL.add_working_days(day, n), None
    except CalendarUnavailable as exc:
        return None, exc.year


days = st.one_of(st.dates(FIRST - timedelta(days=40), LAST + timedelta(days=40)), st.sampled_from(MAKEUP),
                 st.sampled_from([FIRST - timedelta(days=2), FIRST - timedelta(days=1), FIRST, LAST, LAST -
                                  timedelta(days=3), LAST + timedelta(days=1)]))


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(days, st.integers(1, 30)), min_size=1, max_size=30))
def test_n_working_days_after(rows):
    frame = pl.DataFrame({"day": [d for d, _ in rows], "n": [n for _, n in rows]}, schema={"day": pl.Date, "n": pl.Int64})
    out = working_days_after(frame.lazy(), "day", "n", CAL).collect()
    assert out["day"].to_list() == frame["day"].to_list()  # in the frame's order
    assert list(zip(out["due_day"], out["unavailable_year"])) == [expected(d, n) for d, n in rows]


@settings(max_examples=60, deadline=None)
@given(day=days.filter(lambda d: FIRST <= d <= LAST), n=st.integers(1, 10),
       at=st.sampled_from([time(0), time.max, "next"]))
def test_instants_count_from_their_shanghai_day(day, n, at):
    """The deadline counts from an instant's Shanghai date: 23:59:59.999999 is that day, a microsecond later the next."""
    instant = (datetime.combine(day, time.max, SHANGHAI) + timedelta(microseconds=1) if at == "next"
               else datetime.combine(day, at, SHANGHAI))
    frame = pl.DataFrame({"at": [instant]}, schema={"at": SHANGHAI_INSTANT}).with_columns(day=pl.col("at").dt.date())
    out = working_days_after(frame.lazy(), "day", n, CAL).collect()
    assert (out["due_day"].item(), out["unavailable_year"].item()) == expected(instant.date(), n)


def test_nulls_stay_unknown():
    frame = pl.DataFrame({"day": [None, date(2025, 1, 1)], "n": [1, None]}, schema={"day": pl.Date, "n": pl.Int64})
    out = working_days_after(frame.lazy(), "day", "n", CAL).collect()
    assert out["due_day"].to_list() == [None, None] and out["unavailable_year"].to_list() == [None, None]


def test_counting_from_the_day_before_the_calendar_past_its_end_names_the_year_after_it():
    """From the day before the calendar's first, one working day more than the calendar holds runs past its last
    year: the year it cannot answer is the one after the calendar, not the calendar's first (which it holds)."""
    held = calendar_table(CAL)["working"].sum()
    frame = pl.DataFrame({"day": [FIRST - timedelta(days=1)] * 2, "n": [held, held + 1]},
                         schema={"day": pl.Date, "n": pl.Int64})
    out = working_days_after(frame.lazy(), "day", "n", CAL).collect()
    assert list(zip(out["due_day"], out["unavailable_year"])) == [expected(FIRST - timedelta(days=1), held),
                                                                   expected(FIRST - timedelta(days=1), held + 1)]
    assert out["unavailable_year"].to_list() == [None, CAL.last_year + 1]


@pytest.mark.parametrize("day", [date(CAL.first_year - 2, 12, 31), date(CAL.first_year - 1, 1, 1),
                                 date(CAL.last_year + 1, 12, 31), date(CAL.last_year + 2, 1, 1)])
def test_the_year_a_count_cannot_answer_is_that_of_the_day_after_across_new_year(day):
    """From a day outside the calendar, the year named is the next day's (the first a count would need), on either
    side of a new year, and only `due_day` and `unavailable_year` are added to the frame."""
    frame = pl.DataFrame({"day": [day]}, schema={"day": pl.Date})
    out = working_days_after(frame.lazy(), "day", 1, CAL).collect()
    assert out.columns == ["day", "due_day", "unavailable_year"]
    assert (out["due_day"].item(), out["unavailable_year"].item()) == expected(day, 1) == (None, (day + timedelta(days=1)).year)
