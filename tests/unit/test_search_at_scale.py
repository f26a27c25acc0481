"""Search over a generated 200k-message store, checked against a brute-force scan of the same rows.

Built once per test session: 10k messages through the real Store API, copied in SQL to 200k
(20 copies, each further back in time; the whole store through the API took ~30 s). No timing
is asserted here (`make bench` measures it, on a store made wholly through the API).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from itertools import pairwise

import pytest

from benchmarks.generate import generate
from inbox_tui.search import parse
from inbox_tui.store import Store

TODAY = date(2026, 11, 20)
# One worker builds the store (pytest-xdist with --dist loadgroup): each worker would build its own.
pytestmark = pytest.mark.xdist_group("the-200k-store")


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    path = generate(tmp_path_factory.mktemp("big") / "store.sqlite3", 10_000, 200_000, copies=20)
    store = Store(path)
    rows = [
        (*r, r[4].lower(), r[5].lower())
        for r in store._db.execute(
            "SELECT id, profile, platform, created, sender_name, text FROM messages"
        )
    ]
    yield store, rows
    store.close()


def brute_force(
    rows, words=(), sender="", profile="", platform=None, after=None, before=None, limit=200
):
    """Every row checked in Python: a word matches where a word starts (as FTS5's prefixes)."""
    patterns = [
        (w.lower(), re.compile(r"(?<![\w])" + re.escape(w), re.IGNORECASE))
        for w in (*words, *sender.split())
    ]
    in_text, in_sender = patterns[: len(words)], patterns[len(words) :]

    def has(text, low, checks):  # the substring test first: the regex only where it may match
        return all(w in low and pattern.search(text) for w, pattern in checks)

    hits = [
        r
        for r in rows
        if has(r[5], r[7], in_text)
        and has(r[4], r[6], in_sender)
        and (not profile or r[1].lower().startswith(profile.lower()))
        and (platform is None or r[2] == platform)
        and (after is None or r[3] >= after.timestamp())
        and (before is None or r[3] < before.timestamp())
    ]
    hits.sort(key=lambda r: r[3], reverse=True)
    return [r[0] for r in hits[:limit]]


def test_the_store_really_is_that_big(big):
    assert len(big[1]) == 200_000


@pytest.mark.parametrize(
    "text, expected",
    [
        ("lisbon", dict(words=("lisbon",))),
        ("refu", dict(words=("refu",))),  # a prefix
        ("w", dict(words=("w",))),  # the commonest one-letter prefix
        ("vegan option", dict(words=("vegan", "option"))),
        ("from:ava", dict(sender="ava")),
        ("damaged platform:ig", dict(words=("damaged",), platform="instagram")),
        ("refund profile:harbor", dict(words=("refund",), profile="harbor")),
        (
            "charged after:2026-11-18 before:2026-11-19",
            dict(
                words=("charged",),
                after=datetime(2026, 11, 18, tzinfo=UTC),
                before=datetime(2026, 11, 20, tzinfo=UTC),
            ),
        ),
        ("zzzzzz", dict(words=("zzzzzz",))),
    ],
)
def test_search_matches_a_brute_force_scan(big, text, expected):
    store, rows = big
    hits = store.search(parse(text, TODAY))
    assert [h.message_id for h in hits] == brute_force(rows, **expected)
    assert all(a.created >= b.created for a, b in pairwise(hits))
