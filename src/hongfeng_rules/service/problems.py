"""Errors as RFC 9457 problem details, carrying the CLI's one line per problem.

    {"type": "urn:hongfeng-rules:problem:bad-input", "title": "The input is not valid",
     "status": 422, "detail": "<first line> (and 3 more)", "instance": "/v1/audit",
     "problems": [{"text": "members.json:12: members[3] (id=m-004): birth_date: …",
                   "file": "members.json", "line": 12, "record": "members[3] (id=m-004)", "field": "birth_date",
                   "reason": "…"}]}

`text` is exactly the line `hongfeng-rules check` prints after "error: ". Nothing here ever carries
a traceback; an unexpected exception is a 500 that names only its type.
"""
from __future__ import annotations

from dataclasses import asdict
from http import HTTPStatus

from fastapi.responses import JSONResponse

from ..errors import MAX_PROBLEMS_SHOWN, InputError, Problem

MEDIA_TYPE = "application/problem+json"
TYPES = {  # slug -> title
    "bad-input": "The input is not valid",
    "bad-request": "The request is not valid",
    "unauthorized": "An API key is needed",
    "forbidden": "This key may not do that",
    "not-found": "No such resource",
    "method-not-allowed": "Method not allowed",
    "not-acceptable": "No such report format",
    "too-large": "The request body is too large",
    "unsupported-media-type": "Unsupported request body type",
    "busy": "Too many requests at once",
    "timeout": "The request took longer than the time limit",
    "unavailable": "No worker process is running",
    "monitor-unavailable": "The live monitor is not available",
    "internal": "Internal error",
}
_BY_STATUS = {401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
              406: "not-acceptable", 413: "too-large", 415: "unsupported-media-type", 429: "busy",
              501: "monitor-unavailable"}

SCHEMA = {  # the OpenAPI schema of a problem body
    "type": "object", "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "instance": {"type": "string"},
        "problems": {"type": "array", "items": {
            "type": "object", "required": ["text", "file", "reason"],
            "properties": {"text": {"type": "string"}, "file": {"type": "string"}, "reason": {"type": "string"},
                           "line": {"type": ["integer", "null"]}, "column": {"type": ["integer", "null"]},
                           "record": {"type": ["string", "null"]}, "field": {"type": ["string", "null"]}}}},
    },
}


class Refused(Exception):
    """A request answered with a problem: its status and the detail (e.g. 404, 406)."""

    def __init__(self, status: int, detail: str, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers


def problem(status: int, detail: str, *, slug: str | None = None, problems: list[Problem] = (),
            instance: str | None = None, headers: dict | None = None) -> JSONResponse:
    slug = slug or _BY_STATUS.get(status, "bad-request" if status < 500 else "internal")
    body = {"type": f"urn:hongfeng-rules:problem:{slug}",
            "title": TYPES.get(slug) or HTTPStatus(status).phrase, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN]
        body["problems"] = [{"text": str(p), **asdict(p)} for p in shown]
        if len(problems) > len(shown):
            body["more_problems"] = len(problems) - len(shown)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def input_problem(exc: InputError, instance: str | None = None) -> JSONResponse:
    """Bad input (the CLI's exit 2): 422, the first line as detail, every line in `problems`."""
    lines = exc.lines()
    more = len(exc.problems) - 1
    detail = lines[0] if lines else "invalid input"
    return problem(422, detail + (f" (and {more} more)" if more > 0 else ""), slug="bad-input",
                   problems=exc.problems, instance=instance)


def responses(*statuses: int) -> dict:
    """OpenAPI `responses` entries for these error statuses."""
    return {s: {"description": HTTPStatus(s).phrase, "content": {MEDIA_TYPE: {"schema": SCHEMA}}} for s in statuses}
