"""columns.kinds.levels and .ranking give the per-object MemberLevel and TeamTitle results (checks/levels.py,
checks/ranking.py), field for field: the hongfeng rules on the examples and generated provinces, and random
ledgers (sums at a threshold − 1, at it, + 1; entries before, on and after the reference day; adjustments) and
random score histories (boundary ties, duplicates, unset scores, stored titles, nested scopes, both tie readings)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hongfeng_rules.checks.levels import LevelsCheck
from hongfeng_rules.checks.ranking import RankingCheck
from hongfeng_rules.columns.kinds import DERIVES
from hongfeng_rules.models import Dataset
from hongfeng_rules.report.level_rows import LevelRows
from hongfeng_rules.timecalc import SHANGHAI

from oracle.engine import evaluate_of
from oracle.kinds import evaluator
from columns_oracle import case, contexts, pack_cases, pack_rules, subject_records


def assert_same_results(kind: str, check, collection: str, evaluate, applies, ctx, cctx) -> int:
    records = subject_records(collection, applies, ctx)
    want = [r.model_dump() for r in (evaluate(record, ctx) for record in records) if r is not None]
    table = cctx.tables.get(collection)
    subjects = table.filter(table["id"].is_in([r.id for r in records]))
    got = [r.model_dump() for r in DERIVES[kind](check, collection, subjects, cctx)]
    assert got == want
    return len(got)


@pytest.mark.parametrize("label, pack, kind", [(*c, kind) for kind in ("levels", "ranking") for c in pack_cases(kind)])
def test_pack_rules(label, pack, kind):
    ctx, cctx = contexts(*case(label)[1:])
    assert sum(assert_same_results(kind, r.rule.check, r.subject_collection, evaluate_of(r), r.applies, ctx, cctx)
               for r in pack_rules(pack, kind)) > 0


LEVELS = LevelsCheck.model_validate({"kind": "levels", "of": "points", "levels": [
    {"at_least": {"value": 100, "unit": "point"}, "name": {"key": "l1", "zh": "一", "en": "one"}},
    {"at_least": {"value": 200, "unit": "point"}, "name": {"key": "l2", "zh": "二", "en": "two"}},
    {"at_least": {"unit": "point", "values": {"2000-01-01": 300, "2025-07-01": None}},
     "name": {"key": "l3", "zh": "三", "en": "three"}}]})


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers=st.lists(st.lists(st.tuples(st.sampled_from([100, 99, 1, -1, 50, -100, 200]), st.sampled_from(
    [date(2025, 6, 30), date(2025, 7, 1), date(2025, 12, 31), date(2026, 1, 1), date(2024, 3, 3)])), max_size=6),
    max_size=4), as_of=st.sampled_from([datetime(2025, 6, 30, 23, 59, tzinfo=SHANGHAI),
                                        datetime(2026, 1, 15, 12, tzinfo=SHANGHAI)]), teams=st.booleans())
def test_random_ledgers(ledgers, as_of, teams):
    members = [{"id": f"m{i}", "team_id": f"t{i % 2}", "name": "M", "join_date": "2020-01-01"} for i in range(len(ledgers))]
    points = [{"id": f"p{i}-{j}", "member_id": f"m{i}", "on": on.isoformat(), "amount": amount}
              for i, ledger in enumerate(ledgers) for j, (amount, on) in enumerate(ledger)]
    data = {"members": members, "points": points}
    if teams:
        data |= {"associations": [{"id": "a1", "name": "A", "level": "county"}],
                 "teams": [{"id": "t0", "association_id": "a1", "name": "T"}]}
    ctx, cctx = contexts(Dataset.model_validate(data), "2025", as_of)
    assert assert_same_results("levels", LEVELS, "members", evaluator(LEVELS, "members"), None, ctx, cctx) == len(members)


BANDS = [{"up_to": {"value": 2, "unit": "rank"}, "title": {"key": "three", "zh": "三星", "en": "three-star"}},
         {"up_to": {"value": 4, "unit": "rank"}, "title": {"key": "two", "zh": "二星", "en": "two-star"}}]
UPGRADES = [{"of": "three", "consecutive": {"value": 2, "unit": "year"}, "title": {"key": "four", "zh": "四星", "en": "4"}},
            {"of": "three", "consecutive": {"value": 3, "unit": "year"}, "title": {"key": "five", "zh": "五星", "en": "5"}}]
TEAMS = [("t0", "a1"), ("t1", "a1"), ("t2", "a2"), ("t3", "a3"), ("t4", "a3"), ("t5", "a2")]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scores=st.lists(st.tuples(st.sampled_from([t for t, _ in TEAMS]), st.sampled_from([2023, 2024, 2025]),
                                 st.sampled_from([None, 90.0, 80.0, 80.0, 70.5, 60.0, 0.0]),
                                 st.sampled_from([None, "", "three", "三星", "four-star", "two"])), max_size=18),
       scope=st.sampled_from(["all", "association", "a1", "a2", "a9"]), ties=st.sampled_from(["better", "worse"]),
       upgrades=st.booleans())
def test_random_score_histories(scores, scope, ties, upgrades):
    check = RankingCheck.model_validate({"kind": "ranking", "scope": scope, "ties": ties, "bands": BANDS,
                                         "upgrades": UPGRADES if upgrades else []})
    data = {"associations": [{"id": "a1", "name": "A1", "level": "city"},
                             {"id": "a2", "name": "A2", "level": "county", "parent_id": "a1"},
                             {"id": "a3", "name": "A3", "level": "county"}],
            "teams": [{"id": t, "association_id": a, "name": t} for t, a in TEAMS],
            "team_scores": [{"team_id": t, "year": y, "score": s, "title": title} for t, y, s, title in scores]}
    ctx, cctx = contexts(Dataset.model_validate(data), "2025", datetime(2026, 1, 15, 12, tzinfo=SHANGHAI))
    assert_same_results("ranking", check, "teams", evaluator(check, "teams"), None, ctx, cctx)


# -- ledgers the hongfeng pack does not use: a rule may point `levels` at another collection and field -------------

def levels_check(of: str, amount: str, *at_least) -> LevelsCheck:
    """A levels check over `of`, one level at each `at_least` (a number, or a Threshold spec), keys l0, l1, …"""
    return LevelsCheck.model_validate({"kind": "levels", "of": of, "amount": amount, "levels": [
        {"at_least": a if isinstance(a, dict) else {"value": a, "unit": "point"},
         "name": {"key": f"l{i}", "zh": f"级{i}", "en": f"L{i}"}} for i, a in enumerate(at_least)]})


def derived_levels(check, collection: str, data: dict, as_of=datetime(2026, 1, 15, 12, tzinfo=SHANGHAI)) -> dict:
    """Every subject's column-wise MemberLevel (as a dict, by subject id), checked against the per-object one."""
    ctx, cctx = contexts(Dataset.model_validate(data), "2025", as_of)
    assert assert_same_results("levels", check, collection, evaluator(check, collection), None, ctx, cctx) > 0
    return {r.member_id: r.model_dump() for r in DERIVES["levels"](check, collection, cctx.tables.get(collection), cctx)}


ASSOCIATIONS = [{"id": "a1", "name": "A", "level": "county"}]
THREE_TEAMS = [{"id": f"t{i}", "association_id": "a1", "name": f"T{i}"} for i in range(3)]


def inspection(i: int, team: str, at: str, major_issues: int = 0, **fields) -> dict:
    return {"id": f"i{i}", "team_id": team, "kind": "random", "at": at, "major_issues": major_issues, **fields}


@pytest.mark.parametrize("as_of, counted", [
    # period 2025, as-of after it: the reference day is 2025-12-31; entries after it but before as-of do not count
    (datetime(2026, 1, 15, 12, tzinfo=SHANGHAI), {"t0": 2, "t1": 0, "t2": 0}),
    # as-of on the period's last day: an entry at as-of counts, one a microsecond after it does not
    (datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI), {"t0": 2, "t1": 0, "t2": 0}),
    (datetime(2025, 12, 31, 23, 59, 59, 999998, tzinfo=SHANGHAI), {"t0": 0, "t1": 0, "t2": 0}),
])
def test_a_ledger_of_instants_counts_the_entries_to_the_end_of_the_reference_day(as_of, counted):
    """A time field that is an instant (inspections' `at`) is compared by its Shanghai day with the reference day:
    the last microsecond of 2025-12-31 counts, the first of 2026-01-01 does not (though before as-of)."""
    check = levels_check("inspections", "major_issues", 1, 2, 3)
    got = derived_levels(check, "teams", {"associations": ASSOCIATIONS, "teams": THREE_TEAMS, "inspections": [
        inspection(0, "t0", "2025-12-31T23:59:59.999999+08:00", 2),
        inspection(1, "t1", "2026-01-01T00:00:00+08:00", 3),
        inspection(2, "t2", "2026-01-15T12:00:00.000001+08:00", 1)]}, as_of)
    assert {t: r["points"] for t, r in got.items()} == counted
    assert got["t0"]["entries"] == (counted["t0"] > 0) and got["t1"]["entries"] == 0
    assert [(t, r["level"] and r["level"]["key"]) for t, r in got.items()] == [
        (t, "l1" if n == 2 else None) for t, n in counted.items()]


@pytest.mark.parametrize("amount", ["score", "year"])
def test_a_ledger_without_a_time_field_counts_no_entries(amount):
    """`team_scores` has no time field (and no id): no entry is dated on or before the reference day, so every
    team's sum is 0, a level at 0 points reached and one at 1 not — for a float amount (score) and a whole one."""
    check = levels_check("team_scores", amount, 0, 1)
    got = derived_levels(check, "teams", {"associations": ASSOCIATIONS, "teams": THREE_TEAMS, "team_scores": [
        {"team_id": "t0", "year": 2025, "score": 90.5}, {"team_id": "t1", "year": 2024, "score": None}]})
    assert [(r["points"], r["entries"], r["level"]["key"], r["points_to_next"], r["evidence_ids"], r["team_id"])
            for r in got.values()] == [(0.0, 0, "l0", 1.0, [], None)] * 3


MEMBERS = [{"id": f"m{i}", "team_id": "t0", "name": "M", "join_date": "2020-01-01"} for i in range(3)]


def ledger(*amounts: int) -> list[dict]:
    """One entry for each member m0, m1, …: its amount, credited on 2025-03-01."""
    return [{"id": f"p{i}", "member_id": f"m{i}", "on": "2025-03-01", "amount": a} for i, a in enumerate(amounts)]


def test_a_whole_sum_beyond_float_precision_is_compared_exactly():
    """2**53 + 3 points do not reach a level at 2**53 + 4 (as Python compares an int with a float), though the sum
    as a float is 2**53 + 4; 2**53 + 4 and + 5 do."""
    n = 2 ** 53 + 4
    got = derived_levels(levels_check("points", "amount", 1, float(n)), "members",
                         {"associations": ASSOCIATIONS, "teams": THREE_TEAMS[:1], "members": MEMBERS,
                          "points": ledger(n - 1, n, n + 1)})
    assert [r["level"]["key"] for r in got.values()] == ["l0", "l1", "l1"]


def test_a_level_above_every_int64_sum_is_never_reached():
    """A level at 2**63 points: the greatest Int64 sum (2**63 - 1, 2**63 as a float) stays below it."""
    top = 2 ** 63 - 1
    got = derived_levels(levels_check("points", "amount", 1, float(2 ** 63)), "members",
                         {"associations": ASSOCIATIONS, "teams": THREE_TEAMS[:1], "members": MEMBERS,
                          "points": ledger(top - 1, top, 0)})
    assert [(r["level"] and r["level"]["key"], r["next"] and r["next"]["name"]["key"]) for r in got.values()] == [
        ("l0", "l1"), ("l0", "l1"), (None, "l0")]


def test_a_yes_no_amount_counts_its_yes_entries_and_not_the_unset_ones():
    """`amount` may name a yes/no field (inspections with a checklist used): yes counts 1, no and unset 0."""
    got = derived_levels(levels_check("inspections", "checklist_used", 1, 2), "teams", {
        "associations": ASSOCIATIONS, "teams": THREE_TEAMS, "inspections": [
            inspection(0, "t0", "2025-03-01T10:00:00+08:00", checklist_used=True),
            inspection(1, "t0", "2025-04-01T10:00:00+08:00", checklist_used=True),
            inspection(2, "t1", "2025-03-01T10:00:00+08:00", checklist_used=True),
            inspection(3, "t1", "2025-04-01T10:00:00+08:00"),
            inspection(4, "t2", "2025-03-01T10:00:00+08:00", checklist_used=False),
            inspection(5, "t2", "2025-04-01T10:00:00+08:00")]})
    assert [(r["points"], r["entries"], r["level"] and r["level"]["key"]) for r in got.values()] == [
        (2.0, 2, "l1"), (1.0, 2, "l0"), (0.0, 2, None)]


@pytest.mark.parametrize("collection, check, drop", [
    ("members", levels_check("points", "amount", 1, 2), None),
    ("members", levels_check("points", "amount", 1, 2), "teams"),  # no teams: no association
    ("teams", levels_check("inspections", "major_issues", 1, 2), None),  # teams have no team_id
    ("teams", levels_check("inspections", "major_issues", {"unit": "point", "values": {"2000-01-01": 1, "2025-01-01": None}}),
     None),  # no level in force
])
def test_the_level_rows_have_their_declared_column_types(collection, check, drop):
    """Whatever the subjects (with or without a team, a teams table, a level in force), the rows' columns are
    LevelRows.SCHEMA's: a null team or association is a null String, not a Null column."""
    data = {"associations": ASSOCIATIONS, "teams": THREE_TEAMS[:2], "members": MEMBERS, "points": ledger(1, 2),
            "inspections": [inspection(0, "t0", "2025-03-01T10:00:00+08:00", 2)]}
    data.pop(drop, None)
    ctx, cctx = contexts(Dataset.model_validate(data), "2025", datetime(2026, 1, 15, 12, tzinfo=SHANGHAI))
    assert assert_same_results("levels", check, collection, evaluator(check, collection), None, ctx, cctx) > 0
    rows = DERIVES["levels"](check, collection, cctx.tables.get(collection), cctx)
    assert dict(rows.frame.schema) == LevelRows.SCHEMA


# -- ranking: ties, dated bands, one upgrade, scopes --------------------------------------------------------------

def band(key: str, up_to) -> dict:
    return {"up_to": up_to if isinstance(up_to, dict) else {"value": up_to, "unit": "rank"},
            "title": {"key": key, "zh": key, "en": key}}


FOUR_AFTER_TWO_YEARS = [{"of": "three", "consecutive": {"value": 2, "unit": "year"},
                         "title": {"key": "four", "zh": "四星", "en": "4"}}]


def derived_titles(spec: dict, data: dict) -> dict:
    """Every team's column-wise TeamTitle (a dict, by team id) in 2025, checked against the per-object one."""
    check = RankingCheck.model_validate({"kind": "ranking", **spec})
    ctx, cctx = contexts(Dataset.model_validate(data), "2025", datetime(2026, 1, 15, 12, tzinfo=SHANGHAI))
    assert assert_same_results("ranking", check, "teams", evaluator(check, "teams"), None, ctx, cctx) > 0
    return {t.team_id: t.model_dump() for t in DERIVES["ranking"](check, "teams", cctx.tables.get("teams"), cctx)}


def scored(*rows: tuple) -> list[dict]:
    return [{"team_id": t, "year": y, "score": s} for t, y, s in rows]


@pytest.mark.parametrize("ties, titles", [("better", ["three", "three", "three", "two", None]),
                                          ("worse", ["three", "two", "two", "two", None])])
def test_a_tie_across_a_band_boundary_takes_the_band_of_the_tie_policy(ties, titles):
    """t1 and t2 share rank 2 (positions 2 and 3) across the boundary of a top-2 band: `better` gives both the top
    band, `worse` the next."""
    teams = [{"id": f"t{i}", "association_id": "a1", "name": f"T{i}"} for i in range(5)]
    got = derived_titles({"ties": ties, "bands": [band("three", 2), band("two", 4)]}, {
        "associations": ASSOCIATIONS, "teams": teams,
        "team_scores": scored(("t0", 2025, 90.0), ("t1", 2025, 80.0), ("t2", 2025, 80.0), ("t3", 2025, 70.0),
                              ("t4", 2025, 60.0))})
    assert [r["base_title"] and r["base_title"]["key"] for r in got.values()] == titles
    assert got["t1"]["positions"] == [2, 3]


def test_dated_band_limits_are_read_on_the_reference_day_and_on_each_prior_year_end():
    """The top band is the top 1 until 2024 and the top 2 from 2025; one upgrade (two years running). t1, second in
    2025 and first in 2024, held the top band both years (four stars); t0, first in 2025 and second in 2024, did
    not hold it in 2024 (recomputed on 2024-12-31: the top 1)."""
    got = derived_titles({"bands": [band("three", {"unit": "rank", "values": {"2000-01-01": 1, "2025-01-01": 2}}),
                                    band("two", 4)], "upgrades": FOUR_AFTER_TWO_YEARS}, {
        "associations": ASSOCIATIONS, "teams": THREE_TEAMS,
        "team_scores": scored(("t0", 2025, 90.0), ("t1", 2025, 80.0), ("t2", 2025, 70.0),
                              ("t0", 2024, 80.0), ("t1", 2024, 90.0), ("t2", 2024, 70.0))})
    assert [(r["base_title"]["key"], r["title"]["key"], r["run"]) for r in got.values()] == [
        ("three", "three", 1), ("three", "four", 2), ("two", "two", 0)]
    assert [(p["source"], p["title"]) for p in got["t0"]["prior_years"]] == [("computed", "two")]


def test_each_association_ranks_its_own_prior_years():
    """scope `association`: the first of a1 and the first of a3 each held the top band in 2024 within their own
    association (a prior year's ranking is per scope, not shared between associations)."""
    teams = [{"id": t, "association_id": a, "name": t} for t, a in [("t0", "a1"), ("t1", "a1"), ("t3", "a3"),
                                                                    ("t4", "a3")]]
    rows = [(t, y, s) for y in (2024, 2025) for t, s in [("t0", 90.0), ("t1", 80.0), ("t3", 70.0), ("t4", 60.0)]]
    got = derived_titles({"scope": "association", "bands": [band("three", 1)], "upgrades": FOUR_AFTER_TWO_YEARS}, {
        "associations": ASSOCIATIONS + [{"id": "a3", "name": "C", "level": "county"}], "teams": teams,
        "team_scores": scored(*rows)})
    assert [(t, r["rank"], r["title"] and r["title"]["key"]) for t, r in got.items()] == [
        ("t0", 1, "four"), ("t1", 2, None), ("t3", 1, "four"), ("t4", 2, None)]


def test_an_association_scope_without_an_associations_table_holds_that_associations_teams():
    teams = [{"id": "t0", "association_id": "a1", "name": "T0"}, {"id": "t1", "association_id": "a1", "name": "T1"},
             {"id": "t2", "association_id": "a2", "name": "T2"}]
    got = derived_titles({"scope": "a1", "bands": [band("three", 1)]}, {
        "teams": teams, "team_scores": scored(("t0", 2025, 1.0), ("t1", 2025, 2.0), ("t2", 2025, 3.0))})
    assert [(t, r["rank"], r["ranked"]) for t, r in got.items()] == [("t0", 2, 2), ("t1", 1, 2)]


def test_an_association_scope_takes_in_its_sub_associations_at_every_depth():
    """a1 > a2 > a4 > a5: a team of each is ranked in a1's scope; a6, outside, is not."""
    chain = [("a1", None), ("a2", "a1"), ("a4", "a2"), ("a5", "a4"), ("a6", None)]
    associations = [{"id": a, "name": a, "level": "county", **({"parent_id": p} if p else {})} for a, p in chain]
    teams = [{"id": f"t{a}", "association_id": a, "name": a} for a, _ in chain]
    got = derived_titles({"scope": "a1", "bands": [band("three", 1)]}, {
        "associations": associations, "teams": teams,
        "team_scores": scored(*[(t["id"], 2025, float(i)) for i, t in enumerate(teams)])})
    assert [(t, r["rank"], r["ranked"]) for t, r in got.items()] == [
        ("ta1", 4, 4), ("ta2", 3, 4), ("ta4", 2, 4), ("ta5", 1, 4)]


def test_a_prior_year_ranked_below_every_band_holds_no_title_and_ends_the_run():
    """t0, first in 2025, was ranked fourth in 2024, below both bands (top 1, top 2): that year is recomputed as no
    title (not an error), so the run stays 1 and no upgrade is earned; t1, first in 2024, is second in 2025."""
    got = derived_titles({"bands": [band("three", 1), band("two", 2)], "upgrades": FOUR_AFTER_TWO_YEARS}, {
        "associations": ASSOCIATIONS, "teams": THREE_TEAMS + [{"id": "t3", "association_id": "a1", "name": "T3"}],
        "team_scores": scored(("t0", 2025, 90.0), ("t1", 2025, 80.0), ("t2", 2025, 70.0), ("t3", 2025, 60.0),
                              ("t0", 2024, 60.0), ("t1", 2024, 90.0), ("t2", 2024, 80.0), ("t3", 2024, 70.0))})
    assert [(r["base_title"] and r["base_title"]["key"], r["title"] and r["title"]["key"], r["run"])
            for r in got.values()] == [("three", "three", 1), ("two", "two", 0), (None, None, 0), (None, None, 0)]
    assert [(p["source"], p["rank"], p["title"], p["counts"]) for p in got["t0"]["prior_years"]] == [
        ("computed", 4, None, False)]


@pytest.mark.parametrize("years, titles", [
    # two years running earn four stars from 2025 (three before): t0 held the top band in 2024 and 2025
    ({"2000-01-01": 3, "2025-01-01": 2}, ["four", "three", None]),
    # three before 2025 and from 2026: in force on the reference day 2025-12-31 is 3, not reached in two years
    ({"2000-01-01": 2, "2025-01-01": 3, "2026-01-01": 2}, ["three", "three", None]),
])
def test_dated_consecutive_years_are_read_on_the_reference_day(years, titles):
    """An upgrade's `consecutive` with dated values: the value in force on the reference day decides how many prior
    years are read and whether the run earns it."""
    upgrades = [{"of": "three", "consecutive": {"unit": "year", "values": years},
                 "title": {"key": "four", "zh": "四星", "en": "4"}}]
    got = derived_titles({"bands": [band("three", 2)], "upgrades": upgrades}, {
        "associations": ASSOCIATIONS, "teams": THREE_TEAMS,
        "team_scores": scored(("t0", 2025, 90.0), ("t1", 2025, 80.0), ("t2", 2025, 70.0),
                              ("t0", 2024, 90.0), ("t1", 2024, 70.0), ("t2", 2024, 80.0),
                              ("t0", 2023, 70.0), ("t1", 2023, 90.0), ("t2", 2023, 80.0))})
    assert [r["title"] and r["title"]["key"] for r in got.values()] == titles
    assert got["t0"]["run"] == 2 and got["t1"]["run"] == 1
