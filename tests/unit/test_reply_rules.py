from datetime import UTC, datetime, timedelta

import pytest

from inbox_tui.domain import Direction, Message, Platform
from inbox_tui.reply_rules import media_problems, month_start, reply_recipient, reply_window

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
FB, IG, X = Platform.FACEBOOK, Platform.INSTAGRAM, Platform.TWITTER


def test_they_must_write_first():
    window = reply_window(FB, None, NOW)
    assert not window.can_reply and "must message first" in window.reason


def test_instagram_window_is_seven_days_from_their_last_message():
    open_ = reply_window(IG, NOW - timedelta(days=6, hours=20), NOW)
    assert open_.can_reply and open_.closes_at == NOW + timedelta(hours=4)
    closed = reply_window(IG, NOW - timedelta(days=7, seconds=1), NOW)
    assert not closed.can_reply and "within 7 days" in closed.reason
    assert reply_window(FB, NOW - timedelta(days=30), NOW).can_reply  # no documented window
    assert reply_window(X, NOW - timedelta(days=30), NOW).closes_at is None


def test_monthly_cap_blocks_new_conversations_only():
    capped = reply_window(FB, NOW, NOW, replied_count=100, monthly_cap=100)
    assert not capped.can_reply and "limit of 100" in capped.reason
    assert reply_window(
        FB, NOW, NOW, replied_this_month=True, replied_count=100, monthly_cap=100
    ).can_reply
    assert reply_window(FB, NOW, NOW, replied_count=99, monthly_cap=100).can_reply
    assert month_start(NOW) == datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "platform, urls, text, words",
    [
        (FB, ["https://cdn.example.com/a.jpg?w=2"], "hi", "query string"),
        (IG, ["https://cdn.example.com/a.webp"], "hi", "file extension"),
        (FB, ["ftp://cdn.example.com/a.jpg"], "hi", "not an http(s) URL"),
        (X, ["https://x.example/1.jpg", "https://x.example/2.jpg"], "hi", "exactly one"),
        (X, ["https://x.example/1.jpg"], "  ", "needs some text"),
    ],
)
def test_media_rules(platform, urls, text, words):
    assert any(words in p for p in media_problems(platform, urls, text))


def test_good_media_passes():
    assert (
        media_problems(
            FB, ["https://cdn.example.com/voice.AAC", "https://cdn.example.com/a.png"], ""
        )
        == []
    )
    assert media_problems(X, ["https://x.example/any?size=large"], "look") == []


def _x(direction: Direction, sender_id: str) -> Message:
    return Message(
        platform=Platform.TWITTER,
        id=f"m{sender_id}{direction.value}",
        conversation_id="c",
        direction=direction,
        created=datetime(2026, 12, 1, tzinfo=UTC),
        sender_id=sender_id,
        sender_name="",
    )


@pytest.mark.parametrize(
    ("conversation_id", "participant", "messages", "recipient"),
    [
        ("9000-7001", "7001", [], "7001"),  # the participant first
        ("c", "", [_x(Direction.SENT, "9000"), _x(Direction.RECEIVED, "7001")], "7001"),
        # Only our own messages: the half of the two-part id that isn't ours.
        ("9000-7001", "", [_x(Direction.SENT, "9000")], "7001"),
        ("7001-9000", "", [_x(Direction.SENT, "9000")], "7001"),
        ("9000-7001", "", [], ""),  # which half is ours is unknown: no guess
        ("dm_lone", "", [_x(Direction.SENT, "9000")], ""),
        ("c", "", [_x(Direction.RECEIVED, "")], ""),  # an empty sender id is no recipient
    ],
)
def test_an_x_reply_goes_to_the_person_never_to_an_empty_id(
    conversation_id, participant, messages, recipient
):
    assert reply_recipient(Platform.TWITTER, conversation_id, participant, messages) == recipient
