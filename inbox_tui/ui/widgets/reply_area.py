"""The composer's text area: Enter sends; ctrl+j (or shift+enter) starts a new line.

Its own module so that only the first reply pays for importing TextArea (see `Composer`).
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

NEWLINE_KEYS = ("ctrl+j", "shift+enter")  # ctrl+j works in every terminal; shift+enter in some


class ReplyArea(TextArea):
    BINDINGS = [
        Binding("ctrl+e", "app.open_editor", "$EDITOR", priority=True),
        Binding("ctrl+l", "app.attach_media", "Attach URL", priority=True),
        Binding("ctrl+t", "app.saved_replies", "Saved replies", priority=True),
        Binding("escape", "app.leave_composer", "Back (keeps the draft)", priority=True),
    ]

    class Submitted(Message):
        """Enter: send what is written."""

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
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
