"""Shared parts of the aggregate check kinds: which related records, and which bound."""
from __future__ import annotations

import json
from fractions import Fraction
from typing import Any, Callable

from pydantic import model_validator

from ..models import COLLECTIONS
from ..models.base import StrictModel
from ..rulebook.units import Threshold, format_number
from . import probe
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

    def compile_selection(self, subject_collection: str) -> Callable[[Any, Any], list[Any]]:
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
        keep = compile_condition(self.where, target.model, "check.where")
        of, in_period, unfiltered = self.of, self.in_period, not self.where
        # rules that select alike (9 Hongfeng rules take a team's active members) share one result per subject
        key = f"select:{of}:{via}:{in_period}:{json.dumps(self.where, sort_keys=True, default=str)}"

        def select(subject, ctx) -> list[Any]:
            """The selected records; the list is shared between rules and must not be modified."""
            if unfiltered:
                return ctx.related(of, via, subject.id, in_period)
            selected = ctx.memo(key, dict)
            found = selected.get(subject.id)
            if found is None:
                found = selected[subject.id] = [r for r in ctx.related(of, via, subject.id, in_period)
                                                if keep(r, ctx) is True]
            return found

        return select

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
        if probe.hits is not None:
            probe.threshold(f"check.{name}", threshold, measured, limit, ctx.reference_date)
        met = {"at_least": measured >= limit, "at_most": measured <= limit, "exactly": measured == limit}[name]
        sign = {"at_least": "≥", "at_most": "≤", "exactly": "="}[name]
        return met, f"{sign} {format_number(limit)} {threshold.unit}"

