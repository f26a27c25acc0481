"""Idle: wake-ups a second and CPU of the real command in a pseudo-terminal, left alone, next
to a minimal Textual app in the same kind of terminal (issue 18: <= 1.5x, syncing and not).

A wake-up is a context switch of any of the process's threads (/proc/PID/task/*/status): the
input thread's poll (a minimal app's ten a second), a timer, a frame handed to the writer
thread, a worker thread woken for the store. CPU is user + system time over the same span.

The demo serves its fake API in its own process, so its CPU is the app's and the fake's
together; the same data served by `inbox-tui fake-server` in another process gives the
app's alone, syncing (the row users would see: a real API's work is not theirs).

Run as `python -m benchmarks.idle_bench` it is the minimal app.
"""

from __future__ import annotations

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from benchmarks.generate import generate

BUDGET = 1.5


def _counters(pid: int) -> tuple[int, float]:
    switches = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            status = (task / "status").read_text()
        except FileNotFoundError:  # a thread that just ended
            continue
        switches += sum(int(ln.split()[1]) for ln in status.splitlines() if "ctxt_switches" in ln)
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return switches, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _watch(
    argv: list[str], settle: float, seconds: float, env: dict[str, str]
) -> tuple[float, float]:
    """Wake-ups a second and CPU % of `argv` in a 140x40 pty, `settle` s after it starts."""
    import pexpect

    child = pexpect.spawn(argv[0], argv[1:], dimensions=(40, 140), env=env)

    def drain(until: float) -> None:  # read what it draws, as a terminal would
        while time.monotonic() < until:
            try:
                child.read_nonblocking(1 << 16, timeout=0.2)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                raise RuntimeError(f"{argv} ended while idle: {child.before!r}") from None

    try:
        drain(time.monotonic() + settle)
        switches, cpu = _counters(child.pid)
        started = time.monotonic()
        drain(started + seconds)
        switches_after, cpu_after = _counters(child.pid)
        span = time.monotonic() - started
    finally:
        child.terminate(force=True)
    return (switches_after - switches) / span, (cpu_after - cpu) / span * 100


PAGE_TOKEN_ENV = "INBOX_TUI_IDLE_PAGE_TOKEN"


@contextlib.contextmanager
def _served_demo(command: str, env: dict[str, str]) -> Iterator[int]:
    """`inbox-tui fake-server` (the demo's data, arrivals and all) on a free loopback port."""
    from benchmarks.run import closed_port

    port = closed_port()
    server = subprocess.Popen(
        [command, "fake-server", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the fake server did not start")
            time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(10)


def _served_config(path: Path, store: Path, port: int) -> None:
    """The demo's profiles (Ayrshare brands and the Meta Page), at the served fake."""
    import tomli_w

    from inbox_tui.demo_keys import (
        DEMO_API_KEY,
        DEMO_META_PROFILE,
        DEMO_PAGE_ID,
        DEMO_PROFILES,
        DEMO_X_KEYS,
    )
    from inbox_tui.fake.graph import GRAPH_VERSION

    origin = f"http://127.0.0.1:{port}"
    brands = [
        {"name": title, "platforms": list(platforms)} | ({"profile_key": key} if key else {})
        for key, title, platforms, _ in DEMO_PROFILES
    ]
    page = {
        "name": DEMO_META_PROFILE,
        "provider": "meta",
        "page_id": DEMO_PAGE_ID,
        "platforms": ["facebook", "instagram"],
        "access_token_env": PAGE_TOKEN_ENV,
    }
    config = {
        "store_path": str(store),
        "ayrshare": {
            "api_key": DEMO_API_KEY,
            "base_url": f"{origin}/api",
            "x_api_key": DEMO_X_KEYS[0],
            "x_api_secret": DEMO_X_KEYS[1],
        },
        "meta": {"graph_url": f"{origin}/{GRAPH_VERSION}", "poll_seconds": 30},
        "profiles": [*brands, page],
    }
    path.write_text(tomli_w.dumps(config))
    path.chmod(0o600)


def idle(runs: int, seconds: float, settle: float, data: Path) -> list[dict]:
    from benchmarks.run import CHILD_ENV, SMALL_STORE, closed_port, write_config

    store = generate(data / f"store-{SMALL_STORE[0]}-{SMALL_STORE[1]}.sqlite3", *SMALL_STORE)
    config = data / "idle-config.toml"
    write_config(config, store, closed_port())
    command = str(Path(sys.executable).with_name("inbox-tui"))
    home = data / "idle-home"
    home.mkdir(parents=True, exist_ok=True)
    from inbox_tui.demo_keys import DEMO_PAGE_TOKEN

    env = {
        **CHILD_ENV,
        "TERM": "xterm-256color",
        "HOME": str(home),
        PAGE_TOKEN_ENV: DEMO_PAGE_TOKEN,
    }
    served_config, served_store = data / "idle-served.toml", home / "served.sqlite3"
    argvs = {
        "minimal": [sys.executable, "-m", "benchmarks.idle_bench"],
        "demo": [command, "--demo"],
        "served": [command, "--config", str(served_config)],
        "no-sync": [command, "--config", str(config), "--no-sync"],
    }
    seen: dict[str, list[tuple[float, float]]] = {name: [] for name in argvs}
    with _served_demo(command, env) as port:
        _served_config(served_config, served_store, port)
        for _ in range(runs):  # interleaved: the machine's noise falls on all alike
            for name, argv in argvs.items():
                if name == "served":  # each round syncs from empty
                    for leftover in home.glob(f"{served_store.name}*"):
                        leftover.unlink()
                seen[name].append(_watch(argv, settle, seconds, env))

    def median(name: str, field: int) -> float:
        return statistics.median(value[field] for value in seen[name])

    results = []
    for name, what in (
        ("demo", "syncing (the demo, its fake in the same process)"),
        ("served", "syncing (the demo's data served by another process)"),
        ("no-sync", "sync off (--no-sync)"),
    ):
        for field, measure, unit in ((0, "wake-ups a second", "wake-ups/s"), (1, "CPU", "%")):
            app, base = median(name, field), median("minimal", field)
            ratio = app / base if base else float("inf")
            results.append(
                {
                    "name": f"idle, {what}: {measure}",
                    "budget": f"<= {BUDGET}x a minimal Textual app",
                    "app": round(app, 2),
                    "baseline": round(base, 2),
                    "baseline_is": "a Static in an App, in the same kind of pty",
                    "ratio": round(ratio, 3),
                    "within_budget": ratio <= BUDGET,
                    "unit": unit,
                    "runs": runs,
                    "seconds": seconds,
                }
            )
    return results


if __name__ == "__main__":
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("minimal")

    Minimal().run()
