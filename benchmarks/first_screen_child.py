"""Run in a fresh process by the first-screen benchmark: print the wall time of the first frame.

`app` is "inbox" (the real app on a store, sync off) or "minimal" (the baseline: an OptionList
of one row and a Footer). The parent notes the time before it starts this process.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time


def main() -> None:
    which, store_path = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""

    if which == "minimal":
        from textual.app import App
        from textual.widgets import Footer, OptionList

        class Minimal(App):
            def compose(self):
                yield OptionList("one conversation")
                yield Footer()

        app = Minimal()
        ready = lambda: True  # noqa: E731
    else:
        from benchmarks.generate import PROFILES
        from inbox_tui.config import AyrshareSettings, Config, Profile
        from inbox_tui.store import Store
        from inbox_tui.ui.app import InboxApp

        config = Config(
            ayrshare=AyrshareSettings(api_key="unused"),
            profiles=[Profile(name=name) for name in PROFILES],
        )
        app = InboxApp(config, Store(store_path), sync=False)
        ready = lambda: len(app.conversation_list.rows) > 0  # noqa: E731

    async def first_frame(pilot) -> None:
        while not ready():
            await pilot.pause(0.001)
        await app.screen.wait_for_refresh()
        print(f"FIRST_FRAME {time.time():.6f}", flush=True)
        await asyncio.sleep(0.5)  # the thread pane and the filters load just after
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        print(f"PEAK_RSS {peak_kib}", flush=True)
        app.exit()

    app.run(headless=True, size=(120, 40), auto_pilot=first_frame)


if __name__ == "__main__":
    main()
