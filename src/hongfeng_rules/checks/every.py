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
from .outcome import Outcome, not_applicable, not_assessable
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

    def compile(self, subject_collection: str):
        if self.of is None:
            select = lambda subject, ctx: [subject]  # noqa: E731
            model = COLLECTIONS[subject_collection].model
        else:
            selection = Selection(of=self.of, via=self.via, where=self.where, in_period=self.in_period)
            select = selection.compile_selection(subject_collection)
            model = COLLECTIONS[self.of].model
        test = compile_condition(self.require, model, "check.require")
        waiting = compile_condition(self.pending_while, model, "check.pending_while") if self.pending_while else None
        what = self.of or COLLECTIONS[subject_collection].kind
        needed = "/".join(_fields(self.require)) or "value"  # what a not-assessable note says is missing

        def evaluate(subject, ctx) -> Outcome:
            records = select(subject, ctx)
            if not records:
                return not_applicable(f"no {what} to check")
            failing, unknown, pending = [], [], []
            for r in records:
                ok = test(r, ctx)
                if ok is not True:
                    if waiting is not None and waiting(r, ctx) is True:
                        pending.append(r.id)
                    else:
                        (failing if ok is False else unknown).append(r.id)
            measured = f"{len(records) - len(failing) - len(unknown) - len(pending)} of {len(records)}"
            if failing:
                return Outcome("fail", measured, "all", failing)
            if unknown:
                return not_assessable(f"{needed} not recorded for {len(unknown)} of {len(records)}", unknown,
                                      measured=measured, expected="all")
            if pending:
                return Outcome("pending", measured, "all", pending,
                               note=f"{len(pending)} of {len(records)} still within their time limit")
            return Outcome("pass", measured, "all")

        return evaluate

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
