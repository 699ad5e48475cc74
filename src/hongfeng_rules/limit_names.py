"""How a limit error names the limit: each caller's own knob, since the same `Limits` come from the command line
(`--max-file-bytes`), from Python (`Limits(max_file_bytes=…)`) and from the HTTP service's configuration (whose
`max_body_bytes` is its `max_file_bytes`)."""
from __future__ import annotations

_KNOBS = {"max_file_bytes": ("--max-file-bytes", "max_body_bytes"), "max_records": ("--max-records", "max_records")}


def larger_than_limit(size: int, max_file_bytes: int) -> str:
    """The one wording of a file over `max_file_bytes`, wherever it is read."""
    return f"file is {size} bytes, larger than the limit of {max_file_bytes} {limit_named('max_file_bytes')}"


def limit_named(name: str) -> str:
    """`(limit: --max-records on the command line, Limits.max_records in Python, max_records in the service)`."""
    option, service = _KNOBS[name]
    return f"(limit: {option} on the command line, Limits.{name} in Python, {service} in the service)"
