"""Ending well: a signal ends the app like `q`, a crash says a short sentence (never a
traceback with the config's keys in its locals), a screenshot is private."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os

from textual import events
from textual.app import App

log = logging.getLogger("inbox_tui.ui.app")


class SafeExit(App[None]):
    """Mixed into `InboxApp`."""

    def handle_stop_signals(self) -> None:
        """TERM, HUP and QUIT end the app like `q`: the draft saved, the terminal restored.
        (Python's defaults die at once, leaving the terminal in the alternate screen.)"""
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP", "SIGQUIT"):
            number = getattr(signal, name, None)
            if number is None:
                continue
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, lambda: self.call_next(self.action_quit))

    def _fatal_error(self) -> None:
        """A crash shows a short message, never Textual's traceback: its locals would print
        the config with every key. The traceback goes to `--log` only (scrubbed there)."""
        error = self._exception
        log.error("inbox-tui stopped on an unexpected error", exc_info=error)
        self.bell()
        from rich.text import Text  # plain text, wrapped by the console it is printed on

        self._exit_renderables.append(
            Text(
                f"inbox-tui stopped on an unexpected error ({type(error).__name__}). Drafts and "
                "unsent replies are kept in the store. Run it with --log PATH to record the "
                "details for a bug report (keys are scrubbed there)."
            )
        )
        self._close_messages_no_wait()

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        """A screenshot (the palette's) shows the inbox: private, like the store."""
        if event.path is not None:
            with contextlib.suppress(OSError):
                os.chmod(event.path, 0o600)
