"""What a mutant's worker costs beyond its tests, the old way and collect_once's (docs/testing.md, "The hour").

    python mutation/worker_cost.py [ROUNDS] [TEST_FILE…]

Both are forked from one process that has imported what mutmut's fork server imported (pytest, the libraries and
the package), interleaved, ROUNDS times (3): the old worker starts pytest on the first test id of each file, which
collects those files; the new one is forked from a session that has collected them once (collect_once) and runs
the same items. Prints the CPU seconds (user + system) of each worker, their medians, and the session's one-time
collection. The test files' own first tests are cheap, so the difference is the per-mutant overhead."""
from __future__ import annotations

import io
import os
import statistics
import sys
from pathlib import Path

import hypothesis  # noqa: F401  (imported before the fork, as mutmut's fork server did)
import polars  # noqa: F401
import pydantic  # noqa: F401
import pytest
import yaml  # noqa: F401

import hongfeng_rules.auditing  # noqa: F401
import hongfeng_rules.columns.engine  # noqa: F401
import hongfeng_rules.tables  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
FILES = ["tests/test_timecalc.py", "tests/test_columns_calendar.py"]
ARGS = ["-q", "-x", "--capture=sys", "-p", "no:cacheprovider", "--hypothesis-profile=mutation", "-m", "not slow"]


def _children_cpu() -> float:
    t = os.times()
    return t.children_user + t.children_system


def _in_child(work) -> float:
    """CPU seconds of a forked child running work() (its exit code must be 0)."""
    before = _children_cpu()
    pid = os.fork()
    if pid == 0:
        sys.stdout = io.StringIO()
        os._exit(work())
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "a test failed"
    return _children_cpu() - before


def first_ids(files: list[str]) -> list[str]:
    """The first test of each file (collected in a child, so this process imports no test module)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        class First:
            def pytest_collection_finish(self, session):
                seen = {}
                for item in session.items:
                    seen.setdefault(item.nodeid.split("::")[0], item.nodeid)
                os.write(write, "\n".join(seen.values()).encode())
        sys.stdout = io.StringIO()
        pytest.main(["--collect-only", *ARGS, *files], plugins=[First()])
        os._exit(0)
    os.close(write)
    ids = os.read(read, 1 << 16).decode().split("\n")
    os.waitpid(pid, 0)
    return ids


def old_worker(ids: list[str]) -> int:
    return int(pytest.main([*ARGS, *ids]))


def new_worker(ids: list[str], files: list[str], cost: list[float]) -> int:
    """Collect `files` in a session, then fork the worker that runs `ids` from it; its CPU goes into `cost`."""
    class Serve:
        @pytest.hookimpl(tryfirst=True)
        def pytest_runtestloop(self, session):
            by_id = {item.nodeid: item for item in session.items}
            items = [by_id[i] for i in ids]

            def run() -> int:
                for item, following in zip(items, [*items[1:], None]):
                    session.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
                    if session.testsfailed:
                        return 1
                return 0
            cost.append(_in_child(run))
            return True

    pytest.main([*ARGS, *files], plugins=[Serve()])
    return 0


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    rounds = int(argv[0]) if argv and argv[0].isdigit() else 3
    files = [a for a in argv if not a.isdigit()] or FILES
    ids = first_ids(files)
    old, new, session = [], [], []
    for _ in range(rounds):
        old.append(_in_child(lambda: old_worker(ids)))
        read, write = os.pipe()

        def serve() -> int:
            cost: list[float] = []
            new_worker(ids, files, cost)
            os.write(write, repr(cost[0]).encode())
            return 0
        whole = _in_child(serve)
        worker = float(os.read(read, 64).decode())
        os.close(read), os.close(write)
        new.append(worker)
        session.append(whole - worker)
    print(f"{len(ids)} tests ({', '.join(ids)}), {rounds} rounds, load {os.getloadavg()[0]:.1f}")
    print(f"old worker (collects its files): {', '.join(f'{c:.2f}' for c in old)} CPU s, median {statistics.median(old):.2f}")
    print(f"new worker (from the session):   {', '.join(f'{c:.3f}' for c in new)} CPU s, median {statistics.median(new):.3f}")
    print(f"the session's collection, once:  median {statistics.median(session):.2f} CPU s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
