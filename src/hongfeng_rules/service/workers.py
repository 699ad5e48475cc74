"""The worker processes, driven from the server's event loop with no thread of its own.

Each worker is a child process (`python -m hongfeng_rules.service.workers`) speaking length-prefixed
pickles over its standard input and output: first its start arguments (it answers its process id once it
has loaded the packs and warmed up, `jobs.start`), then one `Job` at a time (it answers a `Result`). The
server reads and writes those pipes as asyncio streams, so handing a job over never blocks the event loop
and no executor thread competes with it for the GIL. A worker ends when its input closes: when the server
stops, or dies (killed with -9, say).
"""
from __future__ import annotations

import asyncio
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


class Pool:
    """`workers` worker processes taking jobs from one queue, with a bound on the jobs given to the pool
    (Busy beyond it). A job whose request has given up (time limit) and not started yet is dropped; one
    already started holds its place until its worker answers."""

    def __init__(self, workers: int, max_jobs: int, packs: list[str], max_bytes: int, max_records: int,
                 mappings: dict[str, str] | None = None):
        self.workers, self.max_jobs, self.init = workers, max_jobs, (packs, max_bytes, max_records, mappings)
        self.outstanding = 0
        self.queue: asyncio.Queue = asyncio.Queue()
        self.lanes: list[asyncio.Task] = []

    async def start(self) -> None:
        """Start every worker (loading its packs and warming it up) now, not on the first request."""
        for worker in await asyncio.gather(*(Worker.start(self.init) for _ in range(self.workers))):
            self.lanes.append(asyncio.create_task(self._lane(worker)))

    async def run(self, job: jobs.Job) -> jobs.Result:
        if self.outstanding >= self.max_jobs:
            raise Busy()
        self.outstanding += 1
        answer = asyncio.get_running_loop().create_future()
        self.queue.put_nowait((job, answer))
        return await answer  # cancelled with its request: the lane then skips the job or drops its answer

    async def _lane(self, worker: Worker) -> None:
        """One worker's loop: the next job still wanted, its answer to its request; a worker that died is
        replaced by a new one (its job answered at once, as an internal error: it is a bug or a kill)."""
        try:
            while True:
                job, answer = await self.queue.get()
                result = None
                try:
                    if not answer.cancelled():
                        result = await worker.call(job)
                except (asyncio.IncompleteReadError, ConnectionError):
                    if not answer.done():
                        answer.set_result(jobs.Result(internal="a worker process died; it is replaced"))
                    await worker.stop(1)
                    worker = await Worker.start(self.init)
                finally:
                    self.outstanding -= 1
                if result is not None and not answer.done():
                    answer.set_result(result)
        finally:
            await worker.stop()

    async def close(self) -> None:
        """Stop the workers and wait for them (jobs not started are cancelled)."""
        for lane in self.lanes:
            lane.cancel()
        await asyncio.gather(*self.lanes, return_exceptions=True)
        while not self.queue.empty():
            self.queue.get_nowait()[1].cancel()


def _read(stream) -> object | None:
    head = stream.read(_SIZE.size)
    if len(head) < _SIZE.size:
        return None  # the server closed the pipe, or is gone
    (size,) = _SIZE.unpack(head)
    return pickle.loads(stream.read(size))


def _write(stream, message: object) -> None:
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    stream.write(_SIZE.pack(len(data)) + data)
    stream.flush()


def main() -> None:
    """A worker: its answers go to a copy of standard output, and standard output itself to standard error
    (nothing the library prints can break the stream)."""
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
    while (job := _read(inp)) is not None:
        _write(out, jobs.run(job))


if __name__ == "__main__":
    main()
