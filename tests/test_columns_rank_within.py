"""columns.kinds.rank_within gives every subject the per-object checks/rank_within.py outcome: the hongfeng captain
rule on the examples and generated provinces, and random groups (ties, unset scores, no target, several targets)
with the limit at the target's rank − 1, at it and + 1, in ranks and in percent."""
from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hongfeng_rules.checks.rank_within import RankWithinCheck
from hongfeng_rules.models import Dataset
from hongfeng_rules.timecalc import SHANGHAI

from oracle.engine import evaluate_of
from oracle.kinds import evaluator
from columns_oracle import assert_same_outcomes, case, contexts, pack_cases, pack_rules


@pytest.mark.parametrize("label, pack", pack_cases("rank_within"))
def test_pack_rules(label, pack):
    ctx, cctx = contexts(*case(label)[1:])
    judged = sum(assert_same_outcomes("rank_within", r.rule.check, r.subject_collection, evaluate_of(r), r.applies, ctx,
                                      cctx) for r in pack_rules(pack, "rank_within"))
    assert judged > 0


@st.composite
def teams(draw) -> dict:
    members, activities = [], []
    for t in range(draw(st.integers(1, 3))):
        for i in range(draw(st.integers(0, 7))):
            members.append({"id": f"m{t}-{i}", "team_id": f"t{t}", "name": "M", "join_date": "2020-01-01",
                            "roles": draw(st.sampled_from([["member"], ["captain"], ["core", "captain"]])),
                            "status": draw(st.sampled_from(["active", "active", "exited"]))})
    for j, m in enumerate(members):
        hours = draw(st.sampled_from([None, 0.0, 1.5, 2.0, 2.0, 7.25]))
        if hours is not None:
            activities.append({"id": f"a{j}", "team_id": m["team_id"], "kind": "patrol",
                               "start": "2025-05-01T09:00:00+08:00", "end": "2025-05-01T10:00:00+08:00",
                               "participants": [{"member_id": m["id"], "hours": hours}]})
    return {"associations": [{"id": "a1", "name": "A", "level": "county"}],
            "teams": [{"id": f"t{t}", "association_id": "a1", "name": "T"} for t in range(3)],
            "members": members, "activities": activities}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=teams(), unit=st.sampled_from(["rank", "percent"]), rank=st.integers(1, 4), step=st.sampled_from([-1, 0, 1]),
       percent=st.sampled_from([10, 20, 25, 33.3, 50, 100]), active_only=st.booleans())
def test_random_groups(data, unit, rank, step, percent, active_only):
    top = {"value": max(1, rank + step), "unit": "rank"} if unit == "rank" else {"value": percent, "unit": "percent"}
    spec = {"kind": "rank_within", "of": "members", "score": "@service_hours",
            "target": {"roles": {"contains": "captain"}}, "top": top}
    if active_only:
        spec["where"] = {"@status_on_reference_date": "active"}
    check = RankWithinCheck.model_validate(spec)
    ctx, cctx = contexts(Dataset.model_validate(data), "2025", datetime(2026, 1, 15, 12, tzinfo=SHANGHAI))
    assert assert_same_outcomes("rank_within", check, "teams", evaluator(check, "teams"), None, ctx, cctx) == 3
