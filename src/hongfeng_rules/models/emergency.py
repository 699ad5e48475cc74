"""Town-level workstations (工作站), smallest emergency units (最小应急单元), the incidents they are alerted
to, and political reviews (政审) of members.

First used by the Gucheng practice pack; nothing here is specific to it. The response tier of a unit or of
a dispatch is a label (`ring1`, …) whose meaning and time limit live in the rule files, not here.
"""
from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from .base import Day, Id, Instant, Record


class Workstation(Record):
    """A volunteer-police workstation (义警工作站) of an association, usually one per town or community,
    with the teams it manages (`team_ids`)."""

    id: Id
    association_id: Id
    name: str
    township: str | None = None  # 乡镇 / 社区 it serves
    team_ids: list[Id] = []


class EmergencyUnit(Record):
    """A smallest emergency unit (最小应急单元): a few members on call, linked with a police station or post."""

    id: Id
    association_id: Id
    team_id: Id | None = None
    name: str
    tier: str | None = None  # the ring of the response circle it is assigned to (a label the rules name)
    linked_stations: list[str] | None = None  # 警务站 / 派出所 it works with (None: not recorded; []: none)
    member_ids: list[Id] = []
    status: Literal["active", "disbanded"] = "active"
    status_since: Day | None = None  # the day `status` took effect (disbanded); None: not recorded


class Incident(Record):
    """One dispatch of an emergency unit to an incident (突发事件/警情): when the unit was alerted and when it
    arrived on the scene. `tier` is the ring the dispatch was made under (recorded by the command system);
    `arrived_at` None means no arrival is recorded."""

    id: Id
    emergency_unit_id: Id
    tier: str
    alerted_at: Instant
    arrived_at: Instant | None = None
    kind: str | None = None
    place: str | None = None


class PoliticalReview(Record):
    """A political review (政审) of a member: its result and the day it was completed."""

    id: Id
    member_id: Id
    result: Literal["passed", "failed", "pending"]
    completed_on: Day | None = None  # None while pending
    reviewer: str | None = None

    @model_validator(mode="after")
    def _completed_when_decided(self):
        if self.result != "pending" and self.completed_on is None:
            raise ValueError(f"a {self.result} review needs completed_on")
        return self
