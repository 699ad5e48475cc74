"""The live monitor over HTTP (placeholder until the monitor routes land)."""
from __future__ import annotations

from fastapi import APIRouter


class MonitorService:
    def __init__(self, config, catalog, metrics):
        self.config = config

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass


def router(service: MonitorService, auth) -> APIRouter:
    return APIRouter(tags=["monitor"])
