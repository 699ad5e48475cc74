"""`every`: every selected record meets a condition (every core member has a skill).

Without `of`, the condition applies to the subject itself (a hazard record names its place).
A record whose needed value is not recorded makes the finding not assessable, never a pass.
`pending_while`: a record that does not meet the condition yet but meets this one (its time limit has not
run out: `{mediated_at: {within_limit: {value: 1, unit: month}}}`) is pending, not failing.
"""
from __future__ import annotations

from typing import Any, Literal

from ..models import COLLECTIONS
from ..models.base import StrictModel
from .selection import Selection
from .where import compile_condition


class EveryCheck(StrictModel):
    kind: Literal["every"]
    of: str | None = None
    via: str | None = None
    where: dict[str, Any] | None = None
    in_period: bool = False
    require: dict[str, Any]
    pending_while: dict[str, Any] | None = None

    def validate(self, subject_collection: str) -> None:
        if self.of is not None:
            Selection(of=self.of, via=self.via, where=self.where, in_period=self.in_period).validate_selection(
                subject_collection)
        model = COLLECTIONS[self.of or subject_collection].model
        compile_condition(self.require, model, "check.require")
        compile_condition(self.pending_while, model, "check.pending_while")

    def needs(self) -> set[str]:
        return {self.of} if self.of else set()


def _fields(condition) -> list[str]:
    """The fields a condition reads (its keys below any all_of/any_of/not), in order: what can be unrecorded."""
    if isinstance(condition, list):
        return [f for c in condition for f in _fields(c)]
    if not isinstance(condition, dict):
        return []
    out = []
    for key, value in condition.items():
        for f in (_fields(value) if key in ("all_of", "any_of", "not") else [key]):
            if f not in out:
                out.append(f)
    return out
