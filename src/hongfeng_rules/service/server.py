"""Run the service with uvicorn: `hongfeng-rules serve`."""
from __future__ import annotations

import uvicorn

from .app import create_app
from .config import ServiceConfig


def run(config: ServiceConfig) -> None:
    """Serve until SIGINT/SIGTERM; uvicorn's own access log is off (ours is JSON lines, without keys)."""
    uvicorn.run(create_app(config), host=config.host, port=config.port, access_log=False, log_level="warning",
                timeout_graceful_shutdown=10, server_header=False)
