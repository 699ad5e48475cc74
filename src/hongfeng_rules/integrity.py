"""Dataset checks beyond types: unique ids, references that resolve, no cycles.

Each problem names the collection, the record (index and id) and the field, so the loader can
add the file it came from.
"""
from __future__ import annotations

from dataclasses import dataclass

from .index import values_at
from .models import COLLECTIONS, Dataset


@dataclass(frozen=True)
class Issue:
    collection: str
    index: int | None
    record_id: str | None
    field: str | None
    reason: str


@dataclass(frozen=True)
class Reference:
    collection: str
    path: str  # dotted; lists flattened
    target: str
    same_team: bool = False  # the referenced member must belong to the record's team


REFERENCES = [
    Reference("associations", "parent_id", "associations"),
    Reference("teams", "association_id", "associations"),
    Reference("units", "team_id", "teams"),
    Reference("units", "parent_id", "units"),
    Reference("members", "team_id", "teams"),
    Reference("members", "unit_id", "units"),
    Reference("members", "mentor_id", "members", same_team=True),
    Reference("trainings", "team_id", "teams"),
    Reference("trainings", "attendee_ids", "members", same_team=True),
    Reference("meetings", "team_id", "teams"),
    Reference("activities", "team_id", "teams"),
    Reference("activities", "participants.member_id", "members", same_team=True),
    Reference("hazards", "team_id", "teams"),
    Reference("disputes", "team_id", "teams"),
    Reference("follow_ups", "dispute_id", "disputes"),
    Reference("patrol_sign_ins", "team_id", "teams"),
    Reference("patrol_sign_ins", "member_id", "members", same_team=True),
    Reference("patrol_sign_ins", "activity_id", "activities"),
    Reference("patrol_reports", "team_id", "teams"),
    Reference("assistance_cases", "team_id", "teams"),
    Reference("complaints", "team_id", "teams"),
    Reference("inspections", "team_id", "teams"),
    Reference("improvements", "team_id", "teams"),
    Reference("points", "member_id", "members"),
    Reference("team_scores", "team_id", "teams"),
    Reference("evidence", "team_id", "teams"),
    Reference("evidence", "association_id", "associations"),
    Reference("trainings", "patrol_team_id", "patrol_teams"),
    Reference("online_groups", "place_id", "places"),
    Reference("group_members", "online_group_id", "online_groups"),
    Reference("security_committees", "place_id", "places"),
    Reference("committee_members", "security_committee_id", "security_committees"),
    Reference("patrol_teams", "place_ids", "places"),
    Reference("patrol_members", "patrol_team_id", "patrol_teams"),
    Reference("patrols", "patrol_team_id", "patrol_teams"),
    Reference("patrol_team_checks", "patrol_team_id", "patrol_teams"),
    Reference("auxiliary_posts", "place_id", "places"),
]


def check_dataset(dataset: Dataset) -> list[Issue]:
    issues = duplicate_ids(dataset)
    issues += dangling_references(dataset)
    issues += association_cycles(dataset)
    return issues


def duplicate_ids(dataset: Dataset) -> list[Issue]:
    issues = []
    for name in COLLECTIONS:
        first: dict[str, int] = {}
        for i, record in enumerate(getattr(dataset, name) or []):
            rid = getattr(record, "id", None)
            if rid is None:
                continue
            if rid in first:
                issues.append(Issue(name, i, rid, "id", f"duplicate id {rid!r} (first at {name}[{first[rid]}])"))
            else:
                first[rid] = i
    seen_scores: dict[tuple, int] = {}
    for i, score in enumerate(dataset.team_scores or []):
        key = (score.team_id, score.year)
        if key in seen_scores:
            issues.append(Issue("team_scores", i, None, "year",
                                f"second score for team {score.team_id} in {score.year} (first at team_scores[{seen_scores[key]}])"))
        seen_scores.setdefault(key, i)
    return issues


def dangling_references(dataset: Dataset) -> list[Issue]:
    issues = []
    ids = {name: {r.id: r for r in getattr(dataset, name) or [] if hasattr(r, "id")} for name in COLLECTIONS}
    for ref in REFERENCES:
        records = getattr(dataset, ref.collection)
        targets = getattr(dataset, ref.target)
        if records is None or targets is None:
            continue
        kind = COLLECTIONS[ref.target].kind
        for i, record in enumerate(records):
            for value in values_at(record, ref.path):
                target = ids[ref.target].get(value)
                if target is None:
                    issues.append(Issue(ref.collection, i, getattr(record, "id", None), ref.path,
                                        f"refers to {kind} {value!r}, which is not in {ref.target}"))
                elif ref.same_team and getattr(record, "team_id", None) not in (None, target.team_id):
                    issues.append(Issue(ref.collection, i, getattr(record, "id", None), ref.path,
                                        f"{kind} {value!r} belongs to team {target.team_id!r}, not {record.team_id!r}"))
    return issues


def association_cycles(dataset: Dataset) -> list[Issue]:
    parents = {a.id: a.parent_id for a in dataset.associations or []}
    position = {a.id: i for i, a in enumerate(dataset.associations or [])}
    issues, reported = [], set()
    for start in parents:
        path, node = [], start
        while node is not None and node in parents and node not in path:
            path.append(node)
            node = parents[node]
        if node in path and node not in reported:
            cycle = path[path.index(node):]
            reported.update(cycle)
            issues.append(Issue("associations", position[node], node, "parent_id",
                                "association hierarchy has a cycle: " + " → ".join(cycle + [node])))
    return issues
