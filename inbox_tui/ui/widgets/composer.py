"""The composer under the thread: Enter sends; ctrl+j (or shift+enter) starts a new line.

It only edits text and posts messages; the app stores drafts and sends through the outbox.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static, TextArea

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


class Composer(Vertical):
    """The status line (who, window, attachments, why not) above the text area."""

    DEFAULT_CSS = """
    Composer { height: auto; max-height: 12; display: none; border-top: solid $panel-lighten-2; }
    Composer.-open { display: block; }
    Composer #composer-status { height: auto; color: $text-muted; padding: 0 1; }
    Composer ReplyArea { height: auto; min-height: 3; max-height: 9; border: none; padding: 0 1; }
    Composer ReplyArea:focus { border: none; }
    Composer.-blocked #composer-status { color: $warning; }
    """

    def compose(self):
        yield Static("", id="composer-status", markup=False)
        yield ReplyArea(
            id="composer-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus"
        )

    @property
    def area(self) -> ReplyArea:
        return self.query_one(ReplyArea)

    def show_status(self, content: Content, *, blocked: bool) -> None:
        self.query_one("#composer-status", Static).update(content)
        self.set_class(blocked, "-blocked")
        self.area.disabled = blocked
