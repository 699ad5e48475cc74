"""What a model's fields accept, read once from the pydantic models (`model_fields` and their metadata).

A `Spec` says, for one field or list item, which values are surely valid: the column screen (`screen`)
accepts exactly those in bulk and sends every other record to its model, which gives the reason. A
constraint or validator with no column-wise equivalent here is a TypeError when the spec is built, so a
model cannot gain a rule the screen silently ignores.
"""
from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

import annotated_types as at
from pydantic import AfterValidator, BaseModel, BeforeValidator, Strict
from pydantic.fields import FieldInfo

from ..invisible import refuse_hidden
from ..models import base
from ..timecalc import supported_day, supported_instant

_IMPLIED = {base._text_not_number, base._number_not_bool_or_text, base.in_table_range, supported_day,
            supported_instant}
"""Validators the kind itself stands for (text-only dates, whole numbers within Int64, the supported range)."""


@dataclass(frozen=True)
class Spec:
    """One field (or list item): its kind and the constraints a surely valid value meets."""

    kind: str  # str, bool, int, float, day, instant, struct, list
    nullable: bool = False
    choices: frozenset[str] | None = None  # Literal
    min_length: int | None = None
    max_length: int | None = None
    ge: float | None = None
    le: float | None = None
    pattern: str | None = None
    hidden: bool = False  # refuse_hidden: no invisible characters
    lax: bool = False  # Strict(False)
    model: type[BaseModel] | None = None  # struct
    item: Spec | None = None  # list


@dataclass(frozen=True)
class FieldSpec:
    name: str
    spec: Spec
    required: bool
    default: Any


@cache
def model_specs(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """The specs of a model's fields, in field order."""
    validators = model.__pydantic_decorators__
    if validators.field_validators or validators.validators or validators.root_validators:
        raise TypeError(f"{model.__name__}: a field validator has no column-wise check (validation.fields)")
    out = []
    for name, info in model.model_fields.items():
        spec = spec_of(info.annotation, tuple(info.metadata), f"{model.__name__}.{name}")
        if info.is_required() and spec.nullable:
            raise TypeError(f"{model.__name__}.{name}: a required field that may be null reads as missing")
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        out.append(FieldSpec(name, spec, info.is_required(), default))
    return tuple(out)


def spec_of(annotation, metadata: tuple = (), where: str = "") -> Spec:
    """The Spec of an annotation and the metadata pydantic collected for it."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return spec_of(args[0], metadata + tuple(args[1:]), where)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"{where}: no column-wise check for the union {annotation!r}")
        return _replace(spec_of(inner[0], metadata, where), nullable=True)
    found = _constraints(metadata, where)
    if origin is list:
        if set(found) - {"lax"}:
            raise TypeError(f"{where}: no column-wise check for list constraints {sorted(found)}")
        return Spec("list", item=spec_of(args[0], (), where + "[]"))
    if origin is typing.Literal:
        if not all(isinstance(a, str) for a in args):
            raise TypeError(f"{where}: no column-wise check for {annotation!r}")
        return Spec("str", choices=frozenset(args), **found)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Spec("struct", model=annotation, **found)
    kind = {str: "str", bool: "bool", int: "int", float: "float", date: "day", datetime: "instant"}.get(annotation)
    if kind is None:
        raise TypeError(f"{where}: no column-wise check for {annotation!r}")
    if kind in ("day", "instant") and not found.get("lax"):
        raise TypeError(f"{where}: a strict {kind} cannot be read from text")
    return Spec(kind, **found)


def _constraints(metadata: tuple, where: str) -> dict:
    found: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, FieldInfo):
            found.update(_constraints(tuple(item.metadata), where))
        elif isinstance(item, Strict):
            found["lax"] = not item.strict
        elif isinstance(item, (AfterValidator, BeforeValidator)):
            if item.func is refuse_hidden:
                found["hidden"] = True
            elif item.func not in _IMPLIED:
                raise TypeError(f"{where}: no column-wise check for the validator {item.func.__qualname__}")
        elif isinstance(item, at.MinLen):
            found["min_length"] = item.min_length
        elif isinstance(item, at.MaxLen):
            found["max_length"] = item.max_length
        elif isinstance(item, at.Ge):
            found["ge"] = item.ge
        elif isinstance(item, at.Le):
            found["le"] = item.le
        elif type(item).__name__ == "_PydanticGeneralMetadata" and set(vars(item)) == {"pattern"}:
            found["pattern"] = item.pattern
        else:
            raise TypeError(f"{where}: no column-wise check for {item!r}")
    return found


def _replace(spec: Spec, **changes) -> Spec:
    return Spec(**{**spec.__dict__, **changes})
