"""Providers: the only code that talks HTTP. They return domain models and typed errors."""

import sys

# httpx imports its command-line client (click, pygments, rich.syntax) with itself whenever
# click is installed, as it is beside the fake server's uvicorn: 17 ms and 3.4 MiB that the app
# never uses (encode/httpx#3547). Marked absent, httpx falls back to a stub `httpx.main`.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
