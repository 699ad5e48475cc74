"""columns.kinds.frequency gives every subject the per-object checks/frequency.py outcome: the packs' frequency
rules on the examples and generated provinces, and random checks (thresholds n−1/n/n+1, every unit, founding
days, place_by labels) on small datasets judged before, at and after the end of a unit."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hongfeng_rules.checks.frequency import FrequencyCheck
from hongfeng_rules.models import Dataset
from hongfeng_rules.timecalc import SHANGHAI

from oracle.engine import evaluate_of
from oracle.kinds import evaluator
from columns_oracle import assert_same_outcomes, case, contexts, pack_cases, instants, pack_rules



@pytest.mark.parametrize("label, pack", pack_cases("frequency"))
def test_pack_rules(label, pack):
    ctx, cctx = contexts(*case(label)[1:])
    judged = sum(assert_same_outcomes("frequency", r.rule.check, r.subject_collection, evaluate_of(r), r.applies, ctx, cctx)
                 for r in pack_rules(pack, "frequency"))
    assert judged > 0


AS_OFS = [datetime(2025, 3, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI), datetime(2025, 4, 1, tzinfo=SHANGHAI),
          datetime(2025, 3, 30, 23, 59, 59, 999999, tzinfo=SHANGHAI),  # a Sunday: the ISO week's end
          datetime(2025, 12, 31, 23, 59, 59, 999999, tzinfo=SHANGHAI), datetime(2026, 1, 15, 12, tzinfo=SHANGHAI),
          datetime(2025, 1, 5, 12, tzinfo=SHANGHAI)]


@st.composite
def team_data(draw) -> dict:
    founding = st.none() | st.sampled_from([date(2025, 1, 1), date(2025, 1, 2), date(2025, 3, 31), date(2025, 4, 1),
                                            date(2025, 3, 24), date(2026, 1, 1)]) | st.dates(date(2024, 12, 1), date(2026, 1, 31))
    teams = []
    for i in range(draw(st.integers(1, 3))):
        day = draw(founding)
        teams.append({"id": f"t{i}", "association_id": "a1", "name": f"T{i}", "founded_on": day and day.isoformat()})
    meetings = [{"id": f"mt{i}", "team_id": draw(st.sampled_from([t["id"] for t in teams])),
                 "kind": draw(st.sampled_from(["weekly", "other"])), "held_at": draw(instants).isoformat()}
                for i in range(draw(st.integers(0, 25)))]
    months = [f"2025-{m:02d}" for m in range(1, 13)] + ["2024-12", "2026-01"]
    reports = [{"id": f"pr{i}", "team_id": draw(st.sampled_from([t["id"] for t in teams])),
                "month": draw(st.sampled_from(months)), "submitted_at": draw(instants).isoformat()}
               for i in range(draw(st.integers(0, 10)))]
    return {"associations": [{"id": "a1", "name": "A", "level": "county"}], "teams": teams, "meetings": meetings,
            "patrol_reports": reports}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=team_data(), per=st.sampled_from(["week", "month", "quarter", "year"]), n=st.integers(0, 3),
       bound=st.sampled_from(["at_least", "at_most", "exactly"]), step=st.sampled_from([-1, 0, 1]),
       of=st.sampled_from(["meetings", "patrol_reports"]), founding=st.booleans(), as_of=st.sampled_from(AS_OFS),
       period=st.sampled_from(["2025", "2025-Q1", "2025-01-01..2025-03-31", "2025-03"]))
def test_random_checks(data, per, n, bound, step, of, founding, as_of, period):
    spec = {"kind": "frequency", "of": of, "per": per, bound: {"value": max(0, n + step), "unit": "times"},
            "from_founding": founding}
    if of == "meetings":
        spec["where"] = {"kind": "weekly"}
    else:
        spec["place_by"] = "month"
    check = FrequencyCheck.model_validate(spec)
    ctx, cctx = contexts(Dataset.model_validate(data), period, as_of)
    assert_same_outcomes("frequency", check, "teams", evaluator(check, "teams"), None, ctx, cctx)


def test_dated_threshold_not_in_force():
    check = FrequencyCheck.model_validate({"kind": "frequency", "of": "meetings", "per": "month", "at_least": {
        "unit": "times", "values": {"2026-01-01": 1}}})
    data = {"teams": [{"id": "t1", "association_id": "a1", "name": "T1"}], "meetings": []}
    ctx, cctx = contexts(Dataset.model_validate(data), "2025", datetime(2026, 1, 15, tzinfo=SHANGHAI))
    assert assert_same_outcomes("frequency", check, "teams", evaluator(check, "teams"), None, ctx, cctx) == 1
