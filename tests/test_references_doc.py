"""docs/references.md lists the references a dataset must resolve (`models.constraints.REFERENCES`, which
`validation.integrity` checks): current with the code, for the rules' readings that cite it (gucheng P5.2).
Regenerate: .venv/bin/python tests/test_references_doc.py > docs/references.md"""
from __future__ import annotations

from pathlib import Path

from hongfeng_rules.models import COLLECTIONS
from hongfeng_rules.models.constraints import REFERENCES

DOC = Path(__file__).resolve().parents[1] / "docs" / "references.md"
HEAD = """# References between collections

Generated from `models/constraints.py` (`REFERENCES`) by `python tests/test_references_doc.py`; do not edit by hand.

A field that names another record must name one that the dataset holds; otherwise the dataset is bad input (exit
2), one line per reference naming the file, the record and the field, e.g.
`activities[0] (id=x1): participants.member_id: refers to member 'm9', which is not in members`. Where the table
says *same team*, the member named must also belong to the record's own team (when the record names its team):
`member 'm9' belongs to team 't2', not 't1'`. A reference is checked only when the dataset holds both
collections: an export without `members` names no member to check against (and every rule that needs members is
then not assessable).

| collection | field | names a record of | same team |
| --- | --- | --- | --- |
"""


def render() -> str:
    rows = [f"| `{r.collection}` | `{r.path}` | `{r.target}` ({COLLECTIONS[r.target].kind}) | "
            f"{'same team' if r.same_team else ''} |" for r in REFERENCES]
    return HEAD + "\n".join(rows) + "\n"


def test_the_references_page_is_current():
    assert DOC.read_text(encoding="utf-8") == render(), __doc__.splitlines()[-1]


def test_the_page_lists_what_a_registered_member_is_checked_by():
    """What gucheng P5.2's reading relies on: participants, attendees and unit members name members."""
    text = render()
    for row in ("| `activities` | `participants.member_id` | `members` (member) | same team |",
                "| `trainings` | `attendee_ids` | `members` (member) | same team |",
                "| `emergency_units` | `member_ids` | `members` (member) |  |"):
        assert row in text


def test_an_unknown_participant_is_bad_input_and_unchecked_without_members(tmp_path):
    """What the page says of a reference, as the loader does it: an activity naming no member is rejected
    with the record and field; with no members collection at all, nothing is checked."""
    import json

    import pytest

    from hongfeng_rules import InputError, load_dataset

    files = {"associations": [{"id": "a1", "name": "A", "level": "county"}],
             "teams": [{"id": "t1", "association_id": "a1", "name": "T", "founded_on": "2020-01-01"}],
             "members": [{"id": "m1", "team_id": "t1", "name": "M", "join_date": "2024-01-01"}],
             "activities": [{"id": "x1", "team_id": "t1", "kind": "patrol", "start": "2025-04-05T19:00:00",
                             "end": "2025-04-05T21:00:00", "participants": [{"member_id": "m9", "hours": 2}]}]}
    for name, records in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(InputError) as bad:
        load_dataset(tmp_path)
    assert [p.field for p in bad.value.problems] == ["participants.member_id"]
    assert "refers to member 'm9', which is not in members" in bad.value.problems[0].reason
    (tmp_path / "members.json").unlink()
    assert load_dataset(tmp_path).activities[0].participants[0].member_id == "m9"


if __name__ == "__main__":
    print(render(), end="")
