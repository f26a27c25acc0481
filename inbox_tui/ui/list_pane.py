"""The list pane: the filter bar and the conversation list, and what decides their rows.

It owns the list's state (view, platform filter, unread/owned only, sort, the cursor and
the selection; the profiles in scope are the app's) and keeps a window of rows following the
store (`list_window`): the first screenful at once, the window with the list's counts from a
thread; after a sync result or a triage action, the window around the cursor's row is read
again. Triage keys are in `triage_keys`. What crosses
panes goes up as messages: `Shown` (rows on screen), `ViewChanged`, `HitShown`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message

from inbox_tui.domain import Platform
from inbox_tui.store import ConversationRow, View, key_ref
from inbox_tui.ui.coalesce import Coalesced
from inbox_tui.ui.format import short_names
from inbox_tui.ui.list_window import WINDOW, ListWindow
from inbox_tui.ui.triage_keys import TriageKeys
from inbox_tui.ui.widgets.conversation_list import ConversationList
from inbox_tui.ui.widgets.filter_bar import FilterBar, render_filters
from inbox_tui.ui.worker_errors import SurfacesWorkerErrors

if TYPE_CHECKING:
    from textual.worker import Worker

    from inbox_tui.ui.shell import Shell

FIRST_SCREENFUL = 60  # rows read before the first frame; the rest follow
LIST_DEBOUNCE = 0.15  # sync results are read together, at most this long after the first
PLATFORM_FILTERS = {"all": None, **{p.value: p for p in Platform}}
SORTS = ["newest", "unread", "closing", "waiting"]


class ListPane(ListWindow, TriageKeys, SurfacesWorkerErrors, Vertical):
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
        self.waiting_only = False  # the queue of those waiting for a reply (W)
        self.sort = "newest"
        self._sort_before_queue = "newest"
        self._partial = False  # only the first screenful is shown yet
        self._shown_key: tuple | None = None  # the list (view, filters...) the rows are of
        self._changed = False  # a reload was asked for and has not shown yet
        self.snooze_due: datetime | None = None
        self._list_burst, self._filters_burst = Coalesced(), Coalesced()

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
        widget = self.conversation_list
        widget.clear_selection()
        widget.rows, widget.window_start, widget.total = [], 0, 0

    # -- reading the store ----------------------------------------------------------------------

    def _key(self) -> tuple:
        return (
            self.shell.profiles_in_scope,
            self.view,
            self.platform_filter,
            self.unread_only,
            self.owned_only,
            self.waiting_only,
            self.sort,
        )

    def use_brand_colors(self) -> None:
        """The brands' colours and short names on the rows; the filter bar's second line (each
        brand's unread) is there from the first frame when there are brands to tell apart."""
        from rich.style import Style as RichStyle

        self.query_one(FilterBar).set_class(len(self.shell.profile_names) > 1, "-brands")
        colours = self.shell.brand_colors
        self.conversation_list.set_brands(
            {profile: RichStyle(color=colour.rich_color) for profile, colour in colours.items()},
            short_names(self.shell.profile_names),
        )

    def show_first_screenful(self) -> None:
        """Before the first frame (a few ms, read here so no thread hop waits on the
        mounting); the window with the list's counts, and the filter bar's counts, follow (a
        start with nothing due fetches nothing that would bring the filter bar's)."""
        self.use_brand_colors()
        self.show_rows(self.read_rows(limit=FIRST_SCREENFUL), partial=True)
        self.call_after_refresh(self.reload, delay=0)
        self.call_after_refresh(self.reload_filters)

    def reload(
        self, delay: float = LIST_DEBOUNCE, keep: str | None = None, around: int | None = None
    ) -> Worker:
        """Read the window again, with the list's counts: around the row `keep`, else the row
        under the cursor, else position `around` (or the cursor's), wherever it went.

        The window is a few hundred rows whatever the list's size, so a sync result or a
        triage action costs the same at a million conversations as at a hundred.
        """
        self._changed = True  # until it shows: a move past the window may cancel it
        return self._read_list(delay, keep, around)

    def refresh_lists(self, keep: str | None = None) -> None:
        """After a change made here: the window and the counts."""
        self.reload(delay=0, keep=keep)
        self.reload_filters()

    @on(ConversationList.WindowWanted)
    def _window_wanted(self, message: ConversationList.WindowWanted) -> None:
        self._read_list(0, None, message.index, moved=True)

    @work(exclusive=True, group="list", exit_on_error=False)
    async def _read_list(
        self, delay: float, keep: str | None, around: int | None, moved: bool = False
    ) -> None:
        """`moved`: only the cursor or the viewport moved, so the list's counts and the next
        snooze's end still hold (unless a change's reload is still to show: this read, which
        cancels it, then reads them too)."""
        await self._list_burst.wait(delay)
        asked = self._key()
        widget = self.conversation_list
        if around is None:
            current = widget.current
            keep = keep or (current.key if current else None)
            around = widget.highlighted
        counts, fresh = None, False
        moved = moved and asked == self._shown_key and not self._partial and not self._changed
        if asked != self._shown_key:  # another list: its top at once, the counts after it
            around, shown = 0, await asyncio.to_thread(self.read_rows, WINDOW)
            if asked != self._key():
                return
            self.show_rows(shown, keep=keep, partial=True)
            fresh = True
        elif moved:
            counts = (widget.total, widget.unread_count)
        window = await asyncio.to_thread(
            self._read_window, keep, around or 0, widget.rows, widget.window_start, counts, fresh
        )
        if not moved:
            shell = self.shell
            due = await asyncio.to_thread(shell.store.next_snooze_due, shell.clock())
            self.snooze_due = due  # when a snooze ends, the app's clock reads the list again
            if due is not None:
                shell.tick_at(due)
        if asked != self._key():
            return  # the user moved on while we read (and that asked for the list again)
        self._changed = False  # (a newer reload would have cancelled this read)
        self.show_rows(*window, keep=keep)

    def show_rows(
        self,
        rows: list[ConversationRow],
        offset: int = 0,
        total: int | None = None,
        unread: int | None = None,
        cursor: int | None = None,
        keep: str | None = None,
        partial: bool = False,
    ) -> None:
        self._partial = partial
        self._shown_key = self._key()
        widget = self.conversation_list
        current = widget.current
        keep = keep or (current.key if current else None)
        every = self.shell.profile is None  # all profiles: the rows say whose they are
        widget.show(
            rows,
            self.shell.clock(),
            show_profile=every,
            show_waiting=self.waiting_only or self.sort == "waiting",
            keep=keep,
            offset=offset,
            total=total,
            unread=unread,
            cursor=cursor,
        )
        platform = self.platform
        widget.border_title = Content.assemble(
            (self.shell.scope_label, "bold"),
            f" · {self.view.value.capitalize()}",
            f" · {platform.label}" if platform else "",
            " · waiting for a reply" if self.waiting_only else "",
            " · unread only" if self.unread_only else "",
            " · this app's threads" if self.owned_only else "",
        )
        self.update_position()
        if not widget.total:
            widget.show_note(self._empty_note(platform))
        self.post_message(self.Shown(partial, not widget.total))

    def update_position(self) -> None:
        widget = self.conversation_list
        if self._partial:  # the first screenful: the counts come with the window
            widget.show_position(f"{(widget.highlighted or 0) + 1}/…")
            return
        total = widget.total
        position = f"{(widget.highlighted or 0) + 1}/{total}" if total else "0"
        size = widget.selection_size
        selected = f" · {size} selected" if size else ""
        widget.show_position(f"{position} · {widget.unread_count} unread{selected}")

    def _empty_note(self, platform: Platform | None) -> str:
        """Why the list is empty: still syncing, a platform failed, or truly nothing here."""
        if self.view is View.SNOOZED:
            return "Nothing snoozed. Press z on a conversation to snooze it."
        if self.waiting_only:
            return "No one is waiting for a reply here (W shows all)."
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
            return f"{', '.join(failed)} could not be synced: ! says why."
        if engine is None or any(s.syncing or s.last_updated is None for s in states):
            return "Syncing…"
        return "No conversations here."

    @work(exclusive=True, group="filters", exit_on_error=False)
    async def reload_filters(self, delay: float = 0) -> None:
        await self._filters_burst.wait(delay)
        shell = self.shell
        view, now = self.view, shell.clock()
        counts = await asyncio.to_thread(shell.store.unread_counts, now)
        # the platforms' counts are the view's; the brands' line is always the work (Active)
        here = (
            counts
            if view is View.ACTIVE
            else await asyncio.to_thread(shell.store.unread_counts, now, view)
        )
        per = {"all": 0, **{p.value: 0 for p in Platform}}
        by_brand: dict[str, int] = {}
        scope = shell.profiles_in_scope
        for (profile, _platform), n in counts.items():
            by_brand[profile] = by_brand.get(profile, 0) + n
        for (profile, platform), n in here.items():
            if profile in scope:
                per[platform.value] += n
                per["all"] += n
        brands = []  # by their short names (five fit), the one in scope underlined
        for name, short in short_names(shell.profile_names).items():
            style = shell.brand_style(name) + (" underline" if shell.profile == name else "")
            brands.append((short, by_brand.get(name, 0), style))
        self.query_one(FilterBar).show(  # its second line's room: see use_brand_colors
            render_filters(
                per,
                self.platform_filter,
                unread_only=self.unread_only,
                sort="waking" if view is View.SNOOZED else self.sort,
                brands=brands if len(brands) > 1 else (),
            )
        )

    @on(ConversationList.SelectionChanged)
    @on(ConversationList.Highlighted)
    def _highlighted(self) -> None:
        self.update_position()  # the event goes on up: the app opens the row's thread

    @on(ConversationList.Opened)
    async def _opened(self) -> None:
        row = self.conversation_list.current
        if row is not None and row.unread:
            await self.shell.triage.mark_read([row.ref], record=False)
            self.refresh_lists()

    def next_unread_here(self) -> bool:
        """The cursor to the next unread row after it, if there is one (past the window: the
        store's next one after it, or the first from the top)."""
        widget = self.conversation_list
        if not widget.rows:
            return False
        index = widget.find(lambda r: r.unread, widget.highlighted or 0)
        if index is None and len(widget.rows) < widget.total:
            found = self.read_rows(1, only_unread=True, after=widget.rows[-1])
            found = found or self.read_rows(1, only_unread=True)
            if found and found[0].key != (widget.current and widget.current.key):
                self.reload(delay=0, keep=found[0].key)
                widget.focus()
                return True
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

    def action_toggle_waiting_only(self) -> None:
        """The queue of those waiting for a reply, the longest waiting first (leaving it puts
        the sort back)."""
        self.waiting_only = not self.waiting_only
        if self.waiting_only:
            self._sort_before_queue, self.sort = self.sort, "waiting"
        elif self.sort == "waiting":
            self.sort = self._sort_before_queue
        self.refresh_lists()

    def action_toggle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refresh_lists()

    def show_everything_in(self, view: View) -> None:
        """For a search hit: its view, no filter that could hide it."""
        self.view, self.platform_filter = view, "all"
        self.unread_only = self.owned_only = self.waiting_only = False

    @work(exclusive=True, group="list", exit_on_error=False)
    async def open_hit(self, key: str, message_id: str) -> None:
        """Show the hit's conversation, even if snoozed, and open it at the message. The window
        is read as any other (the user's sort included: the next window read starts from its
        rows' sort keys)."""
        refs = [key_ref(key)]
        if not await asyncio.to_thread(self.read_rows, refs=refs):
            self.view = View.SNOOZED
        asked = self._key()
        window = await asyncio.to_thread(self._read_window, key, 0, [], 0)
        if asked != self._key():
            return
        self.show_rows(*window, keep=key)
        self.reload_filters()
        self.shell.update_status()
        current = self.conversation_list.current
        if current is not None and current.key == key:
            self.post_message(self.HitShown(key, message_id))
