"""What a row of the list says: two lines of parts (marks, badge, name, age / preview), each
with the component class that styles it."""

from __future__ import annotations

from datetime import datetime

from inbox_tui.domain import Direction
from inbox_tui.store import ConversationRow
from inbox_tui.ui.format import ago, stamp, waited

PART_CLASSES = (
    "muted",
    "strong",
    "selected-mark",
    "unread-mark",
    "badge-facebook",
    "badge-instagram",
    "badge-twitter",
    "draft",
    "problem",
    "other-app",
    "waiting",
    "label",
)
BRAND_PART = "brand:"  # + the profile: its name, in its colour where it has one
# A row is two lines of parts: (text, component class suffix; "" for the row's own style).
# Parts become segments directly: the texts were sanitised at the provider boundary, and no
# markup is ever parsed, so a name like "[@click=app.quit]" is just those characters.
Part = tuple[str, str]


def aged_from(row: ConversationRow, waiting: bool) -> datetime | None:
    """The moment a row's age (or wait) is counted from; None when it shows no age (a snoozed
    row shows when it wakes)."""
    if row.snoozed_until:
        return None
    return row.last_received_at if waiting and row.needs_reply else row.last_message_at


def row_lines(
    row: ConversationRow,
    now: datetime,
    show_profile: bool = False,
    selected: bool = False,
    *,
    waiting: bool = False,
    brand: str = "",
) -> tuple[list[Part], list[Part]]:
    """Marks, badge, (the profile, as `brand` names it), name, age / preview. `waiting`: a
    row waiting for a reply says for how long instead of its age."""
    if row.snoozed_until:
        when = (f"⏰ {stamp(row.snoozed_until, now)}", "muted")
    elif waiting and row.needs_reply:
        when = (f"waiting {waited(aged_from(row, waiting), now)}", "waiting")
    else:
        when = (ago(aged_from(row, waiting), now), "muted")
    first: list[Part] = [
        ("✓" if selected else " ", "selected-mark"),
        ("●" if row.unread else " ", "unread-mark"),
        (" ", ""),
        (f"{row.platform.badge:<2} ", f"badge-{row.platform.value}"),
    ]
    if show_profile:
        first += [(brand or row.profile, BRAND_PART + row.profile), (" · ", "muted")]
    first += [
        (row.participant_name or "(unknown)", "strong" if row.unread or selected else ""),
        ("  " + when[0], when[1]),
        ("  ✎ draft" if row.has_draft else "", "draft"),
        ("  ! reply not sent" if row.outbox_problem else "", "problem"),
        ("  ⇄ other app" if row.is_owner is False else "", "other-app"),
        ("  " + " ".join(f"#{label}" for label in row.labels) if row.labels else "", "label"),
    ]
    second: list[Part] = [("    ", "")]
    if row.last_direction is Direction.SENT:
        second.append(("You: ", "muted"))
    second.append((row.preview or "(no messages yet)", "" if row.unread else "muted"))
    return first, second
