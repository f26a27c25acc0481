"""The status bar: profile, view, per-platform sync state, cache window, rate use, last error."""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content

from inbox_tui.ui.format import since, until
from inbox_tui.ui.widgets.lines import Lines

if TYPE_CHECKING:
    from inbox_tui.providers.results import RateLimit
    from inbox_tui.store import View
    from inbox_tui.sync import PlatformStatus


def render_status(
    *,
    profile: str,
    view: View,
    platform_filter: str,
    platforms: list[PlatformStatus],
    rate_limit: RateLimit | None,
    paused_until: datetime | None,
    now: datetime,
    offline_note: str = "",
    action_error: str = "",
    all_errors: list[PlatformStatus] | None = None,
) -> tuple[Content, float]:
    """The bar, and the seconds until its words change by the clock alone (a sync event
    redraws it anyway). `all_errors`: in the All-profiles scope, the failing streams of every
    profile (the per-platform marks and rate use are per profile, so they are left out there)."""
    changes_in = math.inf
    parts: list[str | tuple[str, str]] = [
        (f" {profile} ", "bold reverse"),
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
    errors = [s for s in (platforms if all_errors is None else all_errors) if s.error is not None]
    if action_error:
        parts += ["\n ", (action_error, "$error")]
    elif errors:
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        whose = f"{errors[0].profile} · " if all_errors is not None else ""
        parts += ["\n ", (whose + str(errors[0].error) + more, "$error")]
    elif offline_note:
        parts += ["\n ", (offline_note, "$foreground-muted")]
    return Content.assemble(*parts), changes_in


class StatusBar(Lines):
    DEFAULT_CSS = """
    StatusBar {
        height: auto;
        max-height: 3;
        background: $panel;
        color: $text;
        padding: 0 0;
    }
    """
