"""A mapping file's validation errors in the user's words. pydantic names the branches of a union in its
locations (`sheet.constrained-str`, `columns.人员编号.Column`, `function-after[…]`) and its model classes in its
messages (`instance of Column`), and reports every branch that failed: here each problem is one line naming the
key path as written in the file and why, from the branch the value's own kind chose (a mapping for `{field: …}`,
a list for a list of sheets), or one line saying what the key takes when no branch fits."""
from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, validation_reason
from ..safe_load import Document, field_path

_TYPE_ERRORS = {"model_type", "model_attributes_type", "dict_type", "list_type", "string_type", "int_type",
                "int_parsing", "int_from_float", "bool_type", "float_type", "none_required"}


def mapping_problems(exc: ValidationError, doc: Document, root: type[BaseModel]) -> list[Problem]:
    """One Problem per distinct (key path, reason) of `exc`, raised validating `doc.data` as `root`."""
    found: dict[tuple, str] = {}
    for err in exc.errors(include_url=False):
        loc, union, model, expected = _walk(root, err["loc"])
        if union is not None:
            at, options, branch = union
            value = _value(doc.data, at)
            chosen = _branch_for(options, value)
            if chosen is None:
                found.setdefault(at, f"expected {_describe(typing.Union[tuple(options)])}, not {_kind(value)}")
                continue
            if chosen is not branch:
                continue  # another branch's complaint: not what the value's kind asked for
        if err["type"] in _TYPE_ERRORS:
            reason = f"expected {_describe(expected)}, not {_kind(_value(doc.data, loc))}"
        else:
            allowed = ", ".join(model.model_fields) if model is not None else ""
            reason = validation_reason(err, loc[-1] if loc else "", "key", allowed)
        found.setdefault(loc, reason)
    return [Problem(doc.file, reason, line=doc.line_of(loc), field=field_path(loc)) for loc, reason in found.items()]


def _walk(root: type, loc: tuple):
    """(key path without union tags, (path of the first union, its options, the branch taken) or None, the model
    whose key the last step names, the type expected at the end)."""
    kind: Any = root
    clean: list = []
    union = None
    model = None
    for step in loc:
        options = _options(kind)
        if len(options) > 1:
            branch = _tagged(options, step)
            if branch is not None:
                if union is None:
                    union = (tuple(clean), options, branch)
                kind = branch
                continue
        kind = options[0] if options else kind
        clean.append(step)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            model = kind
            field = kind.model_fields.get(step)
            kind = field.annotation if field is not None else Any
        elif typing.get_origin(kind) is dict:
            kind = typing.get_args(kind)[1]
        elif typing.get_origin(kind) is list:
            kind = typing.get_args(kind)[0]
        else:
            kind = Any
    return tuple(clean), union, model, kind


def _options(kind) -> list:
    """The members of a union other than None; [kind] for anything else."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return [m for m in typing.get_args(kind) if m is not type(None)]
    return [kind]


def _tagged(options: list, tag) -> Any:
    """The option pydantic's union tag names (`constrained-str`, `list[…]`, `Column`, `function-after[…, Column]`)."""
    if not isinstance(tag, str):
        return None
    for option in options:
        if typing.get_origin(option) is list and tag.startswith("list["):
            return option
        if isinstance(option, type) and issubclass(option, BaseModel) and option.__name__ in tag:
            return option
        if option is str and tag.endswith("str"):
            return option
    return None


def _branch_for(options: list, value) -> Any:
    """The option a value of this kind is meant for: a mapping for a model, a list for a list, text for text."""
    for option in options:
        if isinstance(value, dict) and (typing.get_origin(option) is dict
                                        or isinstance(option, type) and issubclass(option, BaseModel)):
            return option
        if isinstance(value, list) and typing.get_origin(option) is list:
            return option
        if isinstance(value, str) and option is str:
            return option
    return None


def _describe(kind) -> str:
    options = _options(kind)
    if len(options) > 1:
        return " or ".join(_describe(o) for o in options)
    kind = options[0]
    if kind is str:
        return "text"
    if kind is bool:
        return "true or false"
    if kind is int:
        return "a whole number"
    if typing.get_origin(kind) is list:
        return f"a list of {_describe(typing.get_args(kind)[0])}"
    if typing.get_origin(kind) is dict:
        return "a mapping"
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return f"a mapping of {', '.join(kind.model_fields)}"
    return "a value"


def _kind(value) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else "a value"


def _value(data, loc: tuple):
    for step in loc:
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            return None
    return data
