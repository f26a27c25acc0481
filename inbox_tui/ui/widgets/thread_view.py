"""The thread pane: one OptionList entry per message, so it stays virtualised for long threads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.content import Content
from textual.message import Message as UIMessage
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from inbox_tui.domain import Message
from inbox_tui.keymap import THREAD_KEYS
from inbox_tui.store import ConversationRow, OutboxItem, Thread
from inbox_tui.ui.widgets.thread_messages import OLDER, OUTBOX_PREFIX, thread_options
from inbox_tui.ui.widgets.vim_keys import VIM_BINDINGS


class ThreadView(OptionList):
    BINDINGS = [
        *VIM_BINDINGS,
        *(spec.binding() for spec in THREAD_KEYS),
    ]

    class WantsOlder(UIMessage):
        """The cursor reached the top of a window: read the messages before it."""

        def __init__(self, key: str) -> None:
            self.key = key
            super().__init__()

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.row: ConversationRow | None = None
        self.messages: dict[str, Message] = {}  # the shown ones, by id (their options' ids)

    def show(
        self,
        row: ConversationRow,
        thread: Thread,
        brand: str,
        now: datetime,
        focus_message: str | None = None,
        outbox: Sequence[OutboxItem] = (),
        window_note: str = "",
        brand_style: str = "bold",
    ) -> None:
        """Show a thread, newest at the bottom, scrolled to the end (or to `focus_message`).
        The title names the brand (in `brand_style`) whose inbox it is."""
        same = self.row is not None and self.row.key == row.key
        keep = self._highlighted_id() if same else None
        # Following the end: on the newest message (only replies being sent after it). A reader
        # further up, at a search hit or on the first of two, stays there when it is read again.
        following = (
            not same
            or self.highlighted is None
            or all(
                (self.get_option_at_index(n).id or "").startswith(OUTBOX_PREFIX)
                for n in range(self.highlighted + 1, self.option_count)
            )
        )
        if keep == OLDER:
            # More were read: stay on the first message of those shown before.
            keep = next(iter(self.messages), None)
            following = False
        self.row = row
        self.messages = {m.id: m for m in thread.messages}
        options = thread_options(row, thread, brand, now, outbox)
        if not options:
            options.append(
                Option(
                    Content.styled("No messages stored yet.", "$foreground-muted"), disabled=True
                )
            )
        self.border_title = Content.assemble(
            (row.participant_name or "(unknown)", "bold"),
            f"  {row.platform.label} · ",
            (brand, brand_style),
        )
        total = len(thread.messages) + thread.older
        self.border_subtitle = f"{total:,} message{'s' if total != 1 else ''}" + (
            f" · {window_note}" if window_note else ""
        )
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
        if focus_message is not None and any(m.id == focus_message for m in thread.messages):
            self.highlighted = self.get_option_index(focus_message)  # a search hit
            # Heights are measured on the next refresh; only then can it scroll there.
            self.call_after_refresh(self.scroll_to_highlight, top=True)
        elif keep is not None and not following:
            self.highlighted = self.get_option_index(keep)  # the reader is further up: stay there
            self.call_after_refresh(self.scroll_to_highlight)
        else:
            self.highlighted = self.option_count - 1  # new, or following the end: the newest
            self.scroll_end(animate=False, immediate=True)

    def action_first(self) -> None:
        """To the first message, and the top: the headings and notes above it are not options
        the cursor stops on, but are meant to be read."""
        super().action_first()
        self.scroll_home(animate=False, immediate=True)

    def _highlighted_id(self) -> str | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def _on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()  # R and X show on a reply that did not go out
        if event.option_id == OLDER and self.row is not None:
            self.post_message(self.WantsOlder(self.row.key))

    @property
    def highlighted_message(self) -> Message | None:
        """The message under the cursor (not a note, nor a pending reply)."""
        if self.highlighted is None:
            return None
        return self.messages.get(self.get_option_at_index(self.highlighted).id or "")

    @property
    def highlighted_outbox(self) -> str | None:
        """The local id of the pending reply under the cursor, if it is one."""
        if self.highlighted is None:
            return None
        option_id = self.get_option_at_index(self.highlighted).id or ""
        return (
            option_id.removeprefix(OUTBOX_PREFIX) if option_id.startswith(OUTBOX_PREFIX) else None
        )

    def clear_thread(self, note: str = "") -> None:
        self.row = None
        self.messages = {}
        self.border_title = ""
        self.border_subtitle = ""
        self.set_options(
            [Option(Content.styled(note, "$foreground-muted"), disabled=True)] if note else []
        )
