"""Audits waiting together are run together (`audit_each` in one worker), each answered exactly as alone; a bad
request in a batch affects no other; a worker whose replacement cannot start leaves the others serving, and
with none left every audit is a 503 problem (the real server, over HTTP)."""
from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from hongfeng_rules.service import jobs
from hongfeng_rules.service.workers import Pool

from helpers import REPO
from service_server import children, running, start, stop

sys.path.insert(0, str(REPO))
from benchmarks.generate import generate  # noqa: E402

QUERY = {"period": "2025", "as_of": "2026-01-15"}
TEAMS = [json.dumps(generate(1, seed=s, violation_rate=0.3)).encode() for s in range(5)]  # the same ids in each
JSON = {"content-type": "application/json"}


def batches(c: httpx.Client) -> dict[int, int]:
    text = c.get("/metrics").text
    return {int(size): int(n) for size, n in re.findall(r'hongfeng_audit_batches_total\{size="(\d+)"\} (\d+)', text)}


def post(base: str, body: bytes, **params):
    with httpx.Client(base_url=base, timeout=120) as c:
        return c.post("/v1/audit", params={k: v for k, v in {**QUERY, **params}.items() if v is not None},
                      content=body, headers=JSON)


def test_waiting_audits_are_audited_together_each_as_alone(tmp_path):
    requests = [(t, {"format": f, "lang": lang}) for t, f, lang in
                zip(TEAMS * 2, ["json", "sarif", "markdown", "text", "junit", "html", "json", "json", "text", "json"],
                    ["en", "zh"] * 5)]
    requests += [(b'{"teams": [', {}), (TEAMS[0], {"period": "2024"}), (b'{"teams": 1}', {"format": "text"})]
    proc, base = start(tmp_path, workers=1, max_concurrent=32, gather_seconds=0.05)
    try:
        with httpx.Client(base_url=base, timeout=120) as c:
            alone = [c.post("/v1/audit", params={**QUERY, **p}, content=body, headers=JSON) for body, p in requests]
            assert batches(c) == {1: len(requests)}
            with ThreadPoolExecutor(len(requests)) as pool:
                together = list(pool.map(lambda r: post(base, r[0], **r[1]), requests))
            sizes = batches(c)
        for (body, params), one, other in zip(requests, alone, together):
            assert (other.status_code, other.headers["content-type"], other.content) == \
                   (one.status_code, one.headers["content-type"], one.content), params
            assert other.headers.get("hongfeng-exit-code") == one.headers.get("hongfeng-exit-code")
        assert [r.status_code for r in together[-3:]] == [422, 200, 422]
        assert together[-3].json()["problems"][0]["line"] == 1
        assert max(sizes) > 1, sizes  # some were audited together
        assert sum(size * n for size, n in sizes.items()) == 2 * len(requests)
    finally:
        stop(proc)


def test_audits_as_of_now_share_the_batch_instant_each_as_alone_at_it(tmp_path):
    """Without as-of (and period) each audit is judged "now": the jobs of a batch share one clock reading, taken
    when the worker takes the batch (after each arrived, before any is answered), so they are audited together;
    each answer is byte for byte the audit alone as of the instant its report names."""
    proc, base = start(tmp_path, workers=1, max_concurrent=32, gather_seconds=0.05)
    try:
        with ThreadPoolExecutor(8) as pool:
            now = list(pool.map(lambda body: post(base, body, period=None, as_of=None), TEAMS + TEAMS[:3]))
        with httpx.Client(base_url=base, timeout=120) as c:
            sizes = batches(c)
        assert max(sizes) > 1, sizes  # some were audited together
        for body, answer in zip(TEAMS + TEAMS[:3], now):
            report = answer.json()
            alone = post(base, body, period=report["period"], as_of=report["as_of"])
            assert (answer.status_code, answer.content) == (alone.status_code, alone.content)
        instants = [r.json()["as_of"] for r in now]
        assert len(set(instants)) < len(instants)  # shared, not one instant a request
    finally:
        stop(proc)


def taken(waiting: int, live: int, max_batch: int = 16) -> list[int]:
    """The batches `live` free workers take, one after another, from `waiting` jobs of one key (no worker started:
    the pool's queue alone)."""
    async def run():
        pool = Pool(live, 100, [], 1 << 20, 1000, max_batch=max_batch)
        pool.live = live
        job = jobs.Job("audit", [("body.json", b"{}")], ["hongfeng"], period="2025", as_of="2026-01-15")
        asking = [asyncio.ensure_future(pool.run(job)) for _ in range(waiting)]
        await asyncio.sleep(0)
        sizes = []
        while pool.waiting:
            sizes.append(len(await pool._next()))
        for a in asking:
            a.cancel()
        return sizes
    return asyncio.run(run())


@pytest.mark.parametrize("waiting, live, max_batch, sizes", [
    (7, 2, 16, [4, 3]), (8, 2, 16, [4, 4]), (9, 2, 16, [5, 4]),  # each worker its share of the jobs held
    (1, 2, 16, [1]), (2, 2, 16, [1, 1]), (3, 2, 16, [2, 1]),
    (15, 1, 16, [15]), (16, 1, 16, [16]), (17, 1, 16, [16, 1]),  # and at most max_batch
    (33, 2, 16, [16, 16, 1]), (31, 2, 16, [16, 15]),
])
def test_a_free_worker_takes_at_most_its_share(waiting, live, max_batch, sizes):
    assert taken(waiting, live, max_batch) == sizes


def test_a_replacement_that_cannot_start_leaves_the_others_and_then_503(tmp_path):
    """The worker processes are killed with -9 after their pack's files were broken: the job a dead worker held
    is a 500 naming that, the replacement fails to load the pack, the other worker serves every request; with
    none left, audits and /readyz answer a 503 problem, and nothing hangs."""
    shutil.copytree(REPO / "rules" / "hongfeng", tmp_path / "mine")
    proc, base = start(tmp_path, workers=2, packs=["./mine"], default_packs=["hongfeng"], request_seconds=60)
    try:
        workers = children(proc.pid)
        assert len(workers) == 2
        (tmp_path / "mine" / "pack.yaml").write_text("name: [unclosed\n", encoding="utf-8")
        os.kill(workers[0], signal.SIGKILL)
        time.sleep(0.5)
        with ThreadPoolExecutor(4) as pool:  # different as-of: not together, so each worker takes one
            first = list(pool.map(lambda day: post(base, TEAMS[0], as_of=f"2026-01-1{day}"), range(4)))
        assert sorted(r.status_code for r in first) == [200, 200, 200, 500]
        died = next(r for r in first if r.status_code == 500)
        assert died.headers["content-type"] == "application/problem+json"
        assert "worker process died" in died.json()["detail"]
        assert [post(base, TEAMS[1]).status_code for _ in range(3)] == [200] * 3
        with httpx.Client(base_url=base, timeout=60) as c:
            assert c.get("/readyz").status_code == 200
            os.kill(children(proc.pid)[0], signal.SIGKILL)
            time.sleep(0.5)
            assert post(base, TEAMS[2]).status_code == 500  # the job the last worker held
            for r in (post(base, TEAMS[2]), c.get("/readyz")):
                assert r.status_code == 503 and r.headers["content-type"] == "application/problem+json"
                assert r.json()["type"] == "urn:hongfeng-rules:problem:unavailable"
                assert "no worker process is running" in r.json()["detail"]
            assert c.get("/v1/packs").status_code == 200  # the rest of the service still answers
        assert b"failed to start" in _stderr_so_far(proc)
    finally:
        stop(proc)


def _stderr_so_far(proc) -> bytes:
    os.set_blocking(proc.stderr.fileno(), False)
    return proc.stderr.read() or b""
