"""One column-wise check per `model_validator` of the models: an expression that is true (or unknown) on
every row the validator may refuse. Such rows are sent to their model, which gives the reason; the test
suite fails if a model gains a validator that has no entry here."""
from __future__ import annotations

from functools import cache
from typing import Callable

import polars as pl

from ..models.activities import Activity, Training
from ..models.emergency import PoliticalReview

_team_or_patrol_team = pl.col("team_id").is_null() == pl.col("patrol_team_id").is_null()

MODEL_CHECKS: dict[tuple[type, str], Callable[[], pl.Expr]] = {
    (Training, "_ends_after_start"): lambda: (pl.col("end") < pl.col("start")) | _team_or_patrol_team,
    (Activity, "_ends_after_start"): lambda: pl.col("end") < pl.col("start"),
    (PoliticalReview, "_completed_when_decided"):
        lambda: (pl.col("result") != "pending") & pl.col("completed_on").is_null(),
}


@cache
def validator_checks(model: type) -> tuple[pl.Expr, ...]:
    """The checks of `model`'s validators over its table (true or unknown: the validator may refuse)."""
    return tuple(MODEL_CHECKS[(model, name)]() for name in model.__pydantic_decorators__.model_validators)

