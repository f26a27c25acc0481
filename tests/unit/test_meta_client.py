"""The Meta Graph client against the fake Graph over a real loopback socket."""

from __future__ import annotations

from datetime import timedelta

import pytest

from inbox_tui.domain import ConversationStatus, Direction, Platform
from inbox_tui.providers.base import AuthError, ForbiddenError, RateLimited, SendRefused
from inbox_tui.providers.meta_graph import MetaSession, parse_usage, slowdown
from tests.factories import PAGE_ID, PAGE_TOKEN

FB, IG = Platform.FACEBOOK, Platform.INSTAGRAM


@pytest.fixture
async def session(graph_server, clock):
    s = MetaSession(graph_url=graph_server, poll_seconds=60, clock=clock)
    yield s
    await s.aclose()


@pytest.fixture
def client(session):
    return session.for_page(PAGE_ID, PAGE_TOKEN)


async def test_conversations_page_through_cursors_with_the_fields_the_list_needs(
    client, graph, clock
):
    from inbox_tui.fake.graph import GraphConversation, GraphMessage

    for n in range(120):  # three pages of 50
        graph.add(
            GraphConversation(
                f"t_x{n}",
                "messenger",
                f"9{n}",
                f"Person {n}",
                [GraphMessage(f"x{n}", clock() - timedelta(days=1, minutes=n), False, "hi")],
            )
        )
    fetched = await client.conversations(FB)
    ids = [c.id for c in fetched.data]
    assert len(ids) == 123 and len(set(ids)) == 123  # every page, none twice
    listing = [r for r in graph.requests if r.path.endswith("/conversations")]
    assert len(listing) == 3
    assert listing[0].query["platform"] == "messenger"
    fields = listing[0].query["fields"]
    for name in (
        "participants",
        "updated_time",
        "unread_count",
        "can_reply",
        "is_owner",
    ):
        assert name in fields
    assert "after" not in listing[0].query and listing[1].query["after"]
    for request in graph.requests:  # the token only ever in the header, never in a URL
        assert request.headers["authorization"] == f"Bearer {PAGE_TOKEN}"
        assert "access_token" not in request.query
    ada = next(c for c in fetched.data if c.id == "t_ada")
    assert (ada.participant_id, ada.participant_name, ada.is_owner) == (
        "5001",
        "Ada Lovelace",
        True,
    )
    assert next(c for c in fetched.data if c.id == "t_cy").is_owner is False
    assert fetched.last_updated is None  # nothing cached: a local archive is never overruled


async def test_one_walk_serves_the_list_and_its_newest_messages(client, graph):
    conversations = await client.conversations(FB)
    messages = await client.messages(FB)
    assert len([r for r in graph.requests if r.path.endswith("/conversations")]) == 1
    ada = [m for m in messages.data if m.conversation_id == "t_ada"]
    assert [m.direction for m in ada] == [Direction.RECEIVED, Direction.SENT, Direction.RECEIVED][
        ::-1
    ]
    assert ada[0].reply_to == "t_ada_m01"  # "Great, two please" quotes "It is!"
    assert {c.id for c in conversations.data} == {"t_ada", "t_bo", "t_cy"}
    assert (await client.conversations(FB, ConversationStatus.ARCHIVED)).data == []


async def test_a_long_thread_pages_back_and_marks_what_meta_no_longer_details(client, graph):
    fetched = await client.messages(IG, conversation_id="t_di")
    thread = sorted(fetched.data, key=lambda m: m.created)
    assert len(thread) == 30
    assert all(m.unavailable for m in thread[:10])  # past the 20 newest: ids and times only
    assert not any(m.unavailable for m in thread[10:])
    assert thread[-1].text == "ig message 29" and thread[-1].direction is Direction.SENT
    assert thread[-1].correspondent_name == "di.photo"
    first_read = len(graph.requests)
    assert len([r for r in graph.requests if r.path.endswith("/t_di/messages")]) == 2
    await client.messages(IG, conversation_id="t_di")  # a refresh: the newest page only
    assert len(graph.requests) == first_read + 1


async def test_send_is_a_response_inside_the_window_and_refused_outside(client, graph):
    sent = await client.send(FB, "5001", "Two rye loaves are waiting for you.")
    post = graph.requests[-1]
    assert post.method == "POST" and post.path.endswith(f"/{PAGE_ID}/messages")
    assert post.body == {
        "recipient": {"id": "5001"},
        "messaging_type": "RESPONSE",
        "message": {"text": "Two rye loaves are waiting for you."},
    }
    assert sent.message_id == graph.conversations["t_ada"].messages[-1].id
    with pytest.raises(SendRefused) as refused:
        await client.send(FB, "5002", "Sorry for the wait!")  # Bo wrote 3 days ago
    assert "24-hour window" in str(refused.value) and "fbtrace_id" in str(refused.value)


async def test_graph_errors_become_typed_errors_in_plain_words(client, graph):
    graph.settings.expired_token = True
    with pytest.raises(AuthError) as expired:
        await client.conversations(FB)
    assert "access token has expired" in str(expired.value)
    assert PAGE_TOKEN not in str(expired.value)
    graph.settings.expired_token = False
    graph.settings.usage_per_call = 100.0  # the refused call above already used it all
    with pytest.raises(RateLimited) as throttled:
        await client.conversations(FB)
    assert throttled.value.until is not None and "throttling" in str(throttled.value)


async def test_usage_headers_slow_the_pace_before_meta_throttles(client, graph, clock):
    quiet = await client.conversations(IG)
    assert quiet.next_update - clock() == timedelta(seconds=60)
    assert quiet.rate_limit.percent and quiet.rate_limit.count == 0
    graph.settings.usage_per_call = 20.0
    busy = await client.messages(IG, conversation_id="t_di")  # usage climbs past 75 %
    assert busy.rate_limit.count >= 75
    assert busy.next_update - clock() >= timedelta(seconds=240)


def test_usage_parsing_takes_the_highest_of_both_headers():
    import httpx

    headers = httpx.Headers(
        {
            "x-app-usage": '{"call_count": 12, "total_cputime": 40, "total_time": 9}',
            "x-business-use-case-usage": (
                '{"1": [{"type": "pages", "call_count": 71, "total_cputime": 3, '
                '"total_time": 5, "estimated_time_to_regain_access": 7}]}'
            ),
        }
    )
    assert parse_usage(headers) == (71.0, 7.0)
    assert parse_usage(httpx.Headers({"x-app-usage": "not json"})) == (0.0, 0.0)
    assert [slowdown(u) for u in (0, 49, 50, 80, 95)] == [1, 1, 2, 4, 8]


async def test_missing_permission_is_said_plainly(client, graph, monkeypatch):
    from inbox_tui.fake.graph_wire import error

    monkeypatch.setattr(
        graph, "_answer", lambda *a: error(403, 200, "(#200) Requires pages_messaging")
    )
    with pytest.raises(ForbiddenError) as denied:
        await client.conversations(FB)
    assert "pages_messaging" in str(denied.value)


async def test_one_persons_thread_by_user_id(client, graph):
    cy = await client.conversation_with(FB, "5003")
    assert (cy.id, cy.participant_name, cy.is_owner) == ("t_cy", "Cy Young", False)
    assert graph.requests[-1].query["user_id"] == "5003"
    assert await client.conversation_with(IG, "5003") is None  # Cy writes on Messenger only


async def test_messages_meta_lists_with_no_fields_at_all_are_skipped_not_an_error(client, graph):
    graph.settings.older_messages = "deleted"  # the shape the docs leave open: id only
    fetched = await client.messages(IG, conversation_id="t_di")
    assert len(fetched.data) == 20 and not any(m.unavailable for m in fetched.data)


async def test_untrusted_text_from_graph_is_sanitised_at_the_boundary(client, graph, clock):
    from inbox_tui.fake.graph import GraphConversation, GraphMessage

    graph.add(
        GraphConversation(
            "t_evil",
            "messenger",
            "6666",
            "Mallory\x1b]0;pwned\x07 [b]Boss[/b]",
            [GraphMessage("evil1", clock(), False, "[@click=app.quit]hi\x1b[2J\u202egnp.exe")],
        )
    )
    conversations = {c.id: c for c in (await client.conversations(FB)).data}
    messages = {m.id: m for m in (await client.messages(FB)).data}
    assert "\x1b" not in conversations["t_evil"].participant_name
    assert "[b]Boss[/b]" in conversations["t_evil"].participant_name  # shown, never parsed
    text = messages["evil1"].text
    assert text.startswith("[@click=app.quit]hi") and "\x1b" not in text and "\u202e" not in text


@pytest.mark.parametrize(
    ("fault", "error", "said"),
    [
        ("html", "ApiError", "HTTP 502"),
        ("malformed", "MalformedResponse", "not JSON"),
        ("truncated", "MalformedResponse", "not JSON"),
        ("reset", "NetworkError", "Could not reach Meta"),
    ],
)
async def test_transport_and_body_faults_are_typed_and_worded(client, graph, fault, error, said):
    from inbox_tui.providers import base

    graph.settings.fault = fault
    with pytest.raises(getattr(base, error)) as caught:
        await client.messages(IG, conversation_id="t_di")
    assert said in str(caught.value) and PAGE_TOKEN not in str(caught.value)
