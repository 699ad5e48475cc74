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
