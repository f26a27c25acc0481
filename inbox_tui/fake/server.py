"""The fake as an ASGI app (Starlette), plus helpers to serve it on a loopback port."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from inbox_tui.fake.graph import FakeGraph
from inbox_tui.fake.state import FakeAyrshare

Fake = FakeAyrshare | FakeGraph


class _EscapedJSON(JSONResponse):
    """JSON with non-ASCII escaped, so that even a lone surrogate goes out as valid JSON
    (`\\ud800`), as a real server would send it; the client must cope."""

    def render(self, content) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode("ascii")


HUGE_BODY = 21 * 1024 * 1024  # over the client's 20 MB limit


async def _trickle():
    """One byte every 0.2 s, each well within a read timeout, forever (a slow-loris)."""
    while True:
        yield b" "
        await asyncio.sleep(0.2)


async def _reset_midway():
    """Part of a body, then a dropped connection (uvicorn aborts a failing stream)."""
    yield b'{"status": "success", "messages": ['
    raise ConnectionResetError("the fake drops the connection mid-body")


def build_app(*fakes: Fake, served: list[Fake] | None = None) -> Starlette:
    """Each path goes to the `handle` of the fake that `serves` it (the fake Ayrshare's `/api`,
    the fake Graph's `/v<version>`), which routes as the real API does. `served`: a list the
    caller changes while the server runs (the tests' one server per session) instead of
    `fakes`."""
    fakes_now = served if served is not None else list(fakes)

    async def endpoint(request: Request) -> Response:
        fake = next((f for f in fakes_now if f.serves(request.url.path)), fakes_now[0])
        raw = await request.body()
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        reply = fake.handle(
            request.method,
            request.url.path,
            dict(request.query_params),
            {k.lower(): v for k, v in request.headers.items()},
            body,
        )
        fault = fake.settings.fault
        while fake.settings.fault == "timeout" and fake in fakes_now:  # the client gives up
            await asyncio.sleep(0.05)
        if fault == "reset":
            return StreamingResponse(_reset_midway(), media_type="application/json")
        if fault == "html":
            return HTMLResponse(
                "<html><body><h1>502 Bad Gateway</h1></body></html>", status_code=502
            )
        if fault == "truncated":
            return Response(
                b'{"status": "success", "messages": [{"id": "m_1", "crea',
                media_type="application/json",
            )
        if fault == "malformed":
            return Response(b"OK then", media_type="application/json")
        if fault == "deep-json":
            return Response(b"[" * 100_000 + b"]" * 100_000, media_type="application/json")
        if fault == "huge":
            return Response(
                b'{"status": "success", "messages": []}'.ljust(HUGE_BODY),
                media_type="application/json",
            )
        if fault == "trickle":
            return StreamingResponse(_trickle(), media_type="application/json")
        if reply.delay:
            await asyncio.sleep(reply.delay)
        return _EscapedJSON(reply.body, status_code=reply.status, headers=reply.headers)

    return Starlette(
        routes=[Route("/{path:path}", endpoint, methods=["GET", "POST", "PUT", "DELETE", "PATCH"])]
    )


def _uvicorn_server(served: list[Fake], log_level: str = "warning"):
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - depends on the install
        raise SystemExit("The fake server needs uvicorn: pip install 'inbox-tui[fake]'") from None
    config = uvicorn.Config(
        build_app(served=served), log_level=log_level, lifespan="off", access_log=False
    )
    return uvicorn.Server(config)


def profiles_banner(fake: FakeAyrshare) -> str:
    """Every profile the fake serves, with the Profile-Key a config gives it, and what X
    calls need: what a config pointed at the fake must say."""
    lines = [f"  {fake.primary.title}: the Primary Profile (no profile_key)"]
    lines += [f"  {p.title}: profile_key = {key!r}" for key, p in fake.profiles.items()]
    return (
        "Profiles:\n" + "\n".join(lines) + "\nX calls need x_api_key and x_api_secret (any "
        "values; the demo's are 'demo-x-key' and 'demo-x-secret')."
    )


def serve(fake: FakeAyrshare, graph: FakeGraph, host: str, port: int) -> None:
    """Serve both fakes in the foreground until interrupted."""
    server = _uvicorn_server([fake, graph])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)  # before the address is printed: a client may connect at once
    print(
        f"Fake Ayrshare on http://{host}:{sock.getsockname()[1]}/api  (API key: {fake.settings.api_key})\n"
        f"Fake Graph on http://{host}:{sock.getsockname()[1]}{graph.base_path}  (Page "
        f"{graph.settings.page_id}, token: {graph.settings.token})\n" + profiles_banner(fake),
        flush=True,  # whoever started us reads the port from these lines
    )
    asyncio.run(server.serve(sockets=[sock]))


@contextmanager
def running(*fakes: Fake) -> Iterator[str]:
    """Serve on 127.0.0.1 and a free port in a background thread; yields the first fake's
    base URL (the others are at their own `base_path` on the same port)."""
    with serving(list(fakes)) as origin:
        yield origin + fakes[0].base_path


@contextmanager
def serving(served: list[Fake]) -> Iterator[str]:
    """Serve the fakes in `served`, as it is at each request, on 127.0.0.1 and a free port in
    a background thread; yields the origin (`http://127.0.0.1:PORT`)."""

    # Quiet: the tests' deliberate faults (a reset mid-body) are not errors to print.
    server = _uvicorn_server(served, log_level="critical")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    thread = threading.Thread(target=asyncio.run, args=(server.serve(sockets=[sock]),), daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started:
                break
            threading.Event().wait(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        # Not waiting for a reply still delayed (`send_delay_seconds`): its client has gone.
        server.force_exit = True
        thread.join(timeout=5)
        sock.close()
