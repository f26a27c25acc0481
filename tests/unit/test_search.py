from datetime import UTC, date, datetime, timedelta

import pytest

from inbox_tui.domain import Direction, Message, Platform
from inbox_tui.search import (
    MARK_END,
    MARK_START,
    SearchError,
    SearchQuery,
    fts_expression,
    parse,
)
from inbox_tui.store import Store

TODAY = date(2026, 11, 20)
T = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_parse_words_phrases_and_filters():
    q = parse(
        'refund "gift card" from:ada profile:"Acme Coffee" platform:ig after:2026-11-01 before:today',
        TODAY,
    )
    assert q.terms == ("refund", "gift card")
    assert (q.sender, q.profile, q.platform) == ("ada", "Acme Coffee", Platform.INSTAGRAM)
    assert q.after == datetime(2026, 11, 1, tzinfo=UTC)
    assert q.before == datetime(2026, 11, 21, tzinfo=UTC)  # before:today includes today
    assert q.problems == ()


def test_parse_reports_bad_filters_in_plain_words():
    q = parse("hello platform:myspace after:someday", TODAY)
    assert q.terms == ("hello",)
    assert "platform:myspace is not facebook, instagram or x" in q.problems
    assert any("after:someday is not a date" in p for p in q.problems)


def test_relative_dates_and_unknown_prefixes():
    q = parse("after:7d before:yesterday http://x.example", TODAY)
    assert q.after == datetime(2026, 11, 13, tzinfo=UTC) and q.before == datetime(
        2026, 11, 20, tzinfo=UTC
    )
    assert q.terms == ("http://x.example",)  # not a filter: searched as text


def test_expression_quotes_everything():
    assert fts_expression(SearchQuery(terms=('a"b',))) == 'text : "a""b"*'
    assert fts_expression(SearchQuery(terms=("gift card",))) == 'text : ("gift" + "card"*)'
    assert fts_expression(SearchQuery(sender="Ada L")) == 'sender_name : ("Ada"* "L"*)'


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "s.sqlite3")
    messages = [
        (
            "P",
            Platform.FACEBOOK,
            "c1",
            "m1",
            Direction.RECEIVED,
            "Ada",
            "Can I get a refund for the mug?",
            0,
        ),
        (
            "P",
            Platform.FACEBOOK,
            "c1",
            "m2",
            Direction.SENT,
            "Brand",
            "Refund issued, 3-5 days.",
            1,
        ),
        (
            "P",
            Platform.INSTAGRAM,
            "c2",
            "m3",
            Direction.RECEIVED,
            "Grace",
            "Do you sell gift cards?",
            2,
        ),
        (
            "Q",
            Platform.FACEBOOK,
            "c3",
            "m4",
            Direction.RECEIVED,
            "Alan",
            "refunds are slow [@click=app.quit]",
            48,
        ),
    ]
    for profile, platform, cid, mid, direction, sender, text, hours_ago in messages:
        s.upsert_messages(
            profile,
            platform,
            [
                Message(
                    platform, mid, cid, direction, T - timedelta(hours=hours_ago), "s", sender, text
                )
            ],
        )
    yield s
    s.close()


def ids(hits):
    return [h.message_id for h in hits]


def test_search_newest_first_with_prefixes(store):
    assert ids(store.search(parse("refu", TODAY))) == ["m1", "m2", "m4"]


def test_search_filters(store):
    assert ids(store.search(parse("refund profile:Q", TODAY))) == ["m4"]
    assert ids(store.search(parse("refund from:ada", TODAY))) == ["m1"]
    assert ids(store.search(parse("gift platform:ig", TODAY))) == ["m3"]
    assert ids(store.search(parse("refund platform:x", TODAY))) == []
    assert ids(store.search(parse("refund after:today", TODAY))) == ["m1", "m2"]
    assert ids(store.search(parse("refund before:yesterday", TODAY))) == ["m4"]
    assert ids(store.search(parse('"gift card"', TODAY))) == ["m3"]


def test_snippet_marks_the_match(store):
    (hit,) = store.search(parse("mug", TODAY))
    assert f"{MARK_START}mug{MARK_END}" in hit.snippet
    assert hit.sender_name == "Ada" and hit.direction is Direction.RECEIVED


@pytest.mark.parametrize(
    "text", ['"', "*", "AND", "NEAR(", "-x", "a OR", "(", "text:", "^", "[@click=app.quit]"]
)
def test_hostile_queries_are_searched_as_text(store, text):
    """Quoted for FTS5: each is words to find, never an expression (only the markup is in
    the store, as words of one message)."""
    expected = ["m4"] if text == "[@click=app.quit]" else []
    assert ids(store.search(parse(text, TODAY))) == expected


def test_a_query_the_index_cannot_read_is_a_typed_error(store):
    """It returned no hits, as if nothing matched (issue 17)."""
    with pytest.raises(SearchError, match="Can't search for that: unterminated string"):
        store.search(parse("a\x00b", TODAY))


def test_search_follows_edits(store):
    store.upsert_messages(
        "P",
        Platform.FACEBOOK,
        [
            Message(
                Platform.FACEBOOK,
                "m1",
                "c1",
                Direction.RECEIVED,
                T,
                "s",
                "Ada",
                "Never mind, found it",
            )
        ],
    )
    assert "m1" not in ids(store.search(parse("refund", TODAY)))
    assert ids(store.search(parse("found", TODAY))) == ["m1"]


def test_profile_filter_is_a_case_insensitive_prefix(store):
    assert ids(store.search(parse("refund profile:q", TODAY))) == ["m4"]
    assert ids(store.search(parse("refund profile:%", TODAY))) == []  # LIKE wildcards are literal


def test_newest_first_even_when_history_arrives_late(tmp_path):
    import random

    s = Store(tmp_path / "late.sqlite3")
    moments = [T - timedelta(minutes=n) for n in range(300)]
    random.Random(3).shuffle(moments)
    for n, moment in enumerate(moments):  # one at a time, in no particular order
        s.upsert_messages(
            "P",
            Platform.FACEBOOK,
            [
                Message(
                    Platform.FACEBOOK,
                    f"m{n}",
                    "c1",
                    Direction.RECEIVED,
                    moment,
                    "s",
                    "Ada",
                    "same words",
                )
            ],
        )
    hits = s.search(parse("same", TODAY), limit=50)
    assert [h.created for h in hits] == sorted(moments, reverse=True)[:50]
    # Page by page, each after the last hit of the one before: all 300, newest first, once.
    query, pages = parse("same", TODAY), [s.search(parse("same", TODAY), limit=70)]
    while len(pages[-1]) == 70:
        pages.append(s.search(query, limit=70, after=pages[-1][-1]))
    paged = [h for page in pages for h in page]
    assert [h.created for h in paged] == sorted(moments, reverse=True)
    assert len({h.message_id for h in paged}) == 300 and [len(p) for p in pages][-1] == 20
    s.close()


def test_filters_alone_list_every_match_newest_first(store):
    assert ids(store.search(parse("profile:p", TODAY))) == ["m1", "m2", "m3"]
    assert ids(store.search(parse("profile:p platform:fb", TODAY))) == ["m1", "m2"]
    assert ids(store.search(parse("after:yesterday", TODAY))) == ["m1", "m2", "m3"]
    assert ids(store.search(parse("before:yesterday", TODAY))) == ["m4"]
    first = store.search(parse("after:7d", TODAY), limit=2)
    assert ids(first) == ["m1", "m2"]
    assert ids(store.search(parse("after:7d", TODAY), after=first[-1])) == ["m3", "m4"]
    hit = store.search(parse("profile:Q", TODAY))[0]
    assert hit.snippet == "refunds are slow [@click=app.quit]"  # its text, nothing marked
    assert store.search(parse("", TODAY)) == []


def test_an_emoji_is_found_as_it_is_written(store):
    store.upsert_messages(
        "P",
        Platform.INSTAGRAM,
        [
            Message(
                Platform.INSTAGRAM, "m5", "c2", Direction.RECEIVED, T, "s", "Grace", "Love it 😍"
            )
        ],
    )
    query = parse("😍", TODAY)
    assert query.literals == ("😍",) and query.searchable
    assert ids(store.search(query)) == ["m5"]
    assert ids(store.search(parse("love 😍", TODAY))) == ["m5"]
    assert ids(store.search(parse("refund 😍", TODAY))) == []


def test_a_profile_filter_naming_no_profile_says_so():
    query = parse("refund profile:zeta", TODAY, ["Acme Coffee", "Fjord Bakery"])
    assert query.problems == (
        "profile:zeta names no profile (they are: Acme Coffee, Fjord Bakery)",
    )
    assert parse("refund profile:fj", TODAY, ["Acme Coffee", "Fjord Bakery"]).problems == ()
