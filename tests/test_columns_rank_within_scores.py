"""columns.kinds.rank_within with a score read from a record's field or a dotted path, and a top of 0 % (issue 24:
every other test scores by `@service_hours`, so mutants of those reads survived)."""
from __future__ import annotations

from datetime import datetime

import pytest

from hongfeng_rules.checks.rank_within import RankWithinCheck
from hongfeng_rules.models import Dataset
from hongfeng_rules.timecalc import SHANGHAI

from columns_oracle import contexts, kind_rows


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
    members = [{"id": "m0", "team_id": "t0", "name": "A", "join_date": "2024-01-01", "roles": ["captain"],
                "file": {"personal_info": True}},
               {"id": "m1", "team_id": "t0", "name": "B", "join_date": "2024-01-01", "file": {"personal_info": True},
                "party_member": True},
               {"id": "m2", "team_id": "t1", "name": "C", "join_date": "2024-01-01", "roles": ["captain"],
                "party_member": True},
               {"id": "m3", "team_id": "t1", "name": "D", "join_date": "2024-01-01", "file": {"personal_info": True}}]
    data = {"associations": [{"id": "a1", "name": "A", "level": "county"}],
            "teams": [{"id": f"t{t}", "association_id": "a1", "name": "T"} for t in range(3)], "members": members}
    check = RankWithinCheck.model_validate({"kind": "rank_within", **spec})
    ctx, cctx = contexts(Dataset.model_validate(data), "2025", datetime(2026, 1, 15, 12, tzinfo=SHANGHAI))
    rows = kind_rows("rank_within", check, "teams", ctx.index.records("teams"), cctx)
    assert {t: row["status"] for t, row in rows.items()} == ranks
