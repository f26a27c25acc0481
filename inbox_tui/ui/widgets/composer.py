"""The composer under the thread: a status line and, once a thread is open, the reply area.

It only edits text and posts messages; the app stores drafts and sends through the outbox.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.containers import Vertical
from textual.content import Content

from inbox_tui.ui.widgets.lines import Lines

if TYPE_CHECKING:
    from inbox_tui.ui.widgets.reply_area import ReplyArea


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
