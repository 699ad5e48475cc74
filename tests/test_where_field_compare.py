"""The field-comparison operators of the condition language (`{lte_field: other}`)."""
from __future__ import annotations

from datetime import datetime

import pytest

from hongfeng_rules.checks.where import ConditionError, compile_condition
from hongfeng_rules.models import AssistanceCase

START = datetime(2025, 3, 1, 9, 0)


def case(visit):
    return AssistanceCase(id="c", team_id="t", started_at=START, home_visit_at=visit)


@pytest.mark.parametrize("visit, expected", [
    (datetime(2025, 2, 28, 9, 0), True),
    (START, True),
    (datetime(2025, 3, 1, 9, 0, 0, 1), False),
    (None, None),  # not recorded: unknown, never a pass
])
def test_lte_field(visit, expected):
    test = compile_condition({"home_visit_at": {"lte_field": "started_at"}}, AssistanceCase)
    assert test(case(visit), None) is expected


def test_lt_field_is_strict():
    test = compile_condition({"home_visit_at": {"lt_field": "started_at"}}, AssistanceCase)
    assert test(case(START), None) is False


def test_unknown_other_field_is_a_condition_error():
    with pytest.raises(ConditionError, match="started"):
        compile_condition({"home_visit_at": {"lte_field": "started"}}, AssistanceCase)


@pytest.mark.parametrize("nickname, name, expected", [
    ("汶河派出所-张三-13812345678", "张三", True),
    ("汶河派出所－张三－13812345678", "张三", True),  # normalised before the name is taken
    ("汶河派出所-李四-13812345678", "张三", False),
    ("汶河派出所-张三-13812345678", None, None),  # name not recorded: unknown
    ("李警官", "张三", None),  # no name part: unknown here, the format test fails it
])
def test_eq_field_against_a_derived_value(nickname, name, expected):
    from hongfeng_rules.models import GroupMember

    member = GroupMember(id="m", online_group_id="g", role="community_police_officer", nickname=nickname, name=name)
    test = compile_condition({"@nickname_name": {"eq_field": "name"}}, GroupMember)
    assert test(member, None) is expected


# -- both engines (issue 24: columns/where.py's field comparisons, `in`, `contains`, `is_set` and `related` were
# reached by no column-wise test of these cases): the column-wise answer, the per-object one and the written one
def both_engines(collection: str, cond: dict, dataset, cctx=None) -> tuple[list, list]:
    from hongfeng_rules.checks.context import Context
    from hongfeng_rules.columns.context import ColumnContext
    from hongfeng_rules.columns.where import compile_where, holds, with_extras
    from hongfeng_rules.index import Index
    from hongfeng_rules.models import COLLECTIONS
    from hongfeng_rules.tables import from_dataset
    from hongfeng_rules.timecalc import Period, default_calendar, supported_as_of

    period, as_of = Period.parse("2025-Q2"), supported_as_of(datetime(2025, 6, 30, 12))
    cctx = cctx or ColumnContext(from_dataset(dataset), period, as_of, default_calendar())
    model = COLLECTIONS[collection].model
    condition = compile_where(cond, model)
    frame = with_extras(cctx.tables.get(collection).lazy(), [condition], cctx)
    columns = frame.with_columns(h=holds(frame, condition, cctx)).collect()["h"].to_list()
    context = Context(Index(dataset), period, as_of, default_calendar())
    per_object = [compile_condition(cond, model)(r, context) for r in getattr(dataset, collection)]
    return columns, per_object


T, F, U = True, False, None
# due on 1 May; closed on its Shanghai day at 01:00 (30 April in UTC) and at 23:30, the evening before, never
ITEMS = [{"id": f"i{i}", "team_id": "t1", "measure": "m", "due": "2025-05-01", "closed_at": at}
         for i, at in enumerate(["2025-05-01T01:00:00", "2025-05-01T23:30:00", "2025-04-30T23:30:00", None])]


@pytest.mark.parametrize("cond, expected", [
    ({"closed_at": {"eq_field": "due"}}, [T, T, F, U]),
    ({"closed_at": {"lte_field": "due"}}, [T, T, T, U]),
    ({"closed_at": {"gt_field": "due"}}, [F, F, F, U]),
    ({"closed_at": {"lt_field": "due"}}, [F, F, T, U]),
    ({"due": {"eq_field": "closed_at"}}, [T, T, F, U]),
    ({"due": {"gte_field": "closed_at"}}, [T, T, T, U]),
    ({"due": {"lt_field": "closed_at"}}, [F, F, F, U]),
    ({"due": {"gt_field": "closed_at"}}, [F, F, T, U]),
])
def test_an_instant_and_a_date_field_compare_as_shanghai_days_in_both_engines(cond, expected):
    from helpers import team_data

    columns, per_object = both_engines("improvements", cond, team_data(improvements=ITEMS))
    assert columns == per_object == expected


MEMBERS = [
    {"id": "m0", "team_id": "t1", "name": "M0", "join_date": "2025-04-01", "status_since": "2025-04-01",
     "mentor_id": "m1", "birth_date": "1990-05-01"},
    {"id": "m1", "team_id": "t1", "name": "M1", "join_date": "2020-01-01", "status_since": "2025-04-02"},
    {"id": "m2", "team_id": "t1", "name": "M2", "join_date": "2020-01-01", "birth_date": "2000-06-30"},
    {"id": "m3", "team_id": "t1", "name": "M3", "join_date": "2020-01-01", "mentor_id": "m2"},
]


@pytest.mark.parametrize("cond, expected", [
    ({"status_since": {"eq_field": "join_date"}}, [T, F, U, U]),  # the same kind: equal or not
    ({"mentor_id": {"eq_field": "birth_date"}}, [F, U, U, U]),  # a text never equals a date; unknown if unset
    ({"birth_date": {"eq_field": "mentor_id"}}, [F, U, U, U]),
    ({"name": {"eq_field": "join_date"}}, [F, F, F, F]),
])
def test_eq_field_of_two_kinds_is_false_unless_a_value_is_not_recorded_in_both_engines(cond, expected):
    from helpers import team_data

    columns, per_object = both_engines("members", cond, team_data(members=MEMBERS))
    assert columns == per_object == expected


def test_eq_field_of_a_number_and_a_boolean_compares_them_as_numbers_in_both_engines():
    """To Python 1 == True and 0 == False: a count and a Boolean field are equal in both engines."""
    from helpers import team_data

    rows = [(1, True), (0, False), (2, True), (1, False), (0, None)]
    inspections = [{"id": f"p{i}", "team_id": "t1", "kind": "random", "at": "2025-05-01T09:00:00",
                    "major_issues": n, "archived": b} for i, (n, b) in enumerate(rows)]
    columns, per_object = both_engines("inspections", {"major_issues": {"eq_field": "archived"}},
                                       team_data(inspections=inspections))
    assert columns == per_object == [T, T, F, F, U]


@pytest.mark.parametrize("cond, expected", [
    ({"real_name_verified": {"in": [1]}}, [T, F, U]),  # a Boolean is a number to Python: True in [1]
    ({"real_name_verified": {"not_in": [0]}}, [T, F, U]),
    ({"real_name_verified": {"in": ["yes", 0.0]}}, [F, T, U]),
    ({"status": {"in": [1, 2]}}, [F, F, F]),  # no value of the field's kind: never in
    ({"status": {"not_in": [1]}}, [T, T, T]),
    ({"unit_id": {"in": [1]}}, [U, U, U]),  # not recorded: unknown
    ({"file": {"in": [1, [1], "x"]}}, [F, F, U]),  # a record is none of these
])
def test_in_takes_only_values_of_the_fields_kind_in_both_engines(cond, expected):
    from helpers import member, team_data

    members = [member(0, real_name_verified=True, file={"personal_info": True}),
               member(1, real_name_verified=False, file={"contact": False}), member(2)]
    columns, per_object = both_engines("members", cond, team_data(members=members))
    assert columns == per_object == expected


@pytest.mark.parametrize("cond, expected", [
    ({"skills": {"contains": 1}}, [F, F, F]),  # a number is no element of a list of texts, "1" included
    ({"skills": {"contains": "1"}}, [T, F, F]),
    ({"skills": {"contains_all": ["1", 1]}}, [F, F, F]),
])
def test_contains_of_another_kind_than_the_lists_items_is_false_in_both_engines(cond, expected):
    from helpers import member, team_data

    members = [member(0, skills=["1", "law"]), member(1, skills=["law"]), member(2)]  # m2: no skills, []
    columns, per_object = both_engines("members", cond, team_data(members=members))
    assert columns == per_object == expected


@pytest.mark.parametrize("cond, expected", [({"owner": {"is_set": True}}, [F, T, F]),
                                            ({"owner": {"is_set": False}}, [T, F, T])])
def test_an_empty_text_is_not_set_in_both_engines(cond, expected):
    from helpers import team_data

    items = [{"id": f"i{i}", "team_id": "t1", "measure": "m", "owner": owner} for i, owner in enumerate(["", "x", None])]
    columns, per_object = both_engines("improvements", cond, team_data(improvements=items))
    assert columns == per_object == expected


# d1: followed up before the period (counted: not after as-of), in it, and after as-of noon; d2 once; d3 never
DISPUTES = [{"id": f"d{i}", "team_id": "t1", "registered_at": "2025-03-01T09:00:00"} for i in (1, 2, 3)]
FOLLOW_UPS = [{"id": "f1", "dispute_id": "d1", "at": "2025-03-10T10:00:00", "evaluation": "good"},
              {"id": "f2", "dispute_id": "d1", "at": "2025-05-01T10:00:00", "evaluation": "good"},
              {"id": "f3", "dispute_id": "d1", "at": "2025-06-30T12:00:01", "evaluation": "bad"},
              {"id": "f4", "dispute_id": "d2", "at": "2025-05-02T10:00:00", "evaluation": "bad"}]


def related(at_least, where: dict | None = None) -> dict:
    at_least = at_least if isinstance(at_least, dict) else {"value": at_least, "unit": "times"}
    return {"related": {"of": "follow_ups", "via": "dispute_id", "at_least": at_least}
            | ({"where": where} if where else {})}


def disputes_context():
    from hongfeng_rules.columns.context import ColumnContext
    from hongfeng_rules.tables import from_dataset
    from hongfeng_rules.timecalc import Period, default_calendar, supported_as_of

    from helpers import team_data

    dataset = team_data(disputes=DISPUTES, follow_ups=FOLLOW_UPS)
    return dataset, ColumnContext(from_dataset(dataset), Period.parse("2025-Q2"),
                                  supported_as_of(datetime(2025, 6, 30, 12)), default_calendar())


@pytest.mark.parametrize("cond, expected", [
    (related(1), [T, T, F]),
    (related(2), [T, F, F]),  # d1's two: before the period and in it; not the one after as-of
    (related(3), [F, F, F]),
    (related({"unit": "times", "values": {"2025-01-01": 2}}), [T, F, F]),  # the value in force on 30 June
    (related({"unit": "times", "values": {"2026-01-01": 1}}), [U, U, U]),  # none in force: unknown
    ({"not": related({"unit": "times", "values": {"2026-01-01": 1}})}, [U, U, U]),
    ({"any_of": [related({"unit": "times", "values": {"2026-01-01": 1}}), {"id": "d3"}]}, [U, U, T]),
])
def test_related_counts_linked_records_up_to_as_of_in_both_engines(cond, expected):
    dataset, cctx = disputes_context()
    columns, per_object = both_engines("disputes", cond, dataset, cctx)
    assert columns == per_object == expected


def test_related_counts_of_two_wheres_are_told_apart_in_one_audit():
    """Two `related` of the same collection and link but different `where`s, in one audit: each its own count
    (a date in a `where`, as YAML gives it, included)."""
    from datetime import date

    dataset, cctx = disputes_context()
    conds = [(related(1, {"evaluation": "good"}), [T, F, F]), (related(1, {"evaluation": "bad"}), [F, T, F]),
             (related(2, {"at": {"gte": date(2025, 3, 10)}}), [T, F, F]),
             (related(2, {"at": {"gte": date(2025, 3, 11)}}), [F, F, F]), ({"id": "d2"}, [F, T, F])]
    for cond, expected in conds:
        columns, per_object = both_engines("disputes", cond, dataset, cctx)
        assert columns == per_object == expected, cond


# -- eq, ne and in against a constant (issue 24: columns.where._equals survivors): a value of another kind than
# the field's is never equal (Python's ==), an instant equals only the same instant, a list only an equal list
def kinds_members():
    from helpers import member

    return [member(0, skills=["1", "law"], real_name_verified=True, mentor_id="m1", insurance=[]),
            member(1, skills=[], real_name_verified=False,
                   insurance=[{"kind": "accident", "start": "2025-01-01", "end": "2025-12-31"}]),
            member(2)]


@pytest.mark.parametrize("cond, expected", [
    ({"name": {"eq": 1}}, [F, F, F]),  # a text is no number
    ({"mentor_id": {"ne": 1}}, [T, U, U]),
    ({"join_date": {"eq": 20200101}}, [F, F, F]),  # nor is a day
    ({"name": {"eq": ["M0"]}}, [F, F, F]),  # a text is no list
    ({"name": {"in": [["M1"], "M0", 0]}}, [T, F, F]),
    ({"skills": {"eq": "1"}}, [F, F, F]),  # a list is no text ...
    ({"skills": {"ne": 1}}, [T, T, T]),  # ... nor a number
    ({"skills": {"eq": ["1", "law"]}}, [T, F, F]),  # an equal list (m2's skills: [])
    ({"skills": {"eq": []}}, [F, T, T]),
    ({"skills": {"eq": [1, "law"]}}, [F, F, F]),  # "1" is not 1
    ({"skills": {"ne": [1]}}, [T, T, T]),
    ({"skills": {"in": [[], ["1", "law"]]}}, [T, T, T]),
    ({"real_name_verified": {"eq": 1.0}}, [T, F, U]),  # a Boolean is a number to Python
])
def test_eq_and_in_of_a_value_of_another_kind_than_the_field_in_both_engines(cond, expected):
    from helpers import team_data

    columns, per_object = both_engines("members", cond, team_data(members=kinds_members()))
    assert columns == per_object == expected


@pytest.mark.parametrize("cond, expected", [
    ({"insurance": {"eq": []}}, [T, F, U]),  # a list of records equals [] when it is empty (m2's: not recorded)
    ({"insurance": {"ne": []}}, [F, T, U]),
    ({"insurance": {"in": [[], "x"]}}, [T, F, U]),
    ({"insurance": {"eq": [{"kind": "accident", "start": "2025-01-01", "end": "2025-12-31"}]}}, [F, F, U]),
])
def test_eq_of_a_list_of_records_with_a_list_in_both_engines(cond, expected):
    """A record equals no YAML value (checks.where: a model is no dict), so a list of records equals only the empty
    list, when it is empty (was NotImplementedError column-wise)."""
    from helpers import team_data

    columns, per_object = both_engines("members", cond, team_data(members=kinds_members()))
    assert columns == per_object == expected


# closed one microsecond before as-of (30 June, noon), at it, and not recorded; the owner a text
AT_AS_OF = [{"id": f"i{i}", "team_id": "t1", "measure": "m", "due": "2025-06-30", "owner": "o", "closed_at": at}
            for i, at in enumerate(["2025-06-30T11:59:59.999999", "2025-06-30T12:00:00", None])]


@pytest.mark.parametrize("cond, expected", [
    ({"closed_at": {"eq": "$as_of"}}, [F, T, U]),  # the same instant only
    ({"closed_at": {"ne": "$as_of"}}, [T, F, U]),
    ({"closed_at": {"eq": "$period_end"}}, [T, T, U]),  # an instant and a day: the Shanghai day
    ({"due": {"eq": "$as_of"}}, [T, T, T]),
    ({"owner": {"eq": "$as_of"}}, [F, F, F]),  # a text is no instant
    ({"owner": {"ne": "$as_of"}}, [T, T, T]),
])
def test_eq_of_an_instant_with_as_of_in_both_engines(cond, expected):
    from helpers import team_data

    columns, per_object = both_engines("improvements", cond, team_data(improvements=AT_AS_OF))
    assert columns == per_object == expected
