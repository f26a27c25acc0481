"""Garbage collection kept out of the user's way: none during start-up, full ones only when idle.

Start-up makes ~80k objects that live as long as the app, and CPython would walk them about a
hundred times before the first frame (15-25 ms) to find a few hundred KiB of cycles. So the
command turns the collector off before it imports anything (`start_without_collections`), and
at mount `IdleCollector.start` freezes what start-up built (never walked again) and turns it
back on.

Afterwards a full collection walks every tracked object; with 100k conversation rows in the
list that is 30-60 ms on the event loop, several frames, and CPython starts one whenever enough
objects have survived (during a burst of keys as likely as ever). Young generations stay
automatic (they only walk new objects); the oldest one is collected here, after a pause in
typing, and at the latest every `longest` seconds so memory never waits on an idle moment that
does not come.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def start_without_collections() -> Iterator[None]:
    """The collector off until `IdleCollector.start` turns it on at mount; on the way out it is
    on again whatever happened (a broken config ends the start before any mount)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class IdleCollector:
    def __init__(self, idle_after: float = 2.0, every: float = 30.0, longest: float = 600.0):
        self.idle_after, self.every, self.longest = idle_after, every, longest
        self._last_input = self._last_full = time.monotonic()
        self._thresholds = gc.get_threshold()

    def start(self) -> None:
        self._thresholds = gc.get_threshold()
        young, middle, _ = self._thresholds
        gc.set_threshold(young, middle, 1_000_000_000)  # no automatic full collections
        gc.freeze()  # what start-up built lives as long as the app: never walk it again
        gc.enable()

    def stop(self) -> None:
        gc.unfreeze()
        gc.set_threshold(*self._thresholds)

    def note_input(self) -> None:
        self._last_input = time.monotonic()

    def due_in(self) -> float:
        """Seconds until `tick` may collect, if the user stays idle."""
        now = time.monotonic()
        idle_and_due = max(self._last_input + self.idle_after, self._last_full + self.every)
        return max(0.0, min(idle_and_due, self._last_full + self.longest) - now)

    def tick(self) -> bool:
        """Collect if the user is idle and one is due (or long overdue); True if it ran."""
        now = time.monotonic()
        since_full = now - self._last_full
        idle = now - self._last_input >= self.idle_after
        if (idle and since_full >= self.every) or since_full >= self.longest:
            gc.collect()
            self._last_full = now
            return True
        return False
