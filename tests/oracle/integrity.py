"""The per-object dataset checks, kept as the oracle of the column-wise ones (`validation.integrity`,
`validation.future`): unique ids, references that resolve, no cycles, no impossible order of events (a hazard
reported before it was found), and the records dated after the as-of instant, over a pydantic `Dataset`.

Each problem names the collection, the record (index and id) and the field, so the loader can
add the file it came from. What the standard judges (an interim control before the hazard was found, a
home visit after the help started, a late feedback) is left to the rules: only what cannot happen
is an error here.
"""
from __future__ import annotations

from datetime import date, datetime
from operator import attrgetter

from hongfeng_rules.errors import Issue, record_label
from hongfeng_rules.index import Index, link_reader
from hongfeng_rules.models import COLLECTIONS, Dataset
from hongfeng_rules.models.constraints import ORDER, REFERENCES, dated_fields


def check_dataset(dataset: Dataset) -> list[Issue]:
    issues = duplicate_ids(dataset)
    issues += dangling_references(dataset)
    issues += association_cycles(dataset)
    issues += impossible_order(dataset)
    return issues


def impossible_order(dataset: Dataset) -> list[Issue]:
    """Later events recorded before earlier ones (a report before the finding, a follow-up before the mediation)."""
    issues = []
    for name, first, laters in ORDER:
        for i, record in enumerate(getattr(dataset, name) or []):
            for later in laters:
                for pos, (a, b) in enumerate(_pairs(record, first, later)):
                    if a is not None and b is not None and b < a:
                        where = later.replace("[]", f"[{pos}]")
                        issues.append(Issue(name, i, getattr(record, "id", None), where,
                                            f"{later.split('.')[-1]} {_iso(b)} is before "
                                            f"{first.split('.')[-1]} {_iso(a)}"))
    disputes = {d.id: d for d in dataset.disputes or []}
    for i, follow_up in enumerate(dataset.follow_ups or []):
        dispute = disputes.get(follow_up.dispute_id)
        if dispute is None:
            continue  # reported as a dangling reference
        field, when = ("mediated_at", dispute.mediated_at) if dispute.mediated_at else ("registered_at",
                                                                                         dispute.registered_at)
        if follow_up.at < when:
            issues.append(Issue("follow_ups", i, follow_up.id, "at", f"follow-up at {_iso(follow_up.at)} is before "
                                f"its dispute {dispute.id!r} was {field.split('_')[0]} ({_iso(when)})"))
    return issues


def _pairs(record, first: str, later: str):
    """(earlier, later) values of a record, or of each item of a list field (`insurance[].start`)."""
    if "[]." not in first:
        return [(getattr(record, first, None), getattr(record, later, None))]
    items, a = first.split("[].")
    b = later.split("[].")[1]
    return [(getattr(item, a, None), getattr(item, b, None)) for item in getattr(record, items, None) or []]


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def records_after(dataset: Dataset, as_of: datetime, limit: int = 100) -> list[str]:
    """Records dated after the as-of instant (a report dated in the future): flagged in the report.

    The audit does not count them: events after as-of are outside the evaluation (`Context.in_period`) and a
    closing event after as-of has not happened yet (`deadline`). Dates are compared with the as-of day.
    At most `limit` lines, then '… and N more'.
    """
    out = []
    for name, collection in COLLECTIONS.items():
        records = getattr(dataset, name) or []
        late = []  # (record index, field position): one typed comparison per value, reported in record order
        for position, (field, kind) in enumerate(dated_fields(collection.model)):
            bound = as_of if kind is datetime else as_of.date()
            late += [(i, position) for i, value in enumerate(map(attrgetter(field), records))
                     if value is not None and value > bound]
        for i, position in sorted(late):
            field, record = dated_fields(collection.model)[position][0], records[i]
            label = record_label(name, i, getattr(record, "id", None))
            out.append(f"{label}: {field} {_iso(getattr(record, field))} is after as-of {_iso(as_of)}")
    return out[:limit] + ([f"… and {len(out) - limit} more"] if len(out) > limit else [])


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
    issues, index = [], Index(dataset)  # ids of the referenced collections only, each built once
    for ref in REFERENCES:
        records = getattr(dataset, ref.collection)
        targets = getattr(dataset, ref.target)
        if records is None or targets is None:
            continue
        kind, linked = COLLECTIONS[ref.target].kind, link_reader(ref.path)
        for i, record in enumerate(records):
            for value in linked(record):
                target = index.by_id(ref.target).get(value)
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
