"""The Textual app: list pane │ thread pane, status bar, footer.

The UI never waits on the network: it reads the store (off the event loop, via
`asyncio.to_thread`) and re-reads when the sync engine says something changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from inbox_tui.config import Config
from inbox_tui.domain import ConversationStatus, Platform
from inbox_tui.store import ConversationRow, Store
from inbox_tui.ui.keymap import KEYMAP
from inbox_tui.ui.screens.help import HelpScreen
from inbox_tui.ui.screens.profile_switcher import ProfileSwitcher
from inbox_tui.ui.widgets.conversation_list import ConversationList
from inbox_tui.ui.widgets.status_bar import StatusBar, render_status
from inbox_tui.ui.widgets.thread_view import ThreadView

if TYPE_CHECKING:
    import httpx

    from inbox_tui.sync import SyncEngine, SyncEvent

THREAD_DEBOUNCE = 0.06  # fast scrolling never loads the threads in between
LIST_DEBOUNCE = 0.15  # a burst of sync results becomes one list reload
PLATFORM_FILTERS = {"all": None, **{p.value: p for p in Platform}}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class SyncChanged(Message):
    """The sync engine stored something or changed state (posted on the app's loop)."""

    def __init__(self, event: SyncEvent) -> None:
        super().__init__()
        self.event = event


class InboxApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "inbox-tui"
    BINDINGS = [
        Binding(spec.keys, spec.action, spec.description, show=spec.footer) for spec in KEYMAP
    ]

    def __init__(
        self,
        config: Config,
        store: Store,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = _utcnow,
        sync: bool = True,
    ) -> None:
        super().__init__()
        self.config = config
        self.store = store
        self.clock = clock
        self._transport = transport
        self._sync_enabled = sync
        self.engine: SyncEngine | None = None
        self._session = None
        self.profile = config.profiles[0].name
        self.view = ConversationStatus.ACTIVE
        self.platform_filter = "all"
        self._list_loaded = asyncio.Event()

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield ConversationList(id="list")
            yield ThreadView(id="thread")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def conversation_list(self) -> ConversationList:
        return self.query_one("#list", ConversationList)

    @property
    def thread_view(self) -> ThreadView:
        return self.query_one("#thread", ThreadView)

    async def on_mount(self) -> None:
        self.conversation_list.focus()
        self.thread_view.clear_thread()
        self.reload_list(delay=0)
        self.set_interval(1.0, self.update_status)
        if self._sync_enabled:
            self.call_after_refresh(self.start_sync)

    async def on_unmount(self) -> None:
        if self.engine is not None:
            await self.engine.aclose()
        if self._session is not None:
            await self._session.aclose()

    # -- sync -----------------------------------------------------------------------------------

    @work(group="sync", exit_on_error=False)
    async def start_sync(self) -> None:
        """Build the providers and run the engine (after the first frame: httpx is slow to import)."""
        from inbox_tui.providers.ayrshare import AyrshareSession
        from inbox_tui.sync import SyncEngine

        settings = self.config.ayrshare
        x_keys = None
        if settings.x_api_key and settings.x_api_secret:
            x_keys = (
                settings.x_api_key.get_secret_value(),
                settings.x_api_secret.get_secret_value(),
            )
        self._session = AyrshareSession(
            api_key=settings.api_key.get_secret_value(),
            base_url=settings.base_url,
            x_keys=x_keys,
            transport=self._transport,
            timeout=settings.timeout_seconds,
            clock=self.clock,
        )
        providers = {
            p.name: self._session.for_profile(
                p.profile_key.get_secret_value() if p.profile_key else None
            )
            for p in self.config.profiles
        }
        self.engine = SyncEngine(
            store=self.store,
            providers=providers,
            platforms={p.name: tuple(p.platforms) for p in self.config.profiles},
            settings=self.config.sync,
            clock=self.clock,
            on_change=lambda event: self.post_message(SyncChanged(event)),
        )
        await asyncio.to_thread(self.engine.load_windows)
        self.engine.focus((self.profile,), self.view)
        await self.engine.run()

    @on(SyncChanged)
    def _sync_changed(self, message: SyncChanged) -> None:
        event = message.event
        self.update_status()
        if event.profile != self.profile or not event.finished:
            return
        if not event.changed and event.kind != "conversations":
            return  # a messages fetch that brought nothing new
        self.reload_list()
        shown = self.thread_view.row
        if shown is not None and shown.profile == event.profile and shown.id in event.changed:
            self.load_thread(shown.key, delay=0)

    # -- reading the store ----------------------------------------------------------------------

    @work(exclusive=True, group="list", exit_on_error=False)
    async def reload_list(self, delay: float = LIST_DEBOUNCE) -> None:
        if delay:
            await asyncio.sleep(delay)
        profile, view, platform = self.profile, self.view, PLATFORM_FILTERS[self.platform_filter]
        rows = await asyncio.to_thread(self.store.conversations, (profile,), view, platform)
        if (profile, view, platform) != (
            self.profile,
            self.view,
            PLATFORM_FILTERS[self.platform_filter],
        ):
            return  # the user moved on while we read
        self._show_rows(rows)
        self._list_loaded.set()

    def _show_rows(self, rows: list[ConversationRow]) -> None:
        widget = self.conversation_list
        current = widget.current
        widget.show(rows, self.clock(), keep=current.key if current else None)
        unread = sum(r.unread for r in rows)
        platform = PLATFORM_FILTERS[self.platform_filter]
        widget.border_title = Content.assemble(
            (self.profile, "bold"),
            f" · {self.view.value.capitalize()}",
            f" · {platform.label}" if platform else "",
        )
        position = f"{(widget.highlighted or 0) + 1}/{len(rows)}" if rows else "0"
        widget.border_subtitle = f"{position} · {unread} unread"
        if not rows:
            widget.set_options(
                [Option(Content.styled(self._empty_note(platform), "$text-muted"), disabled=True)]
            )
            self.thread_view.clear_thread()

    def _empty_note(self, platform: Platform | None) -> str:
        """Why the list is empty: still syncing, a platform failed, or truly nothing here."""
        if not self._sync_enabled:
            return "Nothing stored for this view (sync is off)."
        states = self.engine.platform_status(self.profile) if self.engine else []
        states = [s for s in states if platform is None or s.platform is platform]
        failed = [
            s.platform.label for s in states if s.error is not None and s.last_updated is None
        ]
        if failed:
            return f"{', '.join(failed)} could not be synced: the status bar says why."
        if self.engine is None or any(s.syncing or s.last_updated is None for s in states):
            return "Syncing…"
        return "No conversations here."

    @on(OptionList.OptionHighlighted, "#list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        row = self.conversation_list.current
        if row is None:
            return
        self.conversation_list.border_subtitle = (
            f"{event.option_index + 1}/{len(self.conversation_list.rows)} · "
            f"{sum(r.unread for r in self.conversation_list.rows)} unread"
        )
        self.load_thread(row.key)

    @work(exclusive=True, group="thread", exit_on_error=False)
    async def load_thread(self, key: str, delay: float = THREAD_DEBOUNCE) -> None:
        if delay:
            await asyncio.sleep(delay)
        row = self.conversation_list.current
        if row is None or row.key != key:
            return
        thread = await asyncio.to_thread(self.store.thread, row.profile, row.platform, row.id)
        current = self.conversation_list.current
        if current is None or current.key != key:
            return  # stale: the highlight moved while we read
        self.thread_view.show(current, thread, current.profile, self.clock())
        if self.engine is not None:
            self.engine.watch_thread(row.profile, row.platform, row.id, row.status)

    @on(OptionList.OptionSelected, "#list")
    async def _opened(self) -> None:
        row = self.conversation_list.current
        if row is None:
            return
        self.thread_view.focus()
        if row.unread:
            await asyncio.to_thread(self.store.mark_read, row.profile, row.platform, row.id)
            self.reload_list(delay=0)

    # -- status ---------------------------------------------------------------------------------

    def update_status(self) -> None:
        now = self.clock()
        engine = self.engine
        self.query_one(StatusBar).update(
            render_status(
                profile=self.profile,
                view=self.view,
                platform_filter=PLATFORM_FILTERS[self.platform_filter].label
                if PLATFORM_FILTERS[self.platform_filter]
                else "all",
                platforms=engine.platform_status(self.profile) if engine else [],
                rate_limit=engine.rate_limits.get(self.profile) if engine else None,
                paused_until=engine.paused_until(self.profile) if engine else None,
                now=now,
                offline_note="" if self._sync_enabled else "Sync is off: showing the stored inbox.",
            )
        )

    # -- actions --------------------------------------------------------------------------------

    def _refocus_engine(self) -> None:
        if self.engine is not None:
            self.engine.focus((self.profile,), self.view)
            self.engine.unwatch_thread()

    def action_back(self) -> None:
        self.conversation_list.focus()

    def action_toggle_view(self) -> None:
        self.view = (
            ConversationStatus.ARCHIVED
            if self.view is ConversationStatus.ACTIVE
            else ConversationStatus.ACTIVE
        )
        self._refocus_engine()
        self.thread_view.clear_thread()
        self.reload_list(delay=0)
        self.update_status()

    def action_filter_platform(self, name: str) -> None:
        self.platform_filter = name
        self.reload_list(delay=0)
        self.update_status()

    async def action_switch_profile(self) -> None:
        counts = await asyncio.to_thread(self.store.unread_counts)
        profiles = [
            (p.name, sum(n for (prof, _), n in counts.items() if prof == p.name))
            for p in self.config.profiles
        ]
        self.push_screen(ProfileSwitcher(profiles, self.profile), self._profile_chosen)

    def _profile_chosen(self, name: str | None) -> None:
        if not name or name == self.profile:
            return
        self.switch_to_profile(name)

    def switch_to_profile(self, name: str) -> None:
        self.profile = name
        self._refocus_engine()
        self.thread_view.clear_thread()
        self.conversation_list.rows = []
        self.reload_list(delay=0)
        self.update_status()

    async def action_toggle_read(self) -> None:
        row = self.conversation_list.current
        if row is None:
            return
        mark = self.store.mark_unread if not row.unread else self.store.mark_read
        await asyncio.to_thread(mark, row.profile, row.platform, row.id)
        self.reload_list(delay=0)

    def action_next_unread(self) -> None:
        widget = self.conversation_list
        if not widget.rows:
            return
        index = widget.find(lambda r: r.unread, widget.highlighted or 0)
        if index is None:
            self.notify("No unread conversations in this view.", markup=False)
            return
        widget.highlighted = index
        widget.focus()

    def action_refresh(self) -> None:
        if self.engine is None:
            self.notify("Sync is not running.", markup=False, severity="warning")
            return
        from inbox_tui.ui.format import duration

        first = self.engine.refresh_now()
        wait = (first - self.clock()).total_seconds()
        if wait > 1:
            self.notify(
                f"Refreshing in {duration(wait)}: Ayrshare serves cached data until then "
                "(60 s for Facebook and Instagram, 15 s for X).",
                markup=False,
            )
        else:
            self.notify("Refreshing…", markup=False)
        self.update_status()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def _coming(self, what: str) -> None:
        self.notify(f"{what} is coming in a later release.", markup=False, title="Coming soon")

    def action_archive(self) -> None:
        self._coming("Archive")

    def action_reply(self) -> None:
        self._coming("Replying")

    def action_snooze(self) -> None:
        self._coming("Snooze")

    def action_search(self) -> None:
        self._coming("Search")

    def action_open_link(self) -> None:
        self._coming("Opening links")

    # -- command palette ------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for spec in KEYMAP:
            if spec.action in ("quit",):
                continue
            title = spec.description + ("" if spec.ready else " (coming)")
            yield SystemCommand(title, f"Key: {spec.label}", partial(self.run_action, spec.action))
