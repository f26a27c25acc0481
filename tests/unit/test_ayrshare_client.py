"""The Ayrshare client against the fake server over a real loopback socket."""

from __future__ import annotations

import socket

import pytest

from inbox_tui.domain import ConversationStatus, Direction, Platform
from inbox_tui.providers.ayrshare import AyrshareSession
from inbox_tui.providers.base import (
    ApiError,
    AuthError,
    ForbiddenError,
    MessagingNotEnabled,
    NetworkError,
    RateLimited,
)
from inbox_tui.providers.results import AutoResponse
from tests.factories import API_KEY, BRAND_KEY, X_KEY, X_SECRET


async def test_headers_are_exactly_as_documented(session, fake):
    primary, brand = session.for_profile(None), session.for_profile(BRAND_KEY)
    await primary.conversations(Platform.FACEBOOK)
    await primary.conversations(Platform.TWITTER)
    await brand.conversations(Platform.FACEBOOK)
    fb, x, brand_fb = fake.requests
    for request in (fb, x, brand_fb):
        assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert "profile-key" not in fb.headers and "profile-key" not in x.headers
    assert brand_fb.headers["profile-key"] == BRAND_KEY
    assert x.headers["x-twitter-oauth1-api-key"] == X_KEY
    assert x.headers["x-twitter-oauth1-api-secret"] == X_SECRET
    for request in (fb, brand_fb):
        assert not any(h.startswith("x-twitter") for h in request.headers)
    assert fb.path == "/api/messages/facebook"
    assert fb.query == {"status": "active", "conversationsOnly": "true"}


async def test_conversation_list_maps_details_and_window(session, clock):
    fetched = await session.for_profile(None).conversations(Platform.FACEBOOK)
    by_id = {c.id: c for c in fetched.data}
    assert set(by_id) == {"t_1", "t_2"}  # t_3 is archived
    ada = by_id["t_1"]
    assert (ada.participant_name, ada.participant_id, ada.watermark) == (
        "Ada Lovelace",
        "5001",
        1717889607444,
    )
    assert by_id["t_2"].watermark is None
    assert fetched.last_updated == clock.now.replace(microsecond=0)
    assert (fetched.next_update - fetched.last_updated).total_seconds() == 60
    assert fetched.rate_limit.max == 250 and fetched.rate_limit.count == 1
    archived = await session.for_profile(None).conversations(
        Platform.FACEBOOK, ConversationStatus.ARCHIVED
    )
    assert [c.id for c in archived.data] == ["t_3"]


async def test_messages_attachments_reactions_and_direction(session):
    fetched = await session.for_profile(None).messages(Platform.FACEBOOK, conversation_id="t_1")
    by_id = {m.id: m for m in fetched.data}
    assert [m.id for m in fetched.data] == ["m_3", "m_2", "m_1"]  # newest first, as the API
    photo = by_id["m_3"]
    assert photo.text == "" and photo.attachments[0].url == "https://cdn.example.com/photo.jpg"
    assert photo.direction is Direction.RECEIVED and photo.sender_name == "Ada Lovelace"
    reply = by_id["m_2"]
    assert reply.direction is Direction.SENT and reply.reactions == {"5001": "👍"}
    assert (reply.correspondent_id, reply.correspondent_name) == ("5001", "Ada Lovelace")


async def test_x_paging_follows_next_until_has_more_is_false(session, fake):
    fetched = await session.for_profile(None).messages(Platform.TWITTER)
    assert len(fetched.data) == 250
    assert len({m.id for m in fetched.data}) == 250
    pages = [r for r in fake.requests if r.path == "/api/messages/twitter"]
    assert len(pages) == 3  # 100 + 100 + 50
    assert all(r.query["limit"] == "100" for r in pages)
    assert "next" not in pages[0].query and pages[1].query["next"] and pages[2].query["next"]
    assert fetched.data[0].platform is Platform.TWITTER  # filled in though the page omits it


async def test_bad_key_is_an_auth_error(server):
    s = AyrshareSession(api_key="wrong", base_url=server)
    with pytest.raises(AuthError, match="401"):
        await s.for_profile(None).conversations(Platform.FACEBOOK)
    await s.aclose()


async def test_unknown_profile_key_is_forbidden(session):
    with pytest.raises(ForbiddenError, match="403"):
        await session.for_profile("no-such-key").conversations(Platform.FACEBOOK)


async def test_messaging_not_enabled_says_what_to_do(session):
    with pytest.raises(MessagingNotEnabled) as caught:
        await session.for_profile(BRAND_KEY).messages(Platform.INSTAGRAM)
    assert "361" in str(caught.value) and "messagingActive" in str(caught.value)


async def test_x_without_byo_keys_is_refused(server):
    s = AyrshareSession(api_key=API_KEY, base_url=server)  # no X keys
    with pytest.raises(ApiError, match="X-Twitter-OAuth1"):
        await s.for_profile(None).messages(Platform.TWITTER)
    await s.aclose()


async def test_rate_limit_gives_429_with_window(session, fake, clock):
    fake.settings.rate_limit_max = 2
    client = session.for_profile(None)
    await client.conversations(Platform.FACEBOOK)
    await client.conversations(Platform.INSTAGRAM)
    with pytest.raises(RateLimited) as caught:
        await client.conversations(Platform.FACEBOOK)
    assert caught.value.rate_limit.count == 3 and caught.value.rate_limit.max == 2
    assert (caught.value.until - clock.now).total_seconds() == 300


async def test_network_fault_is_a_network_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    s = AyrshareSession(api_key=API_KEY, base_url=f"http://127.0.0.1:{port}/api")
    with pytest.raises(NetworkError, match="Could not reach Ayrshare"):
        await s.for_profile(None).conversations(Platform.FACEBOOK)
    await s.aclose()


async def test_send_archive_and_auto_response(session, fake):
    client = session.for_profile(None)
    sent = await client.send(Platform.FACEBOOK, "5001", "On its way!")
    assert sent.recipient_id == "5001" and sent.message_id and sent.text == "On its way!"
    assert fake.requests[-1].body == {"recipientId": "5001", "message": "On its way!"}
    await client.set_status(Platform.FACEBOOK, "t_1", ConversationStatus.ARCHIVED)
    assert (
        fake.requests[-1].method == "PUT" and fake.requests[-1].path == "/api/messages/facebook/t_1"
    )
    assert fake.requests[-1].body == {"status": "archived"}
    assert fake.primary.platforms["facebook"].conversations["t_1"].status == "archived"
    assert await client.auto_response() == AutoResponse()
    updated = await client.set_auto_response(AutoResponse(active=True, wait_seconds=30))
    assert updated.active is True and updated.wait_seconds == 30
    assert fake.requests[-1].body == {"autoResponseActive": True, "autoResponseWaitSeconds": 30}


async def test_send_refused_by_a_documented_rule(session):
    with pytest.raises(ApiError, match="query parameters"):
        await session.for_profile(None).send(
            Platform.FACEBOOK, "5001", "", media_urls=["https://x.example/a.jpg?size=2"]
        )


async def test_user_and_profiles(session):
    user = await session.for_profile(BRAND_KEY).user()
    assert user.active_social_accounts == ("facebook", "instagram")
    ig = next(a for a in user.accounts if a.platform == "instagram")
    assert ig.messaging_active is False
    profiles = await session.for_profile(None).profiles()
    assert [(p.title, p.ref_id) for p in profiles.data] == [("Brand", "brand")]


async def test_every_call_reports_rate_limit_use(session):
    client = session.for_profile(None)
    await client.send(Platform.FACEBOOK, "5001", "Thanks!")
    assert client.rate_limit is not None and client.rate_limit.count == 1
    await client.user()
    assert client.rate_limit.count == 2
