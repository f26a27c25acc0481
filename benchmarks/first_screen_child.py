"""Run in a fresh process by the first-screen benchmark: print the wall time of the first frame,
the peak RSS then and a little later, and the longest event-loop stall after the first frame.

`which` is one of
- "inbox": the real command on a store (`inbox-tui --config … --no-sync`);
- "inbox-sync": the same, syncing; the config points it at a closed loopback port, so every
  request is refused at once: what is measured is the machinery (the config's validation,
  httpx, the providers, the engine), not the size of the answers;
- "minimal": the baseline, an OptionList of one row and a Footer;
- "minimal-config": that app validating the same config with pydantic after its first frame,
  as the app does (what the mandated dependency costs whatever the app does);
- "minimal-deps": that, and an httpx client made (what a syncing session's libraries cost);
- "minimal-store": the minimal app importing httpx and pydantic and opening the config's
  store (the scale benchmark's baseline: what any app that loads what this one must load and
  opens a store of that size costs).

The parent notes the time before it starts this process.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

AFTER_FIRST_FRAME = {"inbox-sync": 1.0}  # seconds watched after it; others 0.5


def peak_kib() -> int:
    """VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec."""
    status = Path("/proc/self/status").read_text()
    return int(next(ln for ln in status.splitlines() if ln.startswith("VmHWM:")).split()[1])


def main() -> None:
    which, config_path = sys.argv[1], Path(sys.argv[2])
    shown = asyncio.Event()
    holder = {}

    def ready() -> bool:
        return which.startswith("minimal") or len(holder["app"].conversation_list.rows) > 0

    def note_first_frame() -> None:
        """The first frame is the first screen update handed to the driver once rows are there
        (headless, the driver writes nothing, but the frame is made all the same)."""
        from textual.app import App

        display = App._display

        def display_and_note(self, screen, renderable) -> None:
            display(self, screen, renderable)
            if renderable is not None and not shown.is_set() and ready():
                print(f"FIRST_FRAME {time.time():.6f}", flush=True)
                print(f"FIRST_RSS {peak_kib()}", flush=True)
                shown.set()

        App._display = display_and_note

    async def after_first_frame(pilot) -> None:
        from benchmarks.loop_stalls import LoopStalls

        await shown.wait()
        with LoopStalls() as loop:
            if which in ("minimal-config", "minimal-deps"):
                from inbox_tui.config.load import load_config

                await asyncio.to_thread(load_config, config_path)
            if which == "minimal-deps":
                import httpx

                client = await asyncio.to_thread(httpx.AsyncClient)
                await client.aclose()
            if which == "minimal-store":
                import httpx
                import pydantic  # noqa: F401

                from inbox_tui.config.load import load_config
                from inbox_tui.store import Store

                config = await asyncio.to_thread(load_config, config_path)
                store = await asyncio.to_thread(Store, config.store_path)
                store.close()
            if not which.startswith("minimal"):  # the window with the list's counts
                app = holder["app"]
                while "…" in str(app.conversation_list.border_subtitle) or any(
                    w.is_running for w in app.workers if w.group == "list"
                ):
                    await asyncio.sleep(0.02)
            # The thread pane, the config's validation (and the sync).
            await asyncio.sleep(AFTER_FIRST_FRAME.get(which, 0.5))
        print(f"PEAK_RSS {peak_kib()}", flush=True)
        print(f"STALL {loop.longest:.6f}", flush=True)
        pilot.app.exit()

    if which.startswith("minimal"):
        from textual.app import App
        from textual.widgets import Footer, OptionList

        class Minimal(App):
            def compose(self):
                yield OptionList("one conversation")
                yield Footer()

        note_first_frame()
        Minimal().run(headless=True, size=(120, 40), auto_pilot=after_first_frame)
        return

    # The real command, with a pilot that notes the first frame. The parent ran it once before
    # timing, so the config's fingerprint is in the store, as on every start after the first.
    from inbox_tui import cli
    from inbox_tui.cli import start_app

    start = start_app._start

    def start_with_pilot(args):
        # Textual and the app are imported here, where the command imports them: after it has
        # turned the garbage collector off for the start (see ui/idle_gc.py).
        from inbox_tui.ui.app import InboxApp

        run = InboxApp.run

        def run_with_pilot(self, **kwargs):
            holder["app"] = self
            return run(self, headless=True, size=(120, 40), auto_pilot=after_first_frame)

        InboxApp.run = run_with_pilot
        note_first_frame()
        return start(args)

    start_app._start = start_with_pilot
    cli.main(["--config", str(config_path), *(() if which == "inbox-sync" else ("--no-sync",))])


if __name__ == "__main__":
    main()
