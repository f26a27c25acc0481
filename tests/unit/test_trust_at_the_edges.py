"""Answers of shapes we don't know, hostile bodies and ids, and a sync that never wedges: each
against the fakes over a real loopback socket."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta

import pytest

from inbox_tui.config.model import SyncSettings
from inbox_tui.domain import ConversationStatus, Platform
from inbox_tui.fake.graph import GraphConversation, GraphMessage
from inbox_tui.fake.records import FakeSettings
from inbox_tui.fake.server import running
from inbox_tui.fake.state import FakeAyrshare
from inbox_tui.providers.ayrshare import AyrshareSession
from inbox_tui.providers.base import MalformedResponse, NetworkError, RefusedRequest
from inbox_tui.providers.meta_graph import MetaSession
from inbox_tui.store import View
from inbox_tui.sync import SyncEngine
from tests.factories import API_KEY, PAGE_ID, PAGE_TOKEN, X_KEY, X_SECRET

FB, IG, X = Platform.FACEBOOK, Platform.INSTAGRAM, Platform.TWITTER
ACTIVE = ConversationStatus.ACTIVE


@pytest.fixture
async def session(server, clock):
    s = AyrshareSession(
        api_key=API_KEY, base_url=server, x_keys=(X_KEY, X_SECRET), clock=clock, timeout=2.0
    )
    yield s
    await s.aclose()


@pytest.fixture
async def meta(graph_server, clock):
    s = MetaSession(graph_url=graph_server, poll_seconds=60, clock=clock, timeout=2.0)
    yield s
    await s.aclose()


def engine_for(store, providers, platforms, clock, events=None):
    return SyncEngine(
        store=store,
        providers=providers,
        platforms=platforms,
        settings=SyncSettings(),
        clock=clock,
        on_change=(events.append if events is not None else lambda e: None),
    )


def active_ids(store, clock, profile="Primary"):
    return sorted(r.id for r in store.conversations([profile], View.ACTIVE, now=clock()))


# -- 16.1: an answer of a shape we don't know changes nothing ---------------------------------


@pytest.mark.parametrize("shape", ["no-list", "old-shape"])
async def test_an_unknown_shape_keeps_the_inbox_and_says_so(
    store, session, fake, clock, shape, caplog
):
    engine = engine_for(store, {"Primary": session.for_profile(None)}, {"Primary": (FB,)}, clock)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    before = active_ids(store, clock)
    assert before == ["t_1", "t_2"]
    fake.settings.shape_fault = shape
    clock.advance(61)
    with caplog.at_level(logging.WARNING, logger="inbox_tui"):
        assert await engine.tick() == 2
    assert active_ids(store, clock) == before  # nothing moved to Archived
    (status,) = engine.platform_status("Primary")
    assert status.error is not None and not status.syncing
    assert "shape this version doesn't know" in str(status.error)
    assert "nothing was changed" in str(status.error)
    assert any("unknown shape" in r.getMessage() for r in caplog.records)  # the raw body
    # Backoff as for any failed fetch, and the next good answer is taken.
    fake.settings.shape_fault = None
    assert await engine.tick() == 0
    clock.advance(SyncSettings().backoff_initial_seconds + 1)
    assert await engine.tick() == 2
    (status,) = engine.platform_status("Primary")
    assert status.error is None


async def test_an_empty_list_under_the_documented_key_is_trusted(store, session, fake, clock):
    engine = engine_for(store, {"Primary": session.for_profile(None)}, {"Primary": (FB,)}, clock)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    for conversation in fake.primary.platforms["facebook"].conversations.values():
        conversation.status = "archived"
    clock.advance(61)
    await engine.tick()
    assert active_ids(store, clock) == []


async def test_a_graph_answer_without_data_keeps_the_page_inbox(store, meta, graph, clock):
    client = meta.for_page(PAGE_ID, PAGE_TOKEN)
    engine = engine_for(store, {"Page": client}, {"Page": (FB,)}, clock)
    engine.focus(("Page",), ACTIVE)
    await engine.tick()
    before = active_ids(store, clock, "Page")
    assert len(before) == 3
    graph.settings.conversations_without_data = True
    clock.advance(120)
    await engine.tick()
    assert active_ids(store, clock, "Page") == before
    (status,) = engine.platform_status("Page")
    assert "shape this version doesn't know" in str(status.error)


# -- 22 D10: one bad item is skipped, not the whole answer ------------------------------------


async def test_one_message_with_a_bad_time_is_skipped_and_the_rest_stored(
    store, session, fake, clock
):
    fake.settings.shape_fault = "bad-item"
    engine = engine_for(store, {"Primary": session.for_profile(None)}, {"Primary": (FB,)}, clock)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    (status,) = engine.platform_status("Primary")
    assert status.error is None
    thread = store.thread(("Primary", FB, "t_1"))
    assert [m.id for m in thread.messages] == ["m_1", "m_2", "m_3"]


async def test_a_garbage_cache_window_falls_back_to_the_documented_one(store, session, fake, clock):
    fake.settings.shape_fault = "garbage-window"
    engine = engine_for(store, {"Primary": session.for_profile(None)}, {"Primary": (FB,)}, clock)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    (status,) = engine.platform_status("Primary")
    assert status.error is None and active_ids(store, clock) == ["t_1", "t_2"]
    assert status.next_at == clock() + timedelta(seconds=60)


async def test_a_next_update_in_the_past_waits_the_documented_window(store, session, fake, clock):
    """22 D13: not a request every 5 s."""
    fake.settings.shape_fault = "past-window"
    engine = engine_for(store, {"Primary": session.for_profile(None)}, {"Primary": (X,)}, clock)
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    first = len(fake.requests)
    for _ in range(14):
        clock.advance(1)
        assert await engine.tick() == 0
    assert len(fake.requests) == first
    clock.advance(1)  # X's documented 15 s
    assert await engine.tick() == 2


async def test_a_lone_surrogate_in_one_meta_message_does_not_cost_the_page(
    store, meta, graph, clock
):
    graph.conversations["t_ada"].messages.append(
        GraphMessage("m_bad", clock() - timedelta(minutes=1), False, "broken \ud800 text")
    )
    client = meta.for_page(PAGE_ID, PAGE_TOKEN)
    fetched = await client.messages(FB)
    texts = [m.text for m in fetched.data]
    assert "broken  text" in texts and len(fetched.data) > 1


async def test_a_year_one_message_is_skipped(store, session, fake, clock):
    from datetime import UTC, datetime

    fake.primary.platforms["facebook"].conversations["t_2"].messages[0].created = datetime(
        1, 1, 1, tzinfo=UTC
    )
    fetched = await session.for_profile(None).messages(FB)
    assert "m_4" not in {m.id for m in fetched.data} and "m_5" in {m.id for m in fetched.data}


# -- 22 D8 / 16.12: faults that wedged a stream ----------------------------------------------


@pytest.mark.parametrize("fault", ["deep-json", "huge"])
async def test_hostile_bodies_end_in_a_typed_error_and_the_stream_recovers(
    store, session, fake, clock, fault
):
    engine = engine_for(store, {"Primary": session.for_profile(None)}, {"Primary": (FB,)}, clock)
    engine.focus(("Primary",), ACTIVE)
    fake.settings.fault = fault
    await engine.tick()
    (status,) = engine.platform_status("Primary")
    assert not status.syncing and not engine.busy
    assert "nothing was changed" in str(status.error)
    fake.settings.fault = None
    clock.advance(SyncSettings().backoff_initial_seconds + 1)
    assert await engine.tick() == 2
    assert active_ids(store, clock) == ["t_1", "t_2"]


async def test_a_trickling_server_is_cut_off_at_the_deadline(session, fake):
    """22 D12: a byte per read timeout would hold the request forever without a deadline."""
    fake.settings.fault = "trickle"
    with pytest.raises(NetworkError, match="did not answer in time"):
        await session.for_profile(None).conversations(FB)


async def test_a_failing_store_write_never_leaves_the_stream_in_flight(
    store, session, fake, clock, monkeypatch
):
    engine = engine_for(store, {"Primary": session.for_profile(None)}, {"Primary": (FB,)}, clock)
    engine.focus(("Primary",), ACTIVE)

    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "upsert_messages", full)
    await engine.tick()
    (status,) = engine.platform_status("Primary")
    assert not status.syncing and "disk is full" in str(status.error)
    monkeypatch.undo()  # space freed
    clock.advance(SyncSettings().backoff_initial_seconds + 1)
    assert await engine.tick() == 1  # the messages stream, again
    assert store.thread(("Primary", FB, "t_1")).messages


# -- 22 D2: a token never goes to another host -----------------------------------------------


async def test_a_graph_conversation_id_that_is_a_url_is_never_requested(meta, graph, clock):
    catcher = FakeAyrshare(FakeSettings())
    with running(catcher) as elsewhere:
        host = elsewhere.removesuffix("/api")
        graph.add(
            GraphConversation(
                f"{host}/steal",
                "messenger",
                "5999",
                "Mallory",
                [GraphMessage("m_x", clock() - timedelta(minutes=2), False, "hi")],
            )
        )
        client = meta.for_page(PAGE_ID, PAGE_TOKEN)
        fetched = await client.conversations(FB)
        assert f"{host}/steal" not in {c.id for c in fetched.data}  # skipped at the boundary
        with pytest.raises(MalformedResponse):
            await client.messages(FB, conversation_id=f"{host}/steal")
        with pytest.raises(MalformedResponse):
            await client.messages(FB, conversation_id="../../me?x=")
    assert catcher.requests == []


async def test_a_request_that_leaves_the_configured_host_is_refused_unsent(server, fake):
    from inbox_tui.providers.http import exchange, http_client

    catcher = FakeAyrshare(FakeSettings())
    with running(catcher) as elsewhere:
        client = http_client(server, None, 2.0)
        with pytest.raises(RefusedRequest):
            await exchange(
                client,
                "GET",
                f"{elsewhere}/messages/facebook",
                service="Ayrshare",
                deadline=2.0,
                headers={"Authorization": f"Bearer {API_KEY}"},
            )
        await client.aclose()
    assert catcher.requests == [] and fake.requests == []


# -- 16.11: plain words for a mistyped key ----------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
async def test_an_unknown_profile_key_is_said_first_and_names_the_profile(session, fake, status):
    from inbox_tui.providers.base import AuthError

    fake.settings.unknown_profile_status = status
    with pytest.raises(AuthError) as refused:
        await session.for_profile("pk-mistyped", "Acme Coffee").conversations(FB)
    text = str(refused.value)
    assert text.startswith('Ayrshare does not know the Profile-Key of profile "Acme Coffee"')
    assert "suspended" not in text and "pk-mistyped" not in text


async def test_a_429_with_retry_after_waits_as_long_as_asked(store, session, fake, clock):
    """22 D25: Retry-After was ignored (always the 5-minute window)."""
    engine = engine_for(store, {"Primary": session.for_profile(None)}, {"Primary": (FB,)}, clock)
    engine.focus(("Primary",), ACTIVE)
    fake.settings.fault, fake.settings.retry_after_seconds = "429-bare", 30
    await engine.tick()
    assert engine.paused_until("Primary") == clock() + timedelta(seconds=30)
    (status,) = engine.platform_status("Primary")
    assert "waiting 30 s, as it asked" in str(status.error)
    fake.settings.retry_after_seconds = None
    clock.advance(31)
    await engine.tick()
    assert engine.paused_until("Primary") == clock() + timedelta(minutes=5)
