"""The sync engine: keeps the store fresh, one schedule per stream, never early.

A stream is one kind of request for one profile: the conversation list of a platform in one
status, all messages of a platform in one status, or one open thread. Each stream has its own
due time: never before the API's `nextUpdate` (a request then returns the same cached data),
later after errors (exponential backoff), and, after a 429, not until the profile's 5-minute
rate-limit window has passed. A stream is never fetched twice at once.

Profiles on screen are kept fresh at the API's pace; the others refresh every
`background_interval_seconds` so their unread counts stay right.

No Textual here: the UI passes `on_change` and turns events into messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from inbox_tui.config.model import Config, SyncSettings
from inbox_tui.domain import ConversationStatus, Message, Platform, utcnow
from inbox_tui.label_sync import LabelSync
from inbox_tui.platform_rules import CACHE_WINDOWS
from inbox_tui.providers.base import MessagingProvider, ProviderError, RateLimited
from inbox_tui.providers.results import Fetched, RateLimit
from inbox_tui.store import Store, SyncWindow
from inbox_tui.sync_streams import PlatformStatus, StreamKey, StreamState, SyncEvent
from inbox_tui.triage import Triage

log = logging.getLogger(__name__)

MIN_GAP = timedelta(seconds=5)  # even a window in the past never makes us loop
MAX_WINDOW = timedelta(minutes=10)  # a window far ahead (clock skew) is capped
RATE_LIMIT_PAUSE = timedelta(minutes=5)
# Profiles not on screen: this many of their fetches at once, at most (50 brands starting
# together were ~1,250 requests in seconds, the CPU at 100 % and keys waiting a second).
BACKGROUND_IN_FLIGHT = 4
# Near the request budget the API reports (`x-ratelimit-*`, `RateLimit.nearly_spent`): a
# profile's streams wait this long between asks, so a window's budget is never spent (a
# profile that collects 429s gets suspended). The next answer's count says whether the window
# has turned.
BUDGET_WAIT = timedelta(seconds=60)


@dataclass
class _Focus:
    profiles: tuple[str, ...] = ()
    status: ConversationStatus = ConversationStatus.ACTIVE
    thread: StreamKey | None = None


@dataclass
class SyncEngine:
    store: Store
    providers: Mapping[str, MessagingProvider]  # profile id -> its provider
    platforms: Mapping[str, tuple[Platform, ...]]  # profile id -> configured platforms
    settings: SyncSettings = field(default_factory=SyncSettings)
    clock: Callable[[], datetime] = utcnow
    on_change: Callable[[SyncEvent], object] = lambda event: None  # its result is not read
    labels: LabelSync | None = None  # None: labels are not synced (no profile shares them)

    @classmethod
    def for_config(
        cls,
        config: Config,
        store: Store,
        providers: Mapping[str, MessagingProvider],
        clock: Callable[[], datetime],
        on_change: Callable[[SyncEvent], object],
    ) -> SyncEngine:
        """The engine for a config's profiles (the app's and `inbox-tui sync`'s)."""
        return cls(
            store=store,
            providers=providers,
            platforms={p.name: tuple(p.platforms) for p in config.profiles},
            settings=config.sync,
            clock=clock,
            on_change=on_change,
            labels=LabelSync.for_config(config, store, lambda: providers),
        )

    def __post_init__(self) -> None:
        self._streams: dict[StreamKey, StreamState] = {}
        self._focus = _Focus()
        self._paused_until: dict[str, datetime] = {}  # profile -> after a 429
        self.rate_limits: dict[str, RateLimit] = {}
        self._rate_seen: dict[str, datetime] = {}  # when each profile's rate limit was read
        self._under_way: dict[str, int] = {}  # profile -> its fetches in flight
        self._started: datetime | None = None  # the first `start_due`: background slots
        self._wake = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()
        self._windows: dict[tuple[str, str], SyncWindow] = {}
        self._labels_of: StreamKey | None = None  # the thread just opened: read its labels

    # -- what the UI asks for -------------------------------------------------------------------

    def load_windows(self) -> None:
        """Take the windows of the last run from the store (call once, off the event loop)."""
        self._windows = self.store.windows()

    def focus(self, profiles: tuple[str, ...], status: ConversationStatus) -> None:
        self._focus.profiles = profiles
        self._focus.status = status
        self._wake.set()

    def watch_thread(
        self, profile: str, platform: Platform, conversation_id: str, status: ConversationStatus
    ) -> None:
        """Keep this thread fresh by `conversationId` (None-able via `unwatch_thread`)."""
        self._focus.thread = self._labels_of = StreamKey(
            profile, platform, "thread", status, conversation_id
        )
        self._wake.set()

    def reread_thread(self, profile: str, conversation_id: str) -> None:
        """After a reply: a provider that serves no cache (Meta) is asked for the thread again
        at once, so the reply shows as sent; a cached one (Ayrshare) keeps its window."""
        if getattr(self.providers.get(profile), "cached", True):
            return
        for key, state in self._streams.items():
            if key.profile == profile and key.conversation_id == conversation_id:
                state.next_update = None
        self._wake.set()

    def wake(self) -> None:
        """Re-check what is due now (after the clock jumped, e.g. a resume from sleep)."""
        self._wake.set()

    def unwatch_thread(self) -> None:
        self._focus.thread = None

    def refresh_now(self) -> datetime:
        """Drop the backoff and the background pace of the focused streams.

        Still never before `nextUpdate`: returns when the first request may go.
        """
        now = self.clock()
        focused = [k for k in self._wanted() if k.profile in self._focus.profiles]
        for key in focused:
            state = self._state(key)
            state.retry_at = None
            state.failures = 0
        self._wake.set()
        return min((self._due(key, now) for key in focused), default=now)

    # -- scheduling -----------------------------------------------------------------------------

    def _state(self, key: StreamKey) -> StreamState:
        state = self._streams.get(key)
        if state is None:
            window = self._windows.get((key.profile, key.name), SyncWindow(None, None))
            state = self._streams[key] = StreamState(
                last_updated=window.last_updated,
                next_update=window.next_update,
                retry_at=window.retry_at,
                failures=window.failures,
                error=ProviderError(window.error) if window.error else None,  # its words
            )
        return state

    def _wanted(self) -> list[StreamKey]:
        focus = self._focus
        keys: list[StreamKey] = []
        archived, watches = ConversationStatus.ARCHIVED, []
        for profile, platforms in self.platforms.items():
            status = self._status_for(profile)
            # Archived threads' messages at the background pace (after every list), to see a
            # customer write again where the API keeps the thread archived (`reopen_archived`).
            watch = status is not archived and self._watches_archive(profile)
            for platform in platforms:
                keys.append(StreamKey(profile, platform, "conversations", status))
                keys.append(StreamKey(profile, platform, "messages", status))
                if watch:
                    watches.append(StreamKey(profile, platform, "messages", archived))
        keys += watches
        if focus.thread is not None and focus.thread.profile in self.platforms:
            keys.append(focus.thread)
        return keys

    def _watches_archive(self, profile: str) -> bool:
        return self.settings.reopen_archived and getattr(
            self.providers.get(profile), "archives", True
        )

    def _background(self, key: StreamKey) -> bool:
        """Kept at the background pace: a profile not on screen, or its archive's watch."""
        return key.profile not in self._focus.profiles or key.status is not self._status_for(
            key.profile
        )

    def _status_for(self, profile: str) -> ConversationStatus:
        """The status a profile's lists are fetched in: the view's, when it is on screen and
        its provider archives remotely (Meta's does not: archive is the app's alone)."""
        archives = getattr(self.providers.get(profile), "archives", True)
        if profile in self._focus.profiles and archives:
            return self._focus.status
        return ConversationStatus.ACTIVE

    def _due(self, key: StreamKey, now: datetime) -> datetime:
        state = self._state(key)
        due = now
        limits = (
            state.next_update,
            state.retry_at,
            self._paused_until.get(key.profile),
            self._budget_wait(key.profile, now),
        )
        for limit in limits:
            if limit is not None and limit > due:
                due = limit
        if self._background(key):
            interval = timedelta(seconds=self.settings.background_interval_seconds)
            if state.last_fetch is not None:
                due = max(due, state.last_fetch + interval)
            elif self._started is not None:  # the first refresh: spread over the interval
                due = max(due, self._started + self._background_slot(key.profile, interval))
        return due

    def _background_slot(self, profile: str, interval: timedelta) -> timedelta:
        """When in the interval a background profile first refreshes: in groups of
        `BACKGROUND_IN_FLIGHT`, the groups evenly spread, so that they do not all ask at once
        (and stay apart, each `interval` after its last). A few brands all go at the start."""
        background = [p for p in self.platforms if p not in self._focus.profiles]
        if profile not in background:  # the archive's watch of a profile on screen: at once
            return timedelta(0)
        groups = -(-len(background) // BACKGROUND_IN_FLIGHT)
        return interval * ((background.index(profile) // BACKGROUND_IN_FLIGHT) / groups)

    def _budget_wait(self, profile: str, now: datetime) -> datetime | None:
        """Near the reported request budget: nothing until a while after it was read, then
        one request at a time (its answer says whether the window has turned)."""
        rate, seen = self.rate_limits.get(profile), self._rate_seen.get(profile)
        under_way = self._under_way.get(profile, 0)
        if rate is None or seen is None or not rate.nearly_spent(under_way):
            return None
        if under_way:  # wait for its answer (it wakes the engine)
            return max(seen, now) + BUDGET_WAIT
        if rate.count + 1 >= rate.max:  # no probe left: the window must turn first
            return seen + RATE_LIMIT_PAUSE
        return seen + BUDGET_WAIT

    def start_due(self) -> list[asyncio.Task]:
        """Start a fetch for every wanted stream that is due and not already running (profiles
        not on screen: `BACKGROUND_IN_FLIGHT` at a time)."""
        now = self.clock()
        if self._started is None:
            self._started = now
        started = []
        background = sum(
            state.in_flight for key, state in self._streams.items() if self._background(key)
        )
        for key in self._wanted():
            state = self._state(key)
            if state.in_flight or self._due(key, now) > now:
                continue
            if self._background(key):
                if background >= BACKGROUND_IN_FLIGHT:
                    continue
                background += 1
            state.in_flight = True
            self._under_way[key.profile] = self._under_way.get(key.profile, 0) + 1
            task = asyncio.create_task(
                self._fetch(key, state), name=f"sync {key.profile} {key.name}"
            )
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started.append(task)
        return started

    async def tick(self) -> int:
        """Run every due fetch to completion; returns how many ran (tests drive this)."""
        tasks = self.start_due()
        if tasks:
            await asyncio.gather(*tasks)
        return len(tasks)

    @property
    def busy(self) -> bool:
        """A fetch is under way."""
        return any(state.in_flight for state in self._streams.values())

    def next_due(self) -> datetime | None:
        now = self.clock()
        pending = [self._due(k, now) for k in self._wanted() if not self._state(k).in_flight]
        return min(pending, default=None)

    async def run(self) -> None:
        """The background loop: start what is due, sleep until the next due time or a wake."""
        while True:
            self._wake.clear()
            self.start_due()
            due = self.next_due()
            timeout = None if due is None else max(0.05, (due - self.clock()).total_seconds())
            # asyncio.timeout, not wait_for: on 3.11 wait_for swallows a cancel that lands
            # with the wake-up (a fetch ending), and the loop outlived its app.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- one fetch ------------------------------------------------------------------------------

    async def _fetch(self, key: StreamKey, state: StreamState) -> None:
        """One request and its store write. Whatever happens, the stream ends the fetch not in
        flight, with its outcome said (an unexpected failure is an error like any other:
        a stream that stayed "in flight" would never be fetched again)."""
        state.last_fetch = self.clock()
        self.on_change(SyncEvent(key.profile, key.platform, key.kind, finished=False))
        try:
            event = await self._fetch_and_store(key, state)
        except asyncio.CancelledError:
            raise
        except ProviderError as error:
            event = await self._failure(key, state, error)
        except Exception as exc:  # a bug, a full disk, a time out of range: never a wedge
            log.exception("sync %s %s failed unexpectedly", key.profile, key.name)
            event = await self._failure(key, state, ProviderError(_unexpected(exc)))
        finally:
            state.in_flight = False
            self._under_way[key.profile] -= 1
            self._wake.set()
        self.on_change(event)

    async def _fetch_and_store(self, key: StreamKey, state: StreamState) -> SyncEvent:
        provider = self.providers[key.profile]
        arrived: tuple[Message, ...] = ()
        if key.kind == "conversations":
            fetched: Fetched = await provider.conversations(key.platform, key.status)
            stored = await asyncio.to_thread(
                self.store.upsert_conversations,
                key.profile,
                key.platform,
                key.status,
                fetched.data,
                fetched.last_updated,
            )
            changed = frozenset(stored)
            if self.labels is not None:  # ours out first, then theirs on what changed
                walked = [c.id for c in fetched.data if c.id in stored]
                changed |= await self.labels.read(key.profile, key.platform, walked)
        else:
            fetched = await provider.messages(key.platform, key.status, key.conversation_id or None)
            result = await asyncio.to_thread(
                self.store.upsert_messages, key.profile, key.platform, fetched.data, key.status
            )
            changed = frozenset(result.changed)
            if state.synced:
                arrived = tuple(result.arrived)
            if result.reopened and self.settings.reopen_archived:
                await self._reopen(key, result.reopened)
            if self.labels is not None and key == self._labels_of:
                self._labels_of = None
                changed |= await self.labels.read(key.profile, key.platform, [key.conversation_id])
        self._succeeded(key, state, fetched)
        await self._save_window(key, state)
        return SyncEvent(key.profile, key.platform, key.kind, changed=changed, arrived=arrived)

    async def _failure(self, key: StreamKey, state: StreamState, error: ProviderError) -> SyncEvent:
        self._failed(key, state, error)
        with contextlib.suppress(sqlite3.Error):  # a full disk: the backoff holds in memory
            await self._save_window(key, state)
        return SyncEvent(key.profile, key.platform, key.kind, error=error)

    async def _save_window(self, key: StreamKey, state: StreamState) -> None:
        """The window and the backoff, for the next run (see `SyncWindow`)."""
        error = str(state.error) if state.error is not None else ""
        window = SyncWindow(
            state.last_updated, state.next_update, state.retry_at, state.failures, error
        )
        await asyncio.to_thread(self.store.save_window, key.profile, key.name, window)

    async def _reopen(self, key: StreamKey, conversation_ids: set[str]) -> None:
        """Back to Active, here at once and then at the API; a refused PUT leaves it archived."""
        refs = {(key.profile, key.platform, cid): "" for cid in conversation_ids}
        triage = Triage(self.store, lambda: self.providers, self.clock)
        for failure in await triage.set_status(refs, ConversationStatus.ACTIVE, record=False):
            log.warning("could not bring %s back from the archive: %s", failure.ref, failure.error)

    def _succeeded(self, key: StreamKey, state: StreamState, fetched: Fetched) -> None:
        now = self.clock()
        state.failures = 0
        state.retry_at = None
        state.error = None
        state.synced = True
        state.last_updated = fetched.last_updated or now
        state.next_update = self._window_end(key, fetched, now)
        if fetched.rate_limit is not None:
            self._note_rate(key.profile, fetched.rate_limit, now)

    def _note_rate(self, profile: str, rate: RateLimit, now: datetime) -> None:
        """The latest request count, but answers of requests made together come back in any
        order: a lower count read soon after a higher one is an older answer, not a new window."""
        known, seen = self.rate_limits.get(profile), self._rate_seen.get(profile)
        if (
            known is not None
            and seen is not None
            and known.percent == rate.percent
            and rate.count < known.count
            and now - seen < BUDGET_WAIT
        ):
            return
        self.rate_limits[profile] = rate
        self._rate_seen[profile] = now

    def _window_end(self, key: StreamKey, fetched: Fetched, now: datetime) -> datetime:
        nxt, last = fetched.next_update, fetched.last_updated
        if nxt is not None and now < nxt <= now + MAX_WINDOW:
            return nxt
        # Missing, past or absurd (a skewed clock): trust the window's length, not its clock,
        # and never less than the documented cache window of a cached API (a `nextUpdate` in
        # the past would otherwise mean a request every few seconds).
        cached = getattr(self.providers.get(key.profile), "cached", True)
        documented = CACHE_WINDOWS[key.platform] if cached else MIN_GAP
        length = (nxt - last) if (nxt is not None and last is not None) else documented
        return now + min(max(length, documented, MIN_GAP), MAX_WINDOW)

    def _failed(self, key: StreamKey, state: StreamState, error: ProviderError) -> None:
        now = self.clock()
        state.failures += 1
        state.error = error
        if error.rate_limit is not None:
            self._note_rate(key.profile, error.rate_limit, now)
        if isinstance(error, RateLimited):
            until = error.until or now + RATE_LIMIT_PAUSE
            self._paused_until[key.profile] = max(until, self._paused_until.get(key.profile, until))
        settings = self.settings
        if error.retryable:
            delay = settings.backoff_initial_seconds * 2 ** (state.failures - 1)
        else:  # a key, a permission or a setting must change first: ask rarely
            delay = settings.backoff_max_seconds
        state.retry_at = now + timedelta(seconds=min(delay, settings.backoff_max_seconds))
        log.info(
            "sync %s %s failed (%s); retry at %s",
            key.profile,
            key.name,
            type(error).__name__,
            state.retry_at,
        )

    # -- what the status bar shows --------------------------------------------------------------

    def platform_status(self, profile: str) -> list[PlatformStatus]:
        out = []
        now = self.clock()
        status = self._status_for(profile)
        for platform in self.platforms.get(profile, ()):
            keys = [
                StreamKey(profile, platform, kind, status) for kind in ("conversations", "messages")
            ]
            states = [self._state(k) for k in keys]
            errors = [s.error for s in states if s.error is not None]
            updated = [s.last_updated for s in states if s.last_updated is not None]
            out.append(
                PlatformStatus(
                    profile=profile,
                    platform=platform,
                    syncing=any(s.in_flight for s in states),
                    error=errors[0] if errors else None,
                    last_updated=min(updated) if updated else None,
                    next_at=min(self._due(k, now) for k in keys),
                )
            )
        return out

    def paused_until(self, profile: str) -> datetime | None:
        until = self._paused_until.get(profile)
        return until if until is not None and until > self.clock() else None


def _unexpected(exc: Exception) -> str:
    """An unexpected failure in plain words (a full disk first: the user can act on it)."""
    full = isinstance(exc, sqlite3.OperationalError) and "full" in str(exc).lower()
    if full or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC):
        return "The disk is full: nothing new could be stored. Free some space; sync goes on."
    return (
        f"Sync failed unexpectedly ({type(exc).__name__}); it will be tried again. --log has more."
    )
