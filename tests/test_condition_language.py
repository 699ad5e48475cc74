"""The condition language (checks/where.py), operator by operator, on single records: three-valued results
(True, False, unknown = None), operands that are variables, and the error texts of conditions that cannot
compile. These tests pin what mutation testing found unpinned (issue 24)."""
import json
import re
from datetime import date, datetime, timedelta

import pytest

from hongfeng_rules.checks.context import Context
from hongfeng_rules.checks.where import AGE_UNITS, OPERATORS, VARIABLES, ConditionError, compile_condition
from hongfeng_rules.index import Index
from hongfeng_rules.models.activities import Participation
from hongfeng_rules.models import COLLECTIONS, AssistanceCase, Dispute, FollowUp, Hazard, ImprovementItem, Member
from hongfeng_rules.timecalc import Period, default_calendar, supported_as_of

from helpers import member, team_data


def ctx(period="2025-Q2", as_of=datetime(2025, 6, 30, 12), **collections) -> Context:
    return Context(Index(team_data(**collections)), Period.parse(period), supported_as_of(as_of), default_calendar())


def holds(cond: dict, record, context=None, model=None):
    return compile_condition(cond, model or type(record))(record, context or ctx())


def m(**fields) -> Member:
    return Member.model_validate(member(0, **fields))


def test_not_negates_and_keeps_unknown():
    assert holds({"not": {"party_member": True}}, m(party_member=False)) is True
    assert holds({"not": {"party_member": True}}, m(party_member=True)) is False
    assert holds({"not": {"real_name_verified": True}}, m()) is None  # not(unknown) is unknown


def test_not_of_a_junction_and_inside_a_junction():
    both = {"not": {"party_member": True, "skills": {"min_items": 1}}}  # not (a and b)
    assert holds(both, m(party_member=True, skills=["first aid"])) is False
    assert holds(both, m(party_member=True)) is True
    assert holds({"all_of": [{"not": {"party_member": True}}, {"skills": {"min_items": 1}}]},
                 m(skills=["x"])) is True


def raises(text: str):
    """The exact error text (a substring would let a changed message pass)."""
    return pytest.raises(ConditionError, match=f"^{re.escape(text)}$")


@pytest.mark.parametrize("n, expected", [(0, True), (1, True), (2, False)])
def test_max_items_includes_the_number(n, expected):
    assert holds({"skills": {"max_items": 1}}, m(skills=[f"s{i}" for i in range(n)])) is expected


@pytest.mark.parametrize("n, expected", [(0, False), (1, True), (2, True)])
def test_min_items_includes_the_number(n, expected):
    assert holds({"skills": {"min_items": 1}}, m(skills=[f"s{i}" for i in range(n)])) is expected


def test_item_counts_of_an_unset_list_are_unknown():
    assert holds({"insurance": {"max_items": 1}}, m()) is None
    assert holds({"insurance": {"min_items": 1}}, m()) is None
    assert holds({"insurance": {"min_items": 1}}, m(insurance=[])) is False


def test_item_counts_take_a_whole_number():
    with raises("where.skills.max_items: max_items takes a whole number"):
        compile_condition({"skills": {"max_items": "2"}}, Member)


def test_eq_and_ne_against_a_variable():
    context = ctx(period="2025", as_of=datetime(2025, 3, 1, 12))  # reference date: the as-of day, 2025-03-01
    on_it, before = m(join_date="2025-03-01"), m(join_date="2025-02-28")
    assert holds({"join_date": {"eq": "$reference_date"}}, on_it, context) is True
    assert holds({"join_date": {"eq": "$reference_date"}}, before, context) is False
    assert holds({"join_date": {"ne": "$reference_date"}}, on_it, context) is False
    assert holds({"join_date": {"ne": "$reference_date"}}, before, context) is True
    assert holds({"join_date": {"eq": "$period_start"}}, m(join_date="2025-01-01"), context) is True
    assert holds({"birth_date": {"eq": "$period_start"}}, m(), context) is None
    assert holds({"birth_date": {"ne": "$period_start"}}, m(), context) is None


def test_eq_and_ne_against_a_constant():
    assert holds({"status": {"ne": "active"}}, m(status="exited")) is True
    assert holds({"status": {"ne": "active"}}, m()) is False
    assert holds({"status": "active"}, m()) is True
    assert holds({"unit_id": {"ne": "u1"}}, m()) is None
    assert holds({"join_date": {"eq": "2020-01-01"}}, m()) is True  # a date string is a date


def test_contains_on_a_set_and_an_unset_field():
    assert holds({"mentor_id": {"contains": "m1"}}, m()) is None
    assert holds({"mentor_id": {"contains": "m1"}}, m(mentor_id="m12")) is True
    assert holds({"roles": {"contains": "core"}}, m(roles=["member"])) is False
    assert holds({"roles": {"contains_all": ["core", "captain"]}}, m(roles=["core"])) is False
    assert holds({"roles": {"contains_all": ["core", "captain"]}}, m(roles=["captain", "core"])) is True
    assert holds({"insurance": {"contains_all": []}}, m()) is None


def test_in_and_not_in():
    assert holds({"status": {"in": ["active", "paused"]}}, m()) is True
    assert holds({"status": {"in": ["exited"]}}, m()) is False
    assert holds({"status": {"not_in": ["exited"]}}, m()) is True
    assert holds({"status": {"not_in": ["active"]}}, m()) is False
    assert holds({"unit_id": {"in": ["u1"]}}, m()) is None
    assert holds({"unit_id": {"not_in": ["u1"]}}, m()) is None
    for op in ("in", "not_in", "contains_all"):
        with raises(f"where.status.{op}: {op} takes a list"):
            compile_condition({"status": {op: "active"}}, Member)


def test_is_set():
    assert holds({"unit_id": {"is_set": True}}, m()) is False
    assert holds({"unit_id": {"is_set": False}}, m()) is True
    assert holds({"skills": {"is_set": True}}, m(skills=[])) is False  # an empty list is not set
    assert holds({"mentor_id": {"is_set": True}}, m().model_copy(update={"mentor_id": ""})) is False
    assert holds({"mentor_id": {"is_set": True}}, m(mentor_id="m1")) is True


def test_matches_is_a_full_match():
    assert holds({"name": {"matches": "M[0-9]"}}, m()) is True
    assert holds({"name": {"matches": "M"}}, m()) is False
    assert holds({"mentor_id": {"matches": ".*"}}, m()) is None
    with pytest.raises(ConditionError, match=r"^where\.name\.matches: invalid pattern \(RE2 syntax, linear time\): "):
        compile_condition({"name": {"matches": r"(a)\1"}}, Member)


def test_junctions_are_three_valued():
    unknown, true, false = {"unit_id": "u1"}, {"status": "active"}, {"status": "exited"}
    rec = m()
    assert holds({"any_of": [unknown, true]}, rec) is True
    assert holds({"any_of": [unknown, false]}, rec) is None
    assert holds({"any_of": [false, false]}, rec) is False
    assert holds({"all_of": [unknown, false]}, rec) is False
    assert holds({"all_of": [unknown, true]}, rec) is None
    assert holds({"all_of": [true, true]}, rec) is True
    assert holds({"unit_id": "u1", "status": "exited"}, rec) is False  # keys of one mapping: all of them
    assert holds({}, rec) is True and holds(None, rec) is True


def test_any_and_all_over_a_list_of_records():
    certs = [{"name": "first aid", "valid_until": "2026-01-01"}, {"name": "lifeguard"}]
    rec = m(certificates=certs)
    assert holds({"certificates": {"any": {"name": "lifeguard"}}}, rec) is True
    assert holds({"certificates": {"all": {"name": "lifeguard"}}}, rec) is False
    assert holds({"certificates": {"any": {"valid_until": {"is_set": True}}}}, rec) is True
    assert holds({"certificates": {"all": {"valid_until": {"gte": "2025-06-30"}}}}, rec) is None
    assert holds({"certificates": {"any": {"valid_until": {"lt": "2025-06-30"}}}}, rec) is None
    assert holds({"certificates": {"all": {"name": {"is_set": True}}}}, rec) is True
    assert holds({"certificates": {"any": {"name": "x"}}}, m()) is False  # no items: none
    assert holds({"certificates": {"all": {"name": "x"}}}, m()) is True
    assert holds({"insurance": {"any": {"kind": "other"}}}, m()) is None
    with raises("where.status.any: 'any' needs a list of records"):
        compile_condition({"status": {"any": {"x": 1}}}, Member)


def test_compile_errors_name_the_path_and_why():
    with raises("where: a condition must be a mapping of field to test"):
        compile_condition(["status"], Member)
    with raises("where.all_of: all_of takes a non-empty list of conditions"):
        compile_condition({"all_of": []}, Member)
    with raises("where.any_of: any_of takes a non-empty list of conditions"):
        compile_condition({"any_of": {"status": "active"}}, Member)
    with raises("where.any_of[1].nope: unknown field 'nope'; fields here: " + str(sorted(Member.model_fields))):
        compile_condition({"any_of": [{"status": "active"}, {"nope": 1}]}, Member)
    with raises("where.not.nope: unknown field 'nope'; fields here: " + str(sorted(Member.model_fields))):
        compile_condition({"not": {"nope": 1}}, Member)
    with raises("where.file.nope: unknown field 'nope'; fields here: "
                + str(sorted(Member.model_fields["file"].annotation.__args__[0].model_fields))):
        compile_condition({"file.nope": True}, Member)
    with raises("where.status.like: unknown operator; allowed: " + str(sorted(OPERATORS))):
        compile_condition({"status": {"like": "a"}}, Member)
    with raises("where.join_date.lte: unknown variable $today; known: " + str(list(VARIABLES))):
        compile_condition({"join_date": {"lte": "$today"}}, Member)
    with raises("where.join_date.lte: a threshold with a unit needs a derived value with a unit"):
        compile_condition({"join_date": {"lte": {"value": 3, "unit": "day"}}}, Member)
    with raises("where.status.lte_field: lte_field takes the name of another field of the record"):
        compile_condition({"status": {"lte_field": 3}}, Member)
    with raises("where.join_date.not_older_than: not_older_than takes {value, unit}: a whole value >= 1, unit in "
                + str(sorted(AGE_UNITS))):
        compile_condition({"join_date": {"not_older_than": {"value": 0, "unit": "day"}}}, Member)


@pytest.mark.parametrize("spec", [{"value": 1, "unit": "week"}, {"value": 1.5, "unit": "day"},
                                  {"value": True, "unit": "day"}, {"value": 0, "unit": "day"}, "1 day"])
def test_age_tests_take_a_whole_value_and_a_unit_without_a_calendar(spec):
    with pytest.raises(ConditionError, match=r"^where\.join_date\.within_limit: within_limit takes \{value, unit\}"):
        compile_condition({"join_date": {"within_limit": spec}}, Member)


def test_a_nested_path_reads_through_unset_parts():
    assert holds({"file.personal_info": True}, m()) is None


def hazard(**fields) -> Hazard:
    return Hazard.model_validate({"id": "h1", "team_id": "t1", "found_at": "2025-06-01T09:00:00", **fields})


Q2_NOON = datetime(2025, 6, 30, 12)  # as-of on the period's last day, at noon


@pytest.mark.parametrize("at, expected", [("2025-06-30T11:59:59.999999", True), ("2025-06-30T12:00:00", True),
                                          ("2025-06-30T12:00:00.000001", False), ("2025-06-30T18:00:00", False)])
def test_an_instant_later_on_the_as_of_day_is_after_as_of(at, expected):
    """`lte: $as_of` on an instant compares instants: rectified at 18:00 is not yet rectified at noon (closed
    loop, 6.2.4), though it is the same day as the reference date."""
    assert holds({"rectified_at": {"lte": "$as_of"}}, hazard(rectified_at=at), ctx(as_of=Q2_NOON)) is expected


@pytest.mark.parametrize("at, expected", [("2025-07-05T08:00:00", True), ("2025-07-10T12:00:00", True),
                                          ("2025-07-10T12:00:01", False)])
def test_an_instant_after_the_period_but_before_as_of_is_not_after_as_of(at, expected):
    """As-of after the period's end: `$as_of` is the as-of instant, not the period's last day."""
    context = ctx(as_of=datetime(2025, 7, 10, 12))
    assert context.reference_date == date(2025, 6, 30)
    assert holds({"rectified_at": {"lte": "$as_of"}}, hazard(rectified_at=at), context) is expected
    assert holds({"rectified_at": {"gt": "$as_of"}}, hazard(rectified_at=at), context) is (not expected)


def test_a_date_against_the_as_of_instant_compares_calendar_days():
    item = ImprovementItem.model_validate({"id": "i1", "team_id": "t1", "measure": "m", "due": "2025-06-30"})
    assert holds({"due": {"gte": "$as_of"}}, item, ctx(as_of=Q2_NOON)) is True
    assert holds({"due": {"gt": "$as_of"}}, item, ctx(as_of=Q2_NOON)) is False
    assert holds({"due": {"gte": "$as_of"}}, item, ctx(as_of=datetime(2025, 7, 1, 0, 0))) is False
    assert holds({"due": {"lt": "$as_of"}}, item, ctx(as_of=datetime(2025, 7, 1, 0, 0))) is True


@pytest.mark.parametrize("at, expected", [("2025-06-30T23:59:59", True), ("2025-07-01T00:00:00", False)])
def test_period_end_is_the_periods_last_day(at, expected):
    """`$period_end` is a date: an instant compares by its Shanghai day, whatever the as-of."""
    for as_of in (datetime(2025, 5, 1), datetime(2025, 8, 1)):
        assert holds({"found_at": {"lte": "$period_end"}}, hazard(found_at=at), ctx(as_of=as_of)) is expected
    assert holds({"found_at": {"lte": "$period_end"}}, hazard(found_at="2025-06-30T16:30:00+00:00"),
                 ctx()) is False  # 00:30 on 1 July in Shanghai


@pytest.mark.parametrize("at, expected", [("2025-06-29T23:59:59", False), ("2025-06-30T00:00:00", True),
                                          ("2025-06-30T23:59:59", True), ("2025-07-01T00:00:00", False),
                                          ("2025-06-30T16:30:00+00:00", False)])  # 00:30 on 1 July in Shanghai
def test_an_instant_equals_a_date_on_its_shanghai_day(at, expected):
    """`eq`/`ne: $period_end` on an instant: the day it falls on, as gte/lte and eq_field compare (an instant
    never equalled a date: `closed_at: {eq: $period_end}` was false whenever it was recorded)."""
    assert holds({"found_at": {"eq": "$period_end"}}, hazard(found_at=at)) is expected
    assert holds({"found_at": {"ne": "$period_end"}}, hazard(found_at=at)) is (not expected)


@pytest.mark.parametrize("at, expected", [("2025-03-31T23:59:59", False), ("2025-04-01T00:00:00", True)])
def test_period_start_is_the_periods_first_day(at, expected):
    assert holds({"found_at": {"gte": "$period_start"}}, hazard(found_at=at)) is expected


def test_reference_date_is_the_as_of_day_within_the_period():
    context = ctx(as_of=datetime(2025, 5, 10, 8))
    assert holds({"found_at": {"lte": "$reference_date"}}, hazard(found_at="2025-05-10T20:00:00"), context) is True
    assert holds({"found_at": {"lte": "$reference_date"}}, hazard(found_at="2025-05-11T00:00:00"), context) is False
    assert holds({"found_at": {"lte": "$reference_date"}}, hazard(found_at="2025-06-20T00:00:00"), ctx()) is True


def follow_ups(*ats: str, evaluation: str | None = None) -> list[dict]:
    return [{"id": f"f{i}", "dispute_id": "d1", "at": at, "evaluation": evaluation} for i, at in enumerate(ats)]


def dispute_ctx(*ats: str, **kw) -> tuple[Dispute, Context]:
    context = ctx(disputes=[{"id": "d1", "team_id": "t1", "registered_at": "2025-04-01T09:00:00"}],
                  follow_ups=follow_ups(*ats, **kw))
    return context.index.records("disputes")[0], context


def related(n: int, where: dict | None = None) -> dict:
    spec = {"of": "follow_ups", "via": "dispute_id", "at_least": {"value": n, "unit": "times"}}
    return {"related": spec | ({"where": where} if where else {})}


@pytest.mark.parametrize("visits, need, expected", [(0, 1, False), (1, 1, True), (1, 2, False), (2, 2, True),
                                                    (3, 2, True), (2, 3, False)])
def test_related_counts_each_linked_record_once(visits, need, expected):
    record, context = dispute_ctx(*[f"2025-05-0{i + 1}T10:00:00" for i in range(visits)])
    assert holds(related(need), record, context) is expected


def test_related_counts_neither_records_after_as_of_nor_those_failing_where():
    record, context = dispute_ctx("2025-05-01T10:00:00", "2025-06-30T12:00:01")  # the second after as-of noon
    assert holds(related(1), record, context) is True
    assert holds(related(2), record, context) is False
    record, context = dispute_ctx("2025-05-01T10:00:00", "2025-05-02T10:00:00")
    assert holds(related(1, {"evaluation": {"is_set": True}}), record, context) is False  # unknown is not a match
    record, context = dispute_ctx("2025-05-01T10:00:00", "2025-05-02T10:00:00", evaluation="good")
    assert holds(related(2, {"evaluation": "good"}), record, context) is True


def test_related_with_no_value_in_force_is_unknown():
    record, context = dispute_ctx("2025-05-01T10:00:00")
    dated = {"related": {"of": "follow_ups", "via": "dispute_id",
                         "at_least": {"unit": "times", "values": {"2026-01-01": 1}}}}
    assert holds(dated, record, context) is None


def test_related_errors_name_the_path_and_why():
    ok = {"of": "follow_ups", "via": "dispute_id", "at_least": {"value": 1, "unit": "times"}}
    with raises("where.related: related takes of, via, at_least and optionally where; got ['of', 'via']"):
        compile_condition({"related": {"of": "follow_ups", "via": "dispute_id"}}, Dispute)
    with raises("where.related: related takes of, via, at_least and optionally where; got "
                "['at_least', 'extra', 'of', 'via']"):
        compile_condition({"related": ok | {"extra": 1}}, Dispute)
    with raises("where.related: related takes of, via, at_least and optionally where; got []"):
        compile_condition({"related": None}, Dispute)
    with raises("where.related.of: unknown collection 'visits'; known: " + str(sorted(COLLECTIONS))):
        compile_condition({"related": ok | {"of": "visits"}}, Dispute)
    with raises("where.related.via: follow_ups has no field 'case_id'"):
        compile_condition({"related": ok | {"via": "case_id"}}, Dispute)
    with raises("where.related.at_least.unit: related records are counted in times or item"):
        compile_condition({"related": ok | {"at_least": {"value": 1, "unit": "person"}}}, Dispute)
    with pytest.raises(ConditionError, match=r"^where\.related\.at_least: give exactly one of 'value' or 'values'$"):
        compile_condition({"related": ok | {"at_least": {"unit": "times"}}}, Dispute)
    with raises("where.related.where.nope: unknown field 'nope'; fields here: " + str(sorted(FollowUp.model_fields))):
        compile_condition({"related": ok | {"where": {"nope": 1}}}, Dispute)
    assert compile_condition({"related": ok | {"at_least": {"value": 2, "unit": "item"}}}, Dispute)


@pytest.mark.parametrize("collection, cond, at, model", [
    ("activities", lambda r: {"participants": {"any": r}}, "where.participants.any.related", "Participation"),
    ("members", lambda r: {"certificates": {"all": {"not": r}}}, "where.certificates.all.not.related", "Certificate"),
    ("team_scores", lambda r: r, "where.related", "TeamScore"),
])
def test_related_is_refused_where_the_record_has_no_id_to_link_to(collection, cond, at, model):
    related = {"related": {"of": "follow_ups", "via": "dispute_id", "at_least": {"value": 1, "unit": "times"}}}
    with pytest.raises(ConditionError, match=rf"^{re.escape(at)}: related counts the records that link to this "
                                             rf"record's id, and a {model} has no id$"):
        compile_condition(cond(related), COLLECTIONS[collection].model)


def test_related_collections_finds_every_nested_related():
    from hongfeng_rules.checks.where import related_collections
    inner = {"related": {"of": "follow_ups", "via": "dispute_id"}}
    assert related_collections({"any_of": [{"x": 1}, {"not": inner}]}) == {"follow_ups"}
    assert related_collections({"related": {"of": "follow_ups", "where": inner}}) == {"follow_ups"}
    assert related_collections({"x": {"eq": 1}}) == set() and related_collections(["a"]) == set()


def test_a_related_threshold_that_is_not_one_names_the_field_or_value():
    ok = {"of": "follow_ups", "via": "dispute_id"}
    with raises("where.related.at_least.unit: Field required"):
        compile_condition({"related": ok | {"at_least": {"value": 1}}}, Dispute)
    with raises("where.related.at_least: a threshold is never negative (got -1): at_least -1 can never fail, "
                "at_most -1 never pass"):
        compile_condition({"related": ok | {"at_least": {"value": -1, "unit": "times"}}}, Dispute)


FIELD_CASES = {"eq_field": (False, True, False), "gte_field": (False, True, True), "gt_field": (False, False, True),
               "lte_field": (True, True, False), "lt_field": (True, False, False)}


@pytest.mark.parametrize("op", sorted(FIELD_CASES))
def test_field_comparisons_before_at_and_after(op):
    cond = {"home_visit_at": {op: "started_at"}}
    start = datetime(2025, 3, 1, 9)
    cases = [AssistanceCase(id="c", team_id="t", started_at=start, home_visit_at=start + d)
             for d in (-timedelta(microseconds=1), timedelta(0), timedelta(microseconds=1))]
    assert tuple(holds(cond, c) for c in cases) == FIELD_CASES[op]
    assert holds(cond, AssistanceCase(id="c", team_id="t", started_at=start)) is None
    with raises(f"where.home_visit_at.{op}: unknown field 'started'; fields here: "
                + str(sorted(AssistanceCase.model_fields))):
        compile_condition({"home_visit_at": {op: "started"}}, AssistanceCase)


def test_a_field_comparison_of_a_date_with_an_instant_compares_shanghai_days():
    visit = Member.model_validate(member(0, join_date="2025-03-01"))
    assert holds({"join_date": {"lte_field": "status_since"}}, visit.model_copy(update={"status_since": None})) is None
    case = AssistanceCase(id="c", team_id="t", started_at=datetime(2025, 3, 1, 23, 30))
    assert holds({"started_at": {"lte": "2025-03-01"}}, case) is True
    assert holds({"started_at": {"lt": "2025-03-01"}}, case) is False
    assert holds({"started_at": {"gte": "2025-03-02"}}, case) is False


VALUE_CASES = {"gte": (False, True, True), "gt": (False, False, True), "lte": (True, True, False),
               "lt": (True, False, False)}


@pytest.mark.parametrize("op", sorted(VALUE_CASES))
def test_comparisons_before_at_and_after(op):
    results = tuple(holds({"join_date": {op: "2025-03-01"}}, m(join_date=d))
                    for d in ("2025-02-28", "2025-03-01", "2025-03-02"))
    assert results == VALUE_CASES[op]
    assert holds({"birth_date": {op: "2025-03-01"}}, m()) is None


@pytest.mark.parametrize("op, at, expected", [
    ("not_older_than", "2024-03-01T09:00:00", True),   # a year ago to the day: 以上 includes the end
    ("not_older_than", "2024-02-29T09:00:00", False),
    ("within_limit", "2025-02-01T09:00:00", True),     # a month from 1 Feb runs to the end of 1 Mar
    ("within_limit", "2025-01-31T09:00:00", False),    # … from 31 Jan to the end of 28 Feb
])
def test_age_tests_at_their_ends(op, at, expected):
    context = ctx(period="2025-Q1", as_of=datetime(2025, 3, 1, 12))
    amount = {"value": 12, "unit": "month"} if op == "not_older_than" else {"value": 1, "unit": "month"}
    assert holds({"found_at": {op: amount}}, hazard(found_at=at), context) is expected
    assert holds({"rectified_at": {op: amount}}, hazard(), context) is None


@pytest.mark.parametrize("found, not_older, within", [
    ("2025-03-01T10:59:59.999999", False, False),  # an hour and a microsecond before as-of
    ("2025-03-01T11:00:00", False, True),           # exactly an hour: 以上 includes it; 以内 still on time
    ("2025-03-01T11:00:00.000001", True, True),
])
def test_age_tests_at_the_instant_their_period_runs_out(found, not_older, within):
    """At as-of (12:00 on 1 March, the period 2025-Q1 still running) one hour after the value: `not_older_than`
    is false from that instant on, `within_limit` still true at it (a deadline met at its end)."""
    context = ctx(period="2025-Q1", as_of=datetime(2025, 3, 1, 12))
    hour = {"value": 1, "unit": "hour"}
    assert holds({"found_at": {"not_older_than": hour}}, hazard(found_at=found), context) is not_older
    assert holds({"found_at": {"within_limit": hour}}, hazard(found_at=found), context) is within


@pytest.mark.parametrize("found, expected", [("2025-03-01T11:59:59.999999", True), ("2025-03-01T12:00:00", True),
                                             ("2025-03-01T12:00:00.000001", None)])
def test_not_older_than_is_unknown_for_a_value_dated_after_the_reference_instant(found, expected):
    context = ctx(period="2025-Q1", as_of=datetime(2025, 3, 1, 12))  # the reference instant: as-of
    assert holds({"found_at": {"not_older_than": {"value": 1, "unit": "day"}}}, hazard(found_at=found),
                 context) is expected


def test_not_older_than_counts_to_the_periods_end_and_within_limit_to_as_of():
    """As-of after the period: `not_older_than` is judged at the end of its last day, `within_limit` at as-of."""
    context = ctx(period="2025-Q1", as_of=datetime(2025, 4, 10, 12))
    week = {"value": 7, "unit": "day"}
    assert holds({"found_at": {"not_older_than": week}}, hazard(found_at="2025-03-25T00:00:00"), context) is True
    assert holds({"found_at": {"within_limit": week}}, hazard(found_at="2025-03-25T00:00:00"), context) is False
    assert holds({"found_at": {"not_older_than": week}}, hazard(found_at="2025-04-05T00:00:00"), context) is None
    assert holds({"found_at": {"within_limit": week}}, hazard(found_at="2025-04-05T00:00:00"), context) is True


@pytest.mark.parametrize("op", ["not_older_than", "within_limit"])
def test_a_time_limit_beyond_100_years_is_refused_with_its_bound(op):
    with raises(f"where.found_at.{op}: a time limit is at most 36600 day (100 years; got 1e+12)"):
        compile_condition({"found_at": {op: {"value": 10**12, "unit": "day"}}}, Hazard)
    assert holds({"found_at": {op: {"value": 36600, "unit": "day"}}}, hazard()) is True


def test_age_tests_on_a_derived_instant_read_it_in_context():
    context = ctx(period="2025-Q2", as_of=datetime(2025, 6, 30, 12), activities=[], trainings=[])
    recent, old = m(join_date="2025-06-01"), m(join_date="2025-01-01")  # never active: last active on the join day
    for op in ("not_older_than", "within_limit"):
        cond = {"@last_active_at": {op: {"value": 1, "unit": "month"}}}
        assert (holds(cond, recent, context), holds(cond, old, context)) == (True, False), op


def test_a_path_through_a_value_that_is_not_a_record_is_refused():
    with raises("where.name.first: unknown field 'first'; fields here: []"):
        compile_condition({"name.first": 1}, Member)


def test_a_dotted_path_through_a_list_of_records_is_unknown():
    """A list is read by `any`/`all`; a dotted path through one has no single value (both engines: unknown)."""
    certs = m(certificates=[{"name": "law"}])
    assert holds({"certificates.name": "law"}, certs) is None
    assert holds({"certificates": {"any": {"name": "law"}}}, certs) is True


def test_a_condition_error_keeps_its_path_and_reason():
    with pytest.raises(ConditionError) as info:
        compile_condition({"status": {"like": "a"}}, Member)
    assert (info.value.path, info.value.reason) == ("where.status.like",
                                                    "unknown operator; allowed: " + str(sorted(OPERATORS)))


def test_a_bad_pattern_writes_nothing_to_stderr(capfd):
    with pytest.raises(ConditionError):
        compile_condition({"name": {"matches": "(unclosed"}}, Member)
    assert capfd.readouterr().err == ""


@pytest.mark.parametrize("unit", AGE_UNITS)
def test_every_age_unit_compiles(unit):
    cond = {"found_at": {"not_older_than": {"value": 1, "unit": unit}}}
    assert holds(cond, hazard(found_at="2025-06-30T11:59:59.5")) is True  # as-of is 12:00
    assert holds(cond, hazard(found_at="2024-01-01T00:00:00")) is False


def test_derived_values_with_their_units():
    context = ctx(as_of=datetime(2025, 6, 30))
    thirty = m(birth_date="1995-06-30")
    assert holds({"@age_years": {"gte": {"value": 30, "unit": "year"}}}, thirty, context) is True
    assert holds({"@age_years": {"gt": {"value": 30, "unit": "year"}}}, thirty, context) is False
    assert holds({"@age_years": {"value": 30, "unit": "year"}}, thirty, context) is True  # a bare threshold: eq
    assert holds({"@age_years": {"gte": {"value": 30, "unit": "year"}}}, m(), context) is None
    with raises("where.@age_years.gte: unit 'day' does not match the value's unit 'year'"):
        compile_condition({"@age_years": {"gte": {"value": 3, "unit": "day"}}}, Member)
    known = ["activity_count", "age_years", "last_active_at", "political_review_passed_on", "pre_job_trainings",
             "service_hours", "status_on_reference_date"]
    with raises(f"where.@nope: unknown derived value @nope for members; known: {known}"):
        compile_condition({"@nope": 1}, Member)
    with raises("where.@age_years: unknown derived value @age_years for disputes; known: []"):
        compile_condition({"@age_years": 1}, Dispute)


def test_a_text_that_is_not_a_date_stays_text():
    assert holds({"name": {"eq": "2025-13-01"}}, m(name="2025-13-01")) is True
    assert holds({"name": {"in": ["M0"]}}, m()) is True


def test_age_tests_on_a_date_count_from_its_first_instant():
    cond = {"join_date": {"not_older_than": {"value": 1, "unit": "day"}}}  # as-of: 12:00 on 30 June
    assert holds(cond, m(join_date="2025-06-30")) is True
    assert holds(cond, m(join_date="2025-06-29")) is False
    limit = {"join_date": {"within_limit": {"value": 1, "unit": "day"}}}
    assert holds(limit, m(join_date="2025-06-30")) is True  # due 24 hours after 00:00 on 30 June
    assert holds(limit, m(join_date="2025-06-29")) is False


def test_a_nested_path_reads_a_set_value():
    assert holds({"file.personal_info": True}, m(file={"personal_info": True})) is True
    assert holds({"file.contact": True}, m(file={"personal_info": True})) is False


def test_a_derived_value_of_several_collections_compiles_for_each():
    from hongfeng_rules.models import Unit
    unit = Unit.model_validate({"id": "u1", "team_id": "t1", "name": "U", "level": "group", "status": "demoted",
                                "status_since": "2025-07-01"})
    assert holds({"@status_on_reference_date": "active"}, unit) is True  # demoted after the reference date


def test_related_with_a_dated_value_in_force():
    record, context = dispute_ctx("2025-05-01T10:00:00")
    dated = lambda n: {"related": {"of": "follow_ups", "via": "dispute_id",  # noqa: E731
                                   "at_least": {"unit": "times", "values": {"2025-01-01": n}}}}
    assert holds(dated(1), record, context) is True
    assert holds(dated(2), record, context) is False


def test_errors_inside_any_and_all_name_their_path():
    fields = str(sorted(Member.model_fields["certificates"].annotation.__args__[0].model_fields))
    for op in ("any", "all"):
        with raises(f"where.certificates.{op}.nope: unknown field 'nope'; fields here: {fields}"):
            compile_condition({"certificates": {op: {"nope": 1}}}, Member)
    with raises("check.require.status.like: unknown operator; allowed: " + str(sorted(OPERATORS))):
        compile_condition({"status": {"like": 1}}, Member, "check.require")


@pytest.mark.parametrize("pattern, why", [("(unclosed", "missing ): (unclosed"), (r"(a)\1", r"invalid escape sequence: \1")])
def test_a_bad_pattern_names_re2s_reason(pattern, why):
    with raises(f"where.name.matches: invalid pattern (RE2 syntax, linear time): {why}"):
        compile_condition({"name": {"matches": pattern}}, Member)


def test_a_pattern_that_is_not_utf8_text_is_refused_not_a_crash():
    """A lone surrogate (`whatif --set`: a command line's undecodable byte, or YAML's "\\ud800" through
    yaml.safe_load) cannot be encoded for re2: its UnicodeEncodeError's reason is a str, not re2's bytes."""
    with pytest.raises(ConditionError, match=r"^where\.name\.matches: invalid pattern \(RE2 syntax, linear time\): "):
        compile_condition({"name": {"matches": "a\ud800"}}, Member)


def test_tests_on_derived_values_pass_the_context_on():
    context = ctx(as_of=datetime(2025, 6, 30))
    assert holds({"@age_years": {"is_set": True}}, m(birth_date="1990-01-01"), context) is True
    assert holds({"@age_years": {"is_set": True}}, m(), context) is False
    joined = m(join_date="2025-06-01")  # never active: last active on the join day
    assert holds({"join_date": {"lte_field": "@last_active_at"}}, joined, ctx(activities=[], trainings=[])) is True
    assert holds({"@last_active_at": {"gte_field": "join_date"}}, joined, ctx(activities=[], trainings=[])) is True


def test_a_derived_value_in_a_nested_record_is_unknown_there():
    with raises("where.certificates.any.@age_years: unknown derived value @age_years for None; known: []"):
        compile_condition({"certificates": {"any": {"@age_years": 1}}}, Member)


def test_related_through_a_dotted_link_and_with_variables_in_where():
    context = ctx(members=[member(0)], activities=[
        {"id": "a1", "team_id": "t1", "kind": "patrol", "start": "2025-05-01T09:00:00", "end": "2025-05-01T10:00:00",
         "participants": [{"member_id": "m0", "hours": 1}]},
        {"id": "a2", "team_id": "t1", "kind": "patrol", "start": "2025-03-01T09:00:00", "end": "2025-03-01T10:00:00",
         "participants": [{"member_id": "m0", "hours": 1}]}])
    spec = {"of": "activities", "via": "participants.member_id", "at_least": {"value": 2, "unit": "times"}}
    record = context.index.by_id("members")["m0"]
    assert holds({"related": spec}, record, context) is True
    in_period = {"related": spec | {"where": {"start": {"gte": "$period_start"}}}}
    assert holds(in_period, record, context) is False  # a2 is before the period (2025-Q2)


def test_a_pattern_on_a_derived_value_reads_it_in_context():
    thirty = m(birth_date="1995-06-30")
    assert holds({"@age_years": {"matches": "3[0-9]"}}, thirty, ctx(as_of=datetime(2025, 6, 30))) is True
    assert holds({"@age_years": {"matches": "3[0-9]"}}, thirty, ctx(as_of=datetime(2025, 6, 29))) is False


# -- both engines, operator by operator (issue 24: columns/where.py's mutants were reached only by the random
# differential test): each condition on three members, the column-wise answer, the per-object one and the written one
THREE = [
    member(0, status="active", join_date="2025-04-01", birth_date="1990-05-01", roles=["captain", "core"],
           party_member=True, real_name_verified=True, skills=["law", "first_aid"], insurance=[], mentor_id="m1",
           status_since="2025-04-10", certificates=[{"name": "First aid", "valid_until": "2025-12-31"}],
           file={"personal_info": True}),
    member(1, status="demoted", join_date="2020-01-01", roles=["member"], file={"personal_info": False}),
    member(2, status="exited", join_date="2025-06-30", birth_date="2000-06-30", real_name_verified=False,
           skills=["Law"], status_since="2025-06-01",
           certificates=[{"name": "law"}, {"name": "Z", "valid_until": "2025-01-01"}]),
]
T, F, U = True, False, None
REVIEWS = [{"id": "p0", "member_id": "m0", "result": "passed", "completed_on": "2025-06-30"},
           {"id": "p1", "member_id": "m1", "result": "passed", "completed_on": "2025-04-01"}]
BOTH = [  # (condition, the answers for m0, m1, m2) with as-of at noon on 30 June 2025, the period 2025-Q2
    ({"status": "active"}, [T, F, F]),
    ({"status": {"eq": "active"}}, [T, F, F]),
    ({"status": {"ne": "active"}}, [F, T, T]),
    ({"join_date": {"eq": "$period_start"}}, [T, F, F]),
    ({"join_date": {"ne": "$reference_date"}}, [T, T, F]),
    ({"status": {"in": ["active", "demoted"]}}, [T, T, F]),
    ({"status": {"not_in": ["active"]}}, [F, T, T]),
    ({"status": {"in": [1, "exited"]}}, [F, F, T]),
    ({"roles": {"contains": "core"}}, [T, F, F]),
    ({"roles": {"contains_all": ["captain", "core"]}}, [T, F, F]),
    ({"roles": {"contains_all": ["member", "core"]}}, [F, F, F]),
    ({"skills": {"contains": "law"}}, [T, F, F]),  # "Law" is another text
    ({"name": {"contains": "1"}}, [F, T, F]),
    ({"birth_date": {"is_set": True}}, [T, F, T]),
    ({"skills": {"is_set": False}}, [F, T, F]),
    ({"insurance": {"min_items": 1}}, [F, U, U]),  # [] has none; not recorded is unknown
    ({"insurance": {"max_items": 0}}, [T, U, U]),
    ({"skills": {"max_items": 1}}, [F, T, T]),
    ({"skills": {"min_items": 2}}, [T, F, F]),
    ({"name": {"min_items": 2}}, [T, T, T]),  # a text's length
    ({"name": {"max_items": 1}}, [F, F, F]),
    ({"name": {"matches": "M[01]"}}, [T, T, F]),
    ({"birth_date": {"lt": "1995-01-01"}}, [T, U, F]),
    ({"birth_date": {"lte": "1990-05-01"}}, [T, U, F]),
    ({"birth_date": {"gt": "1990-05-01"}}, [F, U, T]),
    ({"birth_date": {"gte": "2000-06-30"}}, [F, U, T]),
    ({"join_date": {"gte": "$as_of"}}, [F, F, T]),  # a date against the as-of instant: its Shanghai day
    ({"join_date": {"gt": "$as_of"}}, [F, F, F]),
    ({"join_date": {"eq": "$as_of"}}, [F, F, T]),  # a date and an instant: the same Shanghai day, as gte/lte
    ({"join_date": {"ne": "$as_of"}}, [T, T, F]),
    ({"join_date": {"lt": "$period_start"}}, [F, T, F]),
    ({"join_date": {"lte": "$period_end"}}, [T, T, T]),
    ({"real_name_verified": True}, [T, U, F]),
    ({"not": {"real_name_verified": True}}, [F, U, T]),
    ({"any_of": [{"real_name_verified": True}, {"party_member": True}]}, [T, U, F]),
    ({"any_of": [{"real_name_verified": False}, {"status": "demoted"}]}, [F, T, T]),
    ({"all_of": [{"real_name_verified": True}, {"status": "active"}]}, [T, F, F]),
    ({"all_of": [{"real_name_verified": {"is_set": False}}, {"status": "demoted"}]}, [F, T, F]),
    ({"real_name_verified": True, "party_member": True}, [T, F, F]),
    ({"certificates": {"any": {"name": "law"}}}, [F, F, T]),
    ({"certificates": {"all": {"valid_until": {"gte": "$reference_date"}}}}, [T, T, F]),  # no items: all hold
    ({"certificates": {"any": {"valid_until": {"lt": "2025-06-30"}}}}, [F, F, T]),
    ({"certificates": {"any": {"valid_until": {"gt": "2026-01-01"}}}}, [F, F, U]),  # one unknown, none true
    ({"certificates": {"all": {"valid_until": {"is_set": True}}}}, [T, T, F]),
    ({"status_since": {"gte_field": "join_date"}}, [T, U, F]),
    ({"status_since": {"gt_field": "join_date"}}, [T, U, F]),
    ({"status_since": {"lte_field": "join_date"}}, [F, U, T]),
    ({"status_since": {"lt_field": "join_date"}}, [F, U, T]),
    ({"status_since": {"eq_field": "join_date"}}, [F, U, F]),
    ({"party_member": {"eq": 1}}, [T, F, F]),  # a Boolean is a number to Python
    ({"party_member": {"ne": 0}}, [T, F, F]),
    ({"@age_years": {"gte": 35}}, [T, U, F]),  # 35 and 25 on 30 June 2025
    ({"@age_years": {"lt": 25}}, [F, U, F]),
    ({"@status_on_reference_date": {"in": ["active", "demoted"]}}, [T, T, F]),  # m2 exited on 1 June
    ({"@status_on_reference_date": {"not_in": ["active"]}}, [F, T, T]),
    ({"@status_on_reference_date": {"contains": "ite"}}, [F, F, T]),  # a text contains a text
    ({"@status_on_reference_date": {"contains_all": ["de", "mo"]}}, [F, T, F]),
    ({"@status_on_reference_date": {"max_items": 6}}, [T, F, T]),  # a text's length: "demoted" has 7
    ({"@political_review_passed_on": {"eq": "$reference_date"}}, [T, F, U]),  # REVIEWS; m2 has none
    ({"@political_review_passed_on": {"ne": "$reference_date"}}, [F, T, U]),
    ({"file.personal_info": True}, [T, F, U]),
    ({"mentor_id": {"is_set": True}}, [T, F, F]),
    ({"skills": ["law", "first_aid"]}, [T, F, F]),  # a list equals a list
    ({"skills": {"in": [["law", "first_aid"], []]}}, [T, T, F]),
    ({}, [T, T, T]),
]


@pytest.mark.parametrize("cond, expected", BOTH, ids=[json.dumps(c, sort_keys=True) for c, _ in BOTH])
def test_both_engines_answer_each_operator_as_written(cond, expected):
    from hongfeng_rules.columns.context import ColumnContext
    from hongfeng_rules.columns.where import compile_where, holds as column_holds, with_extras
    from hongfeng_rules.tables import from_dataset

    dataset = team_data(members=THREE, political_reviews=REVIEWS)
    period, as_of = Period.parse("2025-Q2"), supported_as_of(Q2_NOON)
    cctx = ColumnContext(from_dataset(dataset), period, as_of, default_calendar())
    condition = compile_where(cond, Member)
    frame = with_extras(cctx.tables.get("members").lazy(), [condition], cctx)
    columns = frame.with_columns(h=column_holds(frame, condition, cctx)).collect()["h"].to_list()
    context = Context(Index(dataset), period, as_of, default_calendar())
    per_object = [compile_condition(cond, Member)(r, context) for r in dataset.members]
    assert columns == per_object == expected


def test_the_column_wise_compile_tells_conditions_and_record_types_apart():
    """Compiled once per process, by the condition's spelling and the record type: two conditions (a text and a
    date that reads the same) and one condition on two record types are each compiled for themselves."""
    from hongfeng_rules.columns.where import compile_where

    text, day = compile_where({"name": {"eq": "2025-01-01"}}, Member), compile_where({"name": "x"}, Member)
    assert text is not day and compile_where({"name": {"eq": "2025-01-01"}}, Member) is text
    assert compile_where({"id": "h1"}, Hazard) is not compile_where({"id": "h1"}, Member)
    dates = compile_where({"join_date": {"eq": "2025-04-01"}}, Member)
    assert dates is not compile_where({"join_date": {"eq": date(2025, 4, 1)}}, Member)  # spelt apart, not equal


@pytest.mark.parametrize("cond, at", [({"nope": 1}, "where"), ({"status": {"like": "a"}}, "where"),
                                      ({"name": {"matches": "("}}, "check.require")])
def test_the_column_wise_compile_refuses_a_condition_as_the_per_object_one(cond, at):
    """columns/where.py compiles only what checks/where.py accepts, with the same error and its place."""
    from hongfeng_rules.columns.where import compile_where

    with pytest.raises(ConditionError) as per_object:
        compile_condition(cond, Member, at)
    args = (at,) if at != "where" else ()  # "where" is the default place
    with raises(str(per_object.value)):
        compile_where(cond, Member, *args)
    assert str(per_object.value).startswith(at + ".")


@pytest.mark.parametrize("at, expected", [("2025-03-31T23:59:59", True), ("2025-04-01T00:00:00", False)])
def test_not_and_a_junction_read_their_variables_in_the_audit_s_context(at, expected):
    """`not` of a test against `$period_start`, and two tests of one field against `$period_start` and
    `$period_end` (a junction), read the variables of the context they are given."""
    assert holds({"not": {"found_at": {"gte": "$period_start"}}}, hazard(found_at=at)) is expected
    inside = {"found_at": {"gte": "$period_start", "lte": "$period_end"}}
    assert holds(inside, hazard(found_at=at)) is (not expected)
    assert holds({"any_of": [{"found_at": {"lt": "$period_start"}}, {"found_at": {"gt": "$period_end"}}]},
                 hazard(found_at=at)) is expected


@pytest.mark.parametrize("op", ["gte_field", "lte_field"])
def test_a_field_comparison_does_not_end_the_tests_of_its_field(op):
    """`{home_visit_at: {gte_field: started_at, lte: …}}`: the test after a field comparison is still applied."""
    start = datetime(2025, 3, 1, 9)
    case = AssistanceCase(id="c", team_id="t", started_at=start, home_visit_at=start)
    assert holds({"home_visit_at": {op: "started_at", "lte": "2025-03-01"}}, case) is True
    assert holds({"home_visit_at": {op: "started_at", "lt": "2025-03-01"}}, case) is False


@pytest.mark.parametrize("value", [{"value": 5}, {"unit": "hours"}])
def test_half_a_quantity_is_read_as_operators_and_refused(value):
    """Only a mapping with both `value` and `unit` is a quantity compared for equality; one key alone is an
    unknown operator, named where it is."""
    with raises(f"where.hours.{next(iter(value))}: unknown operator; allowed: {sorted(OPERATORS)}"):
        compile_condition({"hours": value}, Participation)


# -- columns/where.py (issue 24, second pass): what mutation testing of the column-wise compile found unpinned
MORE = [  # (condition, the answers for THREE's m0, m1, m2), as BOTH
    ({"any_of": [{"join_date": {"eq": "$period_start"}}, {"status": "exited"}]}, [T, F, T]),  # a variable in any_of
    ({"@age_years": {"value": 35, "unit": "year"}}, [T, U, F]),  # a bare threshold with its unit: eq
    ({"@age_years": {"lt": {"value": 30, "unit": "year"}}}, [F, U, T]),
    ({"@age_years": {"gte": 30}, "@status_on_reference_date": "active"}, [T, F, F]),  # two derived values
    ({"certificates.name": "law"}, [U, U, U]),  # a dotted path through a list of records: no single value
    ({"certificates.name": {"contains": "a"}}, [U, U, U]),  # ... an unknown text, as a text
    ({"mentor_id": {"matches": "None|m1"}}, [T, U, U]),  # not recorded is unknown, not the text "None"
    ({"not": {"@age_years": {"gte": 30}}}, [F, U, T]),  # a derived value under not
    ({"not": {"join_date": {"eq": "$period_start"}}}, [F, T, T]),  # a variable under not
    ({"any_of": [{"@age_years": {"gt": 30}}, {"certificates": {"any": {"name": "law"}}}]}, [T, U, T]),
    ({"related": {"of": "political_reviews", "via": "member_id", "at_least": {"value": 1, "unit": "times"}}},
     [T, T, F]),
    ({"join_date": {"lte_field": "@political_review_passed_on"}}, [T, T, U]),  # a field against a derived value
    ({"skills": {"contains_all": []}}, [T, T, T]),  # all of none: true where the list is recorded
    ({"insurance": {"contains_all": []}}, [T, U, U]),
    ({"file": {"eq": {"personal_info": True}}}, [F, F, U]),  # a record equals no YAML value (was NotImplementedError)
    ({"file": {"ne": "x"}}, [T, T, U]),
    ({"file": {"in": [{"personal_info": True}, "x"]}}, [F, F, U]),
]


@pytest.mark.parametrize("cond, expected", MORE, ids=[json.dumps(c, sort_keys=True) for c, _ in MORE])
def test_both_engines_answer_each_condition_as_written(cond, expected):
    test_both_engines_answer_each_operator_as_written(cond, expected)


def column_answers(cond: dict, frame=None, period="2025-Q2", as_of=Q2_NOON) -> list:
    """The column-wise answers for THREE (or `frame`, a plan over them) in one audit."""
    from hongfeng_rules.columns.context import ColumnContext
    from hongfeng_rules.columns.where import compile_where, holds as column_holds, with_extras
    from hongfeng_rules.tables import from_dataset

    cctx = ColumnContext(from_dataset(team_data(members=THREE, political_reviews=REVIEWS)), Period.parse(period),
                         supported_as_of(as_of), default_calendar())
    condition = compile_where(cond, Member)
    frame = with_extras(cctx.tables.get("members").lazy() if frame is None else frame, [condition], cctx)
    return frame.with_columns(h=column_holds(frame, condition, cctx)).collect()["h"].to_list()


def test_one_compiled_condition_reads_each_audit_s_period_and_as_of():
    """The expression is built once per audit dates: the same condition in two audits reads each one's."""
    cond = {"join_date": {"gte": "$period_start"}, "status_since": {"lte": "$as_of"}}
    assert column_answers(cond) == [T, F, T]  # m1 joined in 2020
    assert column_answers(cond, period="2025-Q3", as_of=datetime(2025, 9, 30, 12)) == [F, F, F]
    assert column_answers(cond, as_of=datetime(2025, 4, 9, 12)) == [F, F, F]  # m0's status since 10 April
    assert column_answers(cond) == [T, F, T]


def test_one_compiled_condition_is_built_for_the_types_of_the_columns_it_reads():
    """A text is never a date: the same condition over a frame whose birth_date is text answers as for a text."""
    import polars as pl

    cond = {"birth_date": {"eq": "1990-05-01"}}
    assert column_answers(cond) == [T, U, F]
    from hongfeng_rules.tables import from_dataset
    texts = from_dataset(team_data(members=THREE)).get("members").lazy().with_columns(pl.col("birth_date").cast(pl.String))
    assert column_answers(cond, texts) == [F, U, F]
    assert column_answers(cond) == [T, U, F]


def test_the_column_wise_compile_shares_a_condition_whatever_its_keys_order():
    from hongfeng_rules.columns.where import compile_where

    first = compile_where({"status": "active", "party_member": True}, Member)
    assert compile_where({"party_member": True, "status": "active"}, Member) is first


def test_the_column_wise_compile_tells_two_dates_apart():
    """Operands that are dates (as YAML reads them) are spelt by their value: two dates are two conditions."""
    assert column_answers({"join_date": {"eq": date(2025, 4, 1)}}) == [T, F, F]
    assert column_answers({"join_date": {"eq": date(2025, 6, 30)}}) == [F, F, T]
    assert column_answers({"join_date": {"eq": datetime(2025, 6, 30, 12)}}) == [F, F, T]  # an instant: its day


def test_one_compiled_condition_is_built_once_per_audit_dates_and_column_types():
    """`Condition.expr` gives the expression it built for the same dates and column types, a new one else."""
    from hongfeng_rules.columns.context import ColumnContext
    from hongfeng_rules.columns.where import compile_where
    from hongfeng_rules.tables import from_dataset

    tables = from_dataset(team_data(members=THREE))
    audit = lambda as_of: ColumnContext(tables, Period.parse("2025-Q2"), supported_as_of(as_of), default_calendar())  # noqa: E731
    condition = compile_where({"join_date": {"lte": "$as_of"}, "name": {"min_items": 2}}, Member)
    schema = tables.get("members").lazy().collect_schema()
    built = condition.expr(audit(Q2_NOON), schema)
    assert condition.expr(audit(Q2_NOON), dict(schema)) is built
    assert condition.expr(audit(datetime(2025, 6, 1)), schema) is not built


# -- columns/where.py (issue 24, third pass): comparisons, contains and age tests the tables above left unpinned
def both_answers(cond: dict, collection: str, records: list[dict], as_of=Q2_NOON) -> list:
    """The column-wise answers for `records` of `collection`, checked equal to the per-object ones."""
    from hongfeng_rules.columns.context import ColumnContext
    from hongfeng_rules.columns.where import compile_where, holds as column_holds, with_extras
    from hongfeng_rules.tables import from_dataset

    dataset = team_data(**{collection: records})
    model = COLLECTIONS[collection].model
    period, as_of = Period.parse("2025-Q2"), supported_as_of(as_of)
    cctx = ColumnContext(from_dataset(dataset), period, as_of, default_calendar())
    condition = compile_where(cond, model)
    frame = with_extras(cctx.tables.get(collection).lazy(), [condition], cctx)
    columns = frame.with_columns(h=column_holds(frame, condition, cctx)).collect()["h"].to_list()
    context = Context(Index(dataset), period, as_of, default_calendar())
    assert columns == [compile_condition(cond, model)(r, context) for r in getattr(dataset, collection)]
    return columns


def hazards(*found_at: str, **fields) -> list[dict]:
    return [{"id": f"h{i}", "team_id": "t1", "found_at": at, "major": i % 2 == 0, **fields}
            for i, at in enumerate(found_at)]


def test_both_engines_compare_an_instant_with_the_as_of_instant():
    """An instant against `$as_of` (noon, 30 June) compares instants, to the microsecond, not days."""
    found = hazards("2025-06-30T11:00:00", "2025-06-30T12:00:00", "2025-06-30T12:00:00.000001", "2025-05-31T20:00:00")
    assert both_answers({"found_at": {"gte": "$as_of"}}, "hazards", found) == [F, T, T, F]
    assert both_answers({"found_at": {"lt": "$as_of"}}, "hazards", found) == [T, F, F, T]
    assert both_answers({"found_at": {"lte": "$as_of"}}, "hazards", found) == [T, T, F, T]
    assert both_answers({"reported_at": {"gt": "$as_of"}}, "hazards", found) == [U, U, U, U]


def test_both_engines_compare_a_boolean_with_a_number():
    """A Boolean is a number to Python: True >= 1, False < 1."""
    found = hazards("2025-06-01T09:00:00", "2025-06-01T09:00:00", "2025-06-01T09:00:00")  # major: T, F, T
    assert both_answers({"major": {"gte": 1}}, "hazards", found) == [T, F, T]
    assert both_answers({"major": {"lt": 0.5}}, "hazards", found) == [F, T, F]


def test_both_engines_compare_texts_as_python_does():
    """Texts are ordered by their characters ("M10" < "M2"); the threshold a text, never a date."""
    names = [member(i, name=n) for i, n in enumerate(["M10", "M2", "m0", "L"])]
    assert both_answers({"name": {"gte": "M2"}}, "members", names) == [F, T, T, F]
    assert both_answers({"name": {"lt": "M10"}}, "members", names) == [F, F, F, T]


def test_both_engines_compare_a_whole_number_with_a_fraction():
    """`@age_years` (a whole number) against 34.5 is not against 34: a member of 34 is younger."""
    ages = [member(0, birth_date="1990-05-01"), member(1, birth_date="1990-07-01"), member(2)]  # 35, 34, unknown
    assert both_answers({"@age_years": {"gte": 34.5}}, "members", ages) == [T, F, U]
    assert both_answers({"@age_years": {"lte": 34.5}}, "members", ages) == [F, T, U]


def test_both_engines_read_contains_on_a_text_literally():
    """`contains: "."` is a full stop in the text, not a pattern that matches any character."""
    names = [member(0, name="M.0"), member(1, name="Mx0"), member(2, name="M[0]")]
    assert both_answers({"name": {"contains": "."}}, "members", names) == [T, F, F]
    assert both_answers({"name": {"contains": "[0]"}}, "members", names) == [F, F, T]
    assert both_answers({"name": {"contains_all": ["M", "x"]}}, "members", names) == [F, T, F]


def test_both_engines_never_find_a_yaml_value_in_a_list_of_records():
    """A record is no YAML mapping: a list of records contains no mapping, even one spelling a record, nor null."""
    records = [member(0, certificates=[{"name": "law"}]), member(1, certificates=[]),
               member(2, certificates=[{"name": "First aid", "valid_until": "2025-12-31"}])]
    same = {"name": "law", "valid_until": None}
    assert both_answers({"certificates": {"contains": same}}, "members", records) == [F, F, F]
    assert both_answers({"certificates": {"contains": None}}, "members", records) == [F, F, F]
    assert both_answers({"insurance": {"contains": {"kind": "accident"}}}, "members", records) == [U, U, U]
    assert both_answers({"skills": {"contains": None}}, "members", [member(0, skills=["law"])]) == [F]


@pytest.mark.parametrize("op", ["not_older_than", "within_limit"])
def test_both_engines_count_months_from_an_instant_s_shanghai_day(op):
    """A month from an instant counts from its Shanghai calendar day: on 30 June, whatever the hour, an
    instant found on 30 May is within a month, one found on 29 May is not."""
    found = hazards("2025-05-30T00:00:00", "2025-05-30T07:59:59", "2025-05-30T23:59:59", "2025-05-29T23:59:59",
                    "2025-05-31T00:00:00")
    answers = both_answers({"found_at": {op: {"value": 1, "unit": "month"}}}, "hazards", found)
    assert answers == [T, T, T, F, T]
    at_day_end = both_answers({"found_at": {op: {"value": 1, "unit": "month"}}}, "hazards", found,
                              as_of=datetime(2025, 6, 30, 23, 59, 59, 999999))
    assert at_day_end == ([F, F, F, F, F] if op == "not_older_than" else [T, T, T, F, T])


@pytest.mark.parametrize("cond, error", [
    ({"name": {"gt": 5}}, "where.name.gt: orders a text: compare it with a text, not 5"),
    ({"join_date": {"lte": "x"}},
     "where.join_date.lte: orders an instant or a date: compare it with a date (2025-06-30) or $as_of, $period_start, "
     "$period_end, $reference_date, not 'x'"),
    ({"name": {"gt": None}}, "where.name.gt: orders a text: compare it with a text, not None"),
    ({"file.personal_info": {"gte": "$as_of"}},
     "where.file.personal_info.gte: orders a number: compare it with a number, not '$as_of'"),
    ({"join_date": {"lte_field": "name"}}, "where.join_date.lte_field: orders an instant or a date, and name is a text"),
    ({"name": {"contains": 5}}, "where.name.contains: name is a text: look for a text in it, not 5"),
    ({"name": {"contains_all": ["a", 5]}}, "where.name.contains_all: name is a text: look for a text in it, not 5"),
    ({"join_date": {"contains": "2"}},
     "where.join_date.contains: looks in a list, or for a text in a text: join_date is an instant or a date"),
    ({"@age_years": {"contains": "2"}},
     "where.@age_years.contains: looks in a list, or for a text in a text: @age_years is a number"),
    ({"@age_years": {"gte": "x"}}, "where.@age_years.gte: orders a number: compare it with a number, not 'x'"),
    ({"join_date": {"lte_field": "@age_years"}},
     "where.join_date.lte_field: orders an instant or a date, and @age_years is a number"),
    ({"name": {"contains_all": 5}}, "where.name.contains_all: contains_all takes a list"),
    ({"file": {"contains": "x"}}, "where.file.contains: looks in a list, or for a text in a text: file is neither"),
    ({"join_date": {"min_items": 1}},
     "where.join_date.min_items: counts a list's items, or a text's characters: join_date is an instant or a date"),
    ({"file.personal_info": {"max_items": 1}},
     "where.file.personal_info.max_items: counts a list's items, or a text's characters: file.personal_info is a "
     "number"),
])
def test_a_test_of_values_it_cannot_compare_is_refused_at_compile(cond, error):
    """gte/gt/lte/lt (and their _field forms) of a text against a number, a date against a time of day as text, a
    yes/no against a variable; `contains` (or `min_items`) in a value that is neither a list nor a text, or a number
    looked for in a text:
    refused when the condition is compiled, by either engine (so `rules lint` names it), where before both failed
    on the first record: an internal error of the audit."""
    from hongfeng_rules.columns.where import compile_where

    with pytest.raises(ConditionError, match=f"^{re.escape(error)}$"):
        compile_condition(cond, Member, "where")
    with pytest.raises(ConditionError, match=f"^{re.escape(error)}$"):
        compile_where(cond, Member, "where")


def test_a_derived_text_is_ordered_as_a_text():
    """`@nickname` (a group member's nickname, unit text) orders as a text: against a number it is refused."""
    from hongfeng_rules.models import COLLECTIONS as ALL

    with pytest.raises(ConditionError, match=r"^where\.@nickname\.gt: orders a text: compare it with a text, not 5$"):
        compile_condition({"@nickname": {"gt": 5}}, ALL["group_members"].model, "where")
    assert compile_condition({"@nickname": {"gt": "a"}}, ALL["group_members"].model, "where")




def test_a_naive_instant_in_a_condition_built_in_python_is_shanghai_time_in_both_engines():
    """A host may build a condition in Python with a `datetime` without a zone: it is Shanghai wall-clock time, as
    `as_shanghai` reads one everywhere (docs/time.md); the per-object engine failed on it (naive against aware)."""
    found = hazards("2025-06-30T11:59:59", "2025-06-30T12:00:00", "2025-06-30T04:00:00Z")
    noon = datetime(2025, 6, 30, 12)
    assert both_answers({"found_at": {"gte": noon}}, "hazards", found) == [F, T, T]
    assert both_answers({"found_at": {"lt": noon}}, "hazards", found) == [T, F, F]
    assert both_answers({"found_at": {"eq": noon}}, "hazards", found) == [F, T, T]
