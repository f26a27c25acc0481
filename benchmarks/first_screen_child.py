"""Run in a fresh process by the first-screen benchmark: print the wall time of the first frame.

`app` is "inbox" (the real command on a store, sync off), "minimal" (the baseline: an OptionList
of one row and a Footer) or "minimal-config" (that app, validating the store's config with
pydantic after its first frame, as the app does: the memory the mandated dependency costs
whatever the app does). The parent notes the time before it starts this process.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path


def peak_kib() -> int:
    """VmHWM, not ru_maxrss: the latter keeps the parent's peak across fork and exec."""
    status = Path("/proc/self/status").read_text()
    return int(next(ln for ln in status.splitlines() if ln.startswith("VmHWM:")).split()[1])


def main() -> None:
    which, store_path = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""

    if which.startswith("minimal"):
        from textual.app import App
        from textual.widgets import Footer, OptionList

        class Minimal(App):
            def compose(self):
                yield OptionList("one conversation")
                yield Footer()

        app = Minimal()
        ready = lambda: True  # noqa: E731
    else:
        # The real command (`inbox-tui --config … --no-sync`), with a pilot that notes the
        # first frame. The parent ran it once before timing, so the config's fingerprint is
        # in the store, as on every start after the first.
        from inbox_tui import cli
        from inbox_tui.ui.app import InboxApp

        holder = {}
        run = InboxApp.run

        def run_with_pilot(self, **kwargs):
            holder["app"] = self
            return run(self, headless=True, size=(120, 40), auto_pilot=first_frame)

        InboxApp.run = run_with_pilot
        ready = lambda: len(holder["app"].conversation_list.rows) > 0  # noqa: E731

    # The first frame is the first screen update handed to the driver once rows are there
    # (headless, the driver writes nothing, but the frame is made all the same).
    from textual.app import App

    display, shown = App._display, asyncio.Event()

    def display_and_note(self, screen, renderable) -> None:
        display(self, screen, renderable)
        if renderable is not None and not shown.is_set() and ready():
            print(f"FIRST_FRAME {time.time():.6f}", flush=True)
            print(f"FIRST_RSS {peak_kib()}", flush=True)
            shown.set()

    App._display = display_and_note

    async def first_frame(pilot) -> None:
        await shown.wait()
        if which == "minimal-config":
            from inbox_tui.config import load_config

            await asyncio.to_thread(load_config, Path(store_path.replace(".sqlite3", ".toml")))
        await asyncio.sleep(0.5)  # the thread pane, the filters and the config's validation
        print(f"PEAK_RSS {peak_kib()}", flush=True)
        pilot.app.exit()

    if which.startswith("minimal"):
        app.run(headless=True, size=(120, 40), auto_pilot=first_frame)
    else:
        cli.main(["--config", store_path.replace(".sqlite3", ".toml"), "--no-sync"])


if __name__ == "__main__":
    main()
