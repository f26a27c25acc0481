"""What the thread pane shows, as options: each message (the brand's own set in from the
left, as chat apps set yours apart), a heading for each day, one line for a run of Meta's
messages past its 20 detailed ones, the notes on what the API leaves out, replies being sent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from itertools import groupby

from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Spacing
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, RenderOptions, Visual
from textual.widgets.option_list import Option

from inbox_tui.domain import Direction, Message
from inbox_tui.platform_rules import HISTORY_LIMIT
from inbox_tui.store import ConversationRow, OutboxItem, OutboxState, Thread
from inbox_tui.ui.format import clock_time, day_label, local_date, short_date, stamp

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
    quoted: str | None = None,
    own_ids: frozenset[str] = frozenset(),
) -> Content:
    """`quoted`: the text of the message this one answers, when it is in the thread.
    `own_ids`: the brand's own account ids (reactions by them are "you")."""
    sent = message.direction is Direction.SENT
    who = f"You ({brand})" if sent else (message.sender_name or row.participant_name or "Them")
    parts: list[str | tuple[str, str]] = [
        ("→ " if sent else "← ", "bold $success" if sent else "bold $accent"),
        (who, "bold $success" if sent else "bold"),
        ("  " + clock_time(message.created), MUTED),
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


def unavailable_line(run: Sequence[Message], now: datetime) -> Content:
    """One line for a run of messages Meta lists without their text (past its newest 20)."""
    first, last = short_date(run[0].created, now), short_date(run[-1].created, now)
    count = len(run)
    return Content.assemble(
        ("⋯ ", MUTED),
        (f"{count:,} older message{'s' if count != 1 else ''} not available", f"italic {MUTED}"),
        (f"  {first}" + (f" – {last}" if last != first else ""), MUTED),
        "\n",
        (
            f"Meta shows only the {HISTORY_LIMIT} newest messages of a conversation: older "
            "ones are listed without their text.",
            "italic $warning",
        ),
    )


class DayHeading(Visual):
    """A day's name in the middle of a rule across the pane: ──── Yesterday ────."""

    def __init__(self, label: str) -> None:
        self.label = label

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        label = f" {self.label} "
        left = max(0, width - len(label)) // 2
        line = Content.assemble(
            ("─" * left, MUTED),
            (label, "bold $foreground-muted"),
            ("─" * max(0, width - left - len(label)), MUTED),
        )
        return line.render_strips(width, 1, style, options)


# The brand's own messages start this many columns in, the customer's at the edge.
OWN_INDENT = 4
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


def _set_in(content: Content) -> Padding:
    """The brand's own message, set in from the left."""
    return Padding(content, Spacing(0, 0, 0, OWN_INDENT))


def thread_options(
    row: ConversationRow,
    thread: Thread,
    brand: str,
    now: datetime,
    outbox: Sequence[OutboxItem] = (),
) -> list[Option | None]:
    """The options of a thread, oldest first (`None`: a divider). Each day opens with its
    heading; Meta's textless messages are one line however many there are."""
    options: list[Option | None] = []
    if thread.older:
        options += [
            Option(Content.styled(older_note(thread.older), "italic $foreground-muted"), id=OLDER),
            None,
        ]
    if thread.truncated and not any(m.unavailable for m in thread.messages):
        options += [Option(Content.styled(TRUNCATED_NOTE, "italic $warning"), disabled=True), None]
    texts = {m.id: m.text for m in thread.messages if m.text}
    own = frozenset(
        m.sender_id for m in thread.messages if m.direction is Direction.SENT and m.sender_id
    )
    day: date | None = None
    for unavailable, group in groupby(thread.messages, key=lambda m: m.unavailable):
        if unavailable:  # one line for the run, however long
            run = list(group)
            options += [Option(unavailable_line(run, now), id=run[0].id, disabled=True), None]
            continue
        for message in group:
            if (this_day := local_date(message.created)) != day:
                if options and options[-1] is None:
                    options.pop()  # the heading divides the days
                options.append(Option(DayHeading(day_label(message.created, now)), disabled=True))
                day = this_day
            quoted = texts.get(message.reply_to)
            content = render_message(message, row, brand, quoted, own_ids=own)
            sent = message.direction is Direction.SENT
            options += [Option(_set_in(content) if sent else content, id=message.id), None]
    for item in outbox:
        prompt = _set_in(render_outbox(item, brand, now))
        options += [Option(prompt, id=OUTBOX_PREFIX + item.local_id), None]
    if options:
        options.pop()  # no divider after the last message
    return options
