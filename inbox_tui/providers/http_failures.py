"""What an httpx failure says about a request (shared by the providers)."""

from __future__ import annotations

import httpx

# Failures that happen before the request leaves: it was certainly not acted on.
NOT_SENT = (
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ConnectError,
    httpx.LocalProtocolError,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)
