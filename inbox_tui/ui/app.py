"""The Textual app: filter bar and list pane │ thread pane, status bar, footer.

The UI never waits on the network: it reads the store (off the event loop, via
`asyncio.to_thread`) and re-reads when the sync engine says something changed. Triage
actions go through `triage.Triage` (store first, request after, undo for each).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from functools import cached_property, partial
from itertools import chain
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen

from inbox_tui.config import ConfigError
from inbox_tui.config.paths import VALIDATED_SETTING, QuickConfig
from inbox_tui.domain import ConversationStatus, Platform, utcnow
from inbox_tui.outbox import Outbox
from inbox_tui.platform_rules import X_KEYS_NEEDED
from inbox_tui.reply_rules import (
    NO_RECIPIENT,
    ReplyWindow,
    media_problems,
    month_start,
    reply_recipient,
    reply_window,
)
from inbox_tui.store import (
    ConversationRef,
    ConversationRow,
    Draft,
    OutboxState,
    Store,
    View,
    list_position,
    ref_key,
)
from inbox_tui.text import clean
from inbox_tui.ui.format import duration, stamp
from inbox_tui.ui.idle_gc import IdleCollector
from inbox_tui.ui.keymap import KEYMAP
from inbox_tui.ui.notify import desktop_notify
from inbox_tui.ui.widgets.composer import Composer
from inbox_tui.ui.widgets.conversation_list import ConversationList
from inbox_tui.ui.widgets.filter_bar import FilterBar, render_filters
from inbox_tui.ui.widgets.key_bar import KeyBar
from inbox_tui.ui.widgets.status_bar import StatusBar, render_status
from inbox_tui.ui.widgets.thread_view import ThreadView
from inbox_tui.ui.worker_errors import SurfacesWorkerErrors

if TYPE_CHECKING:
    from pathlib import Path

    import httpx
    from textual.worker import Worker

    from inbox_tui.config.model import Config, SavedReply
    from inbox_tui.providers.base import MessagingProvider
    from inbox_tui.providers.build import Providers
    from inbox_tui.search import SearchHit
    from inbox_tui.sync import SyncEngine, SyncEvent
    from inbox_tui.triage import Failure, Triage

log = logging.getLogger(__name__)

THREAD_DEBOUNCE = 0.06  # fast scrolling never loads the threads in between
FIRST_SCREENFUL = 60  # rows read before the first frame; the rest follow
THREAD_WINDOW = 100  # messages read per step: long threads open as fast as short ones
LIST_DEBOUNCE = 0.15  # a burst of sync results becomes one list reload
LET_GO_ELSEWHERE, LET_GO_PIECE = 5_000, 2_000  # rows (see _let_go)
SPLICE_AT_MOST = 500  # changed rows read alone and put in place; more: the whole list
PLATFORM_FILTERS = {"all": None, **{p.value: p for p in Platform}}
SORTS = ["newest", "unread", "closing"]
MAX_TOASTS_PER_BATCH = 3
OTHER_APP_HOLDS_IT = (
    "Another app holds this conversation (Meta's Conversation Routing): reply from that app, "
    "or give this app thread control in the Page's settings (Advanced messaging)."
)


def _let_go(holder: list[list]) -> None:
    """Free a replaced list of rows a piece at a time (in a thread): freeing 85k rows in one
    go holds the event loop for 10 ms; between pieces it runs. The list itself is not
    emptied, in case someone else still holds it: this thread frees its own copy."""
    rows = holder.pop()
    own = rows.copy()
    del rows  # the last reference, usually: the list goes, its rows stay in `own`
    while own:
        del own[-LET_GO_PIECE:]


def _run_editor(argv: list[str]) -> int | OSError:
    """The editor's exit status, or why it could not start. Never raises: an exception inside
    `App.suspend()` leaves the app suspended for good (Textual resumes only on a clean exit)."""
    import subprocess

    try:
        return subprocess.call(argv)
    except OSError as error:
        return error


class SyncChanged(Message):
    """The sync engine stored something or changed state (posted on the app's loop)."""

    def __init__(self, event: SyncEvent) -> None:
        super().__init__()
        self.event = event


class InboxApp(SurfacesWorkerErrors, App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "inbox-tui"
    BINDINGS = [
        Binding(spec.keys, spec.action, spec.footer_label, show=spec.footer) for spec in KEYMAP
    ]

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
        self._thread_limit = THREAD_WINDOW
        self.notices = list(notices)  # said at start (a readable config, a store moved aside)
        # A QuickConfig (known valid by its fingerprint) gives the names for the first frame;
        # the validated Config is read just after it (see config.paths).
        self._quick: QuickConfig | None = None
        self._config: Config | None = None
        if isinstance(config, QuickConfig):
            self._quick = config
        else:
            self._config = config
        self._config_ready = asyncio.Event()  # set once `config` needs no validation
        if self._config is not None:
            self._config_ready.set()
        self.config_error = ""  # set when the deferred validation fails; the CLI prints it
        self._started = False
        self._list_partial = False  # only the first screenful is shown yet
        self._shown_key: tuple | None = None  # the list (view, filters...) the rows are of
        self._list_whole = False  # the whole list is to be read again
        self._list_refs: set[ConversationRef] = set()  # these rows are to be read again
        self.config_path = config_path  # None: changes made in the app are not saved (the demo)
        self.store = store
        self.clock = clock
        self._transport = transport
        self._sync_enabled = sync
        self.engine: SyncEngine | None = None
        self._providers: Providers | None = None
        self.profile: str | None = self.profile_names[0]  # None: all profiles
        self.view = View.ACTIVE
        self.platform_filter = "all"
        self.unread_only = False
        self.owned_only = False  # Meta: only threads this app holds (Conversation Routing)
        self.sort = "newest"
        self.action_error = ""  # the last failed triage action, for the status bar
        self._snooze_due: datetime | None = None
        self.outbox = Outbox(store, self._engine_providers, clock)
        self.reply_to: ConversationRow | None = None  # the conversation the composer writes to
        self.window: ReplyWindow | None = None
        self.recipient = ""  # whom the reply in the composer goes to (see reply_recipient)
        self.media: list[str] = []
        self._reply_when_loaded = False

    def _engine_providers(self) -> Mapping[str, MessagingProvider]:
        return self.engine.providers if self.engine else {}

    @cached_property
    def triage(self) -> Triage:
        """Made on first use (opening a thread marks it read), off the first frame's path."""
        from inbox_tui.triage import Triage

        return Triage(self.store, self._engine_providers, self.clock)

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield FilterBar(id="filters")
                yield ConversationList(id="list")
            with Vertical(id="thread-pane"):
                yield ThreadView(id="thread")
                yield Composer(id="composer")
        yield StatusBar(id="status")
        yield KeyBar()

    @property
    def conversation_list(self) -> ConversationList:
        return self.query_one("#list", ConversationList)

    @property
    def thread_view(self) -> ThreadView:
        return self.query_one("#thread", ThreadView)

    @property
    def composer(self) -> Composer:
        return self.query_one("#composer", Composer)

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = self._validated_config()  # before finish_start: rare, and it blocks
            self._config_ready.set()
        return self._config

    @config.setter
    def config(self, config: Config) -> None:
        self._config = config

    def _validated_config(self) -> Config:
        """The full validation of the config first read quickly (it imports pydantic: never
        before the first frame)."""
        from inbox_tui.config.load import load_config

        assert self._quick is not None  # one of the two is always there
        return load_config(self._quick.path)

    @property
    def profile_names(self) -> tuple[str, ...]:
        if self._config is None:
            assert self._quick is not None
            return self._quick.profile_names
        return tuple(p.name for p in self._config.profiles)

    @property
    def meta_profiles(self) -> tuple[str, ...]:
        """Profiles on Meta's Graph API (24-hour windows); none before the config is whole."""
        if self._config is None:
            return ()
        return tuple(p.name for p in self._config.profiles if p.provider == "meta")

    @property
    def profiles_in_scope(self) -> tuple[str, ...]:
        return self.profile_names if self.profile is None else (self.profile,)

    @property
    def scope_label(self) -> str:
        return self.profile or "All profiles"

    async def on_mount(self) -> None:
        self._idle_gc.start()  # before the first frame: a full collection there costs ~20 ms
        self.conversation_list.focus()
        self.thread_view.clear_thread()
        self.recover_outbox()
        # The first screenful at once (a few ms, read here so no thread hop waits on the
        # mounting), then the whole list from a thread.
        self._show_rows(self._read_rows(limit=FIRST_SCREENFUL), partial=True)
        self.call_after_refresh(self.reload_list, delay=0)
        for notice in self.notices:
            self.notify(notice, severity="warning", markup=False, timeout=30)
        self.set_interval(1.0, self._tick)
        self._handle_stop_signals()

    def _handle_stop_signals(self) -> None:
        """TERM, HUP and QUIT end the app like `q`: the draft saved, the terminal restored.
        (Python's defaults die at once, leaving the terminal in the alternate screen.)"""
        import signal

        loop = asyncio.get_running_loop()
        for name in ("SIGTERM", "SIGHUP", "SIGQUIT"):
            number = getattr(signal, name, None)
            if number is None:
                continue
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, lambda: self.call_next(self.action_quit))

    def _fatal_error(self) -> None:
        """A crash shows a short message, never Textual's traceback: its locals would print
        the config with every key. The traceback goes to `--log` only (scrubbed there)."""
        error = self._exception
        log.error("inbox-tui stopped on an unexpected error", exc_info=error)
        self.bell()
        from rich.text import Text  # plain text, wrapped by the console it is printed on

        self._exit_renderables.append(
            Text(
                f"inbox-tui stopped on an unexpected error ({type(error).__name__}). Drafts and "
                "unsent replies are kept in the store. Run it with --log PATH to record the "
                "details for a bug report (keys are scrubbed there)."
            )
        )
        self._close_messages_no_wait()

    async def action_quit(self) -> None:
        self._save_draft_now()
        self.exit()

    @work(group="start", exit_on_error=False)
    async def finish_start(self) -> None:
        """After the first frame with rows: validate a quickly read config, then sync."""
        if self._config is None:
            try:
                self._config = await asyncio.to_thread(self._validated_config)
                self._config_ready.set()
            except ConfigError as error:
                self.store.set_setting(VALIDATED_SETTING, "")  # validate first next time
                self.config_error = str(error)
                self.exit(return_code=2)
                return
        if self._sync_enabled:
            self.start_sync()

    async def on_unmount(self) -> None:
        self._idle_gc.stop()
        if self.engine is not None:
            await self.engine.aclose()
        if self._providers is not None:
            await self._providers.aclose()

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

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        """A screenshot (the palette's) shows the inbox: private, like the store."""
        if event.path is not None:
            with contextlib.suppress(OSError):
                os.chmod(event.path, 0o600)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)):
            self._idle_gc.note_input()
        await super().on_event(event)

    def _tick(self) -> None:
        self.update_status()
        self._idle_gc.tick()
        if self._snooze_due is not None and self.clock() >= self._snooze_due:
            self._snooze_due = None
            self.reload_list(delay=0)  # a snooze ended: the conversation is back

    # -- sync -----------------------------------------------------------------------------------

    @work(group="sync", exit_on_error=False)
    async def start_sync(self) -> None:
        """Build the providers and run the engine, after the first frame and in a thread:
        importing httpx, anyio and the providers takes ~70 ms and loading the TLS context
        ~30 ms, which on the event loop would hold the first keys typed after the first frame."""
        self._providers, engine = await asyncio.to_thread(self._build_sync)
        self.engine = engine
        await asyncio.to_thread(engine.load_windows)
        engine.focus(self.profiles_in_scope, self.view.api_status)
        await engine.run()

    def _build_sync(self) -> tuple[Providers, SyncEngine]:
        from inbox_tui.providers.build import Providers
        from inbox_tui.providers.http import load_network_stack
        from inbox_tui.sync import SyncEngine

        load_network_stack()
        providers = Providers(self.config, transport=self._transport, clock=self.clock)
        engine = SyncEngine(
            store=self.store,
            providers=providers.by_profile,
            platforms={p.name: tuple(p.platforms) for p in self.config.profiles},
            settings=self.config.sync,
            clock=self.clock,
            on_change=lambda event: self.post_message(SyncChanged(event)),
        )
        return providers, engine

    @on(SyncChanged)
    def _sync_changed(self, message: SyncChanged) -> None:
        event = message.event
        self.update_status()
        if event.arrived:
            self.announce(event.arrived, event.profile)
        if not event.finished or event.profile not in self.profiles_in_scope:
            return
        if not event.changed:
            return  # nothing new
        self.reload_list(refs=[(event.profile, event.platform, cid) for cid in event.changed])
        self.reload_filters(delay=LIST_DEBOUNCE)  # a burst of results: one count, like the list
        shown = self.thread_view.row
        if shown is not None and shown.profile == event.profile and shown.id in event.changed:
            self.load_thread(shown.key, delay=0)

    def announce(self, arrived: Iterable, profile: str) -> None:
        """Tell the user about new inbound messages, except in the thread on screen."""
        settings = self.config.notifications
        shown = self.thread_view.row
        fresh = [
            m
            for m in arrived
            if shown is None or (profile, m.platform, m.conversation_id) != shown.ref
        ]
        if not fresh:
            return
        if settings.bell:
            self.bell()
        lines = [
            f"{m.sender_name or m.correspondent_name or 'Someone'} · {profile} · {m.platform.label}"
            for m in fresh[:MAX_TOASTS_PER_BATCH]
        ]
        if len(fresh) > MAX_TOASTS_PER_BATCH:
            lines.append(f"and {len(fresh) - MAX_TOASTS_PER_BATCH} more")
        title = "New message" if len(fresh) == 1 else f"{len(fresh)} new messages"
        if settings.toast:
            self.notify("\n".join(lines), title=title, markup=False)
        if settings.desktop:
            self.run_worker(
                desktop_notify(title, "\n".join(lines)), group="desktop-notify", exit_on_error=False
            )

    # -- reading the store ----------------------------------------------------------------------

    def _list_key(self) -> tuple:
        return (
            self.profiles_in_scope,
            self.view,
            self.platform_filter,
            self.unread_only,
            self.owned_only,
            self.sort,
        )

    def reload_list(
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
            self._list_whole = True
        else:
            self._list_refs.update(refs)
        return self._read_list(delay, keep)

    @work(exclusive=True, group="list", exit_on_error=False)
    async def _read_list(self, delay: float, keep: str | None) -> None:
        if delay:
            await asyncio.sleep(delay)
        asked = self._list_key()
        refs = self._list_refs
        # Past a few hundred rows (a first sync) one read of the whole list costs no more.
        whole = self._list_whole or self._list_partial or len(refs) > SPLICE_AT_MOST
        self._list_whole, self._list_refs = False, set()
        try:
            if whole and asked != self._shown_key:
                # Another view: its first screenful at once (one index walk), then the rest.
                rows = await asyncio.to_thread(self._read_rows, FIRST_SCREENFUL)
                if len(rows) == FIRST_SCREENFUL:
                    if asked == self._list_key() and (
                        keep is None or keep in {r.key for r in rows}
                    ):
                        self._show_rows(rows, keep, partial=True)
                    rows = await asyncio.to_thread(self._read_rows)
            elif whole:
                rows = await asyncio.to_thread(self._read_rows)
            else:
                rows = await asyncio.to_thread(self._spliced, self.conversation_list.rows, refs)
            self._snooze_due = await asyncio.to_thread(self.store.next_snooze_due, self.clock())
        except asyncio.CancelledError:  # a newer call reads instead, this one's rows included
            self._list_whole |= whole
            self._list_refs |= refs
            raise
        if asked != self._list_key():
            return  # the user moved on while we read (and that asked for the whole list)
        self._show_rows(rows, keep)

    def _spliced(
        self, rows: list[ConversationRow], refs: set[ConversationRef]
    ) -> list[ConversationRow]:
        """`rows` with the rows of `refs` read again: moved to their place, or gone."""
        fresh = self._read_rows(refs=refs)
        kept = [row for row in rows if row.ref not in refs]
        for row in fresh:
            bisect.insort(kept, row, key=list_position)
        return kept

    def _read_rows(
        self, limit: int | None = None, refs: Iterable[ConversationRef] | None = None
    ) -> list[ConversationRow]:
        return self.store.conversations(
            self.profiles_in_scope,
            self.view,
            PLATFORM_FILTERS[self.platform_filter],
            now=self.clock(),
            unread_only=self.unread_only,
            owned_only=self.owned_only,
            sort=self.sort,
            limit=limit,
            day_window_profiles=self.meta_profiles,
            refs=refs,
        )

    def _show_rows(
        self, rows: list[ConversationRow], keep: str | None = None, partial: bool = False
    ) -> None:
        self._list_partial = partial
        self._shown_key = self._list_key()
        if not self._started and not partial:
            self._started = True
            self.call_after_refresh(self.finish_start)
        widget = self.conversation_list
        current = widget.current
        keep = keep or (current.key if current else None)
        replaced = [widget.rows]
        widget.show(rows, self.clock(), show_profile=self.profile is None, keep=keep)
        if len(replaced[0]) > LET_GO_ELSEWHERE:  # after the frame that shows the new rows
            self.call_after_refresh(self._let_go_in_thread, replaced)
        platform = PLATFORM_FILTERS[self.platform_filter]
        widget.border_title = Content.assemble(
            (self.scope_label, "bold"),
            f" · {self.view.value.capitalize()}",
            f" · {platform.label}" if platform else "",
            " · unread only" if self.unread_only else "",
            " · this app's threads" if self.owned_only else "",
        )
        self._update_position()
        if not rows:
            widget.show_note(self._empty_note(platform))
            self.thread_view.clear_thread()

    @staticmethod
    def _let_go_in_thread(holder: list[list]) -> None:
        asyncio.get_running_loop().run_in_executor(None, _let_go, holder)  # nothing to await

    def _update_position(self) -> None:
        widget = self.conversation_list
        rows = widget.rows
        unread = widget.unread_count
        if self._list_partial:  # the first screenful: the counts come with the whole list
            widget.show_position(f"{(widget.highlighted or 0) + 1}/…")
            return
        position = f"{(widget.highlighted or 0) + 1}/{len(rows)}" if rows else "0"
        selected = f" · {len(widget.selected)} selected" if widget.selected else ""
        widget.show_position(f"{position} · {unread} unread{selected}")

    def _empty_note(self, platform: Platform | None) -> str:
        """Why the list is empty: still syncing, a platform failed, or truly nothing here."""
        if self.view is View.SNOOZED:
            return "Nothing snoozed. Press z on a conversation to snooze it."
        if self.unread_only:
            return "No unread conversations here (U shows all)."
        if self.owned_only:
            return "No conversations this app holds here (O shows all)."
        if not self._sync_enabled:
            return "Nothing stored for this view (sync is off)."
        states = [
            s
            for p in self.profiles_in_scope
            for s in (self.engine.platform_status(p) if self.engine else [])
        ]
        states = [s for s in states if platform is None or s.platform is platform]
        failed = sorted(
            {s.platform.label for s in states if s.error is not None and s.last_updated is None}
        )
        if failed:
            return f"{', '.join(failed)} could not be synced: the status bar says why."
        if self.engine is None or any(s.syncing or s.last_updated is None for s in states):
            return "Syncing…"
        return "No conversations here."

    @work(exclusive=True, group="filters", exit_on_error=False)
    async def reload_filters(self, delay: float = 0) -> None:
        if delay:
            await asyncio.sleep(delay)
        counts = await asyncio.to_thread(self.store.unread_counts, self.clock())
        scope = self.profiles_in_scope
        per = {"all": 0, **{p.value: 0 for p in Platform}}
        for (profile, platform), n in counts.items():
            if profile in scope:
                per[platform.value] += n
                per["all"] += n
        self.query_one(FilterBar).update(
            render_filters(
                per,
                self.platform_filter,
                unread_only=self.unread_only,
                sort=self.sort,
            )
        )

    @on(ConversationList.Highlighted)
    def _highlighted(self) -> None:
        row = self.conversation_list.current
        if row is None:
            return
        self._update_position()
        self.load_thread(row.key)

    @work(exclusive=True, group="thread", exit_on_error=False)
    async def load_thread(
        self,
        key: str,
        delay: float = THREAD_DEBOUNCE,
        message_id: str | None = None,
        more: bool = False,
    ) -> None:
        """Read the thread's newest window (`more`: one window further back) and show it."""
        if delay:
            await asyncio.sleep(delay)
        row = self.conversation_list.current
        if row is None or row.key != key:
            return
        await self._config_ready.wait()  # the reply window depends on the profile's provider
        shown = self.thread_view.row
        if shown is None or shown.key != key:
            self._thread_limit = THREAD_WINDOW
        elif more:
            self._thread_limit += THREAD_WINDOW
        limit = self._thread_limit
        thread, outbox, draft, replied = await asyncio.to_thread(
            self._read_thread, row, limit, message_id
        )
        if draft is not None:
            await self.composer.make_area()  # to show the draft in
        self._thread_limit = max(limit, len(thread.messages))
        current = self.conversation_list.current
        if current is None or current.key != key:
            return  # stale: the highlight moved while we read
        recipient = reply_recipient(
            current.platform, current.id, current.participant_id, thread.messages
        )
        window = self._window(current, replied) if recipient else ReplyWindow(False, NO_RECIPIENT)
        note = (
            f"window closes in {duration((window.closes_at - self.clock()).total_seconds())}"
            if (window.can_reply and window.closes_at)
            else ("window closed" if window.closes_at else "")
        )
        self.thread_view.show(
            current,
            thread,
            current.profile,
            self.clock(),
            focus_message=message_id,
            outbox=outbox,
            window_note=note,
        )
        self._attach_composer(current, draft, window, recipient)
        if self.engine is not None:
            self.engine.watch_thread(row.profile, row.platform, row.id, row.status)

    def _read_thread(self, row: ConversationRow, limit: int, message_id: str | None):
        """Everything the thread pane and the composer need, read in one go (in a thread).

        The month's replied conversations matter only for the monthly cap: without one
        configured, they are not counted (it is a scan of the profile's sent messages).
        """
        replied = (
            self.store.replied_conversations(row.profile, month_start(self.clock()))
            if self.config.ayrshare.monthly_conversation_cap is not None
            else set()
        )
        return (
            self.store.thread(row.ref, limit, including=message_id),
            self.store.outbox_for(row.ref),
            self.store.draft(row.ref),
            replied,
        )

    def _window(self, row: ConversationRow, replied: set) -> ReplyWindow:
        settings = self.config.ayrshare
        meta = row.profile in self.meta_profiles
        if meta and row.is_owner is False:
            return ReplyWindow(False, OTHER_APP_HOLDS_IT)
        refused = self.outbox.window_refused.get(row.ref)
        if refused is not None and (
            row.last_received_at is None or row.last_received_at <= refused
        ):
            return ReplyWindow(
                False,
                "Meta refused the reply: outside its 24-hour window (their last message is older). "
                "You can reply again when they write.",
            )
        if meta and row.can_reply is False:
            return ReplyWindow(
                False,
                "Meta says this conversation cannot be replied to (the person may have blocked "
                "the Page or left the conversation).",
            )
        if row.platform is Platform.TWITTER and not (settings.x_api_key and settings.x_api_secret):
            return ReplyWindow(False, X_KEYS_NEEDED)
        return reply_window(
            row.platform,
            row.last_received_at,
            self.clock(),
            replied_this_month=(row.platform, row.id) in replied,
            replied_count=len(replied),
            monthly_cap=None if meta else settings.monthly_conversation_cap,
            meta=meta,
            human_agent=meta and self.config.profile(row.profile).human_agent,
        )

    @on(ThreadView.WantsOlder)
    def _older(self, event: ThreadView.WantsOlder) -> None:
        self.load_thread(event.key, delay=0, more=True)

    @on(ConversationList.Opened)
    async def _opened(self) -> None:
        row = self.conversation_list.current
        if row is None:
            return
        self.thread_view.focus()
        if row.unread:
            await self.triage.mark_read([row.ref], record=False)
            self.refresh_lists(refs=[row.ref])

    def refresh_lists(
        self, keep: str | None = None, refs: Iterable[ConversationRef] | None = None
    ) -> None:
        """After a change made here: the list (only the rows of `refs` if given) and counts."""
        self.reload_list(delay=0, keep=keep, refs=refs)
        self.reload_filters()

    # -- status ---------------------------------------------------------------------------------

    def update_status(self) -> None:
        bar = self.query_one_optional(StatusBar)
        if bar is None:
            return  # shutting down: a late sync message after the widgets went
        now = self.clock()
        engine = self.engine
        profile = self.profile or self.profile_names[0]
        platforms = []
        if engine:
            for name in self.profiles_in_scope:
                platforms += engine.platform_status(name)
        platform = PLATFORM_FILTERS[self.platform_filter]
        bar.update(
            render_status(
                profile=self.scope_label,
                view=self.view,
                platform_filter=platform.label if platform else "all",
                platforms=platforms if self.profile else [],
                rate_limit=engine.rate_limits.get(profile) if engine and self.profile else None,
                paused_until=engine.paused_until(profile) if engine and self.profile else None,
                now=now,
                offline_note="" if self._sync_enabled else "Sync is off: showing the stored inbox.",
                action_error=self.action_error,
                all_errors=[s for s in platforms if s.error is not None]
                if not self.profile
                else None,
            )
        )

    # -- navigation and views -------------------------------------------------------------------

    def _refocus_engine(self) -> None:
        if self.engine is not None:
            self.engine.focus(self.profiles_in_scope, self.view.api_status)
            self.engine.unwatch_thread()

    def _view_changed(self) -> None:
        self._save_draft_now()
        self._refocus_engine()
        self.conversation_list.clear_selection()
        self.thread_view.clear_thread()
        self.refresh_lists()
        self.update_status()

    async def action_back(self) -> None:  # Textual's own is async: ours replaces it
        if not self.conversation_list.clear_selection():
            self.conversation_list.focus()
        self._update_position()

    def action_toggle_view(self) -> None:
        self.view = View.ARCHIVED if self.view is View.ACTIVE else View.ACTIVE
        self._view_changed()

    def action_snoozed_view(self) -> None:
        self.view = View.ACTIVE if self.view is View.SNOOZED else View.SNOOZED
        self._view_changed()

    def action_filter_platform(self, name: str) -> None:
        self.platform_filter = name
        self.refresh_lists()
        self.update_status()

    def action_toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only
        self.refresh_lists()

    def action_toggle_owned_only(self) -> None:
        self.owned_only = not self.owned_only
        self.refresh_lists()

    def action_toggle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refresh_lists()

    async def _unread_by_profile(self) -> dict[str, int]:
        """Unread conversations in the Active view, per profile (off the event loop)."""
        counts = await asyncio.to_thread(self.store.unread_counts, self.clock())
        per: dict[str, int] = {}
        for (profile, _), n in counts.items():
            per[profile] = per.get(profile, 0) + n
        return per

    async def action_switch_profile(self) -> None:
        from inbox_tui.ui.screens.profile_switcher import ALL_PROFILES, ProfileSwitcher

        unread = await self._unread_by_profile()
        profiles = [(p.name, unread.get(p.name, 0)) for p in self.config.profiles]
        current = self.profile if self.profile is not None else ALL_PROFILES
        self.push_screen(ProfileSwitcher(profiles, current), self._profile_chosen)

    def _profile_chosen(self, choice: str | None) -> None:
        from inbox_tui.ui.screens.profile_switcher import ALL_PROFILES

        if choice is None:
            return
        name = None if choice == ALL_PROFILES else choice
        if name != self.profile:
            self.switch_to_profile(name)

    def switch_to_profile(self, name: str | None, keep: str | None = None) -> None:
        self._save_draft_now()
        self.profile = name
        self._refocus_engine()
        self.conversation_list.clear_selection()
        self.thread_view.clear_thread()
        self.conversation_list.rows = []
        self.reload_list(delay=0, keep=keep)
        self.reload_filters()
        self.update_status()

    async def action_next_unread(self) -> None:
        """The next unread row here; past the end, the next profile that has one."""
        widget = self.conversation_list
        if widget.rows:
            index = widget.find(lambda r: r.unread, widget.highlighted or 0)
            if index is not None and index != widget.highlighted:
                widget.highlighted = index
                widget.focus()
                return
        if self.profile is not None and self.view is View.ACTIVE:
            unread = await self._unread_by_profile()
            names = [p.name for p in self.config.profiles]
            start = names.index(self.profile)
            for name in names[start + 1 :] + names[:start]:
                if unread.get(name):
                    rows = await asyncio.to_thread(
                        self.store.conversations,
                        (name,),
                        View.ACTIVE,
                        None,
                        now=self.clock(),
                        unread_only=True,
                    )
                    first = rows[0]
                    self.platform_filter, self.unread_only = "all", False
                    self.switch_to_profile(name, keep=first.key)
                    self.notify(f"Next unread is in {name}.", markup=False)
                    return
        if widget.current is None or not widget.current.unread:
            self.notify("No unread conversations.", markup=False)

    # -- triage ---------------------------------------------------------------------------------

    def _names(self, rows: list[ConversationRow]) -> dict:
        return {r.ref: r.participant_name or "(unknown)" for r in rows}

    def _report(self, failures: list[Failure], verb: str) -> None:
        if not failures:
            self.action_error = ""
            return
        first = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        self.action_error = f"Could not {verb} {first.name}{more}: {first.error}"
        self.notify(self.action_error, severity="error", markup=False, title="Not done")
        self.update_status()

    def worker_failed(self, words: str) -> None:
        """A worker failed (see worker_errors): said where triage failures are said."""
        self.action_error = words
        self.notify(words, severity="error", markup=False, title="Something went wrong")
        self.update_status()

    def _after_triage(self, rows: list[ConversationRow]) -> None:
        """Rows that left the view: keep the cursor near where they were."""
        widget = self.conversation_list
        gone = {r.ref for r in rows}
        shown, index = widget.rows, widget.highlighted or 0
        # The first row that stays from the cursor down, else the nearest above it (a walk
        # that stops at once, not a pass over 100k rows).
        nearest = chain(range(index, len(shown)), range(min(index, len(shown)) - 1, -1, -1))
        keep = next((shown[i].key for i in nearest if shown[i].ref not in gone), None)
        widget.clear_selection()
        self.refresh_lists(keep=keep, refs=[r.ref for r in rows])

    def action_archive(self) -> None:
        rows = self.conversation_list.targets()
        if not rows:
            return
        status = (
            ConversationStatus.ACTIVE if self.view is View.ARCHIVED else ConversationStatus.ARCHIVED
        )
        verb = "unarchive" if status is ConversationStatus.ACTIVE else "archive"
        if self.engine is None:
            self.notify(f"Cannot {verb} while sync is off.", severity="warning", markup=False)
            return
        self.run_worker(self._set_status(rows, status, verb), group="triage", exit_on_error=False)

    async def _set_status(
        self, rows: list[ConversationRow], status: ConversationStatus, verb: str
    ) -> None:
        targets = self._names(rows)
        await self.triage.set_status_locally(targets, status)
        self._after_triage(rows)  # the rows move at once
        failures = await self.triage.push_status(targets, status)
        self._report(failures, verb)
        if failures:
            self.refresh_lists(refs=[r.ref for r in rows])  # and come back if the API said no

    async def action_toggle_read(self) -> None:
        rows = self.conversation_list.targets()
        if not rows:
            return
        if any(r.unread for r in rows):
            await self.triage.mark_read([r.ref for r in rows])
        else:
            await self.triage.mark_unread([r.ref for r in rows])
        self.conversation_list.clear_selection()
        self.refresh_lists(refs=[r.ref for r in rows])

    def action_snooze(self) -> None:
        rows = self.conversation_list.targets()
        if not rows:
            return
        if self.view is View.SNOOZED:
            self.run_worker(self._unsnooze(rows), group="triage", exit_on_error=False)
            return
        from inbox_tui.ui.screens.snooze_picker import SnoozePicker

        what = rows[0].participant_name if len(rows) == 1 else f"{len(rows)} conversations"
        self.push_screen(SnoozePicker(self.clock, what), partial(self._snooze_chosen, rows))

    def _snooze_chosen(self, rows: list[ConversationRow], due: datetime | None) -> None:
        if due is not None:
            self.run_worker(self._snooze(rows, due), group="triage", exit_on_error=False)

    async def _snooze(self, rows: list[ConversationRow], due: datetime) -> None:
        await self.triage.snooze([r.ref for r in rows], due)
        self._after_triage(rows)
        self.notify(f"Snoozed until {stamp(due, self.clock())} (Z lists snoozed).", markup=False)

    async def _unsnooze(self, rows: list[ConversationRow]) -> None:
        await self.triage.unsnooze([r.ref for r in rows])
        self._after_triage(rows)

    async def action_undo(self) -> None:
        result = await self.triage.undo()
        if result is None:
            self.notify("Nothing to undo.", markup=False)
            return
        entry, failures = result
        # The cursor goes back to the first row it restored.
        self.refresh_lists(keep=ref_key(next(iter(entry.states))), refs=entry.states)
        if failures:
            self._report(failures, "undo for")
        else:
            self.notify(f"Undone: {entry.description}.", markup=False)

    # -- replying -------------------------------------------------------------------------------

    def _attach_composer(
        self, row: ConversationRow, draft: Draft | None, window: ReplyWindow, recipient: str
    ) -> None:
        """The composer follows the thread on screen; a draft keeps it open."""
        if self.reply_to is None or self.reply_to.key != row.key:
            if self.reply_to is not None:
                self._save_draft_now()
            self.reply_to = row
            self.media = list(draft.media_urls) if draft else []
            if self.composer.has_area:  # made by now if there is a draft
                area = self.composer.area
                with area.prevent(area.Changed):
                    area.load_text(draft.text if draft else "")
            self.composer.set_class(draft is not None, "-open")
        self.reply_to = row
        self.window = window
        self.recipient = recipient
        self._composer_status()
        if self._reply_when_loaded:
            self._reply_when_loaded = False
            self.run_worker(self.action_reply(), group="reply", exit_on_error=False)

    def _composer_status(self) -> None:
        row, window = self.reply_to, self.window
        if row is None or window is None:
            return
        parts: list = [
            ("To ", "$foreground-muted"),
            (row.participant_name or "(unknown)", "bold"),
            f" via {row.platform.label}",
        ]
        if not window.can_reply:
            self.composer.show_status(Content.assemble(*parts, "\n", window.reason), blocked=True)
            return
        if window.closes_at:
            left = duration((window.closes_at - self.clock()).total_seconds())
            parts.append(
                (
                    f" · window closes in {left}",
                    "$warning" if window.closes_at - self.clock() < timedelta(days=1) else "",
                )
            )
        if self.media:
            parts.append(
                f" · {len(self.media)} attachment{'s' if len(self.media) > 1 else ''}: "
                + ", ".join(self.media)
            )
        parts.append(
            (
                "  ·  enter sends, ctrl+j new line, ctrl+e $EDITOR, ctrl+l attach, ctrl+t saved, esc back",
                "$foreground-muted",
            )
        )
        self.composer.show_status(Content.assemble(*parts), blocked=False)

    async def action_reply(self) -> None:
        row = self.conversation_list.current
        if row is None:
            return
        if self.reply_to is None or self.reply_to.key != row.key:
            self._reply_when_loaded = True  # the thread is still loading: reply once it is
            self.load_thread(row.key, delay=0)
            return
        area = await self.composer.make_area()
        self.composer.add_class("-open")
        if self.window is not None and not self.window.can_reply:
            self.notify(self.window.reason, severity="warning", markup=False, title="Cannot reply")
            return
        area.focus()

    def action_leave_composer(self) -> None:
        self._save_draft_now()
        if not self.composer.area.text.strip() and not self.media:
            self.composer.remove_class("-open")
        self.conversation_list.focus()

    def on_text_area_changed(self, event) -> None:
        """Every change is written at once (one row, ~0.1 ms in WAL mode): a kill -9 loses at
        most the keys typed since the last change the app saw, never a pause's worth.

        Pasted text is text from elsewhere: control characters (C1's CSI and OSC bytes,
        which a terminal would act on) go before it is shown, saved or sent."""
        area = event.text_area
        cleaned = clean(area.text)
        if cleaned != area.text:
            with area.prevent(area.Changed):
                area.load_text(cleaned)
            area.move_cursor(area.document.end)
        composer = self.composer  # typed in the reply, not in a dialog's text area:
        if composer.has_area and area is composer.area:
            self._save_draft_now()

    def on_input_changed(self, event) -> None:
        """The same for every one-line box (search, snooze, names)."""
        cleaned = clean(event.value).replace("\n", " ")
        if cleaned != event.value:
            event.input.value = cleaned

    def _save_draft_now(self) -> None:
        """Drafts are small: one row, written at once, so leaving never loses a word."""
        if self.reply_to is None or not self.composer.has_area:
            return  # no reply area yet: nothing was written here
        had = self.reply_to.has_draft
        draft = Draft(self.composer.area.text, tuple(self.media))
        self.store.save_draft(self.reply_to.ref, draft, self.clock())
        if had != bool(draft.text.strip() or draft.media_urls):
            self.reload_list(delay=0, refs=[self.reply_to.ref])  # the ✎ marker

    def on_reply_area_submitted(self) -> None:
        row, window = self.reply_to, self.window
        text = self.composer.area.text.strip()
        if row is None or window is None or (not text and not self.media):
            return
        if not window.can_reply:
            self.notify(window.reason, severity="warning", markup=False, title="Cannot reply")
            return
        problems = media_problems(row.platform, self.media, text)
        if problems:
            self.notify("\n".join(problems), severity="warning", markup=False, title="Not sent")
            return
        if self.engine is None:
            self.notify(
                "Sync is off: replies cannot go out. The draft is kept.",
                severity="warning",
                markup=False,
            )
            return
        draft = Draft(text, tuple(self.media))
        self.media = []
        with self.composer.area.prevent(self.composer.area.Changed):
            self.composer.area.load_text("")
        self._composer_status()
        self.send_reply(row, self.recipient, draft)

    @work(group="send", exit_on_error=False)
    async def send_reply(self, row: ConversationRow, recipient: str, draft: Draft) -> None:
        send = asyncio.ensure_future(self.outbox.send(row.ref, recipient, draft))
        await asyncio.sleep(0.05)  # stored and under way: show it as "sending"
        self._refresh_thread(row)
        item = await send
        self._refresh_thread(row)
        self.reload_list(delay=0, refs=[row.ref])
        if item.state is OutboxState.ACCEPTED and self.engine is not None:
            self.engine.reread_thread(row.profile, row.id)
        if item.state is OutboxState.FAILED:
            self.notify(item.error, severity="error", markup=False, title="Not sent (R retries)")
        elif item.state is OutboxState.UNKNOWN:
            self.notify(item.error, severity="warning", markup=False, title="May not have gone out")

    def _refresh_thread(self, row: ConversationRow) -> None:
        current = self.conversation_list.current
        if current is not None and current.key == row.key:
            self.load_thread(row.key, delay=0)

    @work(group="send", exit_on_error=False)
    async def action_retry_reply(self) -> None:
        local_id = self.thread_view.highlighted_outbox
        row = self.thread_view.row
        if local_id is None or row is None:
            self.notify("Put the cursor on a reply that did not go out.", markup=False)
            return
        item = self.store.outbox_item(local_id)
        confirmed = False
        if item is not None and item.state is OutboxState.UNKNOWN:
            from inbox_tui.ui.screens.dialogs import Confirm

            confirmed = await self.push_screen_wait(
                Confirm(
                    "This reply may already have gone out. Send it again? They could get it twice.",
                    yes="Send again",
                )
            )
            if not confirmed:
                return
        await self.outbox.retry(local_id, confirmed_unknown=confirmed)
        self._refresh_thread(row)
        self.reload_list(delay=0, refs=[row.ref])

    async def action_discard_reply(self) -> None:
        local_id = self.thread_view.highlighted_outbox
        row = self.thread_view.row
        if local_id is None or row is None:
            return
        draft = await self.outbox.discard(local_id)
        if draft is not None:
            self.reply_to = None  # re-attach with the restored draft
            self._refresh_thread(row)
            self.reload_list(delay=0, refs=[row.ref])
            self.notify("The reply is back in the draft.", markup=False)

    @work(group="editor", exit_on_error=False)
    async def action_open_editor(self) -> None:
        """Write the reply in $VISUAL / $EDITOR (the terminal is handed over meanwhile)."""
        import os
        import shlex
        import shutil
        import tempfile

        from textual.app import SuspendNotSupported

        area = await self.composer.make_area()
        variable = "VISUAL" if os.environ.get("VISUAL") else "EDITOR"
        try:
            editor = shlex.split(os.environ.get(variable) or "vi")
        except ValueError:
            editor = []
        if not editor or shutil.which(editor[0]) is None:
            named = " ".join(editor) or os.environ.get(variable, "")
            self.notify(
                f"Couldn't start ${variable} ({named}): no such program. The draft is unchanged.",
                severity="error",
                markup=False,
            )
            return
        fd, path = tempfile.mkstemp(prefix="inbox-tui-reply-", suffix=".txt")  # created 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(area.text)
            argv = [*editor, path]
            try:
                with self.suspend():
                    code = await asyncio.to_thread(_run_editor, argv)
            except SuspendNotSupported:
                if not self.is_headless:  # a browser session: no terminal to hand over
                    self.notify(
                        "ctrl+e needs a terminal to hand to the editor; this session has none.",
                        markup=False,
                    )
                    return
                code = await asyncio.to_thread(_run_editor, argv)  # tests: run it anyway
            if isinstance(code, OSError):
                self.notify(
                    f"Couldn't start ${variable} ({editor[0]}): {code.strerror or code}. The "
                    "draft is unchanged.",
                    severity="error",
                    markup=False,
                )
                return
            if code != 0:
                self.notify(
                    f"{editor[0]} exited with {code}: the reply is unchanged.", markup=False
                )
                return
            with open(path, encoding="utf-8") as handle:
                text = handle.read().rstrip("\n")
        except OSError as error:
            self.notify(
                f"Could not run the editor: {error.strerror}.", severity="error", markup=False
            )
            return
        finally:
            if os.path.exists(path):
                os.unlink(path)
        area.load_text(text)
        self.composer.add_class("-open")
        area.focus()

    @work(group="attach", exit_on_error=False)
    async def action_attach_media(self) -> None:
        row = self.reply_to
        if row is None:
            return
        from inbox_tui.ui.screens.dialogs import TextPrompt

        def check(url: str) -> str:
            if url == "-":
                return ""
            return "; ".join(
                p for p in media_problems(row.platform, [url], "x") if "exactly one" not in p
            )

        current = ", ".join(self.media) or "none"
        url = await self.push_screen_wait(
            TextPrompt(
                "Attach a media URL",
                placeholder="https://…/photo.jpg",
                hint=f"Attached: {current}. Enter - to remove the last one.",
                check=check,
            )
        )
        if url == "-":
            self.media = self.media[:-1]
        elif url:
            self.media.append(url)
        self._save_draft_now()
        self._composer_status()
        (await self.composer.make_area()).focus()

    @work(group="saved-replies", exit_on_error=False)
    async def action_saved_replies(self) -> None:
        row = self.reply_to
        if row is None:
            return
        from inbox_tui.ui.screens.saved_replies import SavedRepliesScreen

        profile = self.config.profile(row.profile)

        async def save(replies: list[SavedReply]) -> str:
            return await self._change_config(
                "set_saved_replies", row.profile, [r.model_dump() for r in replies]
            )

        text = await self.push_screen_wait(SavedRepliesScreen(profile.saved_replies, row, save))
        if text:
            area = await self.composer.make_area()
            self.composer.add_class("-open")
            area.insert(text)
            area.focus()

    # -- settings -------------------------------------------------------------------------------

    async def _change_config(self, change: str, *args) -> str:
        """Write a change to the config file and apply it; returns a problem, or ""."""
        from inbox_tui.config import edit as config_edit

        if self.config_path is None:
            return "The demo's settings are not saved: run inbox-tui with a config file."
        try:
            config = await asyncio.to_thread(getattr(config_edit, change), self.config_path, *args)
        except ConfigError as error:
            return str(error)
        self.config = config
        return ""

    def action_auto_response(self) -> None:
        from inbox_tui.ui.screens.auto_response import AutoResponseScreen

        row = self.conversation_list.current
        profile = self.profile or (row.profile if row else self.config.profiles[0].name)
        self.push_screen(
            AutoResponseScreen(
                profile, lambda: self.engine.providers.get(profile) if self.engine else None
            )
        )

    def action_manage_profiles(self) -> None:
        from inbox_tui.ui.screens.profile_manager import ProfileManager

        async def add(name: str, key: str, platforms: list[str]) -> str:
            return (
                await self._change_config("add_profile", name, key or None, platforms)
                or self._restart_sync()
            )

        async def rename(old: str, new: str) -> str:
            problem = await self._change_config("rename_profile", old, new)
            if problem:
                return problem
            await asyncio.to_thread(self.store.rename_profile, old, new)
            if self.profile == old:
                self.profile = new
            return self._restart_sync()

        async def remove(name: str) -> str:
            if len(self.config.profiles) == 1:
                return "The last profile cannot be removed."
            problem = await self._change_config("remove_profile", name)
            if problem:
                return problem
            if self.profile == name:
                self.profile = self.config.profiles[0].name
            return self._restart_sync()

        self.push_screen(ProfileManager(lambda: self.config.profiles, add, rename, remove))

    def _restart_sync(self) -> str:
        """Apply a changed profile list: new providers, same store."""
        self.workers.cancel_group(self, "sync")
        self.run_worker(self._stop_and_start_sync(), group="sync-restart", exit_on_error=False)
        self.switch_to_profile(self.profile)
        return ""

    async def _stop_and_start_sync(self) -> None:
        if self.engine is not None:
            await self.engine.aclose()
        if self._providers is not None:
            await self._providers.aclose()
        self.engine, self._providers = None, None
        if self._sync_enabled:
            self.start_sync()

    # -- search ---------------------------------------------------------------------------------

    def action_search(self) -> None:
        from inbox_tui.ui.screens.search import SearchScreen

        self.push_screen(
            SearchScreen(self.store, self.clock, profiles=len(self.config.profiles)),
            self._search_chosen,
        )

    def _search_chosen(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        view = View.ARCHIVED if hit.status is ConversationStatus.ARCHIVED else View.ACTIVE
        key = ref_key((hit.profile, hit.platform, hit.conversation_id))
        self.view, self.platform_filter = view, "all"
        self.unread_only = self.owned_only = False  # the hit shows, whatever the filters
        if self.profile is not None:
            self.profile = hit.profile
        self._refocus_engine()
        self.thread_view.clear_thread()
        self.open_hit(key, hit.message_id)

    @work(exclusive=True, group="list", exit_on_error=False)
    async def open_hit(self, key: str, message_id: str) -> None:
        """Show the hit's conversation, even if snoozed, and open it at the message. The list
        is read as any other (the user's sort included: the next partial update compares
        its rows' sort keys with the fresh ones)."""
        rows = await asyncio.to_thread(self._read_rows)
        if not any(r.key == key for r in rows):
            self.view = View.SNOOZED
            rows = await asyncio.to_thread(self._read_rows)
        self._show_rows(rows, keep=key)
        self.reload_filters()
        self.update_status()
        if self.conversation_list.current and self.conversation_list.current.key == key:
            self.load_thread(key, delay=0, message_id=message_id)
            self.thread_view.focus()

    # -- the rest -------------------------------------------------------------------------------

    def action_refresh(self) -> None:
        if self.engine is None:
            self.notify("Sync is not running.", markup=False, severity="warning")
            return
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
        from inbox_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    @work(group="links", exit_on_error=False)
    async def action_open_link(self) -> None:
        """Links of the message under the thread's cursor; http(s) only, after a yes."""
        from inbox_tui.ui.screens.dialogs import Confirm
        from inbox_tui.ui.screens.links import LinkPicker, links_in

        view = self.thread_view
        option = (
            view.get_option_at_index(view.highlighted) if view.highlighted is not None else None
        )
        if option is None:
            return
        urls = links_in(
            option.prompt.plain if isinstance(option.prompt, Content) else str(option.prompt), []
        )
        if not urls:
            self.notify("No link or attachment in this message.", markup=False)
            return
        url = await self.push_screen_wait(LinkPicker(urls))
        if not url:
            return
        if await self.push_screen_wait(Confirm(f"Open in your browser?\n\n{url}", yes="Open")):
            self.open_url(url)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for spec in KEYMAP:
            if spec.action == "quit":
                continue
            title = spec.description + ("" if spec.ready else " (coming)")
            yield SystemCommand(title, f"Key: {spec.label}", partial(self.run_action, spec.action))
