"""Shared building blocks of the domain models: strict base class, time types, type inspection and
trusted construction."""
from __future__ import annotations

import types
import typing
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict

from ..invisible import refuse_hidden
from ..timecalc import supported_day, supported_instant


class StrictModel(BaseModel):
    """Every model rejects unknown fields: a misspelt key is an error, not a silent default."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class Record(StrictModel):
    """A dataset record: strict types too. A bool is not a number and text is not a number or a bool
    (`major_issues: true` or `"3"` is an error, not 1 or 3); only dates and instants are read from text.
    Each field's docstring, under its annotation, is its description in both languages ("中文 / English"):
    the JSON Schema an exporter reads (`hongfeng-rules schema dataset`) takes it from here."""

    model_config = ConfigDict(strict=True, use_attribute_docstrings=True)


class OutputModel(BaseModel):
    """What the library produces (report, derived results): unknown fields refused when read back, and
    no input clean-up (strings are kept as built)."""

    model_config = ConfigDict(extra="forbid")


Lifecycle = Literal["active", "demoted", "exited"]
"""A member's or unit's standing (5.2.7: demotion and exit of the inactive)."""


def inner_type(annotation):
    """Strip Optional/list/Annotated down to the model or scalar type inside."""
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return inner_type(inner[0]) if len(inner) == 1 else annotation
    if origin is list:
        return inner_type(args[0])
    if origin is typing.Annotated:
        return inner_type(args[0])
    return annotation


M = TypeVar("M", bound=BaseModel)


def trusted(cls: type[M], **values: Any) -> M:
    """An instance from parts the library itself built and validated, every field given, without
    re-validation: what `model_construct` does minus its per-field default and alias handling (about
    4x cheaper; the audit builds one finding per rule and subject, one level per member)."""
    try:
        ordered = {name: values[name] for name in cls.model_fields}  # field order = serialisation order
    except KeyError as missing:
        raise TypeError(f"{cls.__name__}: every field is needed; {missing} is missing") from None
    if len(ordered) != len(values):
        raise TypeError(f"{cls.__name__}: unknown fields {sorted(set(values) - set(ordered))}")
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", ordered)
    object.__setattr__(obj, "__pydantic_fields_set__", set(ordered))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


def _text_not_number(value: Any) -> Any:
    """Dates and instants come as ISO 8601 text (or date objects), never as numbers (a Unix timestamp)."""
    if isinstance(value, (bool, int, float)):
        raise ValueError(f"expected an ISO 8601 date or date-time as text, not the number {value!r}")
    return value


def _number_not_bool_or_text(value: Any) -> Any:
    if isinstance(value, (bool, str)):
        raise ValueError(f"expected a whole number, not {type(value).__name__} {value!r}")
    return value


def in_table_range(value: int) -> int:
    """A whole number a table's Int64 column holds (the column screen sends any other to the model)."""
    if not -2 ** 63 <= value < 2 ** 63:
        raise ValueError("whole number out of range (at least -2**63 and below 2**63, what a table holds)")
    return value


Whole = Annotated[int, Strict(False), BeforeValidator(_number_not_bool_or_text), AfterValidator(in_table_range)]
"""A whole number, from -2**63 to 2**63 - 1; 3.0 is read as 3 (exports often write numbers so), but `true` or
`"3"` is an error."""

Instant = Annotated[datetime, Strict(False), BeforeValidator(_text_not_number), AfterValidator(supported_instant)]
"""A point in time from 1900-01-01 to 2199-12-31 (timecalc.SUPPORTED). Naive input is read as
Asia/Shanghai; output carries +08:00."""

Day = Annotated[date, Strict(False), BeforeValidator(_text_not_number), AfterValidator(supported_day)]
"""A calendar date from 1900-01-01 to 2199-12-31 (timecalc.SUPPORTED)."""

Id = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(refuse_hidden)]
"""An identifier: no bidi controls or zero-width characters (invisible.refuse_hidden)."""
NonNegative = Annotated[float, Field(ge=0)]

__all__ = ["StrictModel", "Record", "OutputModel", "Day", "Whole", "Lifecycle", "trusted", "inner_type", "Instant", "Id", "NonNegative", "date", "datetime"]
