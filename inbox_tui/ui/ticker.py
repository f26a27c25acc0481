"""The app's clock: one timer, set for the next moment something changes by time alone.

What changes with time says when it next does: the status bar's ages and countdowns (their
words change once a minute at most), a snooze that ends, an idle moment for a full garbage
collection. A minimal Textual app wakes ~10 times a second
(its input thread); a one-second interval added a wake-up a second and, whenever it redrew
anything, a frame.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual.app import App
from textual.timer import Timer

# No sooner than this: the words change in minutes, a snooze ends to the second at most.
SOONEST = 0.25
# A timer runs on monotonic time, which stands still while the machine sleeps; the app's clock
# does not. After a night's suspend a snooze that ended is noticed within this many seconds.
LONGEST = 60.0


class Ticker:
    def __init__(self, app: App, tick: Callable[[], None]) -> None:
        self._app, self._tick = app, tick
        self._timer: Timer | None = None
        self._at = math.inf

    def within(self, seconds: float) -> None:
        """Tick in `seconds` at the latest (a sooner tick already set stands)."""
        seconds = min(max(seconds, SOONEST), LONGEST)
        at = time.monotonic() + seconds
        if self._timer is not None and self._at <= at:
            return
        if self._timer is not None:
            self._timer.stop()
        self._at, self._timer = at, self._app.set_timer(seconds, self._fire)

    def next_in(self) -> float:
        """Seconds to the tick that is set (inf: none)."""
        return self._at - time.monotonic()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer, self._at = None, math.inf

    def _fire(self) -> None:
        self._timer, self._at = None, math.inf
        self._tick()
