"""HTTP plumbing the providers share: one way to build the client, one way to word a failure."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import ssl
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import httpx
from pydantic import BeforeValidator, ValidationError

from inbox_tui.providers.base import MalformedResponse, NetworkError, RefusedRequest
from inbox_tui.text import clean_line

log = logging.getLogger(__name__)

T = TypeVar("T")
LARGE_BODY = 64 * 1024  # answers larger than this are parsed off the event loop
MAX_BODY = 20 * 1024 * 1024  # a larger answer is refused unread: no inbox page is this big
RAW_LOG_CHARS = 4000  # how much of an answer of an unknown shape goes into the log

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
        verify=tls_context() if transport is None else True,  # a given transport has its own
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        headers={"Accept": "application/json", "User-Agent": "inbox-tui"},
        follow_redirects=False,
    )


@functools.cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for the process, verifying as httpx's default does (its CA bundle,
    SSL_CERT_FILE honoured). Loading the bundle costs ~50 ms of CPU and every client made its
    own: one per provider at start, again at each change of profiles."""
    return httpx.create_ssl_context()


def load_network_stack() -> None:
    """Import now what httpcore imports at the first request, on the event loop: anyio's
    sockets and its asyncio backend (~20 ms). Call it from a thread with no event loop."""
    import anyio

    # anyio loads its parts on first use: its sockets when the name is looked up, its backend
    # when something runs.
    anyio.connect_tcp  # noqa: B018
    anyio.run(anyio.sleep, 0)


async def exchange(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    *,
    service: str,
    deadline: float,
    params: dict[str, str] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[httpx.Response, bytes]:
    """One request and its whole body, or a typed error: never a hang, never another host.

    The request must go to the configured base's host (an id from an answer that is a URL
    would otherwise carry the key elsewhere: httpx lets an absolute URL replace `base_url`);
    the whole exchange ends within `deadline` seconds (a server that trickles a byte per read
    timeout would hold it forever); a body over `MAX_BODY` is refused unread.
    """
    request = client.build_request(method, path, params=params, json=body, headers=headers)
    base = client.base_url
    if (request.url.scheme, request.url.host, request.url.port) != (
        base.scheme,
        base.host,
        base.port,
    ) or not request.url.raw_path.startswith(base.raw_path):
        raise RefusedRequest(
            f"Refused a request to {service} outside its configured address (an id in an "
            "answer pointed elsewhere); nothing was sent."
        )
    sent = method != "GET"  # a failure after a write left may mean it was acted on
    try:
        async with asyncio.timeout(deadline):
            response = await client.send(request, stream=True)
            try:
                content = await _capped_body(response, service, maybe_sent=sent)
            finally:
                await response.aclose()
    except TimeoutError:
        raise NetworkError(
            f"{service} did not answer in time (the request timed out).", maybe_sent=True
        ) from None
    except httpx.HTTPError as exc:
        raise network_error(exc, service) from None
    return response, content


async def _capped_body(response: httpx.Response, service: str, *, maybe_sent: bool) -> bytes:
    too_large = MalformedResponse(
        f"{service} sent an answer over {MAX_BODY // 2**20} MB; it was refused unread and "
        "nothing was changed.",
        maybe_sent=maybe_sent,
    )
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        raise too_large
    content = bytearray()
    async for chunk in response.aiter_bytes():
        content += chunk
        if len(content) > MAX_BODY:
            raise too_large
    return bytes(content)


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
    except (ValueError, RecursionError):
        return None


def parse_json(content: bytes, service: str) -> Any:
    """A body as JSON, or MalformedResponse (also for nesting too deep to parse)."""
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        log_unknown(content, service, "not JSON")
        raise MalformedResponse(
            f"{service} sent an answer that is not JSON; nothing was changed."
        ) from None


def log_unknown(content: bytes, service: str, why: str) -> None:
    """The start of an answer we could not use, for a bug report (secrets are scrubbed by the
    log's filter; answers carry none of ours)."""
    text = clean_line(content[:RAW_LOG_CHARS].decode("utf-8", "replace"))
    log.warning("%s answer of an unknown shape (%s): %s", service, why, text)


MAP_OFF_LOOP = 200  # more items than this are mapped to domain models in a thread


async def mapped(items: list[Any], convert: Callable[[Any], T]) -> list[T]:
    """`[convert(item) for item in items]`, in a thread for many (the sanitising of 400
    messages is ~10 ms: on the event loop it would hold the keys typed meanwhile)."""
    if len(items) > MAP_OFF_LOOP:
        return await asyncio.to_thread(lambda: [convert(item) for item in items])
    return [convert(item) for item in items]


def tolerant_list(model: type[T], service: str, what: str) -> Any:
    """A list field whose items are validated one by one: a bad item (a message with a time
    that is no time) is skipped and logged, not the whole answer. Part of the model, so it
    runs where the answer is parsed (off the event loop for a large one)."""

    def each(items: Any) -> list[T]:
        if not isinstance(items, list):
            raise ValueError("must be a list")
        out = []
        for index, item in enumerate(items):
            try:
                out.append(model.model_validate(item))  # type: ignore[attr-defined]
            except (ValidationError, ValueError, OverflowError) as exc:
                log.warning("%s: skipped %s %d of %d (%s)", service, what, index, len(items), exc)
        return out

    return Annotated[list[model], BeforeValidator(each)]  # type: ignore[valid-type]


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
        f"{service} answered in a shape this version doesn't know ({where}: {first['msg']}); "
        "nothing was changed."
    )
