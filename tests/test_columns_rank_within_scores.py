"""columns.kinds.rank_within with a score read from a record's field or a dotted path, and a top of 0 % (issue 24:
every other test scores by `@service_hours`, so mutants of those reads survived); an unset score and an unknown
target, and a top whose value changes by date (issue 24: its survivors `_score` 43/48, `evaluate` 43, 63, 73)."""
from __future__ import annotations

from datetime import datetime

import pytest

from hongfeng_rules.checks.rank_within import RankWithinCheck
from hongfeng_rules.models import Dataset
from hongfeng_rules.timecalc import SHANGHAI

from oracle.kinds import evaluator
from columns_oracle import assert_same_outcomes, contexts, kind_rows


@pytest.mark.parametrize("spec, ranks", [
    ({"of": "members", "score": "party_member", "target": {"roles": {"contains": "captain"}},
      "top": {"value": 1, "unit": "rank"}}, {"t0": "fail", "t1": "pass", "t2": "not_applicable"}),
    ({"of": "members", "score": "party_member", "target": {"roles": {"contains": "captain"}},  # 0 %: still rank 1
      "top": {"value": 0, "unit": "percent"}}, {"t0": "fail", "t1": "pass", "t2": "not_applicable"}),
    ({"of": "members", "score": "file.personal_info", "target": {"roles": {"contains": "captain"}},
      "top": {"value": 1, "unit": "rank"}}, {"t0": "pass", "t1": "fail", "t2": "not_applicable"}),
])
def test_a_score_read_from_a_field_or_a_dotted_path(spec, ranks):
    """The score may be a record's own field or a field of a nested record (true counts as 1, false or unset as 0),
    as well as an `@` value; a top share rounds up to at least one rank, so the top 0 % is rank 1."""
    rows = rank_rows(spec)
    assert {t: row["status"] for t, row in rows.items()} == ranks


def rank_rows(spec: dict, extra_members: tuple = ()) -> dict:
    """rank_within's rows by team: t0 has captain m0 (unset score) and m1; t1 captain m2 and m3; t2 no members."""
    check, (ctx, cctx) = RankWithinCheck.model_validate({"kind": "rank_within", **spec}), rank_contexts(extra_members)
    return kind_rows("rank_within", check, "teams", ctx.index.records("teams"), cctx)


def rank_contexts(extra_members: tuple = ()) -> tuple:
    """The per-object and column-wise contexts of `rank_rows`' teams and members (and `extra_members`)."""
    members = [{"id": "m0", "team_id": "t0", "name": "A", "join_date": "2024-01-01", "roles": ["captain"],
                "file": {"personal_info": True}},
               {"id": "m1", "team_id": "t0", "name": "B", "join_date": "2024-01-01", "file": {"personal_info": True},
                "party_member": True},
               {"id": "m2", "team_id": "t1", "name": "C", "join_date": "2024-01-01", "roles": ["captain"],
                "party_member": True},
               {"id": "m3", "team_id": "t1", "name": "D", "join_date": "2024-01-01", "file": {"personal_info": True}},
               *extra_members]
    data = {"associations": [{"id": "a1", "name": "A", "level": "county"}],
            "teams": [{"id": f"t{t}", "association_id": "a1", "name": "T"} for t in range(3)], "members": members}
    return contexts(Dataset.model_validate(data), "2025", datetime(2026, 1, 15, 12, tzinfo=SHANGHAI))


CAPTAIN = {"roles": {"contains": "captain"}}


def test_an_unset_score_counts_as_0_and_ties_with_0():
    """m0 (unset) and a third member of t0 whose score is false (0) share rank 2 behind m1 (true): an unset score is
    0, not 1 (m0 would tie m1 for rank 1) and not left unranked (no rank in the measured text)."""
    third = {"id": "m4", "team_id": "t0", "name": "E", "join_date": "2024-01-01", "party_member": False}
    rows = rank_rows({"of": "members", "score": "party_member", "target": CAPTAIN, "top": {"value": 2, "unit": "rank"}},
                     (third,))
    assert (rows["t0"]["status"], rows["t0"]["measured"], rows["t0"]["expected"]) == ("pass", "m0 rank 2 of 3",
                                                                                      "rank ≤ 2")
    rows = rank_rows({"of": "members", "score": "party_member", "target": CAPTAIN, "top": {"value": 1, "unit": "rank"}},
                     (third,))
    assert (rows["t0"]["status"], rows["t0"]["evidence"]) == ("fail", ["m0"])


def test_a_record_whose_target_is_unknown_is_not_a_target():
    """real_name_verified is unset on every member but m4 of t0 (true; rank 1 with m1): m4 is t0's only target;
    m0, unknown, ranks 3 and would fail the top 1 if it were counted; t1 has no target at all."""
    verified = {"id": "m4", "team_id": "t0", "name": "E", "join_date": "2024-01-01", "party_member": True,
                "real_name_verified": True}
    rows = rank_rows({"of": "members", "score": "party_member", "target": {"real_name_verified": True},
                      "top": {"value": 1, "unit": "rank"}}, (verified,))
    assert (rows["t0"]["status"], rows["t0"]["evidence"], rows["t0"]["measured"]) == ("pass", ["m4"], "m4 rank 1 of 3")
    assert (rows["t1"]["status"], rows["t1"]["note"]) == ("not_applicable", "no members matching the target")


@pytest.mark.parametrize("values, status, note", [
    ({"2025-01-01": 1, "2025-12-31": 2}, "pass", None),  # the top in force on the reference date, 31 December
    ({"2025-01-01": 1, "2026-01-01": 2}, "fail", None),  # … not the one from the day after it
    ({"2026-01-01": 1}, "not_applicable", "no value in force"),
])
def test_a_top_that_changes_by_date_is_read_on_the_reference_date(values, status, note):
    rows = rank_rows({"of": "members", "score": "party_member", "target": CAPTAIN,
                      "top": {"unit": "rank", "values": values}})
    assert (rows["t0"]["status"], rows["t0"]["note"]) == (status, note)  # t0's captain m0 ranks 2 of 2


@pytest.mark.parametrize("size", [100, 101, 102])
def test_a_top_of_0_percent_is_rank_1_in_a_group_of_more_than_100(size):
    """t0's captain m0 (unset score) ties for rank 2 with `size` − 2 members scoring false, behind m1 (true): the top
    0 % of any group is rank 1 (at least one rank), so m0 fails in a group of 100, 101 and 102 alike — not rank ≤ 2
    from 1 % of 101 or 102 (issue 24: x_evaluate__mutmut_94, `limit or 1`, read 0 % as 1 %)."""
    zeros = tuple({"id": f"z{i}", "team_id": "t0", "name": "Z", "join_date": "2024-01-01", "party_member": False}
                  for i in range(size - 2))
    spec = {"kind": "rank_within", "of": "members", "score": "party_member", "target": CAPTAIN,
            "top": {"value": 0, "unit": "percent"}}
    rows = rank_rows(spec, zeros)
    assert (rows["t0"]["status"], rows["t0"]["measured"], rows["t0"]["expected"], rows["t0"]["evidence"]) == (
        "fail", f"m0 rank 2 of {size}", "rank ≤ 1", ["m0"])
    check = RankWithinCheck.model_validate(spec)
    assert assert_same_outcomes("rank_within", check, "teams", evaluator(check, "teams"), None,
                                *rank_contexts(zeros)) == 3
