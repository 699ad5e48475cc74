"""The work of a request, done in worker processes (`workers`): read the dataset, audit it, render the report.

A worker loads the configured packs once (`start`); a job is plain data in and out (bytes, names,
`Problem`s), so nothing of the web layer crosses the process boundary. The report is rendered by the
functions `hongfeng-rules check` uses (`report.formats.RENDERERS`, `gating.gate`, `when.period_and_as_of`):
the same bytes as the command line.
"""
from __future__ import annotations

import argparse
import dataclasses
import traceback
from dataclasses import dataclass, field

from polars.exceptions import PanicException

from ..audit_each import audit_each
from ..auditing import audit, derive, require_matched
from ..derived_results import Derived, known_scopes, only_kind
from ..errors import InputError, Problem, fail
from ..gating import GATED, gate
from ..tables import tables_from_files
from ..tables.load import tables_from_files_each
from ..report import derived_text, json_stream
from ..report.formats import RENDERERS
from ..rulebook.locate import load_packs
from ..sources import load_mapping
from ..safe_load import DEFAULT_LIMITS, Limits
from ..when import period_and_as_of
from ..waivers import apply_waivers, read_waivers

MEDIA_TYPES = {
    "json": "application/json", "sarif": "application/sarif+json", "junit": "application/xml",
    "markdown": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}
EXIT_MEANING = {0: "conformant: no gated rule fails or is not assessable",
                1: "a gated rule fails, or is not assessable (missing evidence is never a pass)"}


@dataclass
class Job:
    kind: str  # audit | levels | stars
    files: list[tuple[str, bytes]]  # (file name, content): one dataset file, or one file per collection
    packs: list[str]
    label: str = "dataset"
    mapping: str | None = None  # a configured mapping's name
    period: str | None = None
    as_of: str | None = None
    year: int | None = None
    scope: str | None = None
    lang: str = "en"
    format: str = "json"
    fail_on: str = "shall"
    allow_incomplete: bool = False
    waivers: tuple[str, bytes] | None = None  # (file name, content): a waiver file, as `check --waivers`

    def batch_key(self) -> tuple | None:
        """Jobs with the same key may be audited together (`run_all`): audits of the same packs, period and
        as-of (the rest, format, language, waivers, mapping, is each job's own); None: alone."""
        return ("audit", tuple(self.packs), self.period, self.as_of) if self.kind == "audit" else None


@dataclass
class Result:
    body: bytes = b""
    media_type: str = ""
    exit_code: int = 0
    problems: list[Problem] = field(default_factory=list)  # bad input: the CLI's exit 2
    internal: str | None = None  # a bug: its type and message, never a traceback to the client


# a bug in the library or beneath it: a Polars panic is a BaseException (pyo3's), not an Exception, and would
# otherwise end the worker and every job of its batch with it
BUG = (Exception, PanicException)

_PACKS: dict = {}
_MAPPINGS: dict = {}
_LIMITS: Limits = DEFAULT_LIMITS


_WARM = b'{"associations": [{"id": "a", "name": "A", "level": "county"}], "teams": [{"id": "t", "name": "T", "association_id": "a"}]}'


def start(packs: list[str], max_bytes: int, max_records: int, mappings: dict[str, str] | None = None,
          default_packs: list[str] | None = None) -> None:
    """Load the configured packs (in each worker process, once) and warm the worker up."""
    global _LIMITS
    _LIMITS = dataclasses.replace(DEFAULT_LIMITS, max_file_bytes=max_bytes, max_records=max_records)
    for pack in load_packs(packs):
        _PACKS[pack.name] = pack
    for name, path in (mappings or {}).items():
        _MAPPINGS[name] = load_mapping(path)
    _warm_up(default_packs or [p for p in _PACKS][:1])


def _warm_up(packs: list[str]) -> None:
    """A worker's first audit pays one-time costs (the workday calendar built from `holidays`, lazy imports,
    compiled expressions: ~150 ms of CPU, 5x a single-team audit): pay them now, not on a client's request,
    by auditing a tiny dataset with the default packs, alone and two together, and rendering it in each
    format (other packs pay their first audit's own part on their first request)."""
    job = Job("audit", [("warm.json", _WARM)], packs, period="2025", as_of="2026-01-15")
    try:
        prepared = _prepare(job)
    except InputError:  # the default packs judge none of it: nothing to warm
        return
    audit_each([prepared.tables] * 2, prepared.packs, prepared.period, prepared.as_of)
    report = audit(prepared.tables, prepared.packs, prepared.period, prepared.as_of, dataset_label=job.label)
    for fmt in MEDIA_TYPES:
        _finish(dataclasses.replace(job, format=fmt), prepared, report)


def run(job: Job) -> Result:
    return _guarded(lambda: _AUDIT[job.kind](job))


def run_all(batch: list[Job]) -> list[Result]:
    """The results of jobs of one `batch_key`, each exactly `run(job)`'s: the datasets read one by one (a job
    with bad input answers its problems and leaves the others alone), audited together (`audit_each`), each
    report rendered for its own job."""
    if len(batch) == 1 or batch[0].batch_key() is None:
        return [run(job) for job in batch]
    results: list[Result | None] = [None] * len(batch)
    prepared, when, loaded = {}, {}, _loaded_each(batch)
    for i, job in enumerate(batch):
        outcome = _guarded(lambda i=i, job=job: _prepare(job, when, loaded.get(i)))
        if isinstance(outcome, Result):
            results[i] = outcome
        else:
            prepared[i] = outcome
    groups: dict[tuple, list[int]] = {}
    for i, p in prepared.items():
        groups.setdefault((p.period, p.as_of, tuple(batch[i].packs)), []).append(i)
    for members in groups.values():
        first = prepared[members[0]]
        try:
            reports = audit_each([prepared[i].tables for i in members], first.packs, first.period, first.as_of,
                                 labels=[batch[i].label for i in members])
        except BUG:  # a bug: each job alone, so that it is answered (and named) on its own
            reports = [None] * len(members)
        bodies = _json_each([(batch[i], prepared[i], report) for i, report in zip(members, reports)])
        for i, report, body in zip(members, reports, bodies):
            results[i] = run(batch[i]) if report is None else _guarded(
                lambda i=i, report=report, body=body: _finish(batch[i], prepared[i], report, body))
    return results


def _json_each(audited: list[tuple[Job, "_Prepared", object]]) -> list[bytes | None]:
    """The JSON report of each (job, prepared, report) asking for one with no waivers, written together
    (`json_stream.each`: ~4x less CPU a single-team report in a batch of 8); None for the others, or for all on
    a bug (each is then written alone, and a failure answered on its own)."""
    wanted = [k for k, (job, prepared, report) in enumerate(audited)
              if report is not None and job.format == "json" and prepared.waivers is None]
    bodies: list[bytes | None] = [None] * len(audited)
    if len(wanted) > 1:
        try:
            for k, body in zip(wanted, json_stream.each([audited[k][2] for k in wanted])):
                bodies[k] = body
        except BUG:
            pass
    return bodies


def _loaded_each(batch: list[Job]) -> dict[int, object]:
    """The tables of the batch's uploads (job index -> (tables, locator) or its InputError), read together for each
    mapping (`tables_from_files_each`); none on a bug, so that each job then reads its own (and is answered alone)."""
    loaded, by_mapping = {}, {}
    for i, job in enumerate(batch):
        by_mapping.setdefault(job.mapping, []).append(i)
    for mapping, members in by_mapping.items():
        try:
            found = tables_from_files_each([batch[i].files for i in members], _LIMITS,
                                           _MAPPINGS[mapping] if mapping else None)
        except BUG:  # a bug: each job reads its own and is answered alone
            continue
        loaded.update(zip(members, found))
    return loaded


def _guarded(work):
    """`work()`, or the Result of its failure: problems for bad input, an internal error for a bug."""
    try:
        return work()
    except InputError as exc:
        return Result(problems=exc.problems)
    except BUG as exc:  # a bug in the library: logged by the caller in full, named to the client
        return Result(internal=f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")


@dataclass
class _Prepared:
    """An audit job's inputs, read and checked: everything but the audit and the rendering."""
    period: object
    as_of: object
    packs: list
    tables: object
    locate: object
    waivers: object


def _prepare(job: Job, when: dict | None = None, loaded=None) -> _Prepared:
    """`loaded`: the job's tables and locator (or their InputError), read with others of its batch; else read
    here. `when`: the period and instant of each (period, as_of) text already read in this batch. An as-of of "now"
    (none given, in a period not yet over) is the clock read once for the batch, when its worker takes it: an
    instant after every job of the batch arrived and before any is answered, as the clock read for a job alone
    is; so the jobs of a batch share one instant and are audited together."""
    when = {} if when is None else when
    if (job.period, job.as_of) not in when:
        when[job.period, job.as_of] = period_and_as_of(job.period, job.as_of)
    period, as_of = when[job.period, job.as_of]
    packs = [_PACKS[name] for name in job.packs]
    if isinstance(loaded, InputError):
        raise InputError(loaded.problems)
    tables, locate = loaded or tables_from_files(job.files, _LIMITS, _MAPPINGS[job.mapping] if job.mapping else None)
    require_matched(tables, packs, job.label)
    waivers = read_waivers(job.waivers[1], job.waivers[0], _LIMITS) if job.waivers else None
    return _Prepared(period, as_of, packs, tables, locate, waivers)


def _finish(job: Job, prepared: _Prepared, report, body: bytes | None = None) -> Result:
    """The job's answer from its report: waivers applied, the exit code, the report rendered as `check` does
    (`body`: its JSON, written already with others of its batch)."""
    if prepared.waivers is not None:
        report = apply_waivers(report, prepared.waivers, [r.rule.id for p in prepared.packs for r in p.rules])
    code = gate(report, job.fail_on, allow_incomplete=job.allow_incomplete)
    if body is not None:
        return Result(body, MEDIA_TYPES[job.format], code)
    body = RENDERERS[job.format](report, argparse.Namespace(  # what `check` gives its renderers
        lang=job.lang, format=job.format, exit_code=code, locate=prepared.locate.as_read_from(job.label),
        gated=() if job.allow_incomplete else GATED.get(job.fail_on, ())))
    return Result(body.encode("utf-8") if isinstance(body, str) else body, MEDIA_TYPES[job.format], code)


def _audit(job: Job) -> Result:
    prepared = _prepare(job)
    return _finish(job, prepared, audit(prepared.tables, prepared.packs, prepared.period, prepared.as_of,
                                        dataset_label=job.label))


def _derived(job: Job) -> Result:
    """Levels (7.2.2) or stars (7.2.3) only, as `hongfeng-rules levels|stars` computes them."""
    kind = "levels" if job.kind == "levels" else "ranking"
    period, as_of = period_and_as_of(str(job.year) if job.year else None, job.as_of)
    tables = tables_from_files(job.files, _LIMITS, _MAPPINGS[job.mapping] if job.mapping else None)[0]
    known = known_scopes(tables)
    if job.scope is not None and job.scope not in known:
        raise fail("query", f"unknown scope {job.scope!r}; known: {sorted(known)}", field="scope")
    packs = only_kind([_PACKS[name] for name in job.packs], kind, job.scope)
    derived = derive(tables, packs, period, as_of) or Derived()
    if job.format == "json":
        return Result((derived.model_dump_json(indent=2) + "\n").encode("utf-8"), MEDIA_TYPES["json"])
    return Result(derived_text.render(derived, job.lang).encode("utf-8"), MEDIA_TYPES["text"])


_AUDIT = {"audit": _audit, "levels": _derived, "stars": _derived}
