"""Shared parts of the aggregate check kinds: which related records, and which bound."""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from pydantic import model_validator

from ..models import COLLECTIONS
from ..models.base import StrictModel
from ..rulebook.units import Threshold, format_number
from .where import ConditionError, compile_condition


class Selection(StrictModel):
    """`of` a collection, linked to the subject `via` a field (default `<subject>_id`),
    filtered by `where`, and by the evaluation period when `in_period` is true.

    `via` may go through another collection: `team_id->teams.association_id` links an activity to the
    association of its team (the county's teams together)."""

    of: str
    via: str | None = None
    where: dict[str, Any] | None = None
    in_period: bool = False

    def validate_selection(self, subject_collection: str) -> None:
        """Raise ConditionError unless `of`, `via`, `in_period` and `where` fit the subject and the collection."""
        if self.of not in COLLECTIONS:
            raise ConditionError("check.of", f"unknown collection {self.of!r}; known: {sorted(COLLECTIONS)}")
        target = COLLECTIONS[self.of]
        kind = COLLECTIONS[subject_collection].kind
        via = self.via or f"{kind}_id"
        local, _, remote = via.partition("->")
        if remote:
            hop, _, field = remote.partition(".")
            if hop not in COLLECTIONS or field.split(".")[0] not in COLLECTIONS[hop].model.model_fields:
                raise ConditionError("check.via", f"{remote!r} after '->' must be a collection and its field"
                                     " (teams.association_id)")
        if local.split(".")[0] not in target.model.model_fields:
            raise ConditionError("check.via", f"{self.of} has no field {via.split('.')[0]!r} linking to a {kind};"
                                 " name the link with 'via'")
        if self.in_period and target.time_field is None:
            raise ConditionError("check.in_period", f"{self.of} has no time field to place it in a period")
        compile_condition(self.where, target.model, "check.where")

    def needs(self) -> set[str]:
        _, _, remote = (self.via or "").partition("->")
        return {self.of} | ({remote.partition(".")[0]} if remote else set())


class Bound(StrictModel):
    """Exactly one of at_least / at_most / exactly, each a threshold with a unit."""

    at_least: Threshold | None = None
    at_most: Threshold | None = None
    exactly: Threshold | None = None

    @model_validator(mode="after")
    def _exactly_one(self):
        given = [k for k in ("at_least", "at_most", "exactly") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of at_least, at_most, exactly")
        return self

    @property
    def bound(self) -> tuple[str, Threshold]:
        for name in ("at_least", "at_most", "exactly"):
            threshold = getattr(self, name)
            if threshold is not None:
                return name, threshold
        raise AssertionError

    def judge(self, measured: float | Fraction, ctx) -> tuple[bool | None, str]:
        """(met?, expected text); met is None when no value is in force in the period."""
        name, threshold = self.bound
        limit = threshold.in_force(ctx.reference_date)
        if limit is None:
            return None, "no value in force"
        met = {"at_least": measured >= limit, "at_most": measured <= limit, "exactly": measured == limit}[name]
        sign = {"at_least": "≥", "at_most": "≤", "exactly": "="}[name]
        return met, f"{sign} {format_number(limit)} {threshold.unit}"

