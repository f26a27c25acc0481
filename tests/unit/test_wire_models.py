"""Edge cases of the wire format, fed through the client with a mock transport (unit level)."""

from __future__ import annotations

import json

import httpx
import pytest

from inbox_tui.domain import Direction, Platform
from inbox_tui.providers.ayrshare import AyrshareSession
from inbox_tui.providers.base import ApiError, MalformedResponse, MessagingNotEnabled

# The X paginated example from the docs: no `platform`, no `recipientId`.
X_PAGE = {
    "status": "success",
    "messages": [
        {
            "id": "1798365702419382285",
            "conversationId": "1459220819338235904-1798347235729535494",
            "senderId": "1798347235729535494",
            "senderDetails": {"name": "Jim Dunn", "username": "jimdunn"},
            "message": "Hello there",
            "created": "2024-06-05T15:17:30.000Z",
            "action": "received",
            "extraFieldFromTheFuture": {"nested": True},
        }
    ],
    "messagesCount": 1,
    "meta": {"pagination": {"hasMore": False, "limit": 1}},
    "lastUpdated": "2024-06-05T15:20:00.123Z",
    "nextUpdate": "2024-06-05T15:20:15.123Z",
}


def session_answering(status: int, body, headers=None) -> AyrshareSession:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers=headers or {})

    return AyrshareSession(
        api_key="k", base_url="https://api.example.com/api", transport=httpx.MockTransport(handler)
    )


async def test_x_page_without_platform_or_recipient_parses():
    s = session_answering(200, X_PAGE)
    fetched = await s.for_profile(None).messages(Platform.TWITTER)
    (message,) = fetched.data
    assert message.platform is Platform.TWITTER and message.direction is Direction.RECEIVED
    assert message.sender_name == "Jim Dunn" and message.text == "Hello there"
    assert (fetched.next_update - fetched.last_updated).total_seconds() == 15


async def test_sent_message_with_recipient_details_names_the_correspondent():
    body = {
        "status": "success",
        "messages": [
            {
                "id": "m_x",
                "conversationId": "t_9",
                "action": "sent",
                "created": "2024-06-05T15:17:30Z",
                "senderId": "444",
                "senderDetails": {"name": "Brand"},
                "recipientId": "329",
                "recipientDetails": {
                    "name": "John Smith",
                    "id": "329",
                    "picture": "https://p/x.jpg",
                },
                "message": "Hi John",
            }
        ],
    }
    (message,) = (
        await session_answering(200, body).for_profile(None).messages(Platform.FACEBOOK)
    ).data
    assert (message.correspondent_id, message.correspondent_name) == ("329", "John Smith")


async def test_error_status_inside_http_200_is_an_error():
    s = session_answering(200, {"status": "error", "code": 361, "message": "Messaging not enabled"})
    with pytest.raises(MessagingNotEnabled):
        await s.for_profile(None).messages(Platform.FACEBOOK)


async def test_nested_errors_shape_is_read():
    body = {
        "status": "error",
        "errors": [{"code": 110, "message": "Duplicate", "platform": "twitter"}],
    }
    with pytest.raises(ApiError, match=r"error 110.*Duplicate") as caught:
        await session_answering(400, body).for_profile(None).messages(Platform.FACEBOOK)
    assert caught.value.code == 110 and caught.value.status_code == 400


@pytest.mark.parametrize(
    "status, body",
    [
        (200, b"<html>Bad gateway</html>"),
        (200, b'{"status": "success", "messages": [{"id": "1"'),  # truncated
        (200, b'{"status": "success", "messages": {"not": "a list"}}'),
        (200, b'{"status": "success"}'),  # no list at all: not an empty inbox
    ],
)
async def test_malformed_answers_are_typed_errors(status, body):
    with pytest.raises(MalformedResponse):
        await session_answering(status, body).for_profile(None).messages(Platform.FACEBOOK)


async def test_html_error_page_is_an_api_error():
    with pytest.raises(ApiError, match="HTTP 502") as caught:
        await (
            session_answering(502, b"<html>502</html>")
            .for_profile(None)
            .messages(Platform.FACEBOOK)
        )
    assert caught.value.retryable


async def test_error_text_from_the_server_is_sanitised():
    body = {"status": "error", "code": 999, "message": "bad \x1b]52;c;cHduZWQ=\x07thing\x9b31m"}
    with pytest.raises(ApiError) as caught:
        await session_answering(400, body).for_profile(None).messages(Platform.FACEBOOK)
    text = str(caught.value)
    assert "bad thing" in text and "\x1b" not in text and "\x9b" not in text
