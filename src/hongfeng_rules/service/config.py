"""The service's configuration file (YAML or JSON), read as strictly as a rule file."""
from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from ..errors import InputError, Problem, validation_reason
from ..models.base import StrictModel
from ..safe_load import field_path, read_document

SHIPPED_PACKS = ["hongfeng", "yunge", "keqiao-zhucun", "gucheng"]


class ApiKey(StrictModel):
    """One client: its name (logged), the SHA-256 of its key (never the key) and what it may do."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    scopes: list[Literal["audit", "monitor", "metrics"]] = ["audit", "monitor", "metrics"]


class Webhook(StrictModel):
    url: str = Field(pattern=r"^https?://")
    timeout_seconds: float = Field(5.0, gt=0)
    attempts: int = Field(8, ge=1)  # then the alert is dropped from the delivery queue (still readable)
    backoff_seconds: float = Field(1.0, gt=0)  # doubled after every failed attempt …
    backoff_max_seconds: float = Field(300.0, gt=0)  # … up to this


class MonitorConfig(StrictModel):
    enabled: bool = True
    pack: str = "hongfeng"
    state_file: str | None = None  # written after every change and on shutdown; read on start
    snapshot_seconds: float = Field(60.0, gt=0)  # also written this often (and the wall clock advanced)
    clock: Literal["events", "wall"] = "events"  # events: only POST /v1/monitor/clock moves time
    due_soon: float = Field(0.75, gt=0, le=1)
    alerts_kept: int = Field(10_000, ge=1)
    webhook: Webhook | None = None


class ServiceConfig(StrictModel):
    """Safe defaults: loopback, small bodies, a few concurrent audits."""

    host: str = "127.0.0.1"
    port: int = Field(8080, ge=0, le=65535)
    packs: list[str] = Field(default_factory=lambda: list(SHIPPED_PACKS), min_length=1)  # names or folders
    default_packs: list[str] = ["hongfeng"]
    mappings: dict[str, str] = {}  # name -> a column mapping file for workbooks, CSV, Parquet (sources.load_mapping)
    api_keys: list[ApiKey] = []
    max_body_bytes: int = Field(32 * 1024 * 1024, ge=1)
    max_records: int = Field(1_000_000, ge=1)
    request_seconds: float = Field(30.0, gt=0)  # longer requests are answered 503
    max_concurrent: int = Field(8, ge=1)  # requests at work; more are answered 429 with Retry-After
    workers: int = Field(max(1, min(4, os.cpu_count() or 1)), ge=1)  # processes auditing
    max_batch: int = Field(16, ge=1)  # waiting audits of the same options a worker audits together, at most
    gather_seconds: float = Field(0.03, ge=0, le=1)  # a worker's wait for requests on their way (measured: docs/service.md)
    access_log: str | None = None  # a file; None: standard error
    monitor: MonitorConfig = MonitorConfig()

    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def load_config(path: str | os.PathLike | None, **overrides) -> ServiceConfig:
    """The configuration from a file (or the defaults), with command-line values on top."""
    data = {}
    file = str(path) if path else "service config"
    if path:
        doc = read_document(path)
        if not isinstance(doc.data, dict):
            raise InputError([Problem(file, "the service config is a mapping of settings", line=1)])
        data = doc.data
    data = {**data, **{k: v for k, v in overrides.items() if v is not None}}
    try:
        config = ServiceConfig.model_validate(data)
    except ValidationError as exc:
        raise InputError([Problem(file, validation_reason(e, e["loc"][-1] if e["loc"] else "", "setting"),
                                  field=field_path(e["loc"])) for e in exc.errors(include_url=False)]) from None
    if path:  # pack folders and the state file are relative to the config file
        base = Path(path).parent
        config.packs = [str(base / p) if ("/" in p or p.startswith(".")) else p for p in config.packs]
        config.mappings = {k: str(base / v) for k, v in config.mappings.items()}
        if config.monitor.state_file:
            config.monitor.state_file = str(base / config.monitor.state_file)
    if not config.loopback() and not config.api_keys:
        raise InputError([Problem(file, f"listening on {config.host} (beyond loopback) needs api_keys "
                                        "(hongfeng-rules serve --new-key makes one)", field="api_keys")])
    return config
