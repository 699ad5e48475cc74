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

from ..auditing import audit, derive, require_matched
from ..derived_results import Derived, known_scopes, only_kind
from ..errors import InputError, Problem, fail
from ..gating import GATED, gate
from ..tables import tables_from_files
from ..report import derived_text
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


@dataclass
class Result:
    body: bytes = b""
    media_type: str = ""
    exit_code: int = 0
    problems: list[Problem] = field(default_factory=list)  # bad input: the CLI's exit 2
    internal: str | None = None  # a bug: its type and message, never a traceback to the client


_PACKS: dict = {}
_MAPPINGS: dict = {}
_LIMITS: Limits = DEFAULT_LIMITS


_WARM = b'{"associations": [{"id": "a", "name": "A", "level": "county"}], "teams": [{"id": "t", "name": "T", "association_id": "a"}]}'


def start(packs: list[str], max_bytes: int, max_records: int, mappings: dict[str, str] | None = None) -> None:
    """Load the configured packs (in each worker process, once) and warm the worker up."""
    global _LIMITS
    _LIMITS = dataclasses.replace(DEFAULT_LIMITS, max_file_bytes=max_bytes, max_records=max_records)
    for pack in load_packs(packs):
        _PACKS[pack.name] = pack
    for name, path in (mappings or {}).items():
        _MAPPINGS[name] = load_mapping(path)
    _warm_up()


def _warm_up() -> None:
    """A worker's first audit pays one-time costs (the workday calendar built from `holidays`, lazy imports:
    ~150 ms of CPU, 5x a single-team audit): pay them now, not on a client's request, by auditing a tiny
    dataset with each pack in each format (a pack that judges none of it answers a problem: nothing to warm)."""
    for name in _PACKS:
        for fmt in MEDIA_TYPES:
            run(Job("audit", [("warm.json", _WARM)], [name], period="2025", as_of="2026-01-15", format=fmt))
        run(Job("levels", [("warm.json", _WARM)], [name], as_of="2026-01-15"))


def run(job: Job) -> Result:
    try:
        return _AUDIT[job.kind](job)
    except InputError as exc:
        return Result(problems=exc.problems)
    except Exception as exc:  # a bug in the library: logged by the caller in full, named to the client
        return Result(internal=f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")


def _audit(job: Job) -> Result:
    period, as_of = period_and_as_of(job.period, job.as_of)
    packs = [_PACKS[name] for name in job.packs]
    tables, locate = tables_from_files(job.files, _LIMITS, _MAPPINGS[job.mapping] if job.mapping else None)
    require_matched(tables, packs, job.label)
    waivers = read_waivers(job.waivers[1], job.waivers[0], _LIMITS) if job.waivers else None
    report = audit(tables, packs, period, as_of, dataset_label=job.label)
    if waivers is not None:
        report = apply_waivers(report, waivers, [r.rule.id for p in packs for r in p.rules])
    code = gate(report, job.fail_on, allow_incomplete=job.allow_incomplete)
    body = RENDERERS[job.format](report, argparse.Namespace(  # what `check` gives its renderers
        lang=job.lang, format=job.format, exit_code=code, locate=locate.as_read_from(job.label),
        gated=() if job.allow_incomplete else GATED.get(job.fail_on, ())))
    return Result(body.encode("utf-8") if isinstance(body, str) else body, MEDIA_TYPES[job.format], code)


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
