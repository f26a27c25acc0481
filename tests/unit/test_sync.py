"""The sync engine with an injected clock, against the fake over loopback."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from inbox_tui.config.model import SyncSettings
from inbox_tui.domain import ConversationStatus, Platform
from inbox_tui.providers.base import NetworkError
from inbox_tui.store import SyncWindow, View
from inbox_tui.sync import SyncEngine
from tests.factories import BRAND_KEY

ACTIVE = ConversationStatus.ACTIVE
PLATFORMS = {
    "Primary": (Platform.FACEBOOK, Platform.INSTAGRAM, Platform.TWITTER),
    "Brand": (Platform.FACEBOOK, Platform.INSTAGRAM),
}


def make_engine(store, session, clock, events=None, **settings):
    """The engine of the two profiles. Without the archive's watch unless asked for: these
    tests count the lists' own requests (the watch has tests of its own)."""
    settings.setdefault("reopen_archived", False)
    providers = {"Primary": session.for_profile(None), "Brand": session.for_profile(BRAND_KEY)}
    return SyncEngine(
        store=store,
        providers=providers,
        platforms=PLATFORMS,
        settings=SyncSettings(**settings),
        clock=clock,
        on_change=(events.append if events is not None else lambda e: None),
    )


def requests_for(fake, key=None):
    return [r for r in fake.requests if r.headers.get("profile-key") == key]


def stream_requests(fake, platform, key=None, only=None, status="active"):
    """GETs of a platform's lists (`status`'s: the archive's watch is apart)."""
    return [
        r
        for r in requests_for(fake, key)
        if r.path == f"/api/messages/{platform}"
        and r.query.get("status", "active") == status
        and (
            only is None
            or (r.query.get("conversationsOnly") == "true") == (only == "conversations")
        )
        and "next" not in r.query
    ]


async def test_never_a_request_before_next_update(store, session, fake, clock):
    engine = make_engine(store, session, clock)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    first = len(fake.requests)
    assert len(stream_requests(fake, "facebook")) == 2  # list + messages
    assert len(store.conversations(["Primary"], View.ACTIVE, now=clock())) == 4
    for seconds in (1, 5, 8):  # X's window is 15 s; FB/IG's 60 s
        clock.advance(seconds)
        assert await engine.tick() == 0
    assert len(fake.requests) == first
    clock.advance(1)  # t = 15 s: only X is due
    await engine.tick()
    assert len(stream_requests(fake, "twitter")) == 4  # 2 streams x 2 windows (first pages)
    assert len(stream_requests(fake, "facebook")) == 2
    clock.advance(44)  # t = 59 s
    await engine.tick()  # X again (its window ended at 30 and 45 s); FB and IG not yet
    assert len(stream_requests(fake, "facebook")) == 2
    clock.advance(1)  # t = 60 s: FB and IG windows end
    await engine.tick()
    assert len(stream_requests(fake, "facebook")) == 4
    assert len(stream_requests(fake, "instagram")) == 4


async def test_one_request_per_stream_per_window_over_ten_minutes(store, session, fake, clock):
    engine = make_engine(store, session, clock, reopen_archived=True)
    engine.focus(("Primary",), ACTIVE)
    for _ in range(600):  # a tick every simulated second
        await engine.tick()
        clock.advance(1)
    # 600 s: FB/IG windows of 60 s -> 10 each; X windows of 15 s -> 40 (each a full paged read).
    assert len(stream_requests(fake, "facebook", only="conversations")) == 10
    assert len(stream_requests(fake, "facebook", only="messages")) == 10
    assert len(stream_requests(fake, "twitter", only="conversations")) == 40
    # The archive's messages at the background pace (300 s), to see a customer write again.
    assert len(stream_requests(fake, "facebook", only="messages", status="archived")) == 2
    assert len(stream_requests(fake, "facebook", status="archived")) == 2  # no archived list


async def test_never_two_fetches_of_one_stream_at_once(store, session, fake, clock):
    engine = make_engine(store, session, clock)
    engine.focus(("Primary",), ACTIVE)
    first = engine.start_due()
    second = engine.start_due()  # before the first batch finished
    assert first and second == []
    await asyncio.gather(*first)


async def test_backoff_doubles_after_faults(store, session, fake, clock):
    engine = make_engine(store, session, clock, backoff_initial_seconds=5, backoff_max_seconds=40)
    engine.focus(("Primary",), ACTIVE)
    broken = engine.providers["Primary"]

    calls = []

    async def fail(*args, **kwargs):
        calls.append(clock())
        raise NetworkError("Could not reach Ayrshare: connection reset")

    broken.conversations = fail  # type: ignore[method-assign]
    broken.messages = fail  # type: ignore[method-assign]
    await engine.tick()
    per_round = len(calls)
    assert per_round == 6  # 3 platforms x 2 streams
    gaps = []
    for _ in range(5):
        before = len(calls)
        waited = 0
        while len(calls) == before:
            clock.advance(1)
            waited += 1
            await engine.tick()
        gaps.append(waited)
    assert gaps == [5, 10, 20, 40, 40]  # doubling, capped
    (state,) = [s for s in engine.platform_status("Primary") if s.platform is Platform.FACEBOOK]
    assert "connection reset" in str(state.error)


async def test_after_a_429_the_profile_waits_for_the_window(store, session, fake, clock):
    fake.settings.rate_limit_max = 3
    engine = make_engine(store, session, clock)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    assert engine.paused_until("Primary") is not None
    sent = len(fake.requests)
    clock.advance(290)
    await engine.tick()
    assert len(fake.requests) == sent  # still inside the 5 minutes
    fake.settings.rate_limit_max = 250  # say the plan was upgraded meanwhile
    clock.advance(11)
    await engine.tick()
    assert len(fake.requests) > sent and engine.paused_until("Primary") is None


async def test_background_profiles_refresh_at_the_slower_pace(store, session, fake, clock):
    engine = make_engine(store, session, clock, background_interval_seconds=300)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    brand = lambda: [r for r in requests_for(fake, BRAND_KEY) if r.path == "/api/messages/facebook"]  # noqa: E731
    assert len(brand()) == 2
    for _ in range(29):
        clock.advance(10)
        await engine.tick()
    assert len(brand()) == 2  # 290 s: not yet
    clock.advance(10)
    await engine.tick()
    assert len(brand()) == 4
    assert store.unread_counts(clock())[("Brand", Platform.FACEBOOK)] == 1


async def test_a_restart_honours_the_stored_window(store, session, fake, clock):
    engine = make_engine(store, session, clock)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    sent = len(fake.requests)
    clock.advance(5)
    restarted = make_engine(store, session, clock)
    restarted.load_windows()
    restarted.focus(("Primary",), ACTIVE)
    await restarted.tick()  # Primary's windows hold (Brand's 361 streams wait their backoff)
    assert [r for r in fake.requests[sent:] if "profile-key" not in r.headers] == []


async def test_a_restart_waits_out_the_stored_backoff(store, session, fake, clock):
    """A failing stream is not asked again by the next run before its backoff ends (cron's
    `inbox-tui sync --once` every minute asked Ayrshare's 361 every minute); after, it is."""
    engine = make_engine(store, session, clock, backoff_max_seconds=300)
    engine.focus(("Brand",), ACTIVE)
    await engine.tick()
    ig_requests = lambda: stream_requests(fake, "instagram", BRAND_KEY)  # noqa: E731
    asked = len(ig_requests())
    assert asked > 0  # the 361 answers: messaging is off for Brand's Instagram
    for _ in range(2):  # two more runs, a minute apart
        clock.advance(60)
        restarted = make_engine(store, session, clock, backoff_max_seconds=300)
        restarted.load_windows()
        restarted.focus(("Brand",), ACTIVE)
        await restarted.tick()
    assert len(ig_requests()) == asked
    (ig,) = [s for s in restarted.platform_status("Brand") if s.platform is Platform.INSTAGRAM]
    assert "Messaging is not enabled" in str(ig.error)  # still said, though not asked again
    clock.advance(300)
    restarted = make_engine(store, session, clock, backoff_max_seconds=300)
    restarted.load_windows()
    restarted.focus(("Brand",), ACTIVE)
    await restarted.tick()
    assert len(ig_requests()) > asked  # its backoff over, asked again


async def test_messaging_off_is_reported_and_retried_rarely(store, session, fake, clock):
    events = []
    engine = make_engine(store, session, clock, events, backoff_max_seconds=300)
    engine.focus(("Brand",), ACTIVE)
    await engine.tick()
    ig = next(s for s in engine.platform_status("Brand") if s.platform is Platform.INSTAGRAM)
    assert "361" in str(ig.error)
    assert any(e.error is not None and e.platform is Platform.INSTAGRAM for e in events)
    ig_requests = lambda: stream_requests(fake, "instagram", BRAND_KEY)  # noqa: E731
    before = len(ig_requests())
    clock.advance(120)
    await engine.tick()
    assert len(ig_requests()) == before  # not retried at the 60 s window pace


async def test_watched_thread_is_fetched_by_conversation_id(store, session, fake, clock):
    engine = make_engine(store, session, clock)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    engine.watch_thread("Primary", Platform.FACEBOOK, "t_1", ACTIVE)
    await engine.tick()
    assert fake.requests[-1].query == {"status": "active", "conversationId": "t_1"}


async def test_refresh_now_clears_backoff_but_not_the_window(store, session, fake, clock):
    engine = make_engine(store, session, clock)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    first_allowed = engine.refresh_now()
    assert (first_allowed - clock()).total_seconds() == 15  # X's window
    assert await engine.tick() == 0


async def test_a_meta_page_polls_at_its_pace_and_never_lists_an_archive(
    store, graph_server, graph, clock
):
    """Meta has no nextUpdate: the engine follows the provider's pace (poll_seconds, longer as
    usage rises), and in the Archived view it keeps the Page's lists fresh instead."""
    from inbox_tui.providers.meta_graph import MetaSession
    from tests.factories import PAGE_ID, PAGE_TOKEN

    session = MetaSession(graph_url=graph_server, poll_seconds=60, clock=clock)
    engine = SyncEngine(
        store=store,
        providers={"Bakery": session.for_page(PAGE_ID, PAGE_TOKEN)},
        platforms={"Bakery": (Platform.FACEBOOK,)},
        clock=clock,
    )
    engine.focus(("Bakery",), ConversationStatus.ARCHIVED)
    try:
        listing = lambda: [r for r in graph.requests if r.path.endswith("/conversations")]  # noqa: E731
        await engine.tick()
        assert len(listing()) == 1  # one walk for both streams, in the active list
        assert len(store.conversations(["Bakery"], View.ACTIVE, now=clock())) == 3
        for _ in range(59):
            clock.advance(1)
            await engine.tick()
        assert len(listing()) == 1  # not before the pace says
        clock.advance(1)
        await engine.tick()
        assert len(listing()) == 2
    finally:
        await session.aclose()


async def test_a_poll_names_only_the_rows_it_changed(store, session, fake, clock):
    """The list re-reads what events name: a poll that changed nothing names nothing."""
    events = []
    engine = make_engine(store, session, clock, events)
    engine.focus(("Primary",), ACTIVE)

    def named() -> set[str]:
        fb = [
            e
            for e in events
            if e.finished and e.profile == "Primary" and e.platform is Platform.FACEBOOK
        ]
        assert {e.kind for e in fb} == {"conversations", "messages"}
        return set().union(*(e.changed for e in fb))

    await engine.tick()
    stored = store.conversations(["Primary"], View.ACTIVE, Platform.FACEBOOK, now=clock())
    assert stored and named() == {c.id for c in stored}
    events.clear()
    clock.advance(60)
    await engine.tick()
    assert named() == set()


KINDS = ("conversations", "messages")


async def test_a_cancel_that_meets_a_wake_stops_the_loop(store, clock):
    """Python 3.11's `asyncio.wait_for` returns the inner result, swallowing the cancel, when
    both land in one turn of the loop: the background loop then ran on after the app (or
    `inbox-tui sync`) stopped it, and the command never ended after SIGTERM."""
    engine = SyncEngine(
        store=store, providers={}, platforms={"Primary": (Platform.FACEBOOK,)}, clock=clock
    )
    later = clock() + timedelta(minutes=1)  # both streams due in a minute: a timed wait
    engine._windows = {
        ("Primary", f"facebook:{kind}:active"): SyncWindow(None, later) for kind in KINDS
    }
    loop = asyncio.create_task(engine.run())
    await asyncio.sleep(0.01)  # waiting for a wake or the due time
    engine.wake()  # a fetch ends and wakes it ...
    loop.cancel()  # ... as the loop is cancelled
    done, _ = await asyncio.wait({loop}, timeout=2)
    assert loop in done and loop.cancelled()
