"""HTTP plumbing the providers share: one way to build the client, one way to word a failure."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from inbox_tui.providers.base import MalformedResponse, NetworkError
from inbox_tui.text import clean_line

T = TypeVar("T")
LARGE_BODY = 64 * 1024  # answers larger than this are parsed off the event loop

# Failures that happen before the request leaves: it was certainly not acted on.
NOT_SENT = (
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.ConnectError,
    httpx.LocalProtocolError,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
)


def http_client(
    base_url: str, transport: httpx.AsyncBaseTransport | None, timeout: float
) -> httpx.AsyncClient:
    """JSON, no redirects (a redirect could carry a key elsewhere), connect within 10 s."""
    return httpx.AsyncClient(
        base_url=base_url.rstrip("/") + "/",
        transport=transport,
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"Accept": "application/json", "User-Agent": "inbox-tui"},
        follow_redirects=False,
    )


def load_network_stack() -> None:
    """Import now what httpcore imports at the first request, on the event loop: anyio's
    sockets and its asyncio backend (~20 ms). Call it from a thread with no event loop."""
    import anyio

    # anyio loads its parts on first use: its sockets when the name is looked up, its backend
    # when something runs.
    anyio.connect_tcp  # noqa: B018
    anyio.run(anyio.sleep, 0)


def network_error(exc: httpx.HTTPError, service: str) -> NetworkError:
    """A transport failure in plain words; `maybe_sent` unless it failed before leaving."""
    if isinstance(exc, httpx.TimeoutException):
        message = f"{service} did not answer in time (the request timed out)."
    else:
        reason = clean_line(str(exc)) or type(exc).__name__
        message = f"Could not reach {service}: {reason[:200]}"
    return NetworkError(message, maybe_sent=not isinstance(exc, NOT_SENT))


def json_or_none(content: bytes) -> Any:
    """An error answer's body, if it is JSON at all."""
    try:
        return json.loads(content)
    except ValueError:
        return None


async def decoded(content: bytes, decode: Callable[[bytes], T]) -> T:
    """`decode(content)`, in a thread when the body is large (a long thread, a page of 100)."""
    if len(content) > LARGE_BODY:
        return await asyncio.to_thread(decode, content)
    return decode(content)


def shape_error(exc: ValidationError, service: str) -> MalformedResponse:
    """An answer that parsed but is not of the documented shape: where, and what is wrong."""
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "the top level"
    return MalformedResponse(
        f"{service}'s answer had an unexpected shape ({where}: {first['msg']})."
    )
