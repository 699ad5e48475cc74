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
