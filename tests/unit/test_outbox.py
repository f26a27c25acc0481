"""The outbox against the fake over loopback: a fault at every step keeps the text and never
sends twice. Each test counts the POSTs the fake received."""

from __future__ import annotations

import socket

import pytest

from inbox_tui.domain import ConversationStatus, Platform
from inbox_tui.outbox import Outbox
from inbox_tui.providers.ayrshare import AyrshareSession
from inbox_tui.store import Draft, OutboxState
from inbox_tui.sync import SyncEngine
from tests.factories import API_KEY, X_KEY, X_SECRET

FB = Platform.FACEBOOK
ADA = ("Primary", FB, "t_1")
ADA_ID = "5001"


def posts(fake):
    return [r for r in fake.requests if r.method == "POST"]


def ada_messages(fake):
    return fake.primary.platforms["facebook"].conversations["t_1"].messages


async def make(base_url, store, clock, timeout=20.0):
    session = AyrshareSession(
        api_key=API_KEY, base_url=base_url, x_keys=(X_KEY, X_SECRET), clock=clock, timeout=timeout
    )
    providers = {"Primary": session.for_profile(None)}
    return session, Outbox(store, lambda: providers, clock), providers


async def sync_fb(store, providers, clock):
    engine = SyncEngine(store=store, providers=providers, platforms={"Primary": (FB,)}, clock=clock)
    engine.focus(("Primary",), ConversationStatus.ACTIVE)
    await engine.tick()


async def test_a_reply_is_stored_sent_then_matched_by_message_id(server, store, clock, fake):
    session, outbox, providers = await make(server, store, clock)
    store.save_draft(ADA, Draft("On its way!"), clock())
    item = await outbox.send(ADA, ADA_ID, Draft("On its way!"))
    assert item.state is OutboxState.ACCEPTED and item.message_id
    (post,) = posts(fake)
    assert post.body == {"recipientId": ADA_ID, "message": "On its way!"}
    assert store.draft(ADA) is None  # the text now lives in the outbox
    assert [i.local_id for i in store.outbox_for(ADA)] == [item.local_id]
    await sync_fb(store, providers, clock)  # the GET lists it: sent, and out of the outbox
    assert store.outbox_for(ADA) == []
    assert store.outbox_item(item.local_id).state is OutboxState.SENT
    assert any(m.id == item.message_id for m in store.thread(ADA).messages)
    await session.aclose()


async def test_a_refused_send_keeps_the_text_and_retries_once_fixed(server, store, clock, fake):
    session, outbox, _ = await make(server, store, clock)
    fake.settings.refuse_sends = (
        400,
        "Message failed to send because another app is controlling this thread now",
    )
    item = await outbox.send(ADA, ADA_ID, Draft("Hello?"))
    assert item.state is OutboxState.FAILED
    assert "Another app controls this conversation" in item.error and item.text == "Hello?"
    fake.settings.refuse_sends = None
    again = await outbox.retry(item.local_id)
    assert again.state is OutboxState.ACCEPTED and again.attempts == 2
    assert len(posts(fake)) == 2 and [m.text for m in ada_messages(fake)].count("Hello?") == 1
    await session.aclose()


async def test_nothing_listening_is_failed_not_unknown(store, clock):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/api"
    session, outbox, _ = await make(dead, store, clock)
    item = await outbox.send(
        ADA, ADA_ID, Draft("Are you there?", ("https://cdn.example.com/a.jpg",))
    )
    assert item.state is OutboxState.FAILED  # the request never left: retrying is safe
    assert item.text == "Are you there?" and item.media_urls == ("https://cdn.example.com/a.jpg",)
    await session.aclose()


async def test_a_timeout_after_sending_is_unknown_and_never_resent_unasked(
    server, store, clock, fake
):
    session, outbox, providers = await make(server, store, clock, timeout=0.3)
    fake.settings.send_delay_seconds = 2.0  # the fake records the DM, then answers too late
    item = await outbox.send(ADA, ADA_ID, Draft("Refund issued"))
    assert item.state is OutboxState.UNKNOWN and "timed out" in item.error
    assert (await outbox.retry(item.local_id)).state is OutboxState.UNKNOWN  # not without a yes
    assert len(posts(fake)) == 1
    assert [m.text for m in ada_messages(fake)].count("Refund issued") == 1  # it did go out
    fake.settings.send_delay_seconds = 0
    await session.aclose()
    session, outbox, providers = await make(server, store, clock)
    await sync_fb(store, providers, clock)  # the GET shows it: the unknown resolves as sent
    assert store.outbox_item(item.local_id).state is OutboxState.SENT
    assert len(posts(fake)) == 1
    await session.aclose()


async def test_a_stop_mid_send_is_settled_at_start_without_sending(server, store, clock, fake):
    session, outbox, _ = await make(server, store, clock)
    under_way = store.outbox_add(ADA, ADA_ID, Draft("was being sent"), clock())
    store.outbox_update(under_way.local_id, OutboxState.SENDING, clock(), attempt=True)
    never_started = store.outbox_add(ADA, ADA_ID, Draft("never started"), clock())
    assert outbox.recover() == 2
    assert store.outbox_item(under_way.local_id).state is OutboxState.UNKNOWN
    assert store.outbox_item(never_started.local_id).state is OutboxState.FAILED
    assert {i.text for i in store.outbox_for(ADA)} == {"was being sent", "never started"}
    assert posts(fake) == []
    confirmed = await outbox.retry(under_way.local_id, confirmed_unknown=True)
    assert confirmed.state is OutboxState.ACCEPTED and len(posts(fake)) == 1
    await session.aclose()


async def test_discard_puts_the_text_back_in_the_draft(server, store, clock, fake):
    session, outbox, _ = await make(server, store, clock)
    fake.settings.refuse_sends = (400, "nope")
    item = await outbox.send(ADA, ADA_ID, Draft("first try", ("https://cdn.example.com/a.png",)))
    store.save_draft(ADA, Draft("second thought"), clock())
    draft = await outbox.discard(item.local_id)
    assert draft == Draft("second thought\nfirst try", ("https://cdn.example.com/a.png",))
    assert store.draft(ADA) == draft and store.outbox_for(ADA) == []
    await session.aclose()


# -- a reply that goes out in parts, and retries that race (issues 16.3, 22 D3) ---------------


async def meta_outbox(graph_server, store, clock, **kw):
    from inbox_tui.providers.meta_graph import MetaSession
    from tests.factories import PAGE_ID, PAGE_TOKEN

    session = MetaSession(graph_url=graph_server, poll_seconds=60, clock=clock)
    providers = {"Page": session.for_page(PAGE_ID, PAGE_TOKEN, **kw)}
    return session, Outbox(store, lambda: providers, clock)


PAGE_ADA = ("Page", FB, "t_ada")


def graph_posts(graph):
    return [r.body["message"] for r in graph.requests if r.method == "POST"]


async def test_a_refused_attachment_is_retried_alone_never_the_text(
    graph_server, graph, store, clock
):
    session, outbox = await meta_outbox(graph_server, store, clock)
    graph.settings.refuse_attachments = (400, 100, None, "(#100) Upload attachment failure")
    draft = Draft(
        "Here are both", ("https://cdn.example.com/a.jpg", "https://cdn.example.com/b.jpg")
    )
    item = await outbox.send(PAGE_ADA, "5001", draft)
    assert item.state is OutboxState.FAILED and item.parts == 3
    assert item.parts_done == 1 and item.message_id is None  # the text went, nothing else
    assert [m.get("text") for m in graph_posts(graph)] == ["Here are both", None]
    graph.settings.refuse_attachments = None
    again = await outbox.retry(item.local_id)
    assert again.state is OutboxState.ACCEPTED and again.message_id == item.part_ids[0]
    sent = graph_posts(graph)[2:]
    assert [m["attachment"]["payload"]["url"] for m in sent] == [
        "https://cdn.example.com/a.jpg",
        "https://cdn.example.com/b.jpg",
    ]
    assert sum(m.get("text") == "Here are both" for m in graph_posts(graph)) == 1
    await session.aclose()


async def test_a_part_that_may_have_gone_out_is_never_retried_by_itself(
    graph_server, graph, store, clock
):
    session, outbox = await meta_outbox(graph_server, store, clock)
    draft = Draft("Photo coming", ("https://cdn.example.com/a.jpg",))
    item = store.outbox_add(PAGE_ADA, "5001", draft, clock(), parts=2)
    claimed = store.outbox_claim(item.local_id, (OutboxState.QUEUED,), clock())
    store.outbox_part_sent(claimed.local_id, "m_text", clock())
    assert store.recover_outbox(clock()) == 1  # killed while the image was under way
    left = await outbox.retry(item.local_id)
    assert left.state is OutboxState.UNKNOWN and graph_posts(graph) == []
    sent = await outbox.retry(item.local_id, confirmed_unknown=True)
    assert sent.state is OutboxState.ACCEPTED
    (only,) = graph_posts(graph)
    assert "attachment" in only and "text" not in only  # the text is not sent again
    await session.aclose()


async def test_retries_at_once_send_a_failed_reply_once(server, store, clock, fake):
    import asyncio

    session, outbox, _ = await make(server, store, clock)
    fake.settings.refuse_sends = (400, "Temporarily refused")
    item = await outbox.send(ADA, ADA_ID, Draft("Only once, please"))
    assert item.state is OutboxState.FAILED
    fake.settings.refuse_sends = None
    before = len(posts(fake))
    results = await asyncio.gather(*(outbox.retry(item.local_id) for _ in range(3)))
    assert len(posts(fake)) - before == 1
    assert {r.state for r in results} <= {OutboxState.ACCEPTED, OutboxState.SENDING}
    assert store.outbox_item(item.local_id).attempts == 2
    await session.aclose()


async def test_an_x_reply_is_never_posted_without_a_recipient(server, store, clock, fake):
    from inbox_tui.providers.base import SendRefused

    session, _, providers = await make(server, store, clock)
    with pytest.raises(SendRefused, match="can't be answered from here"):
        await providers["Primary"].send(Platform.TWITTER, "", "hello")
    assert posts(fake) == []
    await session.aclose()


async def test_a_human_agent_page_tags_a_reply_past_24_hours(graph_server, graph, store, clock):
    graph.settings.human_agent_permission = True
    session, outbox = await meta_outbox(graph_server, store, clock, human_agent=True)
    bo = ("Page", FB, "t_bo")  # Bo wrote ~3 days ago
    store.upsert_messages(
        "Page", FB, (await outbox._providers()["Page"].messages(FB, conversation_id="t_bo")).data
    )
    item = await outbox.send(bo, "5002", Draft("Sorry for the wait"))
    assert item.state is OutboxState.ACCEPTED
    (post,) = [r.body for r in graph.requests if r.method == "POST"]
    assert post["messaging_type"] == "MESSAGE_TAG" and post["tag"] == "HUMAN_AGENT"
    ada = await outbox.send(PAGE_ADA, "5001", Draft("Within the day"))  # no store row: untagged
    assert ada.state is OutboxState.ACCEPTED
    assert [r.body for r in graph.requests if r.method == "POST"][-1][
        "messaging_type"
    ] == "RESPONSE"
    await session.aclose()
