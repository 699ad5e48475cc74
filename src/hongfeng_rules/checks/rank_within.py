"""`rank_within`: a selected record ranks among the top of its group (the captain's service hours)."""
from __future__ import annotations

import math
from typing import Any, Literal

from ..models import COLLECTIONS
from ..rulebook.units import Threshold
from .outcome import Outcome, not_applicable
from .selection import Selection
from .where import compile_condition, _field


class RankWithinCheck(Selection):
    kind: Literal["rank_within"]
    score: str
    target: dict[str, Any]
    top: Threshold

    def compile(self, subject_collection: str):
        select = self.compile_selection(subject_collection)
        model = COLLECTIONS[self.of].model
        get, _, _ = _field(self.score, model, "check.score")
        is_target = compile_condition(self.target, model, "check.target")
        if self.top.unit not in ("percent", "rank"):
            raise ValueError("top is measured in percent or rank")

        def evaluate(subject, ctx) -> Outcome:
            group = select(subject, ctx)
            targets = [r for r in group if is_target(r, ctx) is True]
            if not targets:
                return not_applicable(f"no {self.of} matching the target")
            limit = self.top.in_force(ctx.reference_date)
            if limit is None:
                return not_applicable("no value in force")
            allowed = int(limit) if self.top.unit == "rank" else max(1, math.ceil(len(group) * limit / 100))
            scores = sorted((get(r, ctx) or 0 for r in group), reverse=True)
            ranks = {r.id: 1 + sum(1 for s in scores if s > (get(r, ctx) or 0)) for r in targets}
            late = [rid for rid, rank in ranks.items() if rank > allowed]
            measured = ", ".join(f"{rid} rank {rank} of {len(group)}" for rid, rank in ranks.items())
            return Outcome("fail" if late else "pass", measured, f"rank ≤ {allowed}", late or list(ranks))

        return evaluate
