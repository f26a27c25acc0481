"""Labels: local, any number per conversation, one name in any case; on the rows, in search
(label:NAME), in the state export, and following a renamed profile."""

from __future__ import annotations

import pytest

from inbox_tui.domain import Conversation, ConversationStatus, Direction, Message, Platform
from inbox_tui.search import parse
from inbox_tui.store import Store, View
from tests.factories import T0

FB = Platform.FACEBOOK
ADA, BO = ("P", FB, "c1"), ("P", FB, "c2")


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.sqlite3")
    active = ConversationStatus.ACTIVE
    s.upsert_conversations(
        "P",
        FB,
        active,
        [Conversation(FB, c, active, c, n) for c, n in (("c1", "Ada"), ("c2", "Bo"))],
    )
    s.upsert_messages(
        "P",
        FB,
        [
            Message(FB, "m1", "c1", Direction.RECEIVED, T0, "c1", "Ada", "refund please"),
            Message(FB, "m2", "c2", Direction.RECEIVED, T0, "c2", "Bo", "hello"),
        ],
    )
    yield s
    s.close()


def labels(store, ref):
    return store.conversation(ref, T0).labels


def test_labels_are_on_the_rows_by_name_one_in_any_case(store):
    store.add_label([ADA, BO], "vip")
    store.add_label([ADA], "Refund")
    store.add_label([ADA], "VIP")  # the same label
    assert labels(store, ADA) == ("Refund", "vip") and labels(store, BO) == ("vip",)
    assert store.label_names() == [("Refund", 1), ("vip", 2)]
    rows = store.conversations(["P"], View.ACTIVE, now=T0)
    assert {r.id: r.labels for r in rows} == {"c1": ("Refund", "vip"), "c2": ("vip",)}
    store.remove_label([ADA, BO], "VIP")
    assert labels(store, ADA) == ("Refund",) and labels(store, BO) == ()
    with pytest.raises(ValueError, match="one line of printable text"):
        store.add_label([ADA], "two\nlines")


def test_search_by_label_and_the_export_and_a_rename_carry_them(store, tmp_path):
    store.add_label([ADA], "vip")
    assert [h.message_id for h in store.search(parse("label:VIP", T0.date()))] == ["m1"]
    assert [h.message_id for h in store.search(parse("hello label:vip", T0.date()))] == []
    exported = store.export_state()
    assert exported["labels"] == [
        {"profile": "P", "platform": "facebook", "conversation_id": "c1", "label": "vip"}
    ]
    other = Store(tmp_path / "other.sqlite3")
    other.import_state(exported)
    assert other.label_names() == [("vip", 1)]
    bad = {**exported, "labels": [{**exported["labels"][0], "label": "x" * 41}]}
    with pytest.raises(ValueError, match=r"labels\[0\]\.label: A label is at most 40"):
        other.import_state(bad)
    older = {k: v for k, v in exported.items() if k != "labels"}  # before labels existed
    other.import_state(older)
    other.close()
    store.rename_profile("P", "Q")
    assert labels(store, ("Q", FB, "c1")) == ("vip",)


def test_a_change_on_its_way_to_meta_moves_machines_and_profiles_with_the_labels(store, tmp_path):
    """Not yet at Meta when exported: on the other machine it still goes (else the first read
    of the Page's labels there would take it off again)."""
    store.add_label([ADA], "vip", shared=[ADA])
    store.remove_label([BO], "late", shared=[BO])
    exported = store.export_state()
    assert {(c["conversation_id"], c["added"]) for c in exported["label_changes"]} == {
        ("c1", 1),
        ("c2", 0),
    }
    other = Store(tmp_path / "other.sqlite3")
    for name in ("c1", "c2"):  # the conversations come from the API there
        other.upsert_conversations(
            "P",
            FB,
            ConversationStatus.ACTIVE,
            [Conversation(FB, name, ConversationStatus.ACTIVE, "p" + name, "")],
        )
    other.import_state(exported)
    assert {(c.person, c.label, c.added) for c in other.label_changes("P")} == {
        ("pc1", "vip", True),
        ("pc2", "late", False),
    }
    bad = {**exported, "label_changes": [{**exported["label_changes"][0], "added": "yes"}]}
    with pytest.raises(ValueError, match=r"label_changes\[0\]\.added: must be 0 or 1"):
        other.import_state(bad)
    other.close()
    store.rename_profile("P", "Q")
    assert [c.ref for c in store.label_changes("Q")] == [("Q", FB, "c1"), ("Q", FB, "c2")]
