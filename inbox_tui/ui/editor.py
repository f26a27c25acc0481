"""Writing a reply in $VISUAL / $EDITOR: the terminal is handed over meanwhile."""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import subprocess
import tempfile

from textual.app import App, SuspendNotSupported


def _run_editor(argv: list[str]) -> int | OSError:
    """The editor's exit status, or why it could not start. Never raises: an exception inside
    `App.suspend()` leaves the app suspended for good (Textual resumes only on a clean exit)."""
    try:
        return subprocess.call(argv)
    except OSError as error:
        return error


async def edit_in_editor(app: App, text: str) -> str | None:
    """`text` as the user left it in their editor, or None (said on screen) when the editor
    could not start, failed, or this session has no terminal to hand it."""
    variable = "VISUAL" if os.environ.get("VISUAL") else "EDITOR"
    try:
        editor = shlex.split(os.environ.get(variable) or "vi")
    except ValueError:
        editor = []
    if not editor or shutil.which(editor[0]) is None:
        named = " ".join(editor) or os.environ.get(variable, "")
        app.notify(
            f"Couldn't start ${variable} ({named}): no such program. The draft is unchanged.",
            severity="error",
            markup=False,
        )
        return None
    fd, path = tempfile.mkstemp(prefix="inbox-tui-reply-", suffix=".txt")  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        argv = [*editor, path]
        try:
            with app.suspend():
                code = await asyncio.to_thread(_run_editor, argv)
        except SuspendNotSupported:
            if not app.is_headless:  # a browser session: no terminal to hand over
                app.notify(
                    "ctrl+e needs a terminal to hand to the editor; this session has none.",
                    markup=False,
                )
                return None
            code = await asyncio.to_thread(_run_editor, argv)  # tests: run it anyway
        if isinstance(code, OSError):
            app.notify(
                f"Couldn't start ${variable} ({editor[0]}): {code.strerror or code}. The "
                "draft is unchanged.",
                severity="error",
                markup=False,
            )
            return None
        if code != 0:
            app.notify(f"{editor[0]} exited with {code}: the reply is unchanged.", markup=False)
            return None
        with open(path, encoding="utf-8") as handle:
            return handle.read().rstrip("\n")
    except OSError as error:
        app.notify(f"Could not run the editor: {error.strerror}.", severity="error", markup=False)
        return None
    finally:
        if os.path.exists(path):
            os.unlink(path)
