"""The composer's text area: Enter sends; ctrl+j (or shift+enter) starts a new line.

Its own module so that only the first reply pays for importing TextArea (see `Composer`).
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import TextArea

from inbox_tui.keymap import COMPOSER_KEYS, NEWLINE_KEYS, SEND_KEY


class ReplyArea(TextArea):
    BINDINGS = [spec.binding(priority=True) for spec in COMPOSER_KEYS if spec.action]

    class Submitted(Message):
        """Enter: send what is written."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == SEND_KEY:
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted())
            return
        if event.key in NEWLINE_KEYS:
            event.stop()
            event.prevent_default()
            self.insert("\n")
            return
        await super()._on_key(event)
