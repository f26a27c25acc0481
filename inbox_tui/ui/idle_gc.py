"""Full garbage collections only while the user is idle.

A full collection walks every tracked object; with 100k conversation rows in the list that is
30-60 ms on the event loop, several frames, and CPython starts one whenever enough objects have
survived (during a burst of keys as likely as ever). Young generations stay automatic (they only
walk new objects); the oldest one is collected here, after a pause in typing, and at the latest
every `longest` seconds so memory never waits on an idle moment that does not come.
"""

from __future__ import annotations

import gc
import time


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

    def stop(self) -> None:
        gc.unfreeze()
        gc.set_threshold(*self._thresholds)

    def note_input(self) -> None:
        self._last_input = time.monotonic()

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
