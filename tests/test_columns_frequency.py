"""columns.kinds.frequency gives every subject the per-object checks/frequency.py outcome: the packs' frequency
rules on the examples and generated provinces, and random checks (thresholds n−1/n/n+1, every unit, founding
days, place_by labels) on small datasets judged before, at and after the end of a unit."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hongfeng_rules.checks.frequency import FrequencyCheck
from hongfeng_rules.columns.kinds.frequency import evaluate_many
from hongfeng_rules.models import Dataset
from hongfeng_rules.timecalc import SHANGHAI

from oracle.engine import evaluate_of
from oracle.kinds import evaluator
from columns_oracle import assert_same_outcomes, case, contexts, pack_cases, instants, pack_rules, subject_records



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


def _batch_agrees(specs: list[dict], data: dict, period: str, as_of: datetime) -> int:
    """`evaluate_many` of the checks in one plan over the teams: each (rule, team) row is the per-object outcome of
    its own check; the number of rows."""
    checks = [FrequencyCheck.model_validate(spec) for spec in specs]
    ctx, cctx = contexts(Dataset.model_validate(data), period, as_of)
    records = subject_records("teams", None, ctx)
    out = evaluate_many(list(enumerate(checks)), "teams", cctx.tables.get("teams").lazy(), cctx).collect()
    assert out.height == len(checks) * len(records)
    rows = {(row["rule"], row["id"]): row for row in out.to_dicts()}
    for i, check in enumerate(checks):
        for record in records:
            o, row = evaluator(check, "teams")(record, ctx), rows[(i, record.id)]
            assert ({k: row[k] for k in ("status", "measured", "expected", "evidence", "note")}
                    == {"status": o.status, "measured": o.measured, "expected": o.expected,
                        "evidence": list(o.evidence), "note": o.note}), (i, record.id)
    return len(rows)


_TEAMS = {"associations": [{"id": "a1", "name": "A", "level": "county"}],
          "teams": [{"id": "t1", "association_id": "a1", "name": "T1", "founded_on": "2024-06-01"},
                    {"id": "t2", "association_id": "a1", "name": "T2", "founded_on": "2024-06-01"}],
          "meetings": [{"id": f"mt{i}", "team_id": "t1" if i % 3 else "t2", "kind": "weekly",
                        "held_at": f"2025-{1 + i % 6:02d}-1{i % 9}T10:00:00+08:00"} for i in range(20)],
          "patrol_reports": [{"id": f"pr{i}", "team_id": "t2" if i % 2 else "t1", "month": f"2025-{1 + i:02d}",
                              "submitted_at": f"2025-{1 + i:02d}-28T10:00:00+08:00"} for i in range(6)]}


@pytest.mark.parametrize("rules", [2, 3, 5, 6, 7])
def test_frequency_rules_in_one_plan_count_each_its_own_records(rules):
    """Several frequency rules over the same teams are one plan: each counts its own records (meetings by month,
    reports placed by their month by quarter, thresholds differing), never the first rule's for all; 6 rules are as
    many as the plan's table of words has columns, which must still be read a row per rule."""
    specs = [{"kind": "frequency", "of": "meetings", "per": "month", "where": {"kind": "weekly"},
              "at_least": {"value": k % 3, "unit": "times"}} if k % 2 == 0 else
             {"kind": "frequency", "of": "patrol_reports", "per": "quarter", "place_by": "month",
              "at_most": {"value": k // 2 % 2, "unit": "times"}} for k in range(rules)]
    assert _batch_agrees(specs, _TEAMS, "2025-01-01..2025-06-30", datetime(2025, 7, 15, tzinfo=SHANGHAI)) == 2 * rules


@pytest.mark.parametrize("months", [4, 5, 6])
def test_a_plan_of_as_many_units_as_its_unit_table_has_columns_reads_a_row_per_unit(months):
    """Five judged months are as many as the plan's table of units has columns: each must still be read as a unit
    (four and six around it)."""
    spec = {"kind": "frequency", "of": "meetings", "per": "month", "at_least": {"value": 1, "unit": "times"}}
    period = f"2025-01-01..2025-{months:02d}-{[31, 28, 31, 30, 31, 30][months - 1]}"
    assert _batch_agrees([spec], _TEAMS, period, datetime(2025, 7, 15, tzinfo=SHANGHAI)) == 2


@pytest.mark.parametrize("rules", [3, 4, 5])
def test_as_many_rules_without_a_value_in_force_as_the_verdict_table_has_columns(rules):
    """Rules whose threshold is in force only from 2026 are not applicable in 2025, each by a verdict of its own:
    four such verdicts are as many as the plan's table of verdicts has columns (three and five around it)."""
    specs = [{"kind": "frequency", "of": "meetings", "per": "month",
              "at_least": {"unit": "times", "values": {"2026-01-01": k + 1}}} for k in range(rules)]
    assert _batch_agrees(specs, _TEAMS, "2025", datetime(2026, 1, 15, tzinfo=SHANGHAI)) == 2 * rules


@pytest.mark.parametrize("written", [1.0, 2.0, 3.0])
def test_a_whole_threshold_written_as_a_decimal_counts_as_that_number(written):
    """`at_least: 2.0` is the count 2 (a fraction is refused when the rule is read): judged as the whole number."""
    spec = {"kind": "frequency", "of": "meetings", "per": "month", "at_least": {"value": written, "unit": "times"}}
    assert _batch_agrees([spec], _TEAMS, "2025-01-01..2025-06-30", datetime(2025, 7, 15, tzinfo=SHANGHAI)) == 2


@pytest.mark.parametrize("per", ["week", "month", "quarter", "year"])
def test_records_of_a_collection_without_a_time_field_are_placed_in_no_unit(per):
    """A team's units (a collection with no time field) and no `place_by`: no record has a day, so every whole unit
    counts none of them — at least 1 fails each, at most 0 passes each, as the per-object check."""
    data = {**_TEAMS, "units": [{"id": f"u{i}", "team_id": "t1", "level": "group", "name": f"U{i}"} for i in range(3)]}
    specs = [{"kind": "frequency", "of": "units", "per": per, "at_least": {"value": 1, "unit": "times"}},
             {"kind": "frequency", "of": "units", "per": per, "at_most": {"value": 0, "unit": "times"}}]
    assert _batch_agrees(specs, data, "2025", datetime(2026, 1, 15, tzinfo=SHANGHAI)) == 4
    ctx = contexts(Dataset.model_validate(data), "2025", datetime(2026, 1, 15, tzinfo=SHANGHAI))[0]
    team = subject_records("teams", None, ctx)[0]
    assert [evaluator(FrequencyCheck.model_validate(s), "teams")(team, ctx).status for s in specs] == ["fail", "pass"]


@pytest.mark.parametrize("reports", [0, 1])
def test_records_placed_by_their_label_count_when_there_are_none_or_one(reports):
    """Patrol reports placed by their month label by quarter: with no report at all (no label to read) every quarter
    counts 0, with one the quarter of its month counts it — at least 1 fails the other quarters, as per object."""
    data = {**_TEAMS, "patrol_reports": _TEAMS["patrol_reports"][:reports]}
    spec = {"kind": "frequency", "of": "patrol_reports", "per": "quarter", "place_by": "month",
            "at_least": {"value": 1, "unit": "times"}}
    assert _batch_agrees([spec], data, "2025-01-01..2025-06-30", datetime(2025, 7, 15, tzinfo=SHANGHAI)) == 2
