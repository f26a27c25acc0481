"""Search: a small query language over the store's FTS5 index.

    refund from:ada platform:ig profile:"Acme Coffee" label:vip after:2026-11-01 "gift card"

Free words and quoted phrases must all match the message text, as prefixes ("refu" finds
"refund"); `from:` matches the sender's name. Filters narrow by profile, platform and date,
and alone list every message they match. A term with no letter or digit in it (an emoji, "?!")
is found as it is written: the full-text index keeps words only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from inbox_tui.domain import PLATFORM_NAMES, ConversationStatus, Direction, Platform

# Snippet markers: control characters, which `text.clean` strips from every stored string, so
# no message can contain them.
MARK_START, MARK_END = "\x02", "\x03"
DEFAULT_LIMIT = 200

_TOKEN = re.compile(r'(\w+):("[^"]*"?|\S+)|("[^"]*"?)|(\S+)')


class SearchError(ValueError):
    """A query the full-text index cannot read: said on the search screen in these words."""


@dataclass(frozen=True, slots=True)
class SearchQuery:
    terms: tuple[str, ...] = ()  # words or phrases, all required
    literals: tuple[str, ...] = ()  # no word in them (emoji): found as written, all required
    sender: str = ""
    profile: str = ""
    platform: Platform | None = None
    label: str = ""  # conversations with this label (any case)
    after: datetime | None = None  # inclusive
    before: datetime | None = None  # exclusive
    problems: tuple[str, ...] = ()  # filters that could not be read, in plain words

    @property
    def searchable(self) -> bool:
        """Anything to search for: a word, a sender, or a filter alone."""
        return bool(self.terms or self.literals or self.sender or self.filtered)

    @property
    def filtered(self) -> bool:
        return bool(self.profile or self.platform or self.label or self.after or self.before)


@dataclass(frozen=True, slots=True)
class SearchHit:
    profile: str
    platform: Platform
    conversation_id: str
    message_id: str
    created: datetime
    direction: Direction
    sender_name: str
    participant_name: str
    status: ConversationStatus
    snippet: str  # with MARK_START/MARK_END around the matches
    seq: int = 0  # where it stands in time among all messages: the next page starts below it

    @property
    def ref(self) -> tuple[str, Platform, str]:
        """Its conversation's (profile, platform, id)."""
        return self.profile, self.platform, self.conversation_id


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value.strip('"')


def _day(value: str, today: date) -> date | None:
    value = value.lower()
    if value == "today":
        return today
    if value == "yesterday":
        return today - timedelta(days=1)
    if re.fullmatch(r"\d+d", value):
        try:
            return today - timedelta(days=int(value[:-1]))
        except OverflowError:  # before the first date there is: every message is newer
            return date.min
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse(text: str, today: date, profiles: Sequence[str] = ()) -> SearchQuery:
    """`profiles`: the names `profile:` may start (a prefix naming none is a problem)."""
    terms: list[str] = []
    literals: list[str] = []
    fields: dict[str, Any] = {}
    problems: list[str] = []
    for key, value, phrase, word in _TOKEN.findall(text):
        if phrase or word:
            term = _unquote(phrase) if phrase else word
            if term.strip():
                (terms if re.search(r"\w", term) else literals).append(term.strip())
            continue
        key, value = key.lower(), _unquote(value)
        if key == "from":
            fields["sender"] = value
        elif key == "profile":
            fields["profile"] = value
            if profiles and not any(p.lower().startswith(value.lower()) for p in profiles):
                problems.append(
                    f"profile:{value} names no profile (they are: {', '.join(profiles)})"
                )
        elif key == "label":
            fields["label"] = value
        elif key == "platform":
            if value.lower() in PLATFORM_NAMES:
                fields["platform"] = PLATFORM_NAMES[value.lower()]
            else:
                problems.append(f"platform:{value} is not facebook, instagram or x")
        elif key in ("after", "before"):
            day = _day(value, today)
            if day is None:
                problems.append(
                    f"{key}:{value} is not a date (use 2026-11-01, today, yesterday or 7d)"
                )
            else:
                moment = datetime.combine(day, time(), UTC)
                fields[key] = moment if key == "after" else moment + timedelta(days=1)
        else:
            terms.append(f"{key}:{value}")  # not a filter: search for it as text
    return SearchQuery(
        terms=tuple(terms), literals=tuple(literals), problems=tuple(problems), **fields
    )


def _fts_terms(text: str) -> list[str]:
    """FTS5 string literals, each a prefix query; quotes inside are doubled."""
    return [f'"{word.replace(chr(34), chr(34) * 2)}"*' for word in text.split() if word]


def fts_expression(query: SearchQuery) -> str:
    parts = []
    for term in query.terms:
        words = term.split()
        if len(words) > 1:  # a phrase: adjacent words, the last a prefix
            body = " + ".join(f'"{w.replace(chr(34), chr(34) * 2)}"' for w in words[:-1])
            parts.append(f"text : ({body} + {_fts_terms(words[-1])[0]})")
        elif words:
            parts.append(f"text : {_fts_terms(words[0])[0]}")
    if query.sender.strip():
        parts.append(f"sender_name : ({' '.join(_fts_terms(query.sender))})")
    return " AND ".join(parts)
