"""Differential test of the column-wise engine (issue 18): on small random datasets (unrecorded values, empty
and absent collections, boundary values, Shanghai midnights around the period and as-of) a pack exercising every
operator of the condition language and the count/share/mean/every/document kinds gives the same report, byte
for byte, as the per-object engine; and the age tests of the condition language at the instant before, at and after
each end, in every unit, against written answers."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from hongfeng_rules import auditing, load_pack
from oracle import engine as object_engine
from hongfeng_rules.checks.context import Context
from hongfeng_rules.checks.where import compile_condition
from hongfeng_rules.columns.context import ColumnContext
from hongfeng_rules.columns.where import compile_where, holds, with_extras
from hongfeng_rules.index import Index
from hongfeng_rules.models import Dataset
from hongfeng_rules.tables import from_dataset
from hongfeng_rules.timecalc import SHANGHAI, Period, default_calendar
from helpers import member, rule, team_data, write_pack

T = {"value": 1, "unit": "times"}
RULES = [  # (subject, check, where)
    ("team", {"kind": "count", "of": "members", "where": {"status": "active", "roles": {"contains": "core"}},
              "at_least": {"value": 2, "unit": "person"}}, None),
    ("team", {"kind": "count", "of": "members", "distinct": "skills", "at_least": {"value": 2, "unit": "item"}}, None),
    ("team", {"kind": "count", "of": "trainings", "in_period": True, "where": {"kind": {"in": ["drill", "regular"]}},
              "at_least": T}, None),
    ("team", {"kind": "count", "of": "activities", "via": "participants.member_id", "in_period": True,
              "at_most": {"value": 2, "unit": "times"}}, None),
    ("association", {"kind": "count", "of": "trainings", "via": "team_id->teams.association_id", "in_period": True,
                     "exactly": T}, None),
    ("team", {"kind": "count", "of": "members", "at_least": {"unit": "person", "values": {
        "2025-01-01": 2, "2025-07-01": None, "2026-01-01": 3}}}, None),
    ("team", {"kind": "share", "of": "members", "where": {"status": {"ne": "exited"}},
              "numerator": {"certificates": {"min_items": 1}}, "at_least": {"value": 50, "unit": "percent"}}, None),
    ("team", {"kind": "share", "of": "members", "numerator": {"any_of": [{"party_member": True},
                                                                          {"real_name_verified": True}]},
              "at_least": {"value": 33.33, "unit": "percent"}}, None),
    ("team", {"kind": "share", "of": "members", "numerator": {"real_name_verified": True},
              "at_most": {"value": 50, "unit": "percent"}}, None),  # over its bound: lists the records counted
    ("member", {"kind": "mean", "of": "points", "value": "amount", "at_least": {"value": 1.5, "unit": "point"}}, None),
    ("member", {"kind": "every", "require": {"birth_date": {"lt": "$reference_date"}, "real_name_verified": True}},
     {"status": {"not_in": ["exited"]}}),
    ("member", {"kind": "every", "require": {"not": {"join_date": {"gt": "$as_of"}}}}, None),
    ("member", {"kind": "every", "require": {"certificates": {"all": {"valid_until": {"gte": "$period_end"}}}}}, None),
    ("member", {"kind": "every", "require": {"certificates": {"any": {"valid_from": {"lte": "2025-06-30"},
                                                                      "name": {"matches": "[A-Z].*"}}}}}, None),
    ("member", {"kind": "every", "require": {"join_date": {"not_older_than": {"value": 1, "unit": "month"}}}}, None),
    ("member", {"kind": "every", "require": {"status_since": {"within_limit": {"value": 10, "unit": "day"}}}}, None),
    ("member", {"kind": "every", "require": {"any_of": [{"skills": {"is_set": True}}, {"mentor_id": {"is_set": True}}],
                                             "file.personal_info": True}}, None),
    ("member", {"kind": "every", "require": {"status_since": {"gte_field": "join_date"}}}, None),
    ("member", {"kind": "every", "require": {"roles": {"contains_all": ["core", "member"]}}}, {"party_member": False}),
    ("member", {"kind": "every", "require": {"any_of": [{"roles": ["member"]}, {"skills": {"in": [["law"], [], "law"]}},
                                                        {"status": {"in": ["active", 1]}}, {"party_member": {"eq": 1}},
                                                        {"name": {"eq": "2025-01-01"}}]}}, None),
    ("member", {"kind": "every", "require": {"name": {"contains": "1", "min_items": 2}, "join_date": {
        "ne": "$period_start"}, "birth_date": {"ne": "2025-01-01"}}}, None),
    ("member", {"kind": "every", "require": {"any_of": [{"certificates.name": {"eq": "law"}},
                                                        {"certificates.name": {"is_set": False}}]}}, None),
    ("team", {"kind": "every", "of": "trainings", "in_period": True, "require": {"attendee_ids": {"min_items": 2}},
              "pending_while": {"end": {"within_limit": {"value": 2, "unit": "day"}}}}, None),
    ("team", {"kind": "every", "of": "members", "where": {"status": "active"}, "require": {
        "equipment": {"any": {"issued_on": {"is_set": True}}}}}, None),
    ("dispute", {"kind": "every", "require": {"mediated_at": {"lte_field": "registered_at"}},
                 "pending_while": {"registered_at": {"within_limit": {"value": 1, "unit": "month"}}}}, None),
    ("dispute", {"kind": "every", "require": {"related": {"of": "follow_ups", "via": "dispute_id", "at_least": T,
                                                          "where": {"at": {"gte": "$period_start"}}}}},
     {"major": True}),
    ("team", {"kind": "document", "document": "charter"}, None),
    ("team", {"kind": "document", "document": "signage", "must_be_valid": False}, None),
    ("association", {"kind": "document", "document": "charter"}, None),
]

EDGES = [datetime(2025, 1, 1, tzinfo=SHANGHAI), datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI),
         datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI), datetime(2026, 1, 1, tzinfo=SHANGHAI),
         datetime(2025, 12, 16, 12, tzinfo=SHANGHAI), datetime(2026, 1, 15, 12, tzinfo=SHANGHAI),
         datetime(2026, 1, 15, 12, 0, 0, 1, tzinfo=SHANGHAI)]
instants = st.one_of(st.sampled_from(EDGES), st.datetimes(datetime(2024, 11, 1), datetime(2026, 2, 28))
                     .map(lambda d: d.replace(tzinfo=SHANGHAI)))
days = st.one_of(st.sampled_from([date(2025, 1, 1), date(2024, 12, 31), date(2025, 12, 31), date(2026, 1, 1),
                                  date(2025, 12, 15), date(2026, 1, 15), date(2026, 1, 16), date(2025, 6, 30),
                                  date(2025, 11, 30), date(2025, 5, 30), date(2026, 1, 5), date(2025, 12, 21)]),
                 st.dates(date(2024, 10, 1), date(2026, 3, 1)))
AS_OFS = [datetime(2026, 1, 15, 12, tzinfo=SHANGHAI), datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI),
          datetime(2025, 6, 30, 0, 0, tzinfo=SHANGHAI), datetime(2025, 12, 30, 23, 59, 59, 999999, tzinfo=SHANGHAI)]
TEAMS, MEMBERS = ["t1", "t2"], [f"m{i}" for i in range(6)]


def maybe(strategy):
    return st.none() | strategy


def iso(value):
    return None if value is None else value.isoformat()


@st.composite
def datasets(draw) -> dict:
    members = [{"id": mid, "team_id": draw(st.sampled_from(TEAMS)), "name": mid, "join_date": iso(draw(days)),
                "birth_date": iso(draw(maybe(days))), "status": draw(st.sampled_from(["active", "demoted", "exited"])),
                "status_since": iso(draw(maybe(days))), "party_member": draw(st.booleans()),
                "real_name_verified": draw(maybe(st.booleans())),
                "roles": draw(st.lists(st.sampled_from(["member", "core", "captain"]), unique=True, max_size=3)),
                "skills": draw(st.lists(st.sampled_from(["first_aid", "mediation", "", "law"]), max_size=3)),
                "certificates": [{"name": draw(st.sampled_from(["First aid", "law", "Z"])),
                                  "valid_from": iso(draw(maybe(days))), "valid_until": iso(draw(maybe(days)))}
                                 for _ in range(draw(st.integers(0, 2)))],
                "equipment": draw(maybe(st.lists(st.fixed_dictionaries({
                    "item": st.sampled_from(["uniform", "radio"]), "issued_on": maybe(days).map(iso)}), max_size=2))),
                "mentor_id": draw(maybe(st.sampled_from(MEMBERS))),
                "file": draw(maybe(st.fixed_dictionaries({"personal_info": st.booleans()})))}
               for mid in MEMBERS[: draw(st.integers(0, len(MEMBERS)))]]

    def span():
        start = draw(instants)
        return iso(start), iso(start + timedelta(seconds=draw(st.sampled_from([0, 1, 3600, 86400, 3 * 86400]))))

    trainings = []
    for i in range(draw(st.integers(0, 5))):
        start, end = span()
        trainings.append({"id": f"tr{i}", "team_id": draw(st.sampled_from(TEAMS)), "kind": draw(st.sampled_from(
            ["drill", "regular", "pre_job"])), "start": start, "end": end,
            "attendee_ids": draw(st.lists(st.sampled_from(MEMBERS), max_size=3))})
    activities = []
    for i in range(draw(st.integers(0, 5))):
        start, end = span()
        activities.append({"id": f"ac{i}", "team_id": draw(st.sampled_from(TEAMS)), "kind": "patrol", "start": start,
                           "end": end, "participants": [{"member_id": draw(st.sampled_from(MEMBERS)), "hours": h}
                                                        for h in draw(st.lists(st.sampled_from([0.0, 0.5, 3.0]),
                                                                               max_size=3))]})
    disputes = [{"id": f"d{i}", "team_id": draw(st.sampled_from(TEAMS)), "registered_at": iso(draw(instants)),
                 "major": draw(st.booleans()), "mediated_at": iso(draw(maybe(instants)))}
                for i in range(draw(st.integers(0, 4)))]
    follow_ups = [{"id": f"f{i}", "dispute_id": f"d{draw(st.integers(0, 3))}", "at": iso(draw(instants))}
                  for i in range(draw(st.integers(0, 4)))]
    evidence = [{"id": f"e{i}", "kind": draw(st.sampled_from(["charter", "signage"])),
                 "team_id": draw(maybe(st.sampled_from(TEAMS))), "association_id": draw(maybe(st.just("a1"))),
                 "issued_on": iso(draw(maybe(days))), "valid_until": iso(draw(maybe(days)))}
                for i in range(draw(st.integers(0, 4)))]
    points = [{"id": f"p{i}", "member_id": draw(st.sampled_from(MEMBERS)), "on": iso(draw(days)),
               "amount": draw(st.integers(-2, 4))} for i in range(draw(st.integers(0, 5)))]
    data = {"points": points, "associations": [{"id": "a1", "name": "A", "level": "county"}],
            "teams": [{"id": t, "association_id": "a1", "name": t.upper(), "founded_on": "2020-01-01"} for t in TEAMS],
            "members": members, "trainings": trainings, "activities": activities, "disputes": disputes,
            "follow_ups": follow_ups, "evidence": evidence}
    for name in draw(st.lists(st.sampled_from(["trainings", "activities", "follow_ups", "evidence", "members", "points"]),
                              unique=True, max_size=2)):
        del data[name]  # an absent collection: not assessable, not empty
    return data


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    rules = [rule(check, subject, rid=f"hf-5.{i}.1-diff", **({"where": where} if where else {}))
             for i, (subject, check, where) in enumerate(RULES)]
    loaded = load_pack(write_pack(tmp_path_factory.mktemp("differential"), *rules))
    return loaded


def report(dataset, pack, as_of, which: str) -> str:
    audit = {"objects": object_engine.audit, "columns": auditing.audit}[which]
    return audit(dataset, pack, "2025", as_of).model_dump_json(indent=1)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=datasets(), as_of=st.sampled_from(AS_OFS))
@example(data={"teams": [], "members": [{"id": "m1", "team_id": "t1", "name": "x", "join_date": "2025-11-30"}]},
         as_of=AS_OFS[-1])  # a month old at the very end of as-of's day: 以上 includes the end
def test_both_engines_give_the_same_report(pack, data, as_of):
    dataset = Dataset.model_validate(data)
    assert report(dataset, pack, as_of, "columns") == report(dataset, pack, as_of, "objects")


COVERAGE_RULES = [  # beyond RULES: the kinds and shapes whose coverage items need their own reading
    ("team", {"kind": "frequency", "of": "trainings", "per": "month", "at_least": T}, None),
    ("team", {"kind": "frequency", "of": "activities", "via": "participants.member_id", "per": "quarter",
              "where": {"kind": "patrol"}, "at_most": {"value": 2, "unit": "times"}}, None),
    ("dispute", {"kind": "deadline", "start": "registered_at", "end": "mediated_at",
                 "within": {"value": 1, "unit": "day"}}, {"all_of": [{"major": True}, {"mediated_at": {"is_set": True}}]}),
    ("dispute", {"kind": "deadline", "start": "registered_at", "end": {"of": "follow_ups", "via": "dispute_id",
                                                                       "field": "at"},
                 "within": {"unit": "working_day", "values": {"2025-01-01": 3, "2025-12-01": 5}}}, None),
    ("team", {"kind": "count", "of": "members", "where": {"any_of": [{"status": "active"}, {"roles": {
        "contains": "core"}}], "not": {"party_member": True}}, "at_least": {"value": 2, "unit": "person"}}, None),
    ("team", {"kind": "rank_within", "of": "members", "score": "@service_hours", "target": {"roles": {
        "contains": "captain"}}, "top": {"value": 2, "unit": "rank"}}, None),
    ("team", {"kind": "mean", "of": "members", "where": {"status": "active"}, "value": "@age_years",
              "at_most": {"value": 40, "unit": "year"}}, None),
]


@pytest.fixture(scope="module")
def probed_rules(tmp_path_factory):
    """Every rule of RULES and COVERAGE_RULES, with its `where` and its check compiled with the per-object probes
    (tests/oracle/probe.py) declared."""
    from hongfeng_rules.rulebook.pack import compile_rule
    from hongfeng_rules.safe_load import Document
    from oracle import probe

    rules = [rule(check, subject, rid=f"hf-5.{i}.1-cov", **({"where": where} if where else {}))
             for i, (subject, check, where) in enumerate(RULES + COVERAGE_RULES)]
    out = []
    for compiled in load_pack(write_pack(tmp_path_factory.mktemp("coverage"), *rules)).rules:
        with probe.declaring() as tests:
            probed = compile_rule(compiled.rule, Document(data=None, file=compiled.file), [])
            object_engine.evaluate_of(probed)
        out.append((compiled, probed, list(dict.fromkeys(tests))))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=datasets(), as_of=st.sampled_from(AS_OFS))
def test_both_engines_reach_the_same_coverage_items(probed_rules, data, as_of):
    """`rules test --coverage` reads the column-wise engine (columns/coverage.py); the per-object probes were its
    definition: the same condition tests asked with the same answers, the same threshold points and dated values."""
    from hongfeng_rules.columns import coverage
    from columns_oracle import contexts
    from oracle import probe

    dataset = Dataset.model_validate(data)
    _, cctx = contexts(dataset, "2025", as_of)
    for compiled, with_probes, tests in probed_rules:
        assert coverage.tests(compiled) == tests
        ctx, _ = contexts(dataset, "2025", as_of)  # its own: the per-object memo shares selections between rules
        probe.hits = set()
        try:
            object_engine.run_rule(with_probes, ctx)
            expected = probe.hits
        finally:
            probe.hits = None
        assert coverage.reached(compiled, cctx) == expected, compiled.rule.id


# -- the age tests at their ends (columns/where.py `_age`; issue 24: not_older_than with <= for < survived) ----------
# Explicit instants, both engines against a written answer: `not_older_than` reads 5.2.7's "1个月以上不活跃": 以上
# includes the number (民法典 §1259), so a value exactly the period old at as-of is already too old;
# `within_limit` reads "N 日内": 以内 includes the end, so as-of at the due instant is still within the limit.

US = timedelta(microseconds=1)
AGE_AS_OF = datetime(2025, 3, 31, 15, 30, tzinfo=SHANGHAI)
EXACT = {"second": timedelta(seconds=1), "minute": timedelta(minutes=1), "hour": timedelta(hours=1),
         "day": timedelta(days=1)}


def age_answers(cond: dict, collection: str, records: list[dict], as_of: datetime,
                period: str = "2025-Q1") -> tuple[list, list]:
    """(column-wise, per-object) answers of `cond` for each record, in order."""
    dataset = team_data(**{collection: records})
    period = Period.parse(period)
    cctx = ColumnContext(from_dataset(dataset), period, as_of, default_calendar())
    condition = compile_where(cond, type(getattr(dataset, collection)[0]))
    frame = with_extras(cctx.tables.get(collection).lazy(), [condition], cctx)
    columns = frame.select(holds(frame, condition, cctx).alias("holds")).collect()["holds"].to_list()
    ctx = Context(Index(dataset), period, as_of, default_calendar())
    per_object = [compile_condition(cond, type(r))(r, ctx) for r in getattr(dataset, collection)]
    return columns, per_object


def hazards(*found: datetime) -> list[dict]:
    return [{"id": f"h{i}", "team_id": "t1", "found_at": at.isoformat()} for i, at in enumerate(found)]


@pytest.mark.parametrize("unit", sorted(EXACT))
@pytest.mark.parametrize("amount", [1, 3])
def test_not_older_than_an_exact_unit_is_false_from_the_instant_the_period_has_run(unit, amount):
    age = EXACT[unit] * amount  # found this long before as-of, give or take a microsecond
    found = [AGE_AS_OF - age + US, AGE_AS_OF - age, AGE_AS_OF - age - US]
    cond = {"found_at": {"not_older_than": {"value": amount, "unit": unit}}}
    columns, per_object = age_answers(cond, "hazards", hazards(*found), AGE_AS_OF)
    assert columns == per_object == [True, False, False]  # less than the period old; exactly (以上); older


@pytest.mark.parametrize("unit", sorted(EXACT))
def test_within_limit_of_an_exact_unit_holds_up_to_the_due_instant(unit):
    found = [AGE_AS_OF - EXACT[unit] + US, AGE_AS_OF - EXACT[unit], AGE_AS_OF - EXACT[unit] - US]
    cond = {"found_at": {"within_limit": {"value": 1, "unit": unit}}}
    columns, per_object = age_answers(cond, "hazards", hazards(*found), AGE_AS_OF)
    assert columns == per_object == [True, True, False]  # as-of before, at (以内) and after the due instant


@pytest.mark.parametrize("op, at_the_end", [("not_older_than", False), ("within_limit", True)])
def test_a_month_ends_at_24_00_of_the_corresponding_day(op, at_the_end):
    """Found on 31 January: the month runs from 1 February to 24:00 of 28 February (§201–203, the month's last
    day); as-of one microsecond before that end, at it (23:59:59.999999, a day's last instant) and on 1 March."""
    found = hazards(datetime(2025, 1, 31, 8, tzinfo=SHANGHAI))
    cond = {"found_at": {op: {"value": 1, "unit": "month"}}}
    end = datetime(2025, 3, 1, tzinfo=SHANGHAI) - US
    for as_of, expected in [(end - US, True), (end, at_the_end), (end + US, False)]:
        assert age_answers(cond, "hazards", found, as_of) == ([expected], [expected]), (op, as_of)


def test_not_older_than_a_day_of_a_date_counts_from_that_day_s_first_instant():
    """A date is its first instant (00:00 in Shanghai): joined on 30 March, a member is one day old at 00:00 of
    31 March, so at as-of 15:30 that day not_older_than one day is false; joined on 31 March, true."""
    members = [member(0, join_date="2025-03-31"), member(1, join_date="2025-03-30"), member(2)]
    cond = {"join_date": {"not_older_than": {"value": 1, "unit": "day"}}}
    columns, per_object = age_answers(cond, "members", members, AGE_AS_OF)
    assert columns == per_object == [True, False, False]
    at_midnight = datetime(2025, 3, 31, tzinfo=SHANGHAI)
    # joined on 31 March is dated after as-of, the reference instant: its age then is unknown
    assert age_answers(cond, "members", members[:2], at_midnight - US) == ([None, True], [None, True])
    assert age_answers(cond, "members", members[:2], at_midnight)[0] == [True, False]


# -- not_older_than is measured to the reference instant: as-of, or the end of the period's last day if earlier
# (5.2.7, review follow-up 6); a value dated after that instant cannot tell its age then: unknown
Q1_END = datetime(2025, 4, 1, tzinfo=SHANGHAI) - US  # 24:00 of 31 March, the end of 2025-Q1
AFTER_Q1 = datetime(2025, 5, 20, 9, tzinfo=SHANGHAI)


@pytest.mark.parametrize("unit", sorted(EXACT))
@pytest.mark.parametrize("as_of, at", [(AGE_AS_OF, AGE_AS_OF), (AFTER_Q1, Q1_END)], ids=["inside", "after"])
def test_not_older_than_is_measured_to_the_reference_instant(unit, as_of, at):
    """Found just under, exactly and just over a unit before the reference instant `at`: with as-of inside the
    period `at` is as-of (unchanged), with as-of after it the end of 31 March; found at `at` is no age, a
    microsecond after it unknown."""
    found = [at - EXACT[unit] + US, at - EXACT[unit], at - EXACT[unit] - US, at, at + US]
    cond = {"found_at": {"not_older_than": {"value": 1, "unit": unit}}}
    columns, per_object = age_answers(cond, "hazards", hazards(*found), as_of)
    assert columns == per_object == [True, False, False, True, None]


@pytest.mark.parametrize("period_end, expected", [("2025-02-27", True), ("2025-02-28", False), ("2025-03-01", False)])
def test_a_month_is_measured_to_the_period_s_end_when_as_of_is_later(period_end, expected):
    """Found on 31 January, the month ends at 24:00 of 28 February (§201–203): a period ending the day before
    that passes, one ending on 28 February has seen the month run (以上 includes it), one ending later too --
    whatever as-of (in May) says; found on 1 March, after the period, unknown."""
    found = hazards(datetime(2025, 1, 31, 8, tzinfo=SHANGHAI), datetime(2025, 3, 2, 8, tzinfo=SHANGHAI))
    cond = {"found_at": {"not_older_than": {"value": 1, "unit": "month"}}}
    answers = age_answers(cond, "hazards", found, AFTER_Q1, f"2025-01-01..{period_end}")
    assert answers == ([expected, None], [expected, None])
    day = {"last_active_on": {"not_older_than": {"value": 1, "unit": "month"}}}
    units = [{"id": f"u{i}", "team_id": "t1", "level": "sub_team", "name": "u", "last_active_on": d}
             for i, d in enumerate(["2025-01-31", "2025-03-02", period_end])]
    assert age_answers(day, "units", units, AFTER_Q1, f"2025-01-01..{period_end}") == (
        [expected, None, True], [expected, None, True])


def test_an_unrecorded_instant_is_unknown_in_both_age_tests():
    records = [{"id": "h0", "team_id": "t1", "found_at": AGE_AS_OF.isoformat(), "rectified_at": None}]
    for op in ("not_older_than", "within_limit"):
        cond = {"rectified_at": {op: {"value": 1, "unit": "hour"}}}
        assert age_answers(cond, "hazards", records, AGE_AS_OF) == ([None], [None])


def test_related_counts_no_record_whose_where_is_unknown():
    """`related` counts the linked records whose `where` holds (is true): a follow-up with no evaluation is
    unknown for `evaluation: good`, not a match (columns.select.matching) -- d1 has one good follow-up of two,
    d2 two good ones."""
    ups = [{"id": f"f{i}", "dispute_id": d, "at": "2025-05-01T10:00:00", "evaluation": e}
           for i, (d, e) in enumerate([("d1", "good"), ("d1", None), ("d2", "good"), ("d2", "good")])]
    dataset = team_data(disputes=[{"id": d, "team_id": "t1", "registered_at": "2025-04-01T09:00:00"}
                                  for d in ("d1", "d2")], follow_ups=ups)
    cond = {"related": {"of": "follow_ups", "via": "dispute_id", "at_least": {"value": 2, "unit": "times"},
                        "where": {"evaluation": "good"}}}
    period = Period.parse("2025")
    cctx = ColumnContext(from_dataset(dataset), period, AS_OFS[0], default_calendar())
    condition = compile_where(cond, type(dataset.disputes[0]))
    frame = with_extras(cctx.tables.get("disputes").lazy(), [condition], cctx)
    columns = frame.select(holds(frame, condition, cctx).alias("holds")).collect()["holds"].to_list()
    ctx = Context(Index(dataset), period, AS_OFS[0], default_calendar())
    assert columns == [compile_condition(cond, type(r))(r, ctx) for r in dataset.disputes] == [False, True]


def test_a_selection_leaves_out_the_records_its_where_is_unknown_for(tmp_path):
    """A check's `where` selects the records it holds for (true, not unknown: columns.select.Select.rows): m1,
    whose real-name verification is unrecorded, is not among the verified members whose skills are counted."""
    check = {"kind": "count", "of": "members", "distinct": "skills", "where": {"real_name_verified": True},
             "at_least": {"value": 2, "unit": "item"}}
    pack = load_pack(write_pack(tmp_path, rule(check)))
    dataset = team_data(members=[member(0, real_name_verified=True, skills=["law"]),
                                 member(1, skills=["first_aid"]),
                                 member(2, real_name_verified=False, skills=["mediation"])])
    columns = report(dataset, pack, AS_OFS[0], "columns")
    assert columns == report(dataset, pack, AS_OFS[0], "objects")
    [finding] = auditing.audit(dataset, pack, "2025", AS_OFS[0]).findings
    assert (finding.status, finding.measured, finding.evidence_ids) == ("fail", "1: law", ["m0"])


def test_in_period_counts_the_records_at_the_period_s_first_instant_and_day(tmp_path):
    """`in_period` includes the period's start (columns.select.counts: `>=`): a training starting at 00:00 of
    1 January in Shanghai and a point dated 1 January count for 2025, those a microsecond or a day before do not."""
    first = datetime(2025, 1, 1, tzinfo=SHANGHAI)
    trainings = [{"id": f"tr{i}", "team_id": "t1", "kind": "drill", "start": at.isoformat(),
                  "end": (at + timedelta(hours=1)).isoformat(), "attendee_ids": []}
                 for i, at in enumerate([first - US, first])]
    points = [{"id": f"p{i}", "member_id": "m0", "on": on, "amount": 1}
              for i, on in enumerate(["2024-12-31", "2025-01-01"])]
    rules = [rule({"kind": "count", "of": "trainings", "in_period": True, "at_least": T}, rid="hf-5.1.1-test"),
             rule({"kind": "count", "of": "points", "in_period": True, "at_least": {"value": 1, "unit": "item"}},
                  "member", rid="hf-5.2.1-test")]
    pack = load_pack(write_pack(tmp_path, *rules))
    dataset = team_data(members=[member(0)], trainings=trainings, points=points)
    columns = report(dataset, pack, AS_OFS[0], "columns")
    assert columns == report(dataset, pack, AS_OFS[0], "objects")
    findings = auditing.audit(dataset, pack, "2025", AS_OFS[0]).findings
    assert sorted((f.rule_id, f.status, f.evidence_ids) for f in findings) == [
        ("hf-5.1.1-test", "pass", ["tr1"]), ("hf-5.2.1-test", "pass", ["p1"])]
