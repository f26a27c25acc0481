"""Desktop notifications for new messages: notify-send (Linux) or osascript (macOS), if present.

Texts are already sanitised; they are passed as arguments, never through a shell.
"""

from __future__ import annotations

import asyncio
import shutil
import sys


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
