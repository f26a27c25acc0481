"""The longest time the event loop did not turn, measured from inside it."""

from __future__ import annotations

import asyncio
import time

STALL_BUDGET_S = 0.016  # DESIGN.md: the event loop is never blocked more than 16 ms at a time


class LoopStalls:
    """The longest gap between turns of the event loop while it runs (1 ms resolution)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task | None = None

    async def _watch(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - 0.001)
            last = now

    def __enter__(self) -> LoopStalls:
        self._task = asyncio.ensure_future(self._watch())
        return self

    def __exit__(self, *exc) -> None:
        self._task.cancel()
