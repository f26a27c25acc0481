"""The list read by window: any run of windows, forwards from the top or backwards from the end,
is exactly the whole list, in every order, view and filter; and the counts come without rows."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from inbox_tui.domain import Conversation, ConversationStatus, Direction, Message, Platform
from inbox_tui.store import LocalState, Store, View
from tests.factories import T0

NOW = T0 + timedelta(days=3)
PROFILES = ["A", "B", "C"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """120 conversations: ties on time across profiles and platforms, some with no message yet
    (they sort last), archived, snoozed (and snoozed but written to since), read and unread."""
    rng = random.Random(7)
    s = Store(tmp_path_factory.mktemp("windows") / "s.sqlite3")
    for profile in PROFILES:
        for platform in Platform:
            status = ConversationStatus.ACTIVE
            convs = [Conversation(platform, f"c{n}", status, f"p{n}", "Ada") for n in range(14)]
            s.upsert_conversations(profile, platform, status, convs)
            messages = [
                Message(
                    platform,
                    f"{profile}{platform}{n}{i}",
                    f"c{n}",
                    Direction.RECEIVED if rng.random() < 0.7 else Direction.SENT,
                    T0 + timedelta(minutes=rng.choice([5, 30, 30, 90, 24 * 60, 5 * 24 * 60])),
                    "s",
                    "Ada",
                    "hi",
                )
                for n in range(11)  # c11..c13: no message yet
                for i in range(rng.randint(1, 3))
            ]
            s.upsert_messages(profile, platform, messages)
    refs = [(p, f, f"c{n}") for p in PROFILES for f in Platform for n in range(14)]
    rng.shuffle(refs)
    s.set_status_override(refs[:15], ConversationStatus.ARCHIVED, NOW)
    s.mark_read(refs[15:40])
    s.snooze(refs[40:50], NOW + timedelta(hours=2), NOW - timedelta(hours=30))
    yield s
    s.close()


LISTS = [
    dict(view=View.ACTIVE),
    dict(view=View.ACTIVE, sort="unread"),
    dict(view=View.ACTIVE, sort="closing", day_window_profiles=["B"]),
    dict(view=View.ARCHIVED),
    dict(view=View.SNOOZED, sort="unread"),
    dict(view=View.ACTIVE, platform=Platform.INSTAGRAM),
    dict(view=View.ACTIVE, unread_only=True, sort="closing"),
    dict(view=View.ACTIVE, sort="waiting"),
    dict(view=View.ACTIVE, needs_reply=True, sort="waiting"),
    dict(view=View.ARCHIVED, needs_reply=True),
]


@pytest.mark.parametrize("size", [1, 7, 50])
@pytest.mark.parametrize("shape", LISTS, ids=lambda s: "-".join(map(str, s.values())))
def test_windows_tile_the_whole_list_either_way(store, shape, size):
    read = lambda **kw: store.conversations(PROFILES, now=NOW, **shape, **kw)  # noqa: E731
    whole = read()
    assert whole, "every list here has rows"
    forwards = read(limit=size)
    while len(forwards) < len(whole):
        step = read(limit=size, after=forwards[-1])
        assert step, f"stuck after row {len(forwards)}"
        forwards += step
    assert forwards == whole
    backwards = read(limit=size, from_end=True)
    while len(backwards) < len(whole):
        step = read(limit=size, before=backwards[0])
        assert step, f"stuck before row {len(whole) - len(backwards)}"
        backwards = step + backwards
    assert backwards == whole
    middle = whole[len(whole) // 2]
    assert read(after=middle) == whole[len(whole) // 2 + 1 :]
    assert read(before=middle) == whole[: len(whole) // 2]
    assert read(after=whole[-1], limit=size) == [] and read(before=whole[0], limit=size) == []
    end = min(3 + size, len(whole) - 1)
    assert read(after=whole[3], before=whole[end]) == whole[4:end]
    assert read(skip=size, limit=5) == whole[size : size + 5]


@pytest.mark.parametrize("shape", LISTS, ids=lambda s: "-".join(map(str, s.values())))
def test_the_counts_are_those_of_the_rows(store, shape):
    whole = store.conversations(PROFILES, now=NOW, **shape)
    total, unread = store.count_conversations(PROFILES, now=NOW, **shape)
    assert (total, unread) == (len(whole), sum(r.unread for r in whole))
    for row in (whole[0], whole[len(whole) // 2], whole[-1]):  # a row's position
        ahead = whole[: whole.index(row)]
        assert store.count_conversations(PROFILES, now=NOW, **shape, before=row) == (
            len(ahead),
            sum(r.unread for r in ahead),
        )


def test_the_waiting_queue_is_those_the_customer_wrote_last_longest_waiting_first(store):
    queue = store.conversations(PROFILES, View.ACTIVE, now=NOW, needs_reply=True, sort="waiting")
    active = store.conversations(PROFILES, View.ACTIVE, now=NOW)
    assert {r.key for r in queue} == {
        r.key for r in active if r.last_direction is Direction.RECEIVED
    }
    assert 0 < len(queue) < len(active)
    waited = [r.last_received_at for r in queue]
    assert waited == sorted(waited)  # the longest waiting first
    # In the sort alone, the waiting come first and the others follow, newest first.
    everyone = store.conversations(PROFILES, View.ACTIVE, now=NOW, sort="waiting")
    assert [r.key for r in everyone[: len(queue)]] == [r.key for r in queue]
    rest = [r.last_message_at.timestamp() for r in everyone[len(queue) :] if r.last_message_at]
    assert rest == sorted(rest, reverse=True)


def test_the_waiting_count_follows_a_reply_and_a_new_message(store, tmp_path):
    """The kept counts (a trigger per write) know a reply ends the wait and a message starts
    one, as a count of the rows does."""
    s = Store(tmp_path / "w.sqlite3")
    fb, status = Platform.FACEBOOK, ConversationStatus.ACTIVE
    s.upsert_conversations("A", fb, status, [Conversation(fb, "c1", status, "p1", "Ada")])
    queue = lambda: s.count_conversations(["A"], View.ACTIVE, now=NOW, needs_reply=True)  # noqa: E731
    assert queue() == (0, 0)  # no message yet: no one waits
    said = lambda n, d: Message(fb, f"m{n}", "c1", d, T0 + timedelta(minutes=n), "p1", "Ada", "hi")  # noqa: E731
    s.upsert_messages("A", fb, [said(1, Direction.RECEIVED)])
    assert queue() == (1, 1)
    s.upsert_messages("A", fb, [said(2, Direction.SENT)])
    assert queue() == (0, 0)
    s.upsert_messages("A", fb, [said(3, Direction.RECEIVED)])
    assert queue() == (1, 1)
    s.close()


def test_a_window_deep_in_the_newest_list_is_a_seek_not_a_walk(store):
    whole = store.conversations(PROFILES, View.ACTIVE, now=NOW)
    deep = next(r for r in reversed(whole) if r.last_message_at is not None)
    for kw in (dict(after=deep), dict(before=deep)):
        statements: list[str] = []
        store._db.set_trace_callback(statements.append)
        store.conversations(PROFILES, View.ACTIVE, now=NOW, limit=5, **kw)
        store._db.set_trace_callback(None)
        plan = " ".join(r[3] for r in store._db.execute(f"EXPLAIN QUERY PLAN {statements[0]}"))
        assert "SEARCH c USING INDEX conversations_by_recency (last_message_at" in plan, plan
        assert "TEMP B-TREE" not in plan


def test_the_kept_counts_follow_every_kind_of_write(tmp_path):
    """The counts kept as rows are written, after each of a run of random writes (new
    messages, resyncs moving threads between views, read, unread, archive here and undone,
    snoozes and their end, a restore), equal a count of the rows themselves."""
    rng = random.Random(11)
    s = Store(tmp_path / "s.sqlite3")
    refs = [("A", f, f"c{n}") for f in (Platform.FACEBOOK, Platform.INSTAGRAM) for n in range(12)]
    clock = NOW
    for step in range(120):
        profile, platform, cid = ref = rng.choice(refs)
        kind = rng.randrange(8)
        if kind <= 1:
            direction = Direction.RECEIVED if kind == 0 else Direction.SENT
            message = Message(platform, f"m{step}", cid, direction, clock, "s", "Ada", "hi")
            s.upsert_messages(profile, platform, [message])
        elif kind == 2:
            status = rng.choice(list(ConversationStatus))
            s.upsert_conversations(
                profile, platform, status, [Conversation(platform, cid, status, "p", "Ada")]
            )
        elif kind == 3:
            s.mark_read([ref])
        elif kind == 4:
            s.mark_unread([ref])
        elif kind == 5:
            s.set_status_override([ref], rng.choice(list(ConversationStatus)), clock)
        elif kind == 6:
            s.restore_status_overrides({ref: LocalState()})
        else:
            s.snooze([ref], clock + timedelta(minutes=rng.choice([5, 50])), clock)
        clock += timedelta(minutes=3)
        for view in View:
            for unread_only in (False, True):
                rows = s.conversations(["A"], view, now=clock, unread_only=unread_only)
                counted = s.count_conversations(["A"], view, now=clock, unread_only=unread_only)
                assert counted == (len(rows), sum(r.unread for r in rows)), (step, kind, view)
        for view in View:  # the filter bar's: each view's unread per platform
            per: dict = {}
            for r in s.conversations(["A"], view, now=clock):
                if r.unread:
                    per[r.profile, r.platform] = per.get((r.profile, r.platform), 0) + 1
            assert s.unread_counts(clock, view) == per, (step, view)
    s.close()
