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
from inbox_tui.store import (
    Store,
    StoreVersionError,
    SyncWindow,
    View,
    key_ref,
    list_position,
    ref_key,
)
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
    assert (
        store.conversation(("P", FB, "c2"), NOW).unread is False
    )  # no received message after the reply
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
    assert [r.participant_name for r in store.conversations(["Q"], View.ACTIVE, now=NOW)] == [
        "Other"
    ]
    assert [
        r.id for r in store.conversations(["P"], View.ACTIVE, Platform.INSTAGRAM, now=NOW)
    ] == []


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
    later = T0 + timedelta(seconds=60)
    store.save_window("P", "facebook:messages:active", SyncWindow(T0, later))
    store.save_window("P", "instagram:messages:active", SyncWindow(None, None, later, 3, "361"))
    store.close()
    again = Store(store.path)
    assert again.windows() == {
        ("P", "facebook:messages:active"): SyncWindow(T0, later, None, 0),
        ("P", "instagram:messages:active"): SyncWindow(None, None, later, 3, "361"),
    }
    again.close()


def test_newer_schema_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "s.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StoreVersionError, match="newer inbox-tui"):
        Store(path)


def test_local_archive_holds_against_a_stale_list_until_newer_data(store):
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1")], fetched_at=T0)
    store.upsert_messages("P", FB, [msg("m1", "c1", 0)])
    ref = ("P", FB, "c1")
    store.set_status_override([ref], ARCHIVED, at=T0 + timedelta(minutes=1))
    assert [r.id for r in store.conversations(["P"], View.ARCHIVED, now=NOW)] == ["c1"]
    # The API still serves its cached list (fetched before our archive): the row stays archived.
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1")], fetched_at=T0 + timedelta(seconds=30))
    assert store.conversations(["P"], View.ACTIVE, now=NOW) == []
    # Data fetched after the archive: the API's word stands (here it confirms it).
    store.upsert_conversations("P", FB, ACTIVE, [], fetched_at=T0 + timedelta(minutes=2))
    assert store.local_states([ref])[ref].status_override is None
    assert [r.id for r in store.conversations(["P"], View.ARCHIVED, now=NOW)] == ["c1"]


def test_snooze_hides_until_due_or_until_they_write_again(store):
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1"), conv("c2")])
    store.upsert_messages("P", FB, [msg("m1", "c1", 0), msg("m2", "c2", 0)])
    store.snooze([("P", FB, "c1"), ("P", FB, "c2")], until=NOW + timedelta(hours=1), at=NOW)
    assert store.conversations(["P"], View.ACTIVE, now=NOW) == []
    snoozed = store.conversations(["P"], View.SNOOZED, now=NOW)
    assert {r.id for r in snoozed} == {"c1", "c2"}
    assert snoozed[0].snoozed_until == NOW + timedelta(hours=1)
    assert store.next_snooze_due(NOW) == NOW + timedelta(hours=1)
    assert store.unread_counts(NOW) == {}  # snoozed ones are not counted as unread in Active
    # c2's correspondent writes again: back at once.
    store.upsert_messages("P", FB, [msg("m3", "c2", 61)])
    assert [r.id for r in store.conversations(["P"], View.ACTIVE, now=NOW)] == ["c2"]
    # c1 when it is due.
    later = NOW + timedelta(hours=1, seconds=1)
    assert {r.id for r in store.conversations(["P"], View.ACTIVE, now=later)} == {"c1", "c2"}
    assert store.conversations(["P"], View.SNOOZED, now=later) == []


def test_the_snoozed_list_shows_the_next_to_wake_first(store):
    """Whatever the sort: the Snoozed view is a queue of what comes back next; windows of it
    read from a row go on in that order."""
    ids = [f"c{n}" for n in range(5)]
    store.upsert_conversations("P", FB, ACTIVE, [conv(c) for c in ids])
    store.upsert_messages("P", FB, [msg(f"m{n}", c, n) for n, c in enumerate(ids)])
    for hours, c in zip([3, 1, 5, 2, 4], ids, strict=True):  # c4 is the newest, c1 wakes first
        store.snooze([("P", FB, c)], until=NOW + timedelta(hours=hours), at=NOW)
    waking = ["c1", "c3", "c0", "c4", "c2"]
    for sort in ("newest", "unread"):
        rows = store.conversations(["P"], View.SNOOZED, now=NOW, sort=sort)
        assert [r.id for r in rows] == waking, sort
        after = store.conversations(["P"], View.SNOOZED, now=NOW, sort=sort, after=rows[1])
        assert [r.id for r in after] == waking[2:], sort


def test_a_full_resync_keeps_read_archive_and_snooze_state(store):
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1"), conv("c2"), conv("c3")])
    messages = [msg("m1", "c1", 0), msg("m2", "c2", 0), msg("m3", "c3", 0)]
    store.upsert_messages("P", FB, messages)
    store.mark_read([("P", FB, "c1")])
    store.snooze([("P", FB, "c2")], until=NOW + timedelta(days=1), at=NOW)
    before = store.local_states([("P", FB, c) for c in ("c1", "c2", "c3")])
    for _ in range(2):  # the same full answer, twice
        store.upsert_conversations("P", FB, ACTIVE, [conv("c1"), conv("c2"), conv("c3")])
        store.upsert_messages("P", FB, messages)
    assert store.local_states([("P", FB, c) for c in ("c1", "c2", "c3")]) == before
    active = {r.id: r.unread for r in store.conversations(["P"], View.ACTIVE, now=NOW)}
    assert active == {"c1": False, "c3": True}
    assert [r.id for r in store.conversations(["P"], View.SNOOZED, now=NOW)] == ["c2"]


def test_restore_local_states_is_an_exact_undo(store):
    store.upsert_messages("P", FB, [msg("m1", "c1", 0)])
    ref = ("P", FB, "c1")
    before = store.local_states([ref])
    store.mark_read([ref])
    store.snooze([ref], until=NOW, at=T0)
    store.restore_local_states(before)
    assert store.local_states([ref]) == before
    assert store.conversation(ref, NOW).unread


def test_upsert_reports_only_new_received_messages(store):
    first = store.upsert_messages("P", FB, [msg("m1", "c1", 0), msg("m2", "c1", 1, Direction.SENT)])
    assert [m.id for m in first.arrived] == ["m1"]
    again = store.upsert_messages("P", FB, [msg("m1", "c1", 0, text="edited"), msg("m3", "c1", 2)])
    assert [m.id for m in again.arrived] == ["m3"] and again.changed == {"c1"}


def test_migration_from_schema_1_keeps_everything_and_indexes_it(tmp_path):
    from inbox_tui.search import parse
    from inbox_tui.store import schema

    path = tmp_path / "v1.sqlite3"
    db = sqlite3.connect(path)
    for statement in schema.statements(schema.MIGRATIONS[1]):
        db.execute(statement)
    db.execute(
        "INSERT INTO conversations (profile, platform, id, status) VALUES ('P', 'facebook', 'c1', 'active')"
    )
    db.execute(
        "INSERT INTO messages VALUES ('P', 'facebook', 'm1', 'c1', 'received', ?, 's', 'Ada', "
        "'old refund question', '[]', '{}')",
        (T0.timestamp(),),
    )
    db.execute("INSERT INTO local_state VALUES ('P', 'facebook', 'c1', 123.0)")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = Store(path)
    assert [m.text for m in store.thread(("P", FB, "c1")).messages] == ["old refund question"]
    assert store.local_states([("P", FB, "c1")])[("P", FB, "c1")].read_at == 123.0
    assert [h.message_id for h in store.search(parse("refund", T0.date()))] == ["m1"]
    # The list's counts, kept since v8, start from the rows already there.
    rows = store.conversations(["P"], View.ACTIVE, now=NOW)
    assert len(rows) == 1
    assert store.count_conversations(["P"], View.ACTIVE, now=NOW) == (1, int(rows[0].unread))
    store.close()


def test_thread_windows_read_the_newest_first_and_widen_to_a_search_hit(store):
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1")])
    # Two messages share a minute: the window's edge must still be exact (created, then id).
    messages = [msg(f"m{i:03}", "c1", i // 2) for i in range(300)]
    store.upsert_messages("P", FB, messages)
    whole = store.thread(("P", FB, "c1"))
    assert [m.id for m in whole.messages] == [m.id for m in messages] and whole.older == 0
    window = store.thread(("P", FB, "c1"), limit=100)
    assert [m.id for m in window.messages] == [m.id for m in messages[200:]]
    assert window.older == 200 and window.truncated == whole.truncated
    hit = store.thread(("P", FB, "c1"), limit=100, including="m050")
    assert hit.messages[-1].id == "m299" and "m050" in [m.id for m in hit.messages]
    assert hit.older == 300 - len(hit.messages) and hit.older < 50
    assert store.thread(("P", FB, "c1"), limit=100, including="gone").older == 200


def test_sort_by_closing_window_knows_metas_24_hours(store):
    ig = Platform.INSTAGRAM
    store.upsert_conversations("P", ig, ACTIVE, [Conversation(ig, "i1", ACTIVE, "p1", "Ig Ayr")])
    store.upsert_conversations("M", FB, ACTIVE, [conv("m1", "Fb Meta")])
    store.upsert_conversations("P", FB, ACTIVE, [conv("f1", "Fb Ayr")])
    store.upsert_messages(
        "P", ig, [Message(ig, "x1", "i1", Direction.RECEIVED, NOW - timedelta(days=2), "s", "I")]
    )
    store.upsert_messages("M", FB, [msg("x2", "m1", 30)])  # 30 min after T0: 30 min ago
    store.upsert_messages("P", FB, [msg("x3", "f1", 0)])  # no window through Ayrshare
    rows = store.conversations(
        ["P", "M"], View.ACTIVE, now=NOW, sort="closing", day_window_profiles=["M"]
    )
    assert [r.id for r in rows] == ["m1", "i1", "f1"]  # 23.5 h left, then 5 days, then none
    later = NOW + timedelta(days=1)
    rows = store.conversations(
        ["P", "M"], View.ACTIVE, now=later, sort="closing", day_window_profiles=["M"]
    )
    assert rows[0].id == "i1"  # Meta's day has passed; Instagram's week has not


def test_the_first_screenful_is_the_head_of_the_whole_list_without_sorting_it(store):
    # Three profiles, ties on time, a conversation with no message yet (it goes last) and one
    # archived here but not yet on the server (it stays out).
    for profile in ("B", "A", "C"):
        store.upsert_conversations(profile, FB, ACTIVE, [conv(f"{profile}{n}") for n in range(6)])
        store.upsert_messages(
            profile, FB, [msg(f"{profile}m{n}", f"{profile}{n}", n % 3) for n in range(5)]
        )
    store.set_status_override([("A", FB, "A2")], ARCHIVED, NOW)
    profiles = ["A", "B", "C"]
    whole = store.conversations(profiles, View.ACTIVE, now=NOW)
    assert len(whole) == 17 and whole[-1].last_message_at is None
    for limit in (1, 4, 9, 17, 30):
        head = store.conversations(profiles, View.ACTIVE, now=NOW, limit=limit)
        assert [r.key for r in head] == [r.key for r in whole[:limit]]
    # The plan behind it walks the recency index and stops: no sort of every row.
    statements = []
    store._db.set_trace_callback(statements.append)
    store.conversations(profiles, View.ACTIVE, now=NOW, limit=4)
    store._db.set_trace_callback(None)
    plan = " ".join(r[3] for r in store._db.execute(f"EXPLAIN QUERY PLAN {statements[-1]}"))
    assert "conversations_by_recency" in plan and "TEMP B-TREE" not in plan


@pytest.mark.parametrize("sort", ["newest", "unread", "closing", "waiting"])
def test_a_row_read_again_on_its_own_knows_its_place_in_the_whole_list(store, sort):
    # Instagram (a window), Facebook (none), no messages yet (NULL times), read and unread rows.
    ig = Platform.INSTAGRAM
    for platform in (FB, ig):
        store.upsert_conversations(
            "P",
            platform,
            ACTIVE,
            [Conversation(platform, f"c{n}", ACTIVE, "p", "A") for n in range(8)],
        )
        store.upsert_messages(
            "P",
            platform,
            [
                Message(
                    platform,
                    f"{platform}{n}",
                    f"c{n}",
                    Direction(d),
                    T0 + timedelta(minutes=n % 3),
                    "s",
                    "A",
                )
                for n in range(6)
                for d in (["received"] if n % 2 else ["received", "sent"])
            ],
        )
    store.mark_read([("P", FB, "c1")])
    whole = store.conversations(["P"], View.ACTIVE, now=NOW, sort=sort)
    places = [list_position(r) for r in whole]
    assert len(whole) == 16 and places == sorted(places) and len(set(places)) == 16
    refs = [("P", ig, "c5"), ("P", FB, "c7"), ("P", FB, "c1"), ("P", FB, "gone")]
    alone = store.conversations(["P"], View.ACTIVE, now=NOW, sort=sort, refs=refs)
    assert alone == [r for r in whole if r.ref in refs]
    # Archived here: it is no longer in the Active list, so reading it alone finds nothing.
    store.set_status_override([("P", FB, "c7")], ARCHIVED, NOW)
    again = store.conversations(["P"], View.ACTIVE, now=NOW, sort=sort, refs=refs)
    assert [r.ref for r in again] == [r.ref for r in alone if r.id != "c7"]
    assert store.conversations(["P"], View.ACTIVE, now=NOW, refs=[]) == []


def test_a_conversations_fetch_says_which_rows_it_changed(store):
    listed = [conv("c1"), conv("c2", "Grace")]
    assert store.upsert_conversations("P", FB, ACTIVE, listed) == {"c1", "c2"}  # new rows
    assert store.upsert_conversations("P", FB, ACTIVE, listed) == set()  # the same list again
    assert store.upsert_conversations("P", FB, ACTIVE, [conv("c1"), conv("c2", "")]) == set()
    assert store.upsert_conversations("P", FB, ACTIVE, [conv("c1"), conv("c2", "Ada")]) == {"c2"}
    assert store.upsert_conversations("P", FB, ACTIVE, [conv("c1")]) == {"c2"}  # archived
    assert [r.id for r in store.conversations(["P"], View.ARCHIVED, now=NOW)] == ["c2"]
    store.set_status_override([("P", FB, "c1")], ARCHIVED, NOW)
    later = NOW + timedelta(minutes=1)
    # Data fetched after the local archive, still listing c1 as active: the API's word stands.
    assert store.upsert_conversations("P", FB, ACTIVE, [conv("c1")], fetched_at=later) == {"c1"}


def test_a_row_key_names_its_conversation_and_back():
    ref = ("Acme · Coffee", Platform.INSTAGRAM, "aWdfZAG06:1_2")
    assert key_ref(ref_key(ref)) == ref
    assert key_ref(ref_key(ref))[1] is Platform.INSTAGRAM


def test_a_message_id_listed_twice_keeps_its_newest_copy(tmp_path):
    """22 D23: the older copy won (the last of a newest-first list)."""
    store = Store(tmp_path / "s.sqlite3")
    t = T0
    newer = Message(FB, "twice", "c1", Direction.RECEIVED, t, "s", "Ada", "twice v2")
    older = Message(
        FB, "twice", "c1", Direction.RECEIVED, t - timedelta(minutes=5), "s", "Ada", "twice v1"
    )
    store.upsert_messages("P", FB, [newer, older])  # newest first, as the API lists them
    assert [m.text for m in store.thread(("P", FB, "c1")).messages] == ["twice v2"]
    store.close()


def test_the_search_index_of_a_v12_store_is_rebuilt_with_prefix_indexes(tmp_path):
    """v13 rebuilds the index with prefix indexes (short prefixes were a read of every word
    they match: seconds at 20M messages): what was found before is found after, and the
    triggers keep the new index as they kept the old."""
    from inbox_tui.search import parse

    path = tmp_path / "v12.sqlite3"
    store = Store(path)
    store.upsert_conversations("P", FB, ACTIVE, [conv("c1")])
    store.upsert_messages("P", FB, [msg("m1", "c1", 0, text="a refund, please")])
    store.close()
    db = sqlite3.connect(path)  # back to v12's index: no prefix indexes
    db.executescript(
        """
        DROP TABLE messages_fts;
        CREATE VIRTUAL TABLE messages_fts USING fts5(
            text, sender_name, content='messages', content_rowid='seq',
            tokenize='unicode61 remove_diacritics 2'
        );
        INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
        PRAGMA user_version = 12;
        """
    )
    db.close()
    store = Store(path)
    (index,) = store._db.execute("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'")
    assert "prefix='1 2 3'" in index[0]
    store.upsert_messages("P", FB, [msg("m2", "c1", 1, text="where is my refund")])
    for words in ("r", "re", "ref", "refund"):
        found = [h.message_id for h in store.search(parse(words, T0.date()))]
        assert found == ["m2", "m1"], words
    store.upsert_messages("P", FB, [msg("m1", "c1", 0, text="edited away")])  # an edit
    assert [h.message_id for h in store.search(parse("re", T0.date()))] == ["m2"]
    store.close()
