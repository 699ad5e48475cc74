"""POST /v1/audit, /v1/levels, /v1/stars: a dataset in (JSON or YAML body, or uploaded files), the
CLI's report out, with the CLI's exit code as the `Hongfeng-Exit-Code` header (or a field of the
`envelope`)."""
from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import FormData

from ..errors import InputError, Problem
from ..safe_load import FORMATS
from ..sources import SUFFIXES
from .audit_options import (ENVELOPE, FILE_FIELDS, AuditOptions, LevelsOptions, StarsOptions, form_properties, merged,
                            unknown)
from .jobs import EXIT_MEANING, MEDIA_TYPES, Job
from .problems import Refused, input_problem, problem, responses

BODY_TYPES = {"application/json": "json", "application/yaml": "yaml", "application/x-yaml": "yaml",
              "text/yaml": "yaml"}
ACCEPTED = {"application/json": "json", "application/sarif+json": "sarif", "application/xml": "junit",
            "text/xml": "junit", "application/junit+xml": "junit", "text/markdown": "markdown",
            "text/html": "html", "text/plain": "text"}
ERRORS = responses(401, 403, 406, 413, 415, 422, 429, 503)
STRICT = "A query parameter or form field that the operation does not name is refused (422, naming it)."
_ENVELOPE_SCHEMA = {"type": "object", "required": ["exit_code", "exit_meaning", "format", "media_type", "report"],
                    "properties": {"exit_code": {"type": ["integer", "null"]},
                                   "exit_meaning": {"type": ["string", "null"]}, "format": {"type": "string"},
                                   "media_type": {"type": "string"}, "report": {"type": "string"}}}


def negotiate(fmt: str | None, accept: str | None) -> str | None:
    """The `format` query, else the first acceptable type of `Accept` we can write, else JSON; None: 406."""
    if fmt:
        return fmt
    if not accept:
        return "json"
    wanted = []
    for i, part in enumerate(accept.split(",")):
        kind, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                try:
                    q = float(p[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            wanted.append((-q, i, kind.lower()))
    for _, _, kind in sorted(wanted):
        if kind in ACCEPTED:
            return ACCEPTED[kind]
        if kind in ("*/*", "application/*"):
            return "json"
        if kind == "text/*":
            return "text"
    return None


def _request_body(fmt_types: dict, audit: bool = False) -> dict:
    """The OpenAPI requestBody: the dataset as JSON or YAML, or uploaded files (and, for an audit, a waiver
    file and the options as text fields)."""
    fields = {"files": {"type": "array", "items": {"type": "string", "format": "binary"},
                        "description": "one dataset file, or one file per collection (members.json, …); "
                                       f"types: {', '.join(sorted(fmt_types))}"}}
    if audit:
        fields.update(form_properties())
        fields["waivers"] = {"type": "string", "format": "binary",
                             "description": "a waiver file (.json, .yaml or .yml), as `check --waivers FILE` reads: "
                                            "a mapping with a `waivers` list of rule_id, subject_id, justification, "
                                            "approved_by, approved_on, expires_on (docs/service.md)"}
    return {"required": True, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Dataset"}},
        "application/yaml": {"schema": {"type": "string"}},
        "multipart/form-data": {"schema": {"type": "object", "required": ["files"], "properties": fields,
                                           "additionalProperties": False}}}}


def known_query(options: type[AuditOptions | LevelsOptions | StarsOptions]):
    """A dependency refusing the query parameters the options model does not name."""
    async def check(request: Request) -> None:  # async: a sync dependency would cost a thread hand-off
        problems = unknown(request.query_params.keys(), options.model_fields, "query")
        if problems:
            raise InputError(problems)
    return check


async def read_dataset(request: Request, fields: tuple[str, ...] = ("files",), hint: str = "") -> tuple[
        list[tuple[str, bytes]], str, tuple[str, bytes] | None, FormData | None]:
    """The files of the request, the dataset's default label, the waiver file and the form (multipart only;
    else None and None); InputError for a form field not in `fields` (`hint` ends its reason) or if there
    are no files."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in BODY_TYPES:
        fmt = BODY_TYPES[kind]
        return [(f"body.{fmt}", await request.body())], "dataset", None, None
    if kind == "multipart/form-data":
        try:
            form = await request.form(max_files=200, max_fields=200)
        except Exception as exc:  # a malformed multipart body; TooLarge passes through the receive wrapper
            if type(exc).__name__ == "TooLarge":
                raise
            raise InputError([Problem("request body", f"not a readable multipart form: {exc}")]) from None
        problems = unknown(form.keys(), fields, "form", hint)
        if problems:
            raise InputError(problems)
        files = [(_base_name(f.filename or "upload"), await f.read()) for f in form.getlist("files")
                 if hasattr(f, "read")]
        if not files:
            raise InputError([Problem("request body", "no files: send them in form fields named 'files'",
                                      field="files")])
        waivers = [w for w in form.getlist("waivers")]
        if len(waivers) > 1 or (waivers and not hasattr(waivers[0], "read")):
            raise InputError([Problem("request body", "'waivers' is one uploaded file (.json, .yaml or .yml)",
                                      field="waivers")])
        waiver_file = (_base_name(waivers[0].filename or "waivers"), await waivers[0].read()) if waivers else None
        return files, files[0][0] if len(files) == 1 else "upload", waiver_file, form
    raise Unsupported(kind)


class Unsupported(Exception):
    def __init__(self, kind: str):
        super().__init__(f"the body is {kind or 'untyped'}; send application/json, application/yaml or "
                         "multipart/form-data (files)")


def _base_name(name: str) -> str:
    """A client's file name, without any folders (it only names the file in problems and the label)."""
    return PureWindowsPath(PurePosixPath(name).name).name or "upload"


def router(state, auth) -> APIRouter:
    r = APIRouter(tags=["audit"])

    async def run(request: Request, job: Job, envelope: bool, in_form: frozenset = frozenset()) -> Response:
        unknown = [p for p in job.packs if p not in state.catalog]
        if unknown:
            raise InputError([Problem("form" if "pack" in in_form else "query",
                                      f"unknown pack {p!r}; this service offers: {sorted(state.catalog)}",
                                      field="pack") for p in unknown])
        if job.mapping is not None and job.mapping not in state.config.mappings:
            raise InputError([Problem("form" if "mapping" in in_form else "query",
                                      f"unknown mapping {job.mapping!r}; this service has: "
                                      f"{sorted(state.config.mappings)}", field="mapping")])
        result = await state.pool.run(job)
        if result.internal:
            state.log_internal(request, result.internal)
            state.metrics.audits[(job.kind, "internal")] += 1
            return problem(500, "internal error: " + result.internal.splitlines()[0], instance=request.url.path)
        if result.problems:
            state.metrics.audits[(job.kind, "bad_input")] += 1
            return input_problem(InputError(result.problems), request.url.path)
        state.metrics.audits[(job.kind, str(result.exit_code))] += 1
        headers = {"Hongfeng-Exit-Code": str(result.exit_code),
                   "Hongfeng-Exit-Meaning": EXIT_MEANING[result.exit_code]} if job.kind == "audit" else {}
        if envelope:
            return JSONResponse({"exit_code": result.exit_code if job.kind == "audit" else None,
                                 "exit_meaning": EXIT_MEANING[result.exit_code] if job.kind == "audit" else None,
                                 "format": job.format, "media_type": result.media_type,
                                 "report": result.body.decode("utf-8")}, headers=headers, media_type=ENVELOPE)
        return Response(result.body, media_type=result.media_type, headers=headers)

    def chosen(fmt, request: Request) -> str:
        found = negotiate(fmt, request.headers.get("accept"))
        if found is None:
            raise Refused(406, f"cannot answer {request.headers.get('accept')!r}; formats: "
                              + ", ".join(f"{k} ({v})" for k, v in MEDIA_TYPES.items()))
        return found

    ok = {200: {"description": "the report, in the format asked for",
                "headers": {"Hongfeng-Exit-Code": {"schema": {"type": "string", "enum": ["0", "1"]},
                                                   "description": "the CLI's exit code (2 is a 422 problem)"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ComplianceReport"}},
                            **{t: {"schema": {"type": "object" if k == "sarif" else "string"}}
                               for k, t in MEDIA_TYPES.items() if k != "json"},
                            ENVELOPE: {"schema": _ENVELOPE_SCHEMA}}}}

    @r.post("/v1/audit", summary="Audit a dataset against rule packs", description=STRICT, responses={**ok, **ERRORS},
            openapi_extra={"requestBody": _request_body({*FORMATS, *SUFFIXES}, audit=True)},
            dependencies=[Depends(auth("audit")), Depends(known_query(AuditOptions))])
    async def audit_dataset(request: Request, query: Annotated[AuditOptions, Query()]):
        files, default_label, waivers, form = await read_dataset(request, (*FILE_FIELDS, *AuditOptions.model_fields))
        o = merged(query, set(request.query_params), form)
        job = Job("audit", files, o.pack or state.config.default_packs, o.label or default_label, mapping=o.mapping,
                  period=o.period, as_of=o.as_of, lang=o.lang, format=chosen(o.format, request), fail_on=o.fail_on,
                  allow_incomplete=o.allow_incomplete, waivers=waivers)
        return await run(request, job, o.envelope, frozenset(form.keys()) if form is not None else frozenset())

    derived_ok = {200: {"description": "the derived results", "content": {
        "application/json": {"schema": {"type": "object"}}, "text/plain": {"schema": {"type": "string"}}}}}

    def derived_route(kind: str, summary: str, options: type[LevelsOptions | StarsOptions]) -> None:
        """POST /v1/{kind}: the dataset from the body, the options from the query (the form has `files`
        alone), `hongfeng-rules {kind}`'s answer as JSON or text."""
        own = [n for n in options.model_fields if n not in ("pack", "mapping", "lang", "format")]  # as_of; year, scope

        async def derived(request: Request, o) -> Response:
            files, *_ = await read_dataset(request, hint="; the options go in the query")
            job = Job(kind, files, o.pack or state.config.default_packs, mapping=o.mapping, lang=o.lang,
                      format=o.format or ("text" if chosen(None, request) == "text" else "json"),
                      **{n: getattr(o, n) for n in own})
            return await run(request, job, False)

        derived.__annotations__["o"] = Annotated[options, Query()]  # an object: a string would name a local
        r.post(f"/v1/{kind}", name=kind, summary=summary, description=STRICT, responses={**derived_ok, **ERRORS},
               openapi_extra={"requestBody": _request_body({*FORMATS, *SUFFIXES})},
               dependencies=[Depends(auth("audit")), Depends(known_query(options))])(derived)

    derived_route("levels", "Each member's points and level (7.2.2)", LevelsOptions)
    derived_route("stars", "Each team's rank and star title (7.2.3)", StarsOptions)

    return r
