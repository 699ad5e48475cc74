"""A condition's expression is built once per audit dates and types of the columns it reads (columns.where
`Condition.expr`): built again for another as-of, period or column type, reused otherwise — and the answers
stay those of the per-object condition."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import polars as pl

from hongfeng_rules.checks.context import Context
from hongfeng_rules.checks.where import compile_condition
from hongfeng_rules.columns.context import ColumnContext
from hongfeng_rules.columns.where import compile_where, holds
from hongfeng_rules.index import Index
from hongfeng_rules.models import Hazard
from hongfeng_rules.tables import from_dataset
from hongfeng_rules.timecalc import Period, default_calendar
from helpers import team_data

SHANGHAI = ZoneInfo("Asia/Shanghai")
COND = {"found_at": {"not_older_than": {"value": 1, "unit": "day"}, "gte": "$period_start"}}


def _ctx(as_of: datetime, period: str = "2025-Q1", tables=None) -> ColumnContext:
    return ColumnContext(tables, Period.parse(period), as_of, default_calendar())


def test_rebuilt_for_other_dates_and_read_types_reused_otherwise():
    condition = compile_where(COND, Hazard)
    schema = pl.Schema({"id": pl.String, "found_at": pl.Datetime("us", "Asia/Shanghai"), "level": pl.String})
    a, b = datetime(2025, 3, 1, tzinfo=SHANGHAI), datetime(2025, 3, 2, tzinfo=SHANGHAI)
    first = condition.expr(_ctx(a), schema)
    assert condition.expr(_ctx(a), pl.Schema(dict(schema))) is first  # an equal schema, another audit
    assert condition.expr(_ctx(a), pl.Schema({**schema, "level": pl.Int64})) is first  # a column it does not read
    assert condition.expr(_ctx(b), schema) is not first
    assert condition.expr(_ctx(a, "2025-03"), schema) is not first
    assert condition.expr(_ctx(a), pl.Schema({**schema, "found_at": pl.Date})) is not first


def test_answers_follow_the_as_of():
    found = ["2025-03-01T10:00:00+08:00", "2025-03-02T09:00:00+08:00", "2025-02-27T12:00:00+08:00"]
    dataset = team_data(hazards=[{"id": f"h{i}", "team_id": "t1", "found_at": at} for i, at in enumerate(found)])
    tables = from_dataset(dataset)
    condition = compile_where(COND, Hazard)
    for day in (1, 2, 3, 1):
        as_of = datetime(2025, 3, day, 12, tzinfo=SHANGHAI)
        ctx = _ctx(as_of, tables=tables)
        frame = tables.get("hazards").lazy()
        got = frame.select(holds(frame, condition, ctx).alias("h")).collect()["h"].to_list()
        records = Context(Index(dataset), ctx.period, as_of, default_calendar())
        assert got == [compile_condition(COND, Hazard)(r, records) for r in dataset.hazards], day


def test_a_text_spelled_like_a_tagged_date_is_another_condition():
    """The cache key tells a text from a date however the text is spelled ("date:2025-04-01" is a place's
    name here), and keys of several types in one mapping do not break it."""
    from datetime import date

    from hongfeng_rules.columns.where import spelling

    dataset = team_data(hazards=[{"id": "h1", "team_id": "t1", "found_at": "2025-03-01T10:00:00+08:00",
                                  "place": "date:2025-04-01"}])
    tables = from_dataset(dataset)
    ctx = _ctx(datetime(2025, 3, 31, 12, tzinfo=SHANGHAI), tables=tables)
    records = Context(Index(dataset), ctx.period, ctx.as_of, default_calendar())
    frame = tables.get("hazards").lazy()
    for value in (date(2025, 4, 1), "date:2025-04-01", date(2025, 4, 1)):
        cond = {"place": {"eq": value}}
        got = frame.select(holds(frame, compile_where(cond, Hazard), ctx).alias("h")).collect()["h"].to_list()
        assert got == [compile_condition(cond, Hazard)(r, records) for r in dataset.hazards] == [
            isinstance(value, str)], value
    assert len({spelling(v) for v in ("1", 1, 1.0, True, "True", [1], "[1]", {"a": 1}, {1: "a"}, {"1": "a"},
                                      date(2025, 4, 1), "date:2025-04-01", datetime(2025, 4, 1))}) == 13
    assert spelling({1: "a", "b": 2}) == spelling({"b": 2, 1: "a"})
