"""Domain events a host posts to the monitor, validated with pydantic.

Each event says which record of which collection it creates or changes (`collection`,
`record_id()`, `sets()`), so the deadline rules of a pack can be compiled generically: the
event that sets a rule's `start` field opens an item, the one that sets its `end` closes it.
Business ids are `<kind>_id`; `id` is reserved by durable-rules for message identity, so every
event carries a unique `event_id` instead.
"""
from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Union

from datetime import datetime

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from ..derived import LAST_ACTIVE_SOURCES
from ..models.base import Day, Id, Instant, Lifecycle, StrictModel
from ..timecalc import day_start, local_date


class Event(StrictModel):
    """Something that happened at `at`. `event_id` is unique per event; re-posting it is a no-op.
    Strict types, as dataset records: `major: "yes"` or `1` is an EventError, not True."""

    model_config = ConfigDict(strict=True)

    collection: ClassVar[str] = ""
    key: ClassVar[str] = ""  # the field holding the business id of the record
    fields: ClassVar[dict[str, str]] = {}  # record field -> event field

    event_id: Id
    at: Instant

    def record_id(self) -> str:
        return getattr(self, self.key)

    def sets(self) -> dict[str, Any]:
        """The record fields this event sets."""
        return {field: getattr(self, attr) for field, attr in self.fields.items()}

    def actors(self) -> list[str]:
        """Members this event shows as active (5.2.7)."""
        return []

    def active_at(self) -> datetime:
        """The instant it shows them active: the record field `derived.LAST_ACTIVE_SOURCES` names for the
        event's collection (a training's end), as the audit's @last_active_at reads it; else `at`."""
        source = LAST_ACTIVE_SOURCES.get(self.collection)
        return self.sets()[source[0]] if source else self.at


class HazardFound(Event):
    type: Literal["hazard_found"] = "hazard_found"
    collection: ClassVar[str] = "hazards"
    key: ClassVar[str] = "hazard_id"
    fields: ClassVar[dict[str, str]] = {"found_at": "at", "team_id": "team_id", "major": "major",
                                        "place": "place", "problem": "problem"}
    hazard_id: Id
    team_id: Id
    major: bool = False
    place: str | None = None
    problem: str | None = None


class HazardReported(Event):
    type: Literal["hazard_reported"] = "hazard_reported"
    collection: ClassVar[str] = "hazards"
    key: ClassVar[str] = "hazard_id"
    fields: ClassVar[dict[str, str]] = {"reported_at": "at"}
    hazard_id: Id


class DisputeMediated(Event):
    type: Literal["dispute_mediated"] = "dispute_mediated"
    collection: ClassVar[str] = "disputes"
    key: ClassVar[str] = "dispute_id"
    fields: ClassVar[dict[str, str]] = {"mediated_at": "at", "registered_at": "registered_at",
                                        "team_id": "team_id", "major": "major"}
    dispute_id: Id
    team_id: Id
    registered_at: Instant
    major: bool = False


class DisputeFollowedUp(Event):
    type: Literal["dispute_followed_up"] = "dispute_followed_up"
    collection: ClassVar[str] = "follow_ups"
    key: ClassVar[str] = "follow_up_id"
    fields: ClassVar[dict[str, str]] = {"at": "at", "dispute_id": "dispute_id"}
    follow_up_id: Id
    dispute_id: Id


class ComplaintReceived(Event):
    type: Literal["complaint_received"] = "complaint_received"
    collection: ClassVar[str] = "complaints"
    key: ClassVar[str] = "complaint_id"
    fields: ClassVar[dict[str, str]] = {"received_at": "at", "team_id": "team_id", "channel": "channel"}
    complaint_id: Id
    team_id: Id
    channel: Literal["phone", "mailbox", "online", "in_person", "other"] = "other"


class InvestigationClosed(Event):
    type: Literal["investigation_closed"] = "investigation_closed"
    collection: ClassVar[str] = "complaints"
    key: ClassVar[str] = "complaint_id"
    fields: ClassVar[dict[str, str]] = {"investigation_closed_at": "at", "team_id": "team_id"}
    complaint_id: Id
    team_id: Id


class ExtensionNotified(Event):
    type: Literal["extension_notified"] = "extension_notified"
    collection: ClassVar[str] = "complaints"
    key: ClassVar[str] = "complaint_id"
    fields: ClassVar[dict[str, str]] = {"extension_notified_at": "at", "extension_reason": "reason",
                                        "extended_until": "until"}
    complaint_id: Id
    reason: str
    until: Instant


class FeedbackGiven(Event):
    type: Literal["feedback_given"] = "feedback_given"
    collection: ClassVar[str] = "complaints"
    key: ClassVar[str] = "complaint_id"
    fields: ClassVar[dict[str, str]] = {"feedback_at": "at"}
    complaint_id: Id


class MemberActive(Event):
    """A member took part in service: a patrol sign-in (`at`) or the end of an activity (`at` = its end); resets
    the 5.2.7 inactivity clock."""

    type: Literal["member_active"] = "member_active"
    collection: ClassVar[str] = "members"
    key: ClassVar[str] = "member_id"
    member_id: Id
    team_id: Id

    def actors(self) -> list[str]:
        return [self.member_id]


class TrainingHeld(Event):
    """A training session (`at` its start, `end` its end); its attendees are active at its end, as in the audit."""

    type: Literal["training_held"] = "training_held"
    collection: ClassVar[str] = "trainings"
    key: ClassVar[str] = "training_id"
    fields: ClassVar[dict[str, str]] = {"start": "at", "end": "end", "team_id": "team_id"}
    training_id: Id
    team_id: Id
    end: Instant
    attendee_ids: list[Id] = []

    def actors(self) -> list[str]:
        return list(self.attendee_ids)


class MeetingHeld(Event):
    """A team meeting. Attending one is not activity (derived.LAST_ACTIVE_SOURCES): it never resets 5.2.7."""

    type: Literal["meeting_held"] = "meeting_held"
    collection: ClassVar[str] = "meetings"
    key: ClassVar[str] = "meeting_id"
    fields: ClassVar[dict[str, str]] = {"held_at": "at", "team_id": "team_id"}
    meeting_id: Id
    team_id: Id
    attendee_ids: list[Id] = []


class MemberJoined(Event):
    """A member joined on `join_date`: a member never active is inactive a month after it, as in the audit
    (@last_active_at falls back to the start of the join date)."""

    type: Literal["member_joined"] = "member_joined"
    collection: ClassVar[str] = "members"
    key: ClassVar[str] = "member_id"
    fields: ClassVar[dict[str, str]] = {"join_date": "join_date", "team_id": "team_id"}
    member_id: Id
    team_id: Id
    join_date: Day

    def actors(self) -> list[str]:
        return [self.member_id]

    def active_at(self) -> datetime:
        return day_start(self.join_date)


class MemberStatusChanged(Event):
    """A member was demoted, exited or made active again, taking effect on `status_since` (not after the day of
    `at`: post a change when it has happened). As in the audit (`@status_on_reference_date`), 5.2.7 judges a
    member only while active on the day; the inactivity clock keeps counting from the last activity meanwhile,
    so a member made active again after a month without activity is overdue at once."""

    type: Literal["member_status_changed"] = "member_status_changed"
    collection: ClassVar[str] = "members"
    key: ClassVar[str] = "member_id"
    fields: ClassVar[dict[str, str]] = {"status": "status", "status_since": "status_since", "team_id": "team_id"}
    member_id: Id
    team_id: Id
    status: Lifecycle
    status_since: Day

    @model_validator(mode="after")
    def _not_ahead(self):
        if self.status_since > local_date(self.at):
            raise ValueError(f"status_since {self.status_since} is after the day of the event "
                             f"({local_date(self.at)}): post the change when it takes effect")
        return self


EVENT_TYPES: tuple[type[Event], ...] = (
    HazardFound, HazardReported, DisputeMediated, DisputeFollowedUp, ComplaintReceived, InvestigationClosed,
    ExtensionNotified, FeedbackGiven, MemberActive, TrainingHeld, MeetingHeld, MemberJoined, MemberStatusChanged,
)
AnyEvent = Annotated[Union[EVENT_TYPES], Field(discriminator="type")]  # type: ignore[valid-type]
_ADAPTER: TypeAdapter = TypeAdapter(AnyEvent)


class EventError(ValueError):
    """A malformed event: says what is wrong; the monitor's state is unchanged."""


def parse_event(data: Event | dict) -> Event:
    """An event model from a model or a mapping (`type` picks the kind); EventError if malformed."""
    if isinstance(data, Event):
        return data
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        where = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'event'}: {e['msg']}" for e in exc.errors(include_url=False))
        kinds = ", ".join(t.model_fields["type"].default for t in EVENT_TYPES)
        raise EventError(f"malformed event {data.get('event_id', '?') if isinstance(data, dict) else '?'}: "
                         f"{where} (event types: {kinds})") from None


__all__ = ["Event", "EventError", "EVENT_TYPES", "AnyEvent", "parse_event"] + [t.__name__ for t in EVENT_TYPES]
