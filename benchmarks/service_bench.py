"""Bounded loopback load test of `hongfeng-rules serve` (issue #20). Stops by itself.

    python benchmarks/service_bench.py                      # 1,500 single-team audits, then a mixed phase
    python benchmarks/service_bench.py --count 300 --clients 4 --duration 60

Starts the server on a free 127.0.0.1 port (its default config: loopback, one worker process a
core) and runs two phases, each at most `--count` requests and `--duration` seconds:

1. single-team audits only (generated teams, ~120 members each, JSON bodies): throughput, p50/p99;
2. the mix: single-team audits, the 24-team example (uploaded files) and a malformed request
   (broken JSON, answered 422) — every answer is checked: a single-team audit must give the same bytes
   as it did alone, the example 200, the malformed request 422.

Before them, single-team requests sent one at a time measure the CPU a request costs the server process
(HTTP, validation, the hand-off to a worker, logging), the worker (the audit) and the client, against the
CPU of the same audit done directly; after them, the same audits done directly by as many processes as
the server has workers give the rate the machine allows at that moment (the load average is printed
before and after). Errors are answers other than those. The server's resident memory (its process and its worker
processes) and the 1-minute load average are sampled every second, and the batches the workers ran (how
many jobs were audited together, from /metrics) are counted per phase. Targets on a 2-core machine: ≥ 50 single-team audits/s with
p99 ≤ 200 ms, zero errors, RSS flat: the peak of the run's last third at most `RSS_SLACK_MB` above the peak of its middle
third (a leak keeps raising the peaks; warm-up, the mixed phase's larger datasets and the workers' garbage
collections stay within it). Prints
the figures and PASS/FAIL; exit status 1 when a target fails.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

EXAMPLE = HERE.parent / "examples" / "hongfeng"
QUERY = {"period": "2025", "as_of": "2026-01-15", "format": "json"}
TARGET_RATE, TARGET_P99 = 50.0, 0.200
RSS_SLACK_MB = 64


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and its children (the worker processes)."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def start_server(folder: Path, workers: int | None, **settings) -> tuple[subprocess.Popen, str]:
    port = free_port()
    config = {"port": port, "access_log": str(folder / "access.log"), "max_concurrent": 64,
              "monitor": {"enabled": False}, **{k: v for k, v in settings.items() if v is not None}}
    if workers:
        config["workers"] = workers
    (folder / "service.json").write_text(json.dumps(config), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "hongfeng_rules.cli", "serve", "--config",
                             str(folder / "service.json")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        if proc.poll() is not None:
            sys.exit(f"server exited: {proc.stderr.read().decode()}")
        try:
            if httpx.get(base + "/readyz", timeout=1).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    proc.kill()
    sys.exit("server not ready after 60 s")


def phase(base: str, requests, count: int, duration: float, clients: int) -> list[tuple[str, float, bool]]:
    """Send up to `count` requests (cycling through `requests`) from `clients` threads, for at most
    `duration` seconds; each result is (kind, seconds, answered as expected)."""
    results: list[tuple[str, float, bool]] = []
    lock = threading.Lock()
    feed = itertools.islice(itertools.cycle(requests), count)
    stop_at = time.monotonic() + duration

    def client():
        with httpx.Client(base_url=base, timeout=60) as http:
            while time.monotonic() < stop_at:
                with lock:
                    item = next(feed, None)
                if item is None:
                    return
                kind, send, check = item
                started = time.perf_counter()
                try:
                    ok = check(send(http))
                except httpx.HTTPError:
                    ok = False
                with lock:
                    results.append((kind, time.perf_counter() - started, ok))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def batch_sizes(base: str, since: dict | None = None) -> dict:
    """The server's batches so far (hongfeng_audit_batches_total: jobs together -> times), less `since`."""
    text = httpx.get(base + "/metrics", timeout=30).text
    found = {int(size): int(n) for size, n in re.findall(r'hongfeng_audit_batches_total\{size="(\d+)"\} (\d+)', text)}
    return {k: n - (since or {}).get(k, 0) for k, n in sorted(found.items()) if n - (since or {}).get(k, 0)}


def server_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds so far of the server process and of its worker processes."""
    return cpu_seconds(pid), sum(cpu_seconds(w) for w in children(pid))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    """A process's children, listed under the thread that started each (a thread ending meanwhile has none)."""
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def cpu_per_request(http: httpx.Client, pid: int, send, count: int = 80) -> dict:
    """CPU milliseconds a request costs the server process (HTTP, validation, pool hand-off, logging), its
    worker processes (the audit) and this client, over `count` requests sent one at a time: CPU time, unlike
    latency, hardly depends on what else the machine runs."""
    workers = children(pid)
    server, audit = cpu_seconds(pid), sum(cpu_seconds(w) for w in workers)
    client = time.process_time()
    for i in range(count):
        send(http, i)
    per = lambda seconds: round(seconds / count * 1000, 1)
    return {"server process": per(cpu_seconds(pid) - server),
            "worker processes": per(sum(cpu_seconds(w) for w in workers) - audit),
            "client": per(time.process_time() - client)}


def direct_cpu_ms(teams: list[bytes], count: int = 80) -> float:
    """CPU milliseconds of one single-team audit done directly in this process (what a worker does)."""
    from hongfeng_rules.service import jobs

    jobs.start(["hongfeng"], 32 * 2**20, 1_000_000)
    make = lambda t: jobs.Job("audit", [("body.json", t)], ["hongfeng"], period="2025", as_of="2026-01-15")
    jobs.run(make(teams[0]))
    started = time.process_time()
    for i in range(count):
        jobs.run(make(teams[i % len(teams)]))
    return round((time.process_time() - started) / count * 1000, 1)


def rss_growth_mb(samples: list[int]) -> float:
    """How much higher the resident memory peaked in the last third of the run than in its middle third, in MB:
    a leak keeps raising the peaks; the first third (the allocators' warm-up, the first big dataset) and the
    sawtooth of the workers' garbage collections do not count."""
    if len(samples) < 3:
        return 0.0
    third = len(samples) // 3
    return (max(samples[-third:]) - max(samples[third:-third] or samples[:third])) / 2**20


def summary(results, seconds: float, kind: str) -> dict:
    times = sorted(t for k, t, _ in results if k == kind)
    if not times:
        return {"n": 0}
    return {"n": len(times), "per_s": round(len(times) / seconds, 1), "p50_ms": round(statistics.median(times) * 1000, 1),
            "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))] * 1000, 1),
            "errors": sum(1 for k, _, ok in results if k == kind and not ok)}


def direct_rate(teams: list[bytes], processes: int, seconds: float = 8.0) -> float:
    """Single-team audits a second by `processes` processes at once auditing directly (no HTTP, no pool
    hand-off): what the machine can audit at this moment, the baseline the service's figure is read against."""
    import multiprocessing
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        return sum(pool.starmap(in_process_rate, [(teams, seconds)] * processes))


def in_process_rate(teams: list[bytes], seconds: float = 5.0) -> float:
    """Single-team audits a second in this process, no HTTP (the same load and rendering as a worker)."""
    from hongfeng_rules.service import jobs

    jobs.start(["hongfeng"], 32 * 2**20, 1_000_000)
    make = lambda t: jobs.Job("audit", [("body.json", t)], ["hongfeng"], period="2025", as_of="2026-01-15")
    jobs.run(make(teams[0]))
    done, stop_at = 0, time.monotonic() + seconds
    started = time.monotonic()
    while time.monotonic() < stop_at:
        assert not jobs.run(make(teams[done % len(teams)])).problems
        done += 1
    return done / (time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1500, help="requests per phase (default 1500)")
    parser.add_argument("--duration", type=float, default=90, help="seconds per phase at most (default 90)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--workers", type=int, help="server worker processes (default: the server's)")
    parser.add_argument("--teams", type=int, default=8, help="distinct single-team datasets (default 8)")
    parser.add_argument("--gather-seconds", type=float, help="the server's gather_seconds (default: its own)")
    parser.add_argument("--max-batch", type=int, help="the server's max_batch (default: its own)")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    teams = [json.dumps(generate(1, seed=s)).encode() for s in range(args.teams)]
    example = [("files", (p.name, p.read_bytes())) for p in sorted(EXAMPLE.iterdir()) if p.suffix == ".json"]
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(Path(tmp), args.workers, gather_seconds=args.gather_seconds,
                                  max_batch=args.max_batch)
        rss: list[tuple[float, int]] = []
        loads: list[tuple[float, float]] = []
        sampling = threading.Event()

        t0 = time.monotonic()

        def sample():
            while not sampling.wait(1.0):
                rss.append((time.monotonic() - t0, rss_bytes(proc.pid)))
                loads.append((time.monotonic() - t0, os.getloadavg()[0]))

        threading.Thread(target=sample, daemon=True).start()
        try:
            with httpx.Client(base_url=base, timeout=60) as http:
                alone = [http.post("/v1/audit", params=QUERY, content=t,
                                   headers={"content-type": "application/json"}).content for t in teams]
                cpu = cpu_per_request(http, proc.pid, lambda h, i: h.post(
                    "/v1/audit", params=QUERY, content=teams[i % len(teams)], headers={"content-type": "application/json"}))

            def single(i):
                return ("single-team", lambda h: h.post("/v1/audit", params=QUERY, content=teams[i],
                                                        headers={"content-type": "application/json"}),
                        lambda r: r.status_code == 200 and r.content == alone[i])

            singles = [single(i) for i in range(len(teams))]
            big = ("24-team", lambda h: h.post("/v1/audit", params=QUERY, files=example), lambda r: r.status_code == 200)
            bad = ("malformed", lambda h: h.post("/v1/audit", params=QUERY, content=b'{"teams": [',
                                                 headers={"content-type": "application/json"}),
                   lambda r: r.status_code == 422 and r.json()["problems"][0]["line"] == 1)

            started, before, used = time.monotonic(), batch_sizes(base), server_cpu(proc.pid)
            one = phase(base, singles, args.count, args.duration, args.clients)
            one_seconds, one_batches = time.monotonic() - started, batch_sizes(base, before)
            one_cpu = [round((b - a) / max(1, len(one)) * 1000, 1) for a, b in zip(used, server_cpu(proc.pid))]
            mix = (singles * 3)[:20] + [bad, big, bad]
            started, before = time.monotonic(), batch_sizes(base)
            two = phase(base, mix, args.count, args.duration, args.clients)
            two_seconds, two_batches = time.monotonic() - started, batch_sizes(base, before)
        finally:
            sampling.set()
            proc.terminate()
            proc.wait(30)

    s1 = summary(one, one_seconds, "single-team")
    workers = args.workers or min(os.cpu_count() or 1, 4)  # the server's default (service/config.py)
    baseline = in_process_rate(teams)
    parallel = direct_rate(teams, workers)
    figures = {
        "cpus": os.cpu_count(), "clients": args.clients, "workers": workers,
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "direct single-team audits/s, one process (no HTTP)": round(baseline, 1),
        f"direct single-team audits/s, {workers} processes at once (no HTTP)": round(parallel, 1),
        "service / direct in parallel": round(s1.get("per_s", 0) / parallel, 2) if parallel else None,
        "CPU ms per single-team request, one at a time": cpu,
        "CPU ms per single-team audit, direct": direct_cpu_ms(teams),
        "phase 1 (single-team only)": {"seconds": round(one_seconds, 1), "single-team": s1,
                                       "CPU ms a request under load: server / workers": one_cpu,
                                       "batches (jobs together: times)": one_batches},
        "phase 2 (mixed)": {"seconds": round(two_seconds, 1), "batches (jobs together: times)": two_batches,
                            **{k: summary(two, two_seconds, k) for k in ("single-team", "24-team", "malformed")}},
        "rss_mb": [(round(t), round(b / 2**20)) for t, b in rss[:: max(1, len(rss) // 12)]],
        "rss_mb first → last sample": [round(rss[0][1] / 2**20), round(rss[-1][1] / 2**20)] if rss else None,
        "load_average_1min over time": [(round(t), round(x, 1)) for t, x in loads[:: max(1, len(loads) // 12)]],
    }
    print(json.dumps(figures, indent=1))
    errors = sum(1 for _, _, ok in one + two if not ok)
    growth = rss_growth_mb([b for _, b in rss])
    checks = [(f"single-team audits/s ≥ {TARGET_RATE:g}", s1.get("per_s", 0) >= TARGET_RATE, s1.get("per_s")),
              (f"single-team p99 ≤ {TARGET_P99 * 1000:g} ms", s1.get("p99_ms", 1e9) <= TARGET_P99 * 1000, s1.get("p99_ms")),
              ("zero errors (a malformed request affects no other)", errors == 0, errors),
              (f"RSS flat (the last third's peak ≤ the middle third's + {RSS_SLACK_MB} MB)", growth <= RSS_SLACK_MB,
               round(growth, 1))]
    for name, ok, value in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {value}")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
