"""The composer under the thread: a status line and, once a thread is open, the reply area.

It only edits text and posts messages; the app stores drafts and sends through the outbox.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.content import Content

from inbox_tui.keymap import COMPOSER_HINT
from inbox_tui.platform_rules import TEXT_LIMITS, text_size
from inbox_tui.ui.format import duration
from inbox_tui.ui.widgets.lines import Lines

if TYPE_CHECKING:
    from inbox_tui.reply_rules import ReplyWindow
    from inbox_tui.store import ConversationRow
    from inbox_tui.ui.widgets.reply_area import ReplyArea


def status_line(
    row: ConversationRow,
    window: ReplyWindow,
    now: datetime,
    *,
    brand_style: str,
    media: Sequence[str],
    text: str,
    armed: bool,
) -> Content:
    """Who the reply goes to and as which brand; then what the platform says (why not, or
    when the window closes), the text's size against its limit, the attachments and keys.
    `armed`: the enter after the media dialog's was held back (the next one sends)."""
    parts: list[str | tuple[str, str]] = [
        ("To ", "$foreground-muted"),
        (row.participant_name or "(unknown)", "bold"),
        f" via {row.platform.label}",
        (" as ", "$foreground-muted"),
        (row.profile, brand_style),
    ]
    if not window.can_reply:
        return Content.assemble(*parts, "\n", window.reason)
    if window.closes_at:
        left = window.closes_at - now
        soon = "$warning" if left < timedelta(days=1) else ""
        parts.append((f" · window closes in {duration(left.total_seconds())}", soon))
    limit, unit = TEXT_LIMITS[row.platform]
    size = text_size(row.platform, text)
    if size:
        style = "bold $error" if size > limit else "$warning" if size > 0.9 * limit else ""
        parts.append((f" · {size:,}/{limit:,}{' bytes' if unit == 'bytes' else ''}", style))
    if media:
        parts.append(
            f" · {len(media)} attachment{'s' if len(media) > 1 else ''}: " + ", ".join(media)
        )
    if armed:
        parts.append(("  ·  enter again to send", "bold $warning"))
    parts.append((f"  ·  {COMPOSER_HINT}", "$foreground-muted"))
    return Content.assemble(*parts)


class Composer(Vertical):
    """The status line (who, window, attachments, why not) above the text area.

    The text area is made by `make_area` when it is first needed (a reply, a draft to show):
    TextArea is the slowest widget here to import and to mount, and reading never needs it.
    """

    DEFAULT_CSS = """
    Composer { height: auto; max-height: 12; display: none; border-top: solid $panel-lighten-2; }
    Composer.-open { display: block; }
    Composer #composer-status { height: auto; color: $text-muted; padding: 0 1; }
    Composer #composer-text { height: auto; min-height: 3; max-height: 9; border: none; padding: 0 1; }
    Composer #composer-text:focus { border: none; }
    Composer.-blocked #composer-status { color: $warning; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._area: ReplyArea | None = None
        self._making = asyncio.Lock()
        self._blocked = False

    def compose(self):
        yield Lines(id="composer-status")

    async def make_area(self) -> ReplyArea:
        """The reply area, imported and mounted on the first call."""
        async with self._making:
            if self._area is None:
                from inbox_tui.ui.widgets.reply_area import ReplyArea

                area = ReplyArea(
                    id="composer-text",
                    soft_wrap=True,
                    show_line_numbers=False,
                    tab_behavior="focus",
                )
                area.disabled = self._blocked
                await self.mount(area)
                self._area = area
        return self._area

    @property
    def has_area(self) -> bool:
        return self._area is not None

    @property
    def area(self) -> ReplyArea:
        """The reply area, once `make_area` made it (callers check `has_area` or await that)."""
        if self._area is None:
            raise RuntimeError("Composer.area before make_area()")
        return self._area

    def show_status(self, content: Content, *, blocked: bool) -> None:
        self.query_one("#composer-status", Lines).show(content)
        self.set_class(blocked, "-blocked")
        self._blocked = blocked
        if self._area is not None:
            self._area.disabled = blocked
