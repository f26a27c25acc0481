"""Idle: wake-ups a second and CPU of the real command in a pseudo-terminal, left alone, next
to a minimal Textual app in the same kind of terminal (issue 18: <= 1.5x, syncing and not).

A wake-up is a context switch of any of the process's threads (/proc/PID/task/*/status): the
input thread's poll (a minimal app's ten a second), a timer, a frame handed to the writer
thread, a worker thread woken for the store. CPU is user + system time over the same span.

Run as `python -m benchmarks.idle_bench` it is the minimal app.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
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


def idle(runs: int, seconds: float, settle: float, data: Path) -> list[dict]:
    from benchmarks.run import CHILD_ENV, SMALL_STORE, closed_port, write_config

    store = generate(data / f"store-{SMALL_STORE[0]}-{SMALL_STORE[1]}.sqlite3", *SMALL_STORE)
    config = data / "idle-config.toml"
    write_config(config, store, closed_port())
    command = str(Path(sys.executable).with_name("inbox-tui"))
    home = data / "idle-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {**CHILD_ENV, "TERM": "xterm-256color", "HOME": str(home)}
    argvs = {
        "minimal": [sys.executable, "-m", "benchmarks.idle_bench"],
        "demo": [command, "--demo"],
        "no-sync": [command, "--config", str(config), "--no-sync"],
    }
    seen: dict[str, list[tuple[float, float]]] = {name: [] for name in argvs}
    for _ in range(runs):  # interleaved: the machine's noise falls on all three alike
        for name, argv in argvs.items():
            seen[name].append(_watch(argv, settle, seconds, env))

    def median(name: str, field: int) -> float:
        return statistics.median(value[field] for value in seen[name])

    results = []
    for name, what in (("demo", "syncing (the demo)"), ("no-sync", "sync off (--no-sync)")):
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
