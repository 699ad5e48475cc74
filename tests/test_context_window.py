"""Which records count: inside the period and not after as-of, each compared in its time field's own type."""
from __future__ import annotations

from datetime import date, datetime

from hongfeng_rules.checks.context import Context
from hongfeng_rules.index import Index
from hongfeng_rules.models import Dataset
from hongfeng_rules.timecalc import Period, default_calendar
from hongfeng_rules.timecalc.zone import SHANGHAI

AS_OF = datetime(2025, 6, 30, 12, 0, tzinfo=SHANGHAI)


def _ctx(data: Dataset) -> Context:
    return Context(Index(data), Period.parse("2025"), AS_OF, default_calendar())


def _meeting(i: int, held_at: str) -> dict:
    return {"id": f"mt{i}", "team_id": "t1", "kind": "weekly", "held_at": held_at}


def test_instants_at_the_edges_of_the_period_and_of_as_of():
    data = Dataset.model_validate({
        "teams": [{"id": "t1", "association_id": "a1", "name": "一队"}],
        "meetings": [_meeting(1, "2024-12-31T23:59:59"), _meeting(2, "2025-01-01T00:00:00"),
                     _meeting(3, "2025-06-30T12:00:00"), _meeting(4, "2025-06-30T12:00:01"),
                     _meeting(5, "2024-12-31T16:00:00Z")],  # = 2025-01-01 00:00 in Shanghai
    })
    ctx = _ctx(data)
    counted, left_out = ctx.counted("meetings", in_period=True)
    assert [m.id for m in counted] == ["mt2", "mt3", "mt5"]
    assert left_out == {id(m) for m in data.meetings if m.id in ("mt1", "mt4")}
    assert [ctx.in_period("meetings", m) for m in data.meetings] == [False, True, True, False, True]
    assert [ctx.not_after_as_of("meetings", m) for m in data.meetings] == [True, True, True, False, True]
    assert [m.id for m in ctx.counted("meetings", in_period=False)[0]] == ["mt1", "mt2", "mt3", "mt5"]


def test_dates_against_the_reference_day_and_undated_kinds():
    data = Dataset.model_validate({
        "teams": [{"id": "t1", "association_id": "a1", "name": "一队", "founded_on": "2025-06-30"},
                  {"id": "t2", "association_id": "a1", "name": "二队", "founded_on": "2025-07-01"},
                  {"id": "t3", "association_id": "a1", "name": "三队"}],
        "associations": [{"id": "a1", "name": "县协会", "level": "county"}],
    })
    ctx = _ctx(data)
    assert ctx.reference_date == date(2025, 6, 30)
    assert [ctx.in_period("teams", t) for t in data.teams] == [True, False, False]  # undated: not in a period
    assert [ctx.not_after_as_of("teams", t) for t in data.teams] == [True, False, True]  # undated: counted
    association = data.associations[0]  # a kind of record without a time field
    assert ctx.not_after_as_of("associations", association) and not ctx.in_period("associations", association)
    assert ctx.counted("associations", in_period=False) == (data.associations, set())
