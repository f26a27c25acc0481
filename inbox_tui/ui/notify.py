"""New messages told to the user: toasts in batches, the bell, and desktop notifications
(notify-send on Linux, osascript on macOS, if present).

Texts are already sanitised; they are passed as arguments, never through a shell.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from inbox_tui.ui.format import short_names

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from inbox_tui.config.model import NotificationSettings
    from inbox_tui.domain import Message
    from inbox_tui.store import ConversationRef


def _applescript(text: str) -> str:
    """An AppleScript string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


async def desktop_notify(title: str, body: str) -> bool:
    if sys.platform == "darwin" and shutil.which("osascript"):
        script = f"display notification {_applescript(body)} with title {_applescript(title)}"
        argv = ["osascript", "-e", script]
    elif shutil.which("notify-send"):
        argv = ["notify-send", "--app-name=inbox-tui", "--", title, body]
    else:
        return False
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        await asyncio.wait_for(process.wait(), timeout=5)
    except (OSError, TimeoutError):
        return False
    return process.returncode == 0


class Announcer:
    """New inbound messages, told in batches: the first arrival starts a batch, and after
    `batch_seconds` one toast (and bell, and desktop notification, as the config says) tells
    all of it ("4 new messages: Acme 3, Fjord 1"). Never for the thread on screen, nor for a
    muted brand; never while the composer is open or a key was pressed in the last
    `typing_seconds`: the batch waits, and grows, until the user stops."""

    batch_seconds = 4.0
    typing_seconds = 3.0

    def __init__(self, app: App, quiet: Callable[[], bool], last_key: Callable[[], float]) -> None:
        """`quiet`: the composer is open; `last_key`: when a key was last pressed
        (`time.monotonic`)."""
        self.app, self.quiet, self.last_key = app, quiet, last_key
        self.waiting: list[tuple[str, Message]] = []  # (profile, message), oldest first
        self._timer: Timer | None = None

    def add(
        self,
        settings: NotificationSettings,
        arrived: Iterable[Message],
        profile: str,
        shown: ConversationRef | None,
    ) -> None:
        if profile in settings.mute:
            return
        fresh = [m for m in arrived if (profile, m.platform, m.conversation_id) != shown]
        self.waiting += [(profile, m) for m in fresh]
        if fresh and self._timer is None:
            self._timer = self.app.set_timer(self.batch_seconds, lambda: self._tell(settings))

    def _tell(self, settings: NotificationSettings) -> None:
        self._timer = None
        if not self.waiting:
            return
        typed = time.monotonic() - self.last_key()
        if self.quiet() or typed < self.typing_seconds:
            wait = max(self.batch_seconds, self.typing_seconds - typed)
            self._timer = self.app.set_timer(wait, lambda: self._tell(settings))
            return
        title, body = batch_words(self.waiting)
        self.waiting = []
        if settings.bell:
            self.app.bell()
        if settings.toast:
            self.app.notify(body, title=title, markup=False)
        if settings.desktop:
            self.app.run_worker(
                desktop_notify(title, body), group="desktop-notify", exit_on_error=False
            )


def batch_words(batch: list[tuple[str, Message]]) -> tuple[str, str]:
    """A toast's title and text: one message says who, where and on what; several say how
    many each brand has, and who wrote last."""
    profile, last = batch[-1]
    who = last.sender_name or last.correspondent_name or "Someone"
    if len(batch) == 1:
        return "New message", f"{who} · {profile} · {last.platform.label}"
    short = short_names(dict.fromkeys(p for p, _ in batch))
    counts = Counter(short[p] for p, _ in batch)
    each = ", ".join(f"{name} {n}" for name, n in counts.most_common())
    return f"{len(batch)} new messages", f"{each}\nlast: {who} · {profile} · {last.platform.label}"
