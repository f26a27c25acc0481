from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import pytest

from inbox_tui.domain import Direction, Message, Platform
from inbox_tui.platform_rules import X_KEYS_NEEDED
from inbox_tui.reply_rules import (
    META_CANNOT_REPLY,
    META_REFUSED,
    OTHER_APP_HOLDS_IT,
    ProfileRules,
    month_start,
    reply_recipient,
    reply_window,
    send_problems,
    what_is_allowed,
)

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


class Row(NamedTuple):
    platform: Platform = FB
    id: str = "t_1"
    last_received_at: datetime | None = NOW - timedelta(hours=1)
    is_owner: bool | None = None
    can_reply: bool | None = None


META = ProfileRules(meta=True)


@pytest.mark.parametrize(
    "row, rules, refused_at, reason",
    [
        (Row(is_owner=False), META, None, OTHER_APP_HOLDS_IT),
        (Row(is_owner=False, can_reply=False), META, NOW, OTHER_APP_HOLDS_IT),  # first
        (Row(), META, NOW - timedelta(minutes=5), META_REFUSED),
        (Row(can_reply=False), META, None, META_CANNOT_REPLY),
        (Row(platform=X), ProfileRules(), None, X_KEYS_NEEDED),
        (Row(last_received_at=NOW - timedelta(hours=25)), META, None, "within 24 hours"),
        (
            Row(last_received_at=NOW - timedelta(days=6)),
            ProfileRules(meta=True, human_agent=True),
            None,
            "",
        ),
        (Row(is_owner=False, can_reply=False), ProfileRules(), None, ""),  # Meta's only
        (Row(), META, NOW - timedelta(hours=2), ""),  # they wrote since the refusal
        (Row(platform=X), ProfileRules(x_keys=True), None, ""),
    ],
)
def test_what_is_allowed_says_the_first_rule_that_refuses(row, rules, refused_at, reason):
    window = what_is_allowed(row, rules, NOW, refused_at=refused_at)
    assert window.can_reply is (reason == "")
    assert reason in window.reason


def test_the_monthly_cap_is_ayrshare_s_only():
    replied = {(FB, f"t_{n}") for n in range(2, 12)}
    capped = ProfileRules(monthly_cap=10)
    assert not what_is_allowed(Row(), capped, NOW, replied=replied).can_reply
    assert what_is_allowed(Row(id="t_2"), capped, NOW, replied=replied).can_reply
    assert what_is_allowed(Row(), capped._replace(meta=True), NOW, replied=replied).can_reply


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
    assert any(words in p for p in send_problems(platform, urls, text))


def test_good_media_passes():
    assert (
        send_problems(
            FB, ["https://cdn.example.com/voice.AAC", "https://cdn.example.com/a.png"], ""
        )
        == []
    )
    assert send_problems(X, ["https://x.example/any?size=large"], "look") == []


def test_text_limits_count_in_each_platform_s_unit():
    """Instagram counts UTF-8 bytes: 400 'é' are 800 bytes (fine), 600 are 1,200 (too long)."""
    assert send_problems(IG, [], "é" * 400) == []
    assert send_problems(IG, [], "é" * 600) == [
        "Instagram takes at most 1,000 bytes in a message; this one has 1,200. "
        "Shorten it, or send it in two."
    ]
    assert send_problems(FB, [], "é" * 2000) == []
    assert "this one has 2,001" in send_problems(FB, [], "x" * 2001)[0]
    assert send_problems(X, [], "x" * 10_000) == []


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
