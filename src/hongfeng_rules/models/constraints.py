"""What a dataset must satisfy beyond each record's own fields, declared beside the models they speak of: the
references between collections (to a member of the same team where asked), the order of events that cannot be
reversed, and the date fields that cannot lie after the as-of instant. Both the column-wise checks
(`validation.integrity`, `validation.future`) and the per-object oracle of the tests read them from here."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

from .base import inner_type
from .dataset import FUTURE_BY_NATURE


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
    Reference("workstations", "association_id", "associations"),
    Reference("workstations", "team_ids", "teams"),
    Reference("emergency_units", "association_id", "associations"),
    Reference("emergency_units", "team_id", "teams"),
    Reference("emergency_units", "member_ids", "members"),
    Reference("incidents", "emergency_unit_id", "emergency_units"),
    Reference("political_reviews", "member_id", "members"),
]


# collection, earlier field, later fields: a later event recorded before the earlier one cannot happen
ORDER = [
    ("hazards", "found_at", ("reported_at", "rectified_at", "feedback_at")),
    ("disputes", "registered_at", ("mediated_at",)),
    ("complaints", "received_at", ("investigation_closed_at", "extension_notified_at", "extended_until",
                                   "feedback_at")),
    ("assistance_cases", "started_at", ("evaluated_at", "referred_at")),
    ("patrols", "start", ("end",)),
    ("members", "birth_date", ("join_date",)),
    ("members", "join_date", ("status_since",)),
    ("members", "insurance[].start", ("insurance[].end",)),
    ("members", "certificates[].valid_from", ("certificates[].valid_until",)),
    ("evidence", "issued_on", ("valid_until",)),
    ("incidents", "alerted_at", ("arrived_at",)),
]


@functools.lru_cache(maxsize=None)
def dated_fields(model) -> tuple[tuple[str, type], ...]:
    """The top-level date and instant fields of a record type that cannot lie in the future, with their type."""
    return tuple((name, inner_type(info.annotation)) for name, info in model.model_fields.items()
                 if name not in FUTURE_BY_NATURE and inner_type(info.annotation) in (date, datetime))
