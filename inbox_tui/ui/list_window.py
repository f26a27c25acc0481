"""The list pane's reads of its window: the rows around a row or a position, the list's
counts, and what a selection covers. Mixed into `ListPane`, whose state (view, filters, sort)
says which list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

from inbox_tui.store import ConversationRow, key_ref, list_position

if TYPE_CHECKING:
    from inbox_tui.domain import Platform
    from inbox_tui.store import View
    from inbox_tui.ui.shell import Shell
    from inbox_tui.ui.widgets.conversation_list import ConversationList

WINDOW, HALF_WINDOW = 200, 100  # rows held around the cursor: ten screens or so


class ListWindow(Widget):
    if TYPE_CHECKING:  # what ListPane gives it
        view: View
        unread_only: bool
        owned_only: bool
        waiting_only: bool
        sort: str

        @property
        def shell(self) -> Shell: ...
        @property
        def conversation_list(self) -> ConversationList: ...
        @property
        def platform(self) -> Platform | None: ...

    def _read_window(
        self,
        keep: str | None,
        around: int,
        rows: list[ConversationRow],
        offset: int,
        counts: tuple[int, int] | None = None,
        fresh: bool = False,
    ) -> tuple[list[ConversationRow], int, int, int, int]:
        """(rows, offset, total, unread, cursor): the window around the row `keep` if it is in
        the list, else around position `around`; `rows` from `offset` are the window shown
        (for a step past its edge; `fresh`: read just now, so their positions hold), `counts`
        the list's if they are known to hold."""
        total, unread = counts or self.count_rows()
        if keep is not None and (found := self.read_rows(refs=[key_ref(keep)])):
            row = found[0]
            here = [n for n, r in enumerate(rows) if r.key == keep] if fresh else []
            # Its position: where it is among rows just read, else a count of those before it.
            position = offset + here[0] if here else self.count_rows(before=row)[0]
            above = self.read_rows(limit=HALF_WINDOW, before=row)
            below = self.read_rows(limit=WINDOW - len(above) - 1, after=row)
            return [*above, row, *below], position - len(above), total, unread, position
        cursor = max(0, min(around, total - 1))
        start = max(0, min(cursor - HALF_WINDOW, total - WINDOW))
        end = start + WINDOW
        if start == 0:
            window = self.read_rows(limit=WINDOW)
        elif end >= total:
            window = self.read_rows(limit=WINDOW, from_end=True)
            start = total - len(window)
        elif rows and offset <= start < offset + len(rows):  # a step past the window's end
            head = rows[start - offset :]
            window = head + self.read_rows(limit=WINDOW - len(head), after=head[-1])
        elif rows and offset < end <= offset + len(rows):  # past its start
            tail = rows[: end - offset]
            more = self.read_rows(limit=WINDOW - len(tail), before=tail[0])
            window, start = more + tail, offset - len(more)
        else:  # a jump: the rows are walked to (only `G` and the like, at the ends, seek)
            window = self.read_rows(limit=WINDOW, skip=start)
        return window, start, total, unread, cursor

    def read_rows(
        self, limit: int | None = None, only_unread: bool = False, **window
    ) -> list[ConversationRow]:
        """Rows of the list as it is now (`window`: `refs`, `after`, `before`, `from_end`,
        `skip`, as the store's `conversations` takes them; `only_unread`: its unread ones)."""
        shell = self.shell
        return shell.store.conversations(
            shell.profiles_in_scope,
            self.view,
            self.platform,
            now=shell.clock(),
            unread_only=self.unread_only or only_unread,
            owned_only=self.owned_only,
            sort=self.sort,
            limit=limit,
            day_window_profiles=shell.meta_profiles,
            needs_reply=self.waiting_only,
            **window,
        )

    def count_rows(self, before: ConversationRow | None = None) -> tuple[int, int]:
        """(rows, unread rows) in the list, or before the row `before`."""
        shell = self.shell
        return shell.store.count_conversations(
            shell.profiles_in_scope,
            self.view,
            self.platform,
            now=shell.clock(),
            unread_only=self.unread_only,
            owned_only=self.owned_only,
            sort=self.sort,
            day_window_profiles=shell.meta_profiles,
            before=before,
            needs_reply=self.waiting_only,
        )

    def targets(self) -> list[ConversationRow]:
        """What an action applies to: the selected rows (with those of `V` ranges past the
        window, read now), or else the highlighted one."""
        widget = self.conversation_list
        if not widget.selected and not widget.spans:
            return [widget.current] if widget.current else []
        chosen = {r.key: r for r in widget.selected_in_window()}
        elsewhere = [key_ref(k) for k in widget.selected if k not in chosen]
        if elsewhere:
            chosen.update((r.key, r) for r in self.read_rows(refs=elsewhere))
        for first, last, _ in widget.spans:
            between = self.read_rows(after=first, before=last)
            chosen.update((r.key, r) for r in (first, *between, last))
        return sorted(chosen.values(), key=list_position)
