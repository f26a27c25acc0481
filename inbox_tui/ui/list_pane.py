"""The list pane: the filter bar and the conversation list, and what decides their rows.

It owns the list's state (view, platform filter, unread/owned only, sort, the cursor and
the selection; the profiles in scope are the app's) and keeps the rows following the store: the first
screenful at once, the rest from a thread; after a sync result or a triage action, only
the changed rows are read and put in place. Triage keys are in `triage_keys`. What crosses
panes goes up as messages: `Shown` (rows on screen), `ViewChanged`, `HitShown`.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message

from inbox_tui.domain import Platform
from inbox_tui.store import ConversationRef, ConversationRow, View, list_position
from inbox_tui.ui.triage_keys import TriageKeys
from inbox_tui.ui.widgets.conversation_list import ConversationList
from inbox_tui.ui.widgets.filter_bar import FilterBar, render_filters
from inbox_tui.ui.worker_errors import SurfacesWorkerErrors

if TYPE_CHECKING:
    from textual.worker import Worker

    from inbox_tui.ui.shell import Shell

FIRST_SCREENFUL = 60  # rows read before the first frame; the rest follow
LIST_DEBOUNCE = 0.15  # a burst of sync results becomes one list reload
LET_GO_ELSEWHERE, LET_GO_PIECE = 5_000, 2_000  # rows (see _let_go)
SPLICE_AT_MOST = 500  # changed rows read alone and put in place; more: the whole list
PLATFORM_FILTERS = {"all": None, **{p.value: p for p in Platform}}
SORTS = ["newest", "unread", "closing"]


def _let_go(holder: list[list]) -> None:
    """Free a replaced list of rows a piece at a time (in a thread): freeing 85k rows in one
    go holds the event loop for 10 ms; between pieces it runs. The list itself is not
    emptied, in case someone else still holds it: this thread frees its own copy."""
    rows = holder.pop()
    own = rows.copy()
    del rows  # the last reference, usually: the list goes, its rows stay in `own`
    while own:
        del own[-LET_GO_PIECE:]


class ListPane(TriageKeys, SurfacesWorkerErrors, Vertical):
    class Shown(Message):
        """Rows are on screen (`partial`: only the first screenful yet)."""

        def __init__(self, partial: bool, empty: bool) -> None:
            super().__init__()
            self.partial, self.empty = partial, empty

    class ViewChanged(Message):
        """Active / Archived / Snoozed changed: the thread and the draft are left."""

    class HitShown(Message):
        """A search hit's conversation is under the cursor: open it at the message."""

        def __init__(self, key: str, message_id: str) -> None:
            super().__init__()
            self.key, self.message_id = key, message_id

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.view = View.ACTIVE
        self.platform_filter = "all"
        self.unread_only = False
        self.owned_only = False  # Meta: only threads this app holds (Conversation Routing)
        self.sort = "newest"
        self._partial = False  # only the first screenful is shown yet
        self._shown_key: tuple | None = None  # the list (view, filters...) the rows are of
        self._whole = False  # the whole list is to be read again
        self._refs: set[ConversationRef] = set()  # these rows are to be read again
        self.snooze_due: datetime | None = None

    def compose(self):
        yield FilterBar(id="filters")
        yield ConversationList(id="list")

    @property
    def shell(self) -> Shell:
        return cast("Shell", self.app)

    @property
    def conversation_list(self) -> ConversationList:
        return self.query_one("#list", ConversationList)

    @property
    def platform(self) -> Platform | None:
        return PLATFORM_FILTERS[self.platform_filter]

    def forget_rows(self) -> None:
        """Another profile (or all of them): its rows and selection go; `reload` reads the
        new ones."""
        self.conversation_list.clear_selection()
        self.conversation_list.rows = []

    # -- reading the store ----------------------------------------------------------------------

    def _key(self) -> tuple:
        return (
            self.shell.profiles_in_scope,
            self.view,
            self.platform_filter,
            self.unread_only,
            self.owned_only,
            self.sort,
        )

    def show_first_screenful(self) -> None:
        """Before the first frame (a few ms, read here so no thread hop waits on the
        mounting); the whole list and the filter bar's counts follow (a start with nothing
        due fetches nothing that would bring the counts)."""
        self.show_rows(self.read_rows(limit=FIRST_SCREENFUL), partial=True)
        self.call_after_refresh(self.reload, delay=0)
        self.call_after_refresh(self.reload_filters)

    def reload(
        self,
        delay: float = LIST_DEBOUNCE,
        keep: str | None = None,
        refs: Iterable[ConversationRef] | None = None,
    ) -> Worker:
        """Read the list again: only the rows of `refs` when given, else the whole list.

        At agency scale the whole list is 100k rows and most of a second to read; a sync result
        or a triage action touches a few rows, which are read alone and put in place.
        """
        if refs is None:
            self._whole = True
        else:
            self._refs.update(refs)
        return self._read_list(delay, keep)

    def refresh_lists(
        self, keep: str | None = None, refs: Iterable[ConversationRef] | None = None
    ) -> None:
        """After a change made here: the list (only the rows of `refs` if given) and counts."""
        self.reload(delay=0, keep=keep, refs=refs)
        self.reload_filters()

    @work(exclusive=True, group="list", exit_on_error=False)
    async def _read_list(self, delay: float, keep: str | None) -> None:
        if delay:
            await asyncio.sleep(delay)
        asked = self._key()
        refs = self._refs
        # Past a few hundred rows (a first sync) one read of the whole list costs no more.
        whole = self._whole or self._partial or len(refs) > SPLICE_AT_MOST
        self._whole, self._refs = False, set()
        try:
            if whole and asked != self._shown_key:
                # Another view: its first screenful at once (one index walk), then the rest.
                rows = await asyncio.to_thread(self.read_rows, FIRST_SCREENFUL)
                if len(rows) == FIRST_SCREENFUL:
                    if asked == self._key() and (keep is None or keep in {r.key for r in rows}):
                        self.show_rows(rows, keep, partial=True)
                    rows = await asyncio.to_thread(self.read_rows)
            elif whole:
                rows = await asyncio.to_thread(self.read_rows)
            else:
                rows = await asyncio.to_thread(self._spliced, self.conversation_list.rows, refs)
            shell = self.shell
            due = await asyncio.to_thread(shell.store.next_snooze_due, shell.clock())
            self.snooze_due = due  # when a snooze ends, the app's clock reads the list again
            if due is not None:
                shell.tick_at(due)
        except asyncio.CancelledError:  # a newer call reads instead, this one's rows included
            self._whole |= whole
            self._refs |= refs
            raise
        if asked != self._key():
            return  # the user moved on while we read (and that asked for the whole list)
        self.show_rows(rows, keep)

    def _spliced(
        self, rows: list[ConversationRow], refs: set[ConversationRef]
    ) -> list[ConversationRow]:
        """`rows` with the rows of `refs` read again: moved to their place, or gone."""
        fresh = self.read_rows(refs=refs)
        kept = [row for row in rows if row.ref not in refs]
        for row in fresh:
            bisect.insort(kept, row, key=list_position)
        return kept

    def read_rows(
        self, limit: int | None = None, refs: Iterable[ConversationRef] | None = None
    ) -> list[ConversationRow]:
        shell = self.shell
        return shell.store.conversations(
            shell.profiles_in_scope,
            self.view,
            self.platform,
            now=shell.clock(),
            unread_only=self.unread_only,
            owned_only=self.owned_only,
            sort=self.sort,
            limit=limit,
            day_window_profiles=shell.meta_profiles,
            refs=refs,
        )

    def show_rows(
        self, rows: list[ConversationRow], keep: str | None = None, partial: bool = False
    ) -> None:
        self._partial = partial
        self._shown_key = self._key()
        widget = self.conversation_list
        current = widget.current
        keep = keep or (current.key if current else None)
        replaced = [widget.rows]
        every = self.shell.profile is None  # all profiles: the rows say whose they are
        widget.show(rows, self.shell.clock(), show_profile=every, keep=keep)
        if len(replaced[0]) > LET_GO_ELSEWHERE:  # after the frame that shows the new rows
            self.call_after_refresh(self._let_go_in_thread, replaced)
        platform = self.platform
        widget.border_title = Content.assemble(
            (self.shell.scope_label, "bold"),
            f" · {self.view.value.capitalize()}",
            f" · {platform.label}" if platform else "",
            " · unread only" if self.unread_only else "",
            " · this app's threads" if self.owned_only else "",
        )
        self.update_position()
        if not rows:
            widget.show_note(self._empty_note(platform))
        self.post_message(self.Shown(partial, not rows))

    @staticmethod
    def _let_go_in_thread(holder: list[list]) -> None:
        asyncio.get_running_loop().run_in_executor(None, _let_go, holder)  # nothing to await

    def update_position(self) -> None:
        widget = self.conversation_list
        rows = widget.rows
        if self._partial:  # the first screenful: the counts come with the whole list
            widget.show_position(f"{(widget.highlighted or 0) + 1}/…")
            return
        position = f"{(widget.highlighted or 0) + 1}/{len(rows)}" if rows else "0"
        selected = f" · {len(widget.selected)} selected" if widget.selected else ""
        widget.show_position(f"{position} · {widget.unread_count} unread{selected}")

    def _empty_note(self, platform: Platform | None) -> str:
        """Why the list is empty: still syncing, a platform failed, or truly nothing here."""
        if self.view is View.SNOOZED:
            return "Nothing snoozed. Press z on a conversation to snooze it."
        if self.unread_only:
            return "No unread conversations here (U shows all)."
        if self.owned_only:
            return "No conversations this app holds here (O shows all)."
        engine = self.shell.engine
        if not self.shell.sync_enabled:
            return "Nothing stored for this view (sync is off)."
        scope = self.shell.profiles_in_scope
        states = [s for p in scope for s in (engine.platform_status(p) if engine else [])]
        states = [s for s in states if platform is None or s.platform is platform]
        failed = sorted(
            {s.platform.label for s in states if s.error is not None and s.last_updated is None}
        )
        if failed:
            return f"{', '.join(failed)} could not be synced: the status bar says why."
        if engine is None or any(s.syncing or s.last_updated is None for s in states):
            return "Syncing…"
        return "No conversations here."

    @work(exclusive=True, group="filters", exit_on_error=False)
    async def reload_filters(self, delay: float = 0) -> None:
        if delay:
            await asyncio.sleep(delay)
        shell = self.shell
        counts = await asyncio.to_thread(shell.store.unread_counts, shell.clock())
        per = {"all": 0, **{p.value: 0 for p in Platform}}
        scope = shell.profiles_in_scope
        for (profile, platform), n in counts.items():
            if profile in scope:
                per[platform.value] += n
                per["all"] += n
        self.query_one(FilterBar).show(
            render_filters(per, self.platform_filter, unread_only=self.unread_only, sort=self.sort)
        )

    @on(ConversationList.Highlighted)
    def _highlighted(self) -> None:
        self.update_position()  # the event goes on up: the app opens the row's thread

    @on(ConversationList.Opened)
    async def _opened(self) -> None:
        row = self.conversation_list.current
        if row is not None and row.unread:
            await self.shell.triage.mark_read([row.ref], record=False)
            self.refresh_lists(refs=[row.ref])

    def next_unread_here(self) -> bool:
        """The cursor to the next unread row after it, if there is one."""
        widget = self.conversation_list
        if widget.rows:
            index = widget.find(lambda r: r.unread, widget.highlighted or 0)
            if index is not None and index != widget.highlighted:
                widget.highlighted = index
                widget.focus()
                return True
        return False

    # -- views and filters ----------------------------------------------------------------------

    def action_back(self) -> None:
        if not self.conversation_list.clear_selection():
            self.conversation_list.focus()
        self.update_position()

    def action_toggle_view(self) -> None:
        self.view = View.ARCHIVED if self.view is View.ACTIVE else View.ACTIVE
        self.post_message(self.ViewChanged())

    def action_snoozed_view(self) -> None:
        self.view = View.ACTIVE if self.view is View.SNOOZED else View.SNOOZED
        self.post_message(self.ViewChanged())

    def action_filter_platform(self, name: str) -> None:
        self.platform_filter = name
        self.refresh_lists()
        self.shell.update_status()

    def action_toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self.refresh_lists()

    def action_toggle_owned_only(self) -> None:
        self.owned_only = not self.owned_only
        self.refresh_lists()

    def action_toggle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refresh_lists()

    def show_everything_in(self, view: View) -> None:
        """For a search hit: its view, no filter that could hide it."""
        self.view, self.platform_filter = view, "all"
        self.unread_only = self.owned_only = False

    @work(exclusive=True, group="list", exit_on_error=False)
    async def open_hit(self, key: str, message_id: str) -> None:
        """Show the hit's conversation, even if snoozed, and open it at the message. The list
        is read as any other (the user's sort included: the next partial update compares
        its rows' sort keys with the fresh ones)."""
        rows = await asyncio.to_thread(self.read_rows)
        if not any(r.key == key for r in rows):
            self.view = View.SNOOZED
            rows = await asyncio.to_thread(self.read_rows)
        self.show_rows(rows, keep=key)
        self.reload_filters()
        self.shell.update_status()
        current = self.conversation_list.current
        if current is not None and current.key == key:
            self.post_message(self.HitShown(key, message_id))
