"""A burst of asks for the same read, coalesced into reads at most `delay` apart.

A debounce that starts again on every ask (an exclusive worker that sleeps, then reads) would
keep the list stale for as long as asks keep coming: ten brands whose syncs finish one after
another, each within the debounce of the last, would show nothing until the last. Here the
first ask of a burst sets when the read runs and the later ones join it, so a change waits
at most `delay`, however long the burst.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class Coalesced:
    """For one exclusive worker: each run (which cancels the one before) starts with `wait`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._due: float | None = None  # when the burst's read runs; None: no burst

    async def wait(self, delay: float) -> None:
        """Until the burst's read, at most `delay` (0: at once); the read that follows shows
        every change asked for so far, so the next ask starts a new burst. A run cancelled
        while it waits leaves the burst's time to the run that replaced it."""
        if delay:
            now = self._clock()
            if self._due is None or self._due < now:
                self._due = now + delay
            await asyncio.sleep(min(delay, self._due - now))
        self._due = None
