"""API keys: stored as SHA-256 digests in the config, sent as `Authorization: Bearer KEY`.

Keys are random 32-byte tokens (`new_key`), so an unsalted digest is enough (nothing to guess from a
dictionary); comparison is constant-time. Without configured keys (loopback only) every request is
allowed. 401: no key or an unknown key; 403: a known key without the route's scope.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from .config import ApiKey
from .problems import Refused


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> tuple[str, str]:
    """A fresh key and its digest (the digest goes into the config, the key to the client)."""
    key = "hfk_" + secrets.token_urlsafe(32)
    return key, digest(key)


class Denied(Refused):
    """Why a request may not go on: 401 or 403, and a reason that never repeats the key."""

    def __init__(self, status: int, reason: str):
        super().__init__(status, reason, {"WWW-Authenticate": "Bearer"} if status == 401 else None)


def client_of(authorization: str | None, keys: list[ApiKey], scope: str) -> str | None:
    """The client's name (None when no keys are configured), or Denied."""
    if not keys:
        return None
    if not authorization:
        raise Denied(401, "this service needs an API key: send Authorization: Bearer KEY")
    kind, _, token = authorization.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise Denied(401, "the Authorization header must be: Bearer KEY")
    wanted = digest(token.strip())
    found = None
    for key in keys:  # look at every key, so the time taken does not say which one matched
        if hmac.compare_digest(key.sha256, wanted):
            found = key
    if found is None:
        raise Denied(401, "unknown API key")
    if scope not in found.scopes:
        raise Denied(403, f"the key {found.name!r} may not use {scope} (its scopes: {', '.join(found.scopes)})")
    return found.name
