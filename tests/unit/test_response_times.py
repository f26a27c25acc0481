"""Response-time figures from the store: each reply's wait runs from the customer's first
message since the brand's previous one; a reply after a reply answers no one."""

from __future__ import annotations

from datetime import timedelta

import pytest

from inbox_tui.domain import Conversation, ConversationStatus, Direction, Message, Platform
from inbox_tui.response_times import Figures, figures_of, response_times
from inbox_tui.store import Store
from tests.factories import T0

FB, IN, OUT = Platform.FACEBOOK, Direction.RECEIVED, Direction.SENT


def thread(store: Store, profile: str, cid: str, said: list[tuple[Direction, float]]) -> None:
    """A conversation whose messages are (direction, minutes after T0)."""
    active = ConversationStatus.ACTIVE
    store.upsert_conversations(profile, FB, active, [Conversation(FB, cid, active, "p", "Ada")])
    store.upsert_messages(
        profile,
        FB,
        [
            Message(FB, f"{cid}-{n}", cid, d, T0 + timedelta(minutes=m), "p", "Ada", "hi")
            for n, (d, m) in enumerate(said)
        ],
    )


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.sqlite3")
    # Acme: 20 min (from the first of two messages), then 2 min; a second reply answers no one.
    thread(s, "Acme", "c1", [(IN, 0), (IN, 5), (OUT, 20), (IN, 60), (OUT, 62), (OUT, 63)])
    # Acme: a thread the brand opened (no wait), then a reply 90 min after the customer.
    thread(s, "Acme", "c2", [(OUT, 10), (IN, 30), (OUT, 120)])
    # Fjord: one reply, 5 min; and a customer still waiting (no reply: no figure).
    thread(s, "Fjord", "c3", [(IN, 100), (OUT, 105), (IN, 200)])
    yield s
    s.close()


def test_each_reply_waits_from_the_customers_first_unanswered_message(store):
    waits = store.reply_waits(["Acme", "Fjord"], T0, T0 + timedelta(days=1))
    assert sorted(waits["Acme"]) == [120.0, 1200.0, 5400.0]
    assert waits["Fjord"] == [300.0]
    # Only replies sent in the period count (the wait may have begun before it).
    later = store.reply_waits(["Acme"], T0 + timedelta(minutes=61), T0 + timedelta(minutes=64))
    assert later == {"Acme": [120.0]}
    assert store.reply_waits(["Other"], T0, T0 + timedelta(days=1)) == {"Other": []}


def test_the_figures_are_count_median_and_90th_percentile():
    assert figures_of([]) == Figures(0, None, None)
    assert figures_of([60.0]) == Figures(1, 60.0, 60.0)
    answered, median, p90 = figures_of([float(m * 60) for m in range(1, 11)])
    assert (answered, median) == (10, 330.0) and 540 < p90 <= 600


def test_today_and_the_last_seven_days(store):
    now = T0 + timedelta(days=3)
    thread(store, "Acme", "c4", [(IN, 3 * 24 * 60 - 30), (OUT, 3 * 24 * 60 - 20)])  # today
    figures = response_times(store, ["Acme", "Fjord"], now)
    assert figures["Acme"]["7 days"].answered == 4
    assert figures["Acme"]["today"] == Figures(1, 600.0, 600.0)
    assert figures["Fjord"]["today"] == Figures(0, None, None)
