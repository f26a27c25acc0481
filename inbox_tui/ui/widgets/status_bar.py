"""The status bar, one line: profile, view, per-platform sync state, a marker per failing
stream and the count of issues (their words are one key away, `!`), cache window, rate use."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content

from inbox_tui.ui.format import since, until
from inbox_tui.ui.widgets.lines import Lines

if TYPE_CHECKING:
    from inbox_tui.providers.results import RateLimit
    from inbox_tui.store import View
    from inbox_tui.sync_streams import PlatformStatus


def render_status(
    *,
    profile: str,
    profile_style: str = "bold",
    view: View,
    platform_filter: str,
    platforms: list[PlatformStatus],
    rate_limit: RateLimit | None,
    paused_until: datetime | None,
    now: datetime,
    offline_note: str = "",
    issues: int = 0,
    all_errors: list[PlatformStatus] | None = None,
    short: Mapping[str, str] | None = None,
) -> tuple[Content, float]:
    """The bar (one line), and the seconds until its words change by the clock alone (a sync
    event redraws it anyway). `all_errors`: in the All-profiles scope, the failing streams of
    every profile, each marked by its brand's short name (`short`) and platform (`Lumen IG!`;
    the per-platform marks and rate use are per profile, so they are left out there).
    `issues`: how many explanations the `!` panel has (failing streams, a failed action)."""
    changes_in = math.inf
    parts: list[str | tuple[str, str]] = [
        (f" {profile} ", f"{profile_style} reverse"),
        f" {view.value.capitalize()}",
    ]
    if platform_filter != "all":
        parts.append(f" · {platform_filter}")
    parts.append("  ")
    for state in platforms:
        if state.syncing:
            mark, style = "⟳", "$accent"
        elif state.error is not None:
            mark, style = "!", "bold $error"
        elif state.last_updated is not None:
            mark, style = "✓", "$success"
        else:
            mark, style = "·", "$foreground-muted"
        parts += [(f"{state.platform.badge}{mark}", style), " "]
    names = short or {}
    for state in all_errors or []:
        name = names.get(state.profile, state.profile)
        parts += [(f"{name} {state.platform.badge}!", "bold $error"), " "]
    if issues:
        parts.append((f" ! {issues} issue{'s' if issues > 1 else ''} ", "bold $error reverse"))
        parts.append(" ")
    fresh = [s.last_updated for s in platforms if s.last_updated is not None]
    upcoming = [s.next_at for s in platforms if s.next_at is not None]
    if fresh:
        age, changes_in = since((now - min(fresh)).total_seconds())
        parts.append(f" updated {age}")
        if upcoming:
            left, change = until((min(upcoming) - now).total_seconds())
            parts.append(f", next in {left}")
            changes_in = min(changes_in, change)
    if rate_limit is not None:
        used = (
            f"Meta usage {rate_limit.count} %"
            if rate_limit.percent
            else f"rate {rate_limit.count}/{rate_limit.max} per 5 min"
        )
        parts.append((f"  ·  {used}", "$foreground-muted"))
    if paused_until is not None:
        left, change = until((paused_until - now).total_seconds())
        parts.append((f"  ·  paused {left} (rate limit)", "bold $warning"))
        changes_in = min(changes_in, change)
    if offline_note:
        parts.append((f"  ·  {offline_note}", "$foreground-muted"))
    return Content.assemble(*parts), changes_in


class StatusBar(Lines):
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $panel;
        color: $text;
        padding: 0 0;
    }
    """
