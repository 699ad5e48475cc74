"""The access log: one JSON object a line: time, client, method, route, status, bytes, milliseconds,
key name. Never a body, a query value or a header value (so no dataset contents and no key)."""
from __future__ import annotations

import json
import sys
import threading
from datetime import datetime, timezone


class AccessLog:
    def __init__(self, path: str | None):
        self.stream = open(path, "a", encoding="utf-8", buffering=1) if path else sys.stderr
        self.lock = threading.Lock()

    def write(self, **entry) -> None:
        entry = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), **entry}
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        with self.lock:
            self.stream.write(line + "\n")
            self.stream.flush()

    def close(self) -> None:
        if self.stream is not sys.stderr:
            self.stream.close()
