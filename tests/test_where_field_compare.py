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
