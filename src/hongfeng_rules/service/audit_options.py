"""The options of POST /v1/audit, one model read from the query and, with uploaded files, from the
multipart form's text fields: the same validation either way; one given in both with different
values is bad input naming the field."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from ..errors import InputError, Problem

ENVELOPE = "application/vnd.hongfeng-rules.envelope+json"
FILE_FIELDS = ("files", "waivers")


class AuditOptions(BaseModel):
    pack: list[str] | None = Field(None, max_length=10,
                                   description="a configured pack's name; repeatable (default: hongfeng)")
    period: str | None = Field(None, max_length=40, description="2025, 2025-Q1, 2025-03 or 2025-01-01..2025-06-30")
    as_of: str | None = Field(None, max_length=40, description="the date or instant judged at")
    lang: Literal["zh", "en"] = "en"
    format: Literal["json", "sarif", "junit", "markdown", "html", "text"] | None = Field(
        None, description="json, sarif, junit, markdown, html or text (else Accept)")
    fail_on: Literal["shall", "should", "never"] = "shall"
    allow_incomplete: bool = False
    label: str | None = Field(None, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$",
                              description="the dataset's name in the report (default: the file's name)")
    mapping: str | None = Field(None, max_length=100,
                                description="a configured column mapping's name, for workbooks, CSV, Parquet")
    envelope: bool = Field(False, description=f"answer {ENVELOPE}: exit_code, exit_meaning, format, report")


def from_form(form) -> tuple[dict, list[Problem]]:
    """The form's option fields as the model reads them (a list for `pack`, else one value) and the
    problems of fields given as files or more than once. Fields the model does not name are ignored,
    as unknown query parameters are."""
    values, problems = {}, []
    for name in AuditOptions.model_fields:
        given = form.getlist(name)
        if not given:
            continue
        if any(hasattr(v, "read") for v in given):
            problems.append(Problem("form", "an option is a text field, not an uploaded file", field=name))
        elif name != "pack" and len(given) > 1:
            problems.append(Problem("form", f"given {len(given)} times; give it once", field=name))
        else:
            values[name] = given if name == "pack" else given[0]
    return values, problems


def merged(query: AuditOptions, in_query: set[str], form) -> AuditOptions:
    """The query's options with the form's added (form None: the query's alone); InputError for a
    form field the query form would refuse too, or one given in both with different values."""
    if form is None:
        return query
    values, problems = from_form(form)
    try:
        body = AuditOptions.model_validate(values)
    except ValidationError as exc:
        problems += [Problem("form", e["msg"], field=".".join(str(x) for x in e["loc"]) or None) for e in exc.errors()]
    if problems:
        raise InputError(problems)
    clashes = [Problem("request", f"{getattr(query, n)!r} in the query but {getattr(body, n)!r} in the form; "
                                  "give it in one place, or the same in both", field=n)
               for n in sorted(in_query & body.model_fields_set) if getattr(query, n) != getattr(body, n)]
    if clashes:
        raise InputError(clashes)
    return query.model_copy(update={n: getattr(body, n) for n in body.model_fields_set})


def form_properties() -> dict:
    """The OpenAPI properties of the option fields of the multipart form (a field's value is never null)."""
    props = {}
    for name, schema in AuditOptions.model_json_schema()["properties"].items():
        branches = [b for b in schema.pop("anyOf", []) if b.get("type") != "null"]
        if schema.get("default") is None:
            schema.pop("default", None)
        props[name] = {**(branches[0] if branches else {}), **schema}
    return props
