"""The Textual app: a shell around two panes (list │ thread), the status bar and the keys.

The UI never waits on the network: the panes read the store (off the event loop, via
`asyncio.to_thread`) and read again when the sync engine says something changed. The app
composes the panes, owns the config, the sync engine's lifetime and the profile in scope,
routes each key to the pane that owns its action (`action_in`), and carries what one pane
says to the other (`ListPane.Shown`, `ThreadPane.RowsChanged`...).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import cached_property, partial
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen

from inbox_tui.config import ConfigError
from inbox_tui.config.in_use import ConfigInUse
from inbox_tui.config.paths import VALIDATED_SETTING, QuickConfig
from inbox_tui.domain import utcnow
from inbox_tui.keymap import KEYMAP, label_of
from inbox_tui.outbox import Outbox
from inbox_tui.store import Store
from inbox_tui.ui.app_keys import AppKeys
from inbox_tui.ui.app_status import AppStatus
from inbox_tui.ui.idle_gc import IdleCollector
from inbox_tui.ui.list_pane import LIST_DEBOUNCE, ListPane
from inbox_tui.ui.notify import Announcer
from inbox_tui.ui.one_pane import OnePaneWhenNarrow
from inbox_tui.ui.pasted import clean_area, clean_input
from inbox_tui.ui.safe_exit import SafeExit
from inbox_tui.ui.theme_and_keys import ThemeAndKeys
from inbox_tui.ui.thread_pane import ThreadPane
from inbox_tui.ui.ticker import Ticker
from inbox_tui.ui.widgets.conversation_list import ConversationList
from inbox_tui.ui.widgets.key_bar import KeyBar
from inbox_tui.ui.widgets.status_bar import StatusBar
from inbox_tui.ui.worker_errors import SurfacesWorkerErrors

if TYPE_CHECKING:
    from pathlib import Path

    import httpx

    from inbox_tui.config.model import Config
    from inbox_tui.label_sync import LabelSync
    from inbox_tui.providers.base import MessagingProvider
    from inbox_tui.providers.build import Providers
    from inbox_tui.sync import SyncEngine
    from inbox_tui.sync_streams import SyncEvent
    from inbox_tui.triage import Triage
    from inbox_tui.ui.widgets.thread_view import ThreadView

log = logging.getLogger(__name__)


class SyncChanged(Message):
    """The sync engine stored something or changed state (posted on the app's loop)."""

    def __init__(self, event: SyncEvent) -> None:
        super().__init__()
        self.event = event


class InboxApp(
    AppKeys, AppStatus, ThemeAndKeys, SafeExit, SurfacesWorkerErrors, OnePaneWhenNarrow, App[None]
):
    CSS_PATH = "app.tcss"
    TITLE = "inbox-tui"
    BINDINGS = [spec.binding() for spec in KEYMAP]

    def __init__(
        self,
        config: Config | QuickConfig,
        store: Store,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = utcnow,
        sync: bool = True,
        config_path: Path | None = None,
        notices: Iterable[str] = (),
    ) -> None:
        super().__init__()
        self._idle_gc = IdleCollector()
        self.ticker = Ticker(self, self.tick)
        self.notices = list(notices)  # said at start (a readable config, a store moved aside)
        self.settings = ConfigInUse(config, config_path)
        self.config_ready = self.settings.ready  # set once `config` needs no validation
        self.config_error = ""  # set when the deferred validation fails; the CLI prints it
        self._started = False
        self.store = store
        self.clock = clock
        self._transport = transport
        self.sync_enabled = sync
        self.engine: SyncEngine | None = None
        self._providers: Providers | None = None
        self.profile: str | None = self.profile_names[0]  # None: all profiles
        self.action_error = ""  # the last failed action, for the status bar
        self._errors_said: dict = {}  # see AppStatus._say_new_errors
        self.outbox = Outbox(store, self._engine_providers, clock)
        self.last_key_at = 0.0  # time.monotonic() of the last key (no toast while typing)
        self.announcer = Announcer(
            self, lambda: self.thread_pane.composer.has_class("-open"), lambda: self.last_key_at
        )

    def _engine_providers(self) -> Mapping[str, MessagingProvider]:
        return self.engine.providers if self.engine else {}

    @cached_property
    def triage(self) -> Triage:
        """Made on first use (opening a thread marks it read), off the first frame's path."""
        from inbox_tui.triage import Triage

        return Triage(self.store, self._engine_providers, self.clock)

    @property
    def label_sync(self) -> LabelSync:
        """The engine's (which knows what Meta refused); without one, changes wait for it."""
        if self.engine is not None and self.engine.labels is not None:
            return self.engine.labels
        from inbox_tui.label_sync import LabelSync

        return LabelSync.for_config(self.config, self.store, dict)

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield ListPane(id="list-pane")
            yield ThreadPane(lambda: self.list_pane.conversation_list.current, id="thread-pane")
        yield StatusBar(id="status")
        yield KeyBar()

    @property
    def list_pane(self) -> ListPane:
        return self.query_one("#list-pane", ListPane)

    @property
    def thread_pane(self) -> ThreadPane:
        return self.query_one("#thread-pane", ThreadPane)

    @property
    def conversation_list(self) -> ConversationList:
        return self.list_pane.conversation_list

    @property
    def thread_view(self) -> ThreadView:
        return self.thread_pane.thread_view

    async def action_in(self, pane: str, action: str) -> None:
        """Run a pane's action (the keymap binds every key on the app: they work wherever
        the focus is)."""
        await self.run_action(action, self.query_one(f"#{pane}-pane"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The thread's reply keys (R, X) are in the key bar only on a reply that did not go
        out: elsewhere they do nothing, and the bar has no room to spare."""
        if action == "in" and parameters[1:] in (("retry_reply",), ("discard_reply",)):
            return self.thread_view.highlighted_outbox is not None
        return True

    # -- the config and the profile in scope ---------------------------------------------------

    @property
    def config(self) -> Config:
        return self.settings.config

    @property
    def profile_names(self) -> tuple[str, ...]:
        return self.settings.profile_names

    @property
    def meta_profiles(self) -> tuple[str, ...]:
        return self.settings.meta_profiles

    @property
    def profiles_in_scope(self) -> tuple[str, ...]:
        return self.profile_names if self.profile is None else (self.profile,)

    @property
    def scope_label(self) -> str:
        return self.profile or "All profiles"

    async def change_config(self, change: str, *args: object) -> str:
        return await self.settings.change(change, *args)

    # -- start and stop -------------------------------------------------------------------------

    async def on_mount(self) -> None:
        self._idle_gc.start()  # before the first frame: a full collection there costs ~20 ms
        self.apply_theme_and_keys()
        self.conversation_list.focus()
        self.show_the_focused_pane(self.conversation_list, self.thread_pane, self.thread_view)
        self.recover_outbox()
        self.list_pane.show_first_screenful()
        for notice in self.notices:
            self.notify(notice, severity="warning", markup=False, timeout=30)
        self.tick()
        self.handle_stop_signals()

    async def action_quit(self) -> None:
        self.thread_pane.save_draft_now()
        self.exit()

    @on(ListPane.Shown)
    def _list_shown(self, message: ListPane.Shown) -> None:
        if message.empty:
            self.thread_pane.clear()
        if not self._started and not message.partial:
            self._started = True
            self.call_after_refresh(self.finish_start)

    @work(group="start", exit_on_error=False)
    async def finish_start(self) -> None:
        """After the first frame with rows: validate a quickly read config, then sync."""
        if self.settings.whole is None:
            try:
                self.settings.use(await asyncio.to_thread(self.settings.validated))
            except ConfigError as error:
                self.store.set_setting(VALIDATED_SETTING, "")  # validate first next time
                self.config_error = str(error)
                self.exit(return_code=2)
                return
        if self.sync_enabled:
            self.start_sync()

    async def on_unmount(self) -> None:
        self._idle_gc.stop()
        self.ticker.stop()
        await self._stop_sync()

    def recover_outbox(self) -> None:
        """Replies a stop interrupted, settled before anything is drawn (a small UPDATE)."""
        settled = self.outbox.recover()
        if settled:
            self.notify(
                f"{settled} repl{'y was' if settled == 1 else 'ies were'} interrupted when inbox-tui "
                "last stopped: they are marked in their threads (R sends again, X keeps the text).",
                severity="warning",
                markup=False,
                timeout=15,
            )

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._idle_gc.note_input()
        if isinstance(event, events.Key):
            self.last_key_at = time.monotonic()
        await super().on_event(event)

    # -- sync -----------------------------------------------------------------------------------

    @work(group="sync", exit_on_error=False)
    async def start_sync(self) -> None:
        """Build the providers and run the engine, after the first frame and in a thread:
        importing httpx, anyio and the providers takes ~70 ms and loading the TLS context
        ~30 ms, which on the event loop would hold the first keys typed after the first frame."""
        self._providers, engine = await asyncio.to_thread(self._build_sync)
        self.engine = engine
        await asyncio.to_thread(engine.load_windows)
        engine.focus(self.profiles_in_scope, self.list_pane.view.api_status)
        await engine.run()

    def _build_sync(self) -> tuple[Providers, SyncEngine]:
        from inbox_tui.providers.build import Providers
        from inbox_tui.providers.http import load_network_stack
        from inbox_tui.sync import SyncEngine

        load_network_stack()
        providers = Providers(self.config, transport=self._transport, clock=self.clock)
        engine = SyncEngine.for_config(
            self.config,
            self.store,
            providers.by_profile,
            self.clock,
            lambda event: self.post_message(SyncChanged(event)),
        )
        return providers, engine

    async def _stop_sync(self) -> None:
        if self.engine is not None:
            await self.engine.aclose()
        if self._providers is not None:
            await self._providers.aclose()
        self.engine, self._providers = None, None

    def restart_sync(self) -> str:
        """Apply a changed profile list: new providers, same store."""
        self.workers.cancel_group(self, "sync")

        async def restart() -> None:
            await self._stop_sync()
            if self.sync_enabled:
                self.start_sync()

        self.run_worker(restart(), group="sync-restart", exit_on_error=False)
        self.apply_brand_colors()  # a profile renamed keeps its colour
        self.list_pane.use_brand_colors()
        self.switch_to_profile(self.profile)
        return ""

    def refocus_engine(self) -> None:
        if self.engine is not None:
            self.engine.focus(self.profiles_in_scope, self.list_pane.view.api_status)
            self.engine.unwatch_thread()

    @on(SyncChanged)
    def _sync_changed(self, message: SyncChanged) -> None:
        if not self.is_running:
            return  # shutting down: a late message after the panes went
        event = message.event
        self.update_status()
        shown = self.thread_view.row
        if event.arrived:
            self.announcer.add(
                self.config.notifications,
                event.arrived,
                event.profile,
                shown.ref if shown else None,
            )
        if not event.finished or not event.changed:
            return  # nothing new
        pane = self.list_pane
        pane.reload_filters(delay=LIST_DEBOUNCE)  # every brand's unread; a burst: one count
        if event.profile not in self.profiles_in_scope:
            return
        pane.reload()
        if shown is not None and shown.profile == event.profile and shown.id in event.changed:
            self.thread_pane.load(shown.key, delay=0)

    # -- between the panes ----------------------------------------------------------------------

    @on(ConversationList.Highlighted)
    def _highlighted(self, message: ConversationList.Highlighted) -> None:
        self.thread_pane.load(message.row.key)

    @on(ConversationList.Opened)
    def _opened(self) -> None:
        if self.conversation_list.current is not None:
            self.thread_view.focus()

    @on(ListPane.ViewChanged)
    def _view_changed(self) -> None:
        self.thread_pane.save_draft_now()
        self.refocus_engine()
        self.conversation_list.clear_selection()
        self.thread_pane.clear()
        self.list_pane.refresh_lists()
        self.update_status()

    @on(ListPane.HitShown)
    def _hit_shown(self, message: ListPane.HitShown) -> None:
        self.thread_pane.open_at(message.key, message.message_id)
        self.thread_view.focus()

    @on(ThreadPane.RowsChanged)
    def _rows_changed(self) -> None:
        self.list_pane.reload(delay=0)

    @on(ThreadPane.Left)
    def _left_composer(self) -> None:
        self.conversation_list.focus()

    def on_text_area_changed(self, event) -> None:
        clean_area(event.text_area)  # a dialog's (the composer's are its pane's)

    def on_input_changed(self, event) -> None:
        clean_input(event.input)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for spec in KEYMAP:
            if spec.action == "quit":
                continue
            title = spec.description + ("" if spec.ready else " (coming)")
            keys = label_of(spec, self.settings.keys)
            yield SystemCommand(title, f"Key: {keys}", partial(self.run_action, spec.routed))
