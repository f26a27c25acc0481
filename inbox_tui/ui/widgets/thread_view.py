"""The thread pane: one OptionList entry per message, so it stays virtualised for long threads."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from inbox_tui.domain import Direction, Message
from inbox_tui.store import ConversationRow, Thread
from inbox_tui.ui.format import stamp
from inbox_tui.ui.widgets.conversation_list import VIM_BINDINGS

TRUNCATED_NOTE = (
    "⋯ Earlier messages may be missing: Facebook and Instagram give only the last 20 messages "
    "of conversations that existed before messaging was enabled."
)


def render_message(message: Message, row: ConversationRow, brand: str, now: datetime) -> Content:
    sent = message.direction is Direction.SENT
    who = f"You ({brand})" if sent else (message.sender_name or row.participant_name or "Them")
    parts: list[str | tuple[str, str]] = [
        ("→ " if sent else "← ", "bold $success" if sent else "bold $accent"),
        (who, "bold $success" if sent else "bold"),
        ("  " + stamp(message.created, now), "$text-muted"),
    ]
    if message.text:
        parts += ["\n", message.text]
    for attachment in message.attachments:
        parts += [
            "\n",
            (f"📎 {attachment.type}  ", "bold"),
            (attachment.url, "underline $text-muted"),
        ]
    if not message.text and not message.attachments:
        parts += ["\n", ("(empty message)", "italic $text-muted")]
    if message.reactions:
        parts.append("\n")
        for user_id, emoji in message.reactions.items():
            reactor = row.participant_name if user_id == row.participant_id else "you"
            parts += [f"{emoji} ", (f"{reactor}  ", "$text-muted")]
    return Content.assemble(*parts)


class ThreadView(OptionList):
    BINDINGS = VIM_BINDINGS

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.row: ConversationRow | None = None

    def show(
        self,
        row: ConversationRow,
        thread: Thread,
        brand: str,
        now: datetime,
        focus_message: str | None = None,
    ) -> None:
        """Show a thread, newest at the bottom, scrolled to the end (or to `focus_message`)."""
        same = self.row is not None and self.row.key == row.key
        keep = self.highlighted if same else None
        self.row = row
        options: list[Option | None] = []
        if thread.truncated:
            options += [
                Option(Content.styled(TRUNCATED_NOTE, "italic $warning"), disabled=True),
                None,
            ]
        for message in thread.messages:
            options += [Option(render_message(message, row, brand, now), id=message.id), None]
        if options:
            options.pop()  # no divider after the last message
        else:
            options.append(
                Option(Content.styled("No messages stored yet.", "$text-muted"), disabled=True)
            )
        self.border_title = Content.assemble(
            (row.participant_name or "(unknown)", "bold"), f"  {row.platform.label}"
        )
        self.border_subtitle = f"{len(thread.messages)} messages"
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
        last = self.option_count - 1
        if focus_message is not None and any(m.id == focus_message for m in thread.messages):
            self.highlighted = self.get_option_index(focus_message)  # a search hit
            # Heights are measured on the next refresh; only then can it scroll there.
            self.call_after_refresh(self.scroll_to_highlight, top=True)
        elif keep is not None and keep < last - 1:
            self.highlighted = keep  # the reader is further up: stay there
        else:
            self.highlighted = last  # a new thread, or following the end: show the newest
            self.scroll_end(animate=False, immediate=True)

    def clear_thread(self, note: str = "") -> None:
        self.row = None
        self.border_title = ""
        self.border_subtitle = ""
        self.set_options(
            [Option(Content.styled(note, "$text-muted"), disabled=True)] if note else []
        )
