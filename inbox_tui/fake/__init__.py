"""The fake Ayrshare server: one implementation of the documented behaviour.

`state.FakeAyrshare` holds the data and the rules (no HTTP); `server.build_app()` wraps it as
an ASGI app, used in-process by `inbox-tui --demo` (httpx.ASGITransport, no socket) and on a
loopback port by the tests and `inbox-tui fake-server`.
"""
