"""An upload's bytes are freed as soon as its reading is done, by reference counting alone (no garbage
collection): a worker's audits leave their objects in the oldest generation (`gcpause`), which Python collects
seldom, so whatever an upload's reading kept in a reference cycle stayed (RSS grew ~1 MB a batch)."""
from __future__ import annotations

import gc
import json
import sys

import pytest

from hongfeng_rules.errors import InputError
from hongfeng_rules.tables import tables_from_files
from helpers import REPO

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402

TEAM = generate(1, seed=3)
BAD_DAY = {**TEAM, "members": [{**TEAM["members"][0], "birth_date": "1990-13-01"}] + TEAM["members"][1:]}
UPLOADS = {  # kind -> (the files, fresh bytes each time; the problem, None when read)
    "one file": (lambda: [("body.json", json.dumps(TEAM).encode())], None),
    "a file a collection": (lambda: [(f"{c}.json", json.dumps(rows).encode()) for c, rows in TEAM.items()], None),
    "a duplicate key": (lambda: [("body.json", json.dumps(TEAM).encode()[:-1] + b', "teams": []}')],
                        "teams: duplicate key 'teams'"),  # the fast reader reads it; the strict reader refuses it
    "a bad record": (lambda: [("body.json", json.dumps(BAD_DAY).encode())], "birth_date: Input should be a valid date"),
}


def read(files) -> str | None:
    try:
        tables_from_files(files)
    except InputError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize("kind", UPLOADS)
def test_an_uploads_bytes_are_freed_without_a_collection(kind):
    make, problem = UPLOADS[kind]
    read(make())  # caches of the first reading filled
    files = make()
    held = [sys.getrefcount(content) for _, content in files]
    was = gc.isenabled()
    gc.disable()
    try:
        outcome = read(files)
        assert outcome is None if problem is None else problem in outcome, outcome
        assert [sys.getrefcount(content) for _, content in files] == held  # nothing of the reading holds them
    finally:
        if was:
            gc.enable()


def test_a_workers_batch_leaves_no_cyclic_garbage():
    """A worker's batch (good uploads, a malformed one, one the strict reader refuses), audited and rendered as
    JSON, Markdown, HTML and text, leaves nothing for the cyclic collector: its memory is back once it is
    answered. (SARIF and JUnit leave a few small closures of the standard library's indenting JSON encoder and
    `ElementTree.indent`, none holding data.)"""
    from hongfeng_rules.service import jobs

    jobs.start(["hongfeng"], 32 << 20, 1_000_000)
    job = lambda body, fmt="json": jobs.Job("audit", [("body.json", body)], ["hongfeng"], period="2025",
                                            as_of="2026-01-15", format=fmt)
    refused = UPLOADS["a duplicate key"][0]
    batch = lambda: [job(json.dumps(TEAM).encode(), fmt) for fmt in ("json", "markdown", "html", "text")] + [
        job(b'{"teams": ['), job(refused()[0][1])]
    jobs.run_all(batch())
    gc.collect()
    was = gc.isenabled()
    gc.disable()
    try:
        answers = jobs.run_all(batch())
        assert [bool(a.problems) for a in answers] == [False] * 4 + [True, True]
        assert all(a.body for a in answers[:4])
        answers = None
        assert gc.collect() == 0
    finally:
        if was:
            gc.enable()


def test_a_polars_panic_in_a_batch_answers_each_job_alone(monkeypatch):
    """A Polars panic is a BaseException, not an Exception: in a batch's audit it falls back to each job alone
    (answered as if it had come alone), and in a job alone it is that job's internal error, not the worker's end."""
    from polars.exceptions import PanicException

    from hongfeng_rules.service import jobs

    jobs.start(["hongfeng"], 32 << 20, 1_000_000)
    job = lambda: jobs.Job("audit", [("body.json", json.dumps(TEAM).encode())], ["hongfeng"], period="2025",
                           as_of="2026-01-15")
    alone = jobs.run(job()).body

    def panics(*args, **kwargs):
        raise PanicException("a panic beneath the audit")

    monkeypatch.setattr(jobs, "audit_each", panics)
    answers = jobs.run_all([job(), job()])
    assert [a.body for a in answers] == [alone, alone] and not any(a.internal for a in answers)
    monkeypatch.setitem(jobs._AUDIT, "audit", panics)
    answer = jobs.run(job())
    assert answer.internal.startswith("PanicException: a panic beneath the audit") and not answer.body
