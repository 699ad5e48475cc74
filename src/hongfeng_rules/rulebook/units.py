"""Thresholds: a number with a unit from a fixed list, optionally with dated values."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import model_validator

from ..models.base import StrictModel

Unit = Literal[
    "person", "percent", "year", "times", "item", "hour", "minute", "second", "day", "working_day",
    "month", "point", "rank",
]
UNITS: tuple[str, ...] = Unit.__args__  # type: ignore[attr-defined]
COUNT_UNITS = ("person", "times", "item")
"""What a number of records is measured in (`count`, `frequency`): a count in hours or percent means nothing."""


def count_problem(bound: str, threshold: Threshold) -> tuple[str, str] | None:
    """(key, reason) when `threshold` cannot bound a number of records: a unit that is not a count, or a fraction
    (`exactly: 2.5` can never be met, `at_least: 2.5` is a 3 written unclearly); None when it can."""
    if threshold.unit not in COUNT_UNITS:
        return f"check.{bound}.unit", f"a count of records is in one of {', '.join(COUNT_UNITS)}, not {threshold.unit}"
    fraction = next((v for v in threshold.numbers() if not float(v).is_integer()), None)
    if fraction is not None:
        return f"check.{bound}", f"a count of records is a whole number (got {format_number(fraction)} {threshold.unit})"
    return None


def share_problem(bound: str, threshold: Threshold) -> tuple[str, str] | None:
    """(key, reason) when `threshold` cannot bound a share: not in percent, or above 100 percent."""
    if threshold.unit != "percent":
        return f"check.{bound}.unit", "a share is measured in percent"
    over = next((v for v in threshold.numbers() if v > 100), None)
    if over is not None:
        return f"check.{bound}", (f"a share is at most 100 percent (got {format_number(over)}): at_least "
                                  f"{format_number(over)} can never pass, at_most {format_number(over)} never fail")
    return None


class Threshold(StrictModel):
    """`{value: 10, unit: person}` or `{unit: person, values: {"2025-01-01": 10, "2028-01-01": 12}}`.

    Dated values follow OpenFisca: each value is in force from its date until the next; a null
    value retires the requirement from that date.
    """

    unit: Unit
    value: float | None = None
    values: dict[date, float | None] | None = None

    @model_validator(mode="after")
    def _one_of_value_or_values(self):
        if (self.value is None) == (self.values is None):
            raise ValueError("give exactly one of 'value' or 'values'")
        if self.values is not None and not self.values:
            raise ValueError("'values' needs at least one dated value")
        negative = [v for v in ([self.value] if self.values is None else self.values.values())
                    if v is not None and v < 0]
        if negative:
            n = format_number(negative[0])
            raise ValueError(f"a threshold is never negative (got {n}): at_least {n} can never fail, at_most {n} "
                             "never pass")
        return self

    def in_force(self, on: date) -> float | None:
        """The value in force on a date (None when not yet in force or retired)."""
        if self.value is not None:
            return self.value
        current = None
        for start in sorted(self.values):  # type: ignore[arg-type]
            if start <= on:
                current = self.values[start]  # type: ignore[index]
        return current

    def numbers(self) -> list[float]:
        """Every value the threshold can take (its value, or its dated values but a retirement)."""
        return [v for v in ([self.value] if self.values is None else self.values.values()) if v is not None]

    def dated(self) -> bool:
        return self.values is not None


def format_number(x: float) -> str:
    """10.0 → "10", 4.5 → "4.5": how thresholds and measured numbers are written in messages."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
