"""The thread pane: one OptionList entry per message, so it stays virtualised for long threads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.content import Content
from textual.message import Message as UIMessage
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from inbox_tui.domain import Direction, Message
from inbox_tui.keymap import THREAD_KEYS
from inbox_tui.platform_rules import HISTORY_LIMIT
from inbox_tui.store import ConversationRow, OutboxItem, OutboxState, Thread
from inbox_tui.ui.format import stamp
from inbox_tui.ui.widgets.vim_keys import VIM_BINDINGS

TRUNCATED_NOTE = (
    "⋯ Earlier messages may be missing: Facebook and Instagram give only the last "
    f"{HISTORY_LIMIT} messages "
    "of conversations that existed before messaging was enabled."
)


# What an attachment of these kinds is, said as the person did it (Instagram shares and
# stories come as attachments: a link, often nothing else).
KIND_WORDS = {
    "share": "shared a post",
    "story_mention": "mentioned you in their story",
    "story_reply": "replied to your story",
}


def unsupported_words(platform_label: str) -> str:
    return f"a message type this app can't show (open it in {platform_label})"


# A message's lesser parts (its time, reactions, notes): dimmed, not a fixed colour, so they
# stay readable on the cursor's background in every theme (a muted grey on a light theme's
# blue cursor was not).
MUTED = "dim"


def render_message(
    message: Message,
    row: ConversationRow,
    brand: str,
    now: datetime,
    quoted: str | None = None,
    own_ids: frozenset[str] = frozenset(),
) -> Content:
    """`quoted`: the text of the message this one answers, when it is in the thread.
    `own_ids`: the brand's own account ids (reactions by them are "you")."""
    if message.unavailable:
        return Content.assemble(
            ("⋯ ", MUTED),
            ("older message not available", f"italic {MUTED}"),
            (f"  {stamp(message.created, now)}", MUTED),
        )
    sent = message.direction is Direction.SENT
    who = f"You ({brand})" if sent else (message.sender_name or row.participant_name or "Them")
    parts: list[str | tuple[str, str]] = [
        ("→ " if sent else "← ", "bold $success" if sent else "bold $accent"),
        (who, "bold $success" if sent else "bold"),
        ("  " + stamp(message.created, now), MUTED),
    ]
    if message.reply_to:
        said = (quoted or "").replace("\n", " ")
        shown = f"“{said[:60]}{'…' if len(said) > 60 else ''}”" if said else "an earlier message"
        parts += ["\n", (f"↪ in reply to {shown}", f"italic {MUTED}")]
    if message.text:
        parts += ["\n", message.text]
    for attachment in message.attachments:
        if attachment.type == "unsupported":
            parts += ["\n", (unsupported_words(row.platform.label), f"italic {MUTED}")]
            continue
        words = KIND_WORDS.get(attachment.type)
        if words:
            label = f"↗ {words}" + ("  (o opens it)  " if attachment.url else "")
        else:
            label = f"📎 {attachment.type}  "
        parts += ["\n", (label, "bold"), (attachment.url, f"underline {MUTED}")]
    if not message.text and not message.attachments:
        parts += ["\n", (unsupported_words(row.platform.label), f"italic {MUTED}")]
    if message.reactions:
        parts.append("\n")
        for user_id, emoji in message.reactions.items():
            if user_id in own_ids:
                reactor = "you"
            elif user_id and user_id == row.participant_id:
                reactor = row.participant_name or "them"
            else:
                reactor = "someone"
            parts += [f"{emoji} ", (f"{reactor}  ", MUTED)]
    return Content.assemble(*parts)


META_DETAIL_NOTE = (
    "⋯ Meta shows only the 20 newest messages of a conversation: older ones are listed without "
    "their text."
)
OUTBOX_PREFIX = "outbox:"
OLDER = "older"  # the option standing for the messages before the window


def older_note(count: int) -> str:
    return f"⋯ {count:,} earlier message{'s' if count != 1 else ''} (loading as you reach them)"


_OUTBOX_LABELS = {
    OutboxState.QUEUED: ("sending…", "$accent"),
    OutboxState.SENDING: ("sending…", "$accent"),
    OutboxState.ACCEPTED: ("sent · waiting to see it listed", "$foreground-muted"),
    OutboxState.FAILED: ("not sent", "bold $error"),
    OutboxState.UNKNOWN: ("may not have gone out", "bold $warning"),
}


def render_outbox(item: OutboxItem, brand: str, now: datetime) -> Content:
    label, style = _OUTBOX_LABELS[item.state]
    parts: list[str | tuple[str, str]] = [
        ("→ ", "bold $success"),
        (f"You ({brand})", "bold $success"),
        ("  " + stamp(item.created_at, now) + "  ", "$foreground-muted"),
        (label, style),
    ]
    # A reply in parts (Meta: the text, then each attachment) marks the parts that went out.
    in_parts = item.parts > 1 and item.state is not OutboxState.ACCEPTED

    def mark(part: int) -> list[tuple[str, str]]:
        if not in_parts:
            return []
        return [("✓ ", "$success") if part < item.parts_done else ("· ", "$foreground-muted")]

    if item.text:
        parts += ["\n", *mark(0), item.text]
    first_media = 1 if item.text else 0
    for n, url in enumerate(item.media_urls):
        parts += [
            "\n",
            *mark(first_media + n),
            ("📎 ", "bold"),
            (url, "underline $foreground-muted"),
        ]
    if in_parts and item.parts_done:
        parts += [
            "\n",
            (f"{item.parts_done} of {item.parts} parts went out (✓)", "$foreground-muted"),
        ]
    if item.state is OutboxState.FAILED:
        again = "R sends what did not go out" if item.parts_done else "R sends it again"
        parts += [
            "\n",
            (item.error, "$error"),
            "\n",
            (f"{again} · X puts it back in the draft", "$foreground-muted"),
        ]
    elif item.state is OutboxState.UNKNOWN:
        parts += [
            "\n",
            (item.error, "$warning"),
            "\n",
            (
                "It resolves by itself if the next refresh lists it. R sends again (it could arrive "
                "twice) · X puts it back in the draft",
                "$foreground-muted",
            ),
        ]
    return Content.assemble(*parts)


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
        if keep == OLDER and self.option_count > 1:
            keep = self.get_option_at_index(1).id  # more were read: stay on the first of before
            following = False
        self.row = row
        self.messages = {m.id: m for m in thread.messages}
        options: list[Option | None] = []
        if thread.older:
            options += [
                Option(
                    Content.styled(older_note(thread.older), "italic $foreground-muted"), id=OLDER
                ),
                None,
            ]
        note = (
            META_DETAIL_NOTE
            if any(m.unavailable for m in thread.messages)
            else TRUNCATED_NOTE
            if thread.truncated
            else ""
        )
        if note:
            options += [Option(Content.styled(note, "italic $warning"), disabled=True), None]
        texts = {m.id: m.text for m in thread.messages if m.text}
        own = frozenset(
            m.sender_id for m in thread.messages if m.direction is Direction.SENT and m.sender_id
        )
        for message in thread.messages:
            content = render_message(
                message, row, brand, now, texts.get(message.reply_to), own_ids=own
            )
            options += [Option(content, id=message.id), None]
        for item in outbox:
            options += [
                Option(render_outbox(item, brand, now), id=OUTBOX_PREFIX + item.local_id),
                None,
            ]
        if options:
            options.pop()  # no divider after the last message
        else:
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
