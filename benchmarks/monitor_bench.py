"""Throughput, latency and memory of the live monitor (#7).

    .venv/bin/python benchmarks/monitor_bench.py              # 1,000,000 events over 1,000 teams
    .venv/bin/python benchmarks/monitor_bench.py --events 50000

A stream of hazards (found → reported), major disputes (mediated → followed up) and complaints
(closed → feedback, some extended) in time order; every item is resolved, some late, so memory
must stay flat: the open-item count and RSS are printed at each tenth of the stream.
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from array import array
from datetime import datetime, timedelta
from pathlib import Path

from hongfeng_rules import load_pack
from hongfeng_rules.monitor import Monitor
from hongfeng_rules.timecalc import SHANGHAI

PACK = Path(__file__).resolve().parents[1] / "rules" / "hongfeng"


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def stream(n: int, teams: int, seed: int = 1):
    """n events in time order: each item opens, and closes a little later (within about a day)."""
    rng = random.Random(seed)
    now = datetime(2025, 1, 1, tzinfo=SHANGHAI)
    pending: list[tuple[datetime, dict]] = []
    made = item = 0
    while made < n:
        now += timedelta(seconds=rng.randint(1, 60))
        while pending and pending[0][0] <= now and made < n:
            made += 1
            yield pending.pop(0)[1]
        if made >= n:
            return
        item += 1
        team, kind = f"t{item % teams}", item % 3
        close = now + timedelta(hours=rng.choice([1, 6, 23, 25]))
        at = now.isoformat()
        if kind == 0:
            start = {"type": "hazard_found", "hazard_id": f"h{item}", "team_id": team, "major": True}
            end = {"type": "hazard_reported", "hazard_id": f"h{item}"}
        elif kind == 1:
            start = {"type": "dispute_mediated", "dispute_id": f"d{item}", "team_id": team, "registered_at": at, "major": True}
            end = {"type": "dispute_followed_up", "follow_up_id": f"f{item}", "dispute_id": f"d{item}"}
        else:
            start = {"type": "investigation_closed", "complaint_id": f"c{item}", "team_id": team}
            end = {"type": "feedback_given", "complaint_id": f"c{item}"}
        made += 1
        yield {**start, "event_id": f"e{item}a", "at": at}
        pending.append((close, {**end, "event_id": f"e{item}b", "at": close.isoformat()}))
        pending.sort(key=lambda p: p[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--teams", type=int, default=1_000)
    ap.add_argument("--advance-every", type=int, default=100, help="move the clock every N events (default 100)")
    args = ap.parse_args()
    counts: dict[str, int] = {}
    monitor = Monitor(load_pack(PACK), on_alert=lambda a: counts.__setitem__(a.kind, counts.get(a.kind, 0) + 1),
                      start=datetime(2025, 1, 1, tzinfo=SHANGHAI), rules_on=datetime(2025, 1, 1).date())
    latencies = array("d")  # 8 bytes a sample, so the benchmark's own record barely moves the RSS it reports
    start_rss = rss_mb()
    print(f"events={args.events:,} teams={args.teams:,} advance_every={args.advance_every}  rss at start {start_rss:.0f} MB")
    began = time.perf_counter()
    tenth = max(1, args.events // 10)
    for i, ev in enumerate(stream(args.events, args.teams), 1):
        t0 = time.perf_counter()
        if i % args.advance_every == 0:
            monitor.advance(datetime.fromisoformat(ev["at"]))
        monitor.post(ev)
        latencies.append(time.perf_counter() - t0)
        if i % tenth == 0:
            opened = sum(len(t.open) for t in monitor.tracks)
            print(f"  {i:>9,} events  open items {opened:>6,}  rss {rss_mb():7.0f} MB")
    elapsed = time.perf_counter() - began
    end_rss = rss_mb()  # before sorting the latency samples, which needs memory of its own
    latencies = sorted(latencies)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"throughput {len(latencies) / elapsed:,.0f} events/s ({elapsed:.1f} s)")
    print(f"latency per event: median {statistics.median(latencies) * 1e6:.0f} µs, p99 {p99 * 1e6:.0f} µs "
          "(includes the clock advances)")
    print(f"alerts {counts}")
    print(f"rss after the stream {end_rss:.0f} MB (start {start_rss:.0f} MB); "
          f"open items {sum(len(t.open) for t in monitor.tracks)}")


if __name__ == "__main__":
    main()
