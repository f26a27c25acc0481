"""Desktop notifications for new messages: notify-send (Linux) or osascript (macOS), if present.

Texts are already sanitised; they are passed as arguments, never through a shell.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

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


MAX_TOASTS_PER_BATCH = 3


def announce(
    app: App,
    settings: NotificationSettings,
    arrived: Iterable[Message],
    profile: str,
    shown: ConversationRef | None,
) -> None:
    """Tell the user about new inbound messages, except in the thread on screen (`shown`):
    the bell, a toast, a desktop notification, as the config says."""
    fresh = [m for m in arrived if (profile, m.platform, m.conversation_id) != shown]
    if not fresh:
        return
    if settings.bell:
        app.bell()
    lines = [
        f"{m.sender_name or m.correspondent_name or 'Someone'} · {profile} · {m.platform.label}"
        for m in fresh[:MAX_TOASTS_PER_BATCH]
    ]
    if len(fresh) > MAX_TOASTS_PER_BATCH:
        lines.append(f"and {len(fresh) - MAX_TOASTS_PER_BATCH} more")
    title = "New message" if len(fresh) == 1 else f"{len(fresh)} new messages"
    if settings.toast:
        app.notify("\n".join(lines), title=title, markup=False)
    if settings.desktop:
        app.run_worker(
            desktop_notify(title, "\n".join(lines)), group="desktop-notify", exit_on_error=False
        )
