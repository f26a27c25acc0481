import os
import sqlite3
import stat
from datetime import timedelta

import pytest

from inbox_tui.domain import (
    Attachment,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    Platform,
)
from inbox_tui.store import Store, StoreVersionError, View
from tests.factories import T0

ACTIVE, ARCHIVED = ConversationStatus.ACTIVE, ConversationStatus.ARCHIVED
NOW = T0 + timedelta(hours=1)
FB = Platform.FACEBOOK


def conv(cid, name="Ada", status=ACTIVE):
    return Conversation(FB, cid, status, participant_id="p-" + cid, participant_name=name)


def msg(mid, cid, minutes, direction=Direction.RECEIVED, text="hi", **kw):
    return Message(FB, mid, cid, direction, T0 + timedelta(minutes=minutes), "s", "Ada", text, **kw)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "data" / "inbox.sqlite3")
    yield s
    s.close()


def test_file_is_private(store):
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600


def test_upserts_are_idempotent(store):
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1"), conv("c2", "Grace")])
    messages = [msg("m1", "c1", 0), msg("m2", "c1", 5, Direction.SENT, "ok")]
    assert store.upsert_messages("P", FB, messages).changed == {"c1"}
    assert store.upsert_messages("P", FB, messages).changed == set()  # nothing new the second time
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1"), conv("c2", "Grace")])
    rows = store.conversations(["P"], View.ACTIVE, now=NOW)
    assert [r.id for r in rows] == ["c1", "c2"]  # newest activity first; c2 has none
    assert rows[0].preview == "ok" and rows[0].last_direction is Direction.SENT
    assert rows[0].message_count == 2
    assert len(store.thread(("P", FB, "c1")).messages) == 2


def test_unread_rule_and_read_state_survive_resync(store):
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1"), conv("c2")])
    store.upsert_messages(
        "P", FB, [msg("m1", "c1", 0), msg("m2", "c2", 0), msg("m3", "c2", 1, Direction.SENT)]
    )
    unread = {r.id: r.unread for r in store.conversations(["P"], View.ACTIVE, now=NOW)}
    assert unread == {"c1": True, "c2": False}  # c2: the brand replied after the last inbound
    store.mark_read([("P", FB, "c1")])
    # A full re-sync of the same data keeps what only this app knows.
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1"), conv("c2")])
    store.upsert_messages("P", FB, [msg("m1", "c1", 0)])
    assert not store.conversation(("P", FB, "c1"), NOW).unread
    store.upsert_messages("P", FB, [msg("m4", "c1", 10)])  # they write again
    assert store.conversation(("P", FB, "c1"), NOW).unread
    store.mark_read([("P", FB, "c2")])
    store.mark_unread([("P", FB, "c2")])
    assert store.conversation(("P", FB, "c2"), NOW).unread is False  # no received message after the reply
    assert store.unread_counts(NOW) == {("P", FB): 1}


def test_a_conversation_missing_from_the_active_list_moved_to_archived(store):
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1"), conv("c2")])
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1")])
    assert [r.id for r in store.conversations(["P"], View.ARCHIVED, now=NOW)] == ["c2"]
    store.upsert_conversations("P", FB, ARCHIVED, [])
    assert {r.id for r in store.conversations(["P"], View.ACTIVE, now=NOW)} == {"c1", "c2"}


def test_profiles_and_platforms_are_separate_keys(store):
    store.upsert_conversations("P", FB, ACTIVE, [conv("same")])
    store.upsert_conversations("Q", FB, ACTIVE, [conv("same", "Other")])
    store.upsert_messages("P", FB, [msg("m1", "same", 0, text="for P")])
    assert store.conversation(("Q", FB, "same"), NOW).message_count == 0
    assert [r.participant_name for r in store.conversations(["Q"], View.ACTIVE, now=NOW)] == ["Other"]
    assert [r.id for r in store.conversations(["P"], View.ACTIVE, Platform.INSTAGRAM, now=NOW)] == []


def test_messages_before_the_list_create_a_placeholder_row(store):
    m = Message(
        FB,
        "m1",
        "c9",
        Direction.RECEIVED,
        T0,
        "s",
        "Ada",
        "",
        (Attachment("image", "https://x/y.jpg"),),
        correspondent_id="p9",
        correspondent_name="Ada",
    )
    store.upsert_messages("P", FB, [m])
    row = store.conversation(("P", FB, "c9"), NOW)
    assert row.participant_name == "Ada" and row.preview == "[image]"


def test_thread_marks_truncated_history(store):
    store.upsert_messages("P", FB, [msg("m1", "c1", 0, Direction.SENT), msg("m2", "c1", 1)])
    assert store.thread(("P", FB, "c1")).truncated  # a thread never starts with our message
    store.upsert_messages("P", FB, [msg("n1", "c2", 0), msg("n2", "c2", 1, Direction.SENT)])
    assert not store.thread(("P", FB, "c2")).truncated
    store.upsert_messages("P", FB, [msg(f"k{i}", "c3", i) for i in range(20)])
    assert store.thread(("P", FB, "c3")).truncated  # exactly the 20 the platform keeps


def test_windows_persist(store, tmp_path):
    store.save_window("P", "facebook:messages:active", T0, T0 + timedelta(seconds=60))
    store.close()
    again = Store(store.path)
    assert again.windows() == {("P", "facebook:messages:active"): (T0, T0 + timedelta(seconds=60))}
    again.close()


def test_newer_schema_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "s.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreVersionError, match="newer inbox-tui"):
        Store(path)
