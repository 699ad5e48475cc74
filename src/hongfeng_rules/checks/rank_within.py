"""`rank_within`: a selected record ranks among the top of its group (the captain's service hours)."""
from __future__ import annotations

from typing import Any, Literal

from ..models import COLLECTIONS
from ..rulebook.units import Threshold
from .selection import Selection
from .where import compile_condition, number_field


class RankWithinCheck(Selection):
    kind: Literal["rank_within"]
    score: str
    target: dict[str, Any]
    top: Threshold

    def validate(self, subject_collection: str) -> None:
        self.validate_selection(subject_collection)
        model = COLLECTIONS[self.of].model
        number_field(self.score, model, "check.score")
        compile_condition(self.target, model, "check.target")
        if self.top.unit not in ("percent", "rank"):
            raise ValueError("top is measured in percent or rank")
