"""How a limit error names the limit: each caller's own knob, since the same `Limits` come from the command line
(`--max-file-bytes`), from Python (`Limits(max_file_bytes=…)`) and from the HTTP service's configuration (whose
`max_body_bytes` is its `max_file_bytes`)."""
from __future__ import annotations

_KNOBS = {"max_file_bytes": ("--max-file-bytes", "max_body_bytes"), "max_records": ("--max-records", "max_records")}


def limit_named(name: str) -> str:
    """`(limit: --max-records on the command line, Limits.max_records in Python, max_records in the service)`."""
    option, service = _KNOBS[name]
    return f"(limit: {option} on the command line, Limits.{name} in Python, {service} in the service)"
