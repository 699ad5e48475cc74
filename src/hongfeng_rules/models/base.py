"""Shared building blocks of the domain models: strict base class and time types."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..timecalc import as_shanghai


class StrictModel(BaseModel):
    """Every model rejects unknown fields: a misspelt key is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


Instant = Annotated[datetime, AfterValidator(as_shanghai)]
"""A point in time. Naive input is read as Asia/Shanghai; output carries +08:00."""

Id = Annotated[str, Field(min_length=1, max_length=200)]
NonNegative = Annotated[float, Field(ge=0)]

__all__ = ["StrictModel", "Instant", "Id", "NonNegative", "date", "datetime"]
