"""Counters and latency histograms, written out in the Prometheus text format (version 0.0.4)."""
from __future__ import annotations

from collections import Counter
from typing import Callable

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    def __init__(self):
        self.requests: Counter = Counter()  # (route, method, status) -> count
        self.latency: dict[str, list] = {}  # route -> [bucket counts…, sum, count]
        self.audits: Counter = Counter()  # (kind, outcome) -> count
        self.events: Counter = Counter()  # name -> count (monitor events, alerts, webhook deliveries)
        self.gauges: dict[str, Callable[[], float]] = {}  # name -> current value
        self.batches: Counter = Counter()  # audits run together -> how many times (workers.Pool)

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests[(route, method, status)] += 1
        row = self.latency.setdefault(route, [0] * (len(BUCKETS) + 2))
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                row[i] += 1
        row[-2] += seconds
        row[-1] += 1

    def text(self) -> str:
        out = ["# HELP hongfeng_requests_total HTTP requests answered.", "# TYPE hongfeng_requests_total counter"]
        for (route, method, status), n in sorted(self.requests.items()):
            out.append(f'hongfeng_requests_total{{route="{_esc(route)}",method="{method}",status="{status}"}} {n}')
        out += ["# HELP hongfeng_request_seconds Time to answer a request.",
                "# TYPE hongfeng_request_seconds histogram"]
        for route, row in sorted(self.latency.items()):
            for bound, n in zip(BUCKETS, row):
                out.append(f'hongfeng_request_seconds_bucket{{route="{_esc(route)}",le="{bound}"}} {n}')
            out.append(f'hongfeng_request_seconds_bucket{{route="{_esc(route)}",le="+Inf"}} {row[-1]}')
            out.append(f'hongfeng_request_seconds_sum{{route="{_esc(route)}"}} {row[-2]:.6f}')
            out.append(f'hongfeng_request_seconds_count{{route="{_esc(route)}"}} {row[-1]}')
        out += ["# HELP hongfeng_audits_total Audits run, by kind and outcome (exit code, or bad_input).",
                "# TYPE hongfeng_audits_total counter"]
        for (kind, outcome), n in sorted(self.audits.items()):
            out.append(f'hongfeng_audits_total{{kind="{kind}",outcome="{outcome}"}} {n}')
        out += ["# HELP hongfeng_audit_batches_total Jobs given to a worker at once, by how many were together.",
                "# TYPE hongfeng_audit_batches_total counter"]
        for size, n in sorted(self.batches.items()):
            out.append(f'hongfeng_audit_batches_total{{size="{size}"}} {n}')
        for name, n in sorted(self.events.items()):
            out += [f"# TYPE hongfeng_{name}_total counter", f"hongfeng_{name}_total {n}"]
        for name, value in sorted(self.gauges.items()):
            out += [f"# TYPE hongfeng_{name} gauge", f"hongfeng_{name} {value()}"]
        return "\n".join(out) + "\n"


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
