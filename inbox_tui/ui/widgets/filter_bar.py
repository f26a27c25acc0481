"""The line above the list: platform filter (keys 0-3) with unread counts, unread-only (U) and
sort (s) state; under it, each brand's unread. The keys are on the help screen; the bar stays short enough for a narrow pane."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content

from inbox_tui.domain import Platform
from inbox_tui.ui.widgets.lines import Lines

FILTER_KEYS = {"all": "0", "facebook": "1", "instagram": "2", "twitter": "3"}
SORT_LABELS = {
    "newest": "newest",
    "unread": "unread first",
    "closing": "window closing",
    "waiting": "waiting longest",
    "waking": "next to wake first",  # the Snoozed view's, whatever the sort
}


def render_filters(
    counts: dict[str, int],
    current: str,
    *,
    unread_only: bool,
    sort: str,
    brands: Sequence[tuple[str, int, str]] = (),
) -> Content:
    """`counts`: unread per filter name ("all" and each platform value); `brands`: (profile,
    unread, its style) for a second line: each brand's unread at a glance."""
    parts: list[str | tuple[str, str]] = [" "]
    for name in FILTER_KEYS:
        label = "All" if name == "all" else Platform(name).badge
        style = "bold reverse" if name == current else ""
        parts += [(f"{label} {counts.get(name, 0)}", style), " "]
    parts += [
        (" unread only ", "bold reverse") if unread_only else "",
        (f" {SORT_LABELS[sort]}", "$foreground-muted"),
    ]
    if brands:
        parts.append("\n ")
        for name, unread, style in brands:
            parts += [(name, style if unread else "$foreground-muted"), f" {unread}  "]
    return Content.assemble(*parts)


class FilterBar(Lines):
    DEFAULT_CSS = """
    FilterBar { height: 1; background: $panel; color: $text; text-wrap: nowrap; text-overflow: ellipsis; }
    FilterBar.-brands { height: 2; }
    """
