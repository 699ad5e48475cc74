"""The worker processes, driven from the server's event loop with no thread of its own.

Each worker is a child process (`python -m hongfeng_rules.service.workers`) speaking length-prefixed
pickles over its standard input and output: first its start arguments (it answers its process id once it
has loaded the packs and warmed up, `jobs.start`), then the `Job`s of one batch at a time (it answers their
`Result`s, `jobs.run_all`). The server reads and writes those pipes as asyncio streams, so handing jobs over
never blocks the event loop and no executor thread competes with it for the GIL. A worker ends when its
input closes: when the server stops, or dies (killed with -9, say).
"""
from __future__ import annotations

import asyncio
import collections
import fcntl
import os
import pickle
import struct
import sys

from . import jobs
from .limits import Busy

_SIZE = struct.Struct(">Q")  # the length of the pickle that follows
_PIPE_BYTES = 1 << 20


class Worker:
    """One worker process and its two pipes."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process

    @classmethod
    async def start(cls, init: tuple) -> "Worker":
        process = await asyncio.create_subprocess_exec(sys.executable, "-m", __name__, stdin=asyncio.subprocess.PIPE,
                                                       stdout=asyncio.subprocess.PIPE)
        worker = cls(process)
        await worker.call(init)  # its pid, once ready
        return worker

    async def call(self, message: object) -> object:
        """Send one message, wait for its answer; IncompleteReadError or a pipe error if the worker died."""
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        self.process.stdin.write(_SIZE.pack(len(data)) + data)
        await self.process.stdin.drain()
        (size,) = _SIZE.unpack(await self.process.stdout.readexactly(_SIZE.size))
        return pickle.loads(await self.process.stdout.readexactly(size))

    async def stop(self, seconds: float = 10) -> None:
        """Close its input (it exits after the job at hand) and wait for it; killed after `seconds`."""
        if self.process.stdin.can_write_eof():
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), seconds)
        except asyncio.TimeoutError:
            try:
                self.process.kill()
            except ProcessLookupError:  # it ended meanwhile
                pass
            await self.process.wait()


class NoWorkers(Exception):
    """Every worker process is gone and none could be started again (the service cannot audit)."""

    REASON = "no worker process is running: every one ended and none could be started again (see the server's log)"


class Pool:
    """`workers` worker processes taking jobs from one queue, with a bound on the jobs given to the pool
    (Busy beyond it). A worker takes the job waiting longest and every other waiting job of its `batch_key`
    (at most `max_batch`, and at most its share of the jobs the pool holds, `share`), audited together
    (`jobs.run_all`); when more requests are at work in the server than the pool holds (`at_work`: they are on
    their way), it first waits up to `gather_seconds` for them.
    A job whose request has given up (time limit) and not started yet is dropped; one already started holds
    its place until its worker answers."""

    def __init__(self, workers: int, max_jobs: int, packs: list[str], max_bytes: int, max_records: int,
                 mappings: dict[str, str] | None = None, default_packs: list[str] | None = None, *,
                 max_batch: int = 16, gather_seconds: float = 0.0, at_work=None, batches=None):
        self.workers, self.max_jobs = workers, max_jobs
        self.init = (packs, max_bytes, max_records, mappings, default_packs)
        self.max_batch, self.gather_seconds, self.at_work = max_batch, gather_seconds, at_work
        self.outstanding = 0
        self.waiting: collections.deque = collections.deque()  # (job, answer), oldest first
        self.changed = asyncio.Condition()
        self.lanes: list[asyncio.Task] = []
        self.live = 0  # lanes with a worker
        self.batches = collections.Counter() if batches is None else batches  # batch size -> how many times

    async def start(self) -> None:
        """Start every worker (loading its packs and warming it up) now, not on the first request."""
        for worker in await asyncio.gather(*(Worker.start(self.init) for _ in range(self.workers))):
            self.live += 1
            self.lanes.append(asyncio.create_task(self._lane(worker)))

    async def run(self, job: jobs.Job) -> jobs.Result:
        if not self.live:
            raise NoWorkers()
        if self.outstanding >= self.max_jobs:
            raise Busy()
        self.outstanding += 1
        answer = asyncio.get_running_loop().create_future()
        async with self.changed:
            self.waiting.append((job, answer))
            self.changed.notify_all()
        return await answer  # cancelled with its request: the lane then skips the job or drops its answer

    async def _next(self) -> list[tuple[jobs.Job, asyncio.Future]]:
        """The next jobs to run together: the oldest still wanted and the waiting ones of its key."""
        async with self.changed:
            while True:
                await self.changed.wait_for(lambda: self.waiting)
                job, answer = self.waiting.popleft()
                if not answer.cancelled():
                    break
                self.outstanding -= 1
            batch, key = [(job, answer)], job.batch_key()
            if key is None:
                return batch
            if self.gather_seconds and self.at_work is not None and self.at_work.count > self.outstanding:
                try:  # more requests are at work than the pool holds: wait a moment for them
                    await asyncio.wait_for(self.changed.wait_for(
                        lambda: self.at_work.count <= self.outstanding
                        or len(self.waiting) >= self.max_batch - 1), self.gather_seconds)
                except asyncio.TimeoutError:
                    pass
            kept, limit = collections.deque(), self.share()
            while self.waiting:
                other = self.waiting.popleft()
                if other[1].cancelled():
                    self.outstanding -= 1
                elif other[0].batch_key() == key and len(batch) < limit:
                    batch.append(other)
                else:
                    kept.append(other)
            self.waiting = kept
            return batch

    def share(self) -> int:
        """The most jobs one worker takes at once: `max_batch`, and its share of the jobs the pool holds (waiting or
        at work), so that no worker takes them all while another audits the few left one by one (16 clients on
        2 workers fell into batches of 15 beside batches of 1, each at the full fixed cost of a run of the rules)."""
        return max(1, min(self.max_batch, -(-self.outstanding // max(1, self.live))))

    async def _lane(self, worker: Worker | None) -> None:
        """One worker's loop: the next jobs, their answers to their requests; a worker that died is replaced by
        a new one (its jobs answered at once, as an internal error: it is a bug or a kill). A replacement that
        fails to start ends the lane (the others go on; with none left, every request is a 503)."""
        try:
            while worker is not None:
                batch = await self._next()
                self.batches[len(batch)] += 1
                results = None
                try:
                    results = await worker.call([job for job, _ in batch])
                except (asyncio.IncompleteReadError, ConnectionError):
                    for _, answer in batch:
                        if not answer.done():
                            answer.set_result(jobs.Result(internal="a worker process died; it is replaced"))
                    await worker.stop(1)
                    worker = await self._replacement()
                finally:
                    self.outstanding -= len(batch)
                for (_, answer), result in zip(batch, results or []):
                    if not answer.done():
                        answer.set_result(result)
        finally:
            if worker is not None:
                await worker.stop()

    async def _replacement(self) -> Worker | None:
        try:
            return await Worker.start(self.init)
        except Exception as exc:  # noqa: BLE001  (its packs may have become unreadable, the machine full, …)
            print(f"a replacement worker process failed to start ({type(exc).__name__}: {exc}); "
                  f"{self.live - 1} of {self.workers} workers left", file=sys.stderr)
            self.live -= 1
            if not self.live:
                async with self.changed:
                    while self.waiting:
                        _, answer = self.waiting.popleft()
                        self.outstanding -= 1
                        if not answer.done():
                            answer.set_exception(NoWorkers())
            return None

    async def close(self) -> None:
        """Stop the workers and wait for them (jobs not started are cancelled)."""
        for lane in self.lanes:
            lane.cancel()
        await asyncio.gather(*self.lanes, return_exceptions=True)
        while self.waiting:
            self.waiting.popleft()[1].cancel()


def _read(stream) -> object | None:
    """The next message; None once the server closed the pipe (or is gone)."""
    head = stream.read(_SIZE.size)
    if len(head) < _SIZE.size:
        return None
    (size,) = _SIZE.unpack(head)
    return pickle.loads(stream.read(size))


def _write(stream, message: object) -> None:
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    stream.write(_SIZE.pack(len(data)) + data)
    stream.flush()


def main() -> None:
    """A worker: its answers go to a copy of standard output, and standard output itself to standard error
    (nothing the library prints can break the stream). A job's memory is freed when its answer is written, by
    reference counting: the audit leaves what it made in the oldest generation (`gcpause`), which Python
    collects seldom, so the reading of an upload makes no reference cycle (tests/test_service_memory.py)."""
    inp, out = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    for pipe in (inp, out):  # a report in a few writes, not one wake-up of the server each 64 KiB
        try:
            fcntl.fcntl(pipe.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), _PIPE_BYTES)
        except OSError:  # not Linux, or above /proc/sys/fs/pipe-max-size: the default size then
            pass
    init = _read(inp)
    if init is None:
        return
    jobs.start(*init)
    _write(out, os.getpid())
    while (batch := _read(inp)) is not None:
        _write(out, jobs.run_all(batch))


if __name__ == "__main__":
    main()
