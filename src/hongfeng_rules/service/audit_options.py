"""The options of POST /v1/audit, one model read from the query and, with uploaded files, from the
multipart form's text fields: the same validation either way; one given in both with different
values is bad input naming the field. The options of /v1/levels and /v1/stars (query only), and the
refusal of a name none of them has (`unknown`), so that a mistyped option is never silently ignored."""
from __future__ import annotations

import difflib
from typing import Iterable, Literal

from pydantic import BaseModel, Field, ValidationError

from ..errors import InputError, Problem

ENVELOPE = "application/vnd.hongfeng-rules.envelope+json"
FILE_FIELDS = ("files", "waivers")


class _Options(BaseModel):
    pack: list[str] | None = Field(None, max_length=10,
                                   description="a configured pack's name; repeatable (default: hongfeng)")
    lang: Literal["zh", "en"] = "en"
    mapping: str | None = Field(None, max_length=100,
                                description="a configured column mapping's name, for workbooks, CSV, Parquet")


class AuditOptions(_Options):
    period: str | None = Field(None, max_length=40, description="2025, 2025-Q1, 2025-03 or 2025-01-01..2025-06-30")
    as_of: str | None = Field(None, max_length=40, description="the date or instant judged at")
    format: Literal["json", "sarif", "junit", "markdown", "html", "text"] | None = Field(
        None, description="json, sarif, junit, markdown, html or text (else Accept)")
    fail_on: Literal["shall", "should", "never"] = "shall"
    allow_incomplete: bool = False
    label: str | None = Field(None, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$",
                              description="the dataset's name in the report (default: the file's name)")
    envelope: bool = Field(False, description=f"answer {ENVELOPE}: exit_code, exit_meaning, format, report")


class LevelsOptions(_Options):
    as_of: str | None = Field(None, max_length=40, description="the date or instant judged at")
    format: Literal["json", "text"] | None = Field(None, description="json or text (else Accept)")


class StarsOptions(_Options):
    year: int | None = Field(None, ge=1900, le=2200, description="the year ranked (default: this year)")
    scope: str | None = Field(None, max_length=100, description="all, association, or an association id (default: the rule's)")
    format: Literal["json", "text"] | None = Field(None, description="json or text (else Accept)")


def unknown(given: Iterable[str], accepted: Iterable[str], where: str, hint: str = "") -> list[Problem]:
    """A problem for each name given (once) that is not accepted, with the closest accepted name and
    the list of them: `query: as_off: unknown parameter; did you mean as_of? accepted: …`."""
    accepted = sorted(accepted)
    what = "parameter" if where == "query" else "field"
    problems = []
    for name in dict.fromkeys(given):
        if name in accepted:
            continue
        close = difflib.get_close_matches(name, accepted, n=1, cutoff=0.6)
        guess = f"; did you mean {close[0]}?" if close else ";"
        problems.append(Problem(where, f"unknown {what}{guess} accepted: {', '.join(accepted)}{hint}",
                                field=name if len(name) <= 100 else name[:100] + "…"))
    return problems


def from_form(form) -> tuple[dict, list[Problem]]:
    """The form's option fields as the model reads them (a list for `pack`, else one value) and the
    problems of fields given as files or more than once (fields the model does not name are refused
    before, by `unknown`)."""
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
