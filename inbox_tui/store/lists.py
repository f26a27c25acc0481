"""The list's reads: the rows of a view (sorted, filtered, in pages or by ref), unread counts,
the next snooze due, and a thread's newest window."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from inbox_tui.domain import Attachment, Direction, Message, Platform
from inbox_tui.platform_rules import HISTORY_LIMIT, INSTAGRAM_WINDOW, TRUNCATING_PLATFORMS
from inbox_tui.store.core import StoreCore
from inbox_tui.store.records import (
    _DIRECTIONS,
    _PLATFORMS,
    _STATUSES,
    ConversationRef,
    ConversationRow,
    Thread,
    View,
    _at,
    _dt,
)
from inbox_tui.store.schema import OWNED, STATUS, UNREAD, WAITING

# Snoozed: until the due time, unless they wrote again after it was snoozed. Needs :now.
_SNOOZED = (
    "(l.snoozed_until IS NOT NULL AND l.snoozed_until > :now "
    "AND COALESCE(c.last_received_at, 0) <= l.snoozed_at)"
)
_ROW_COLUMNS = f"""
    c.profile, c.platform, c.id, {STATUS}, c.participant_id, c.participant_name,
    c.last_message_at, c.last_preview, c.last_direction, c.message_count, {UNREAD},
    CASE WHEN {_SNOOZED} THEN l.snoozed_until END, c.last_received_at,
    EXISTS (SELECT 1 FROM drafts d
            WHERE d.profile = c.profile AND d.platform = c.platform AND d.conversation_id = c.id),
    EXISTS (SELECT 1 FROM outbox o
            WHERE o.profile = c.profile AND o.platform = c.platform AND o.conversation_id = c.id
              AND o.state IN ('failed', 'unknown')),
    c.is_owner, c.can_reply,
    (SELECT group_concat(g.label, char(31)) FROM labels g
     WHERE g.profile = c.profile AND g.platform = c.platform AND g.conversation_id = c.id)
"""
_ROW_JOIN = """
    FROM conversations c LEFT JOIN local_state l
      ON l.profile = c.profile AND l.platform = c.platform AND l.conversation_id = c.id
"""
# The few rows snoozed now, found from the snoozes' index (not a pass over conversations).
_SNOOZES = (
    "FROM local_state l JOIN conversations c "
    "ON c.profile = l.profile AND c.platform = l.platform AND c.id = l.conversation_id "
    "WHERE l.snoozed_until > :now"
)
_VIEW_WHERE = {
    View.ACTIVE: f"{STATUS} = 'active' AND NOT {_SNOOZED}",
    View.ARCHIVED: f"{STATUS} = 'archived'",
    View.SNOOZED: f"{STATUS} = 'active' AND {_SNOOZED}",
}


INSTAGRAM_SECONDS = int(INSTAGRAM_WINDOW.total_seconds())
DAY_WINDOW = 24 * 3600  # Meta's standard messaging window, on every platform


def _ascending(expression: str, descending: bool, nullable: bool) -> str:
    """A numeric sort term as a value that sorts the same way ascending (for a row's `order`),
    NULLs where SQLite puts them."""
    if descending:
        expression = f"-({expression})"
    if nullable:
        return f"COALESCE({expression}, {'1e300' if descending else '-1e300'})"
    return expression


def _row(r: tuple) -> ConversationRow:
    return ConversationRow(  # positional (the field order), as fast as a tuple gets made
        r[0],
        _PLATFORMS[r[1]],
        r[2],
        _STATUSES[r[3]],
        r[4],
        r[5],
        _dt(r[6]),
        r[7],
        _DIRECTIONS[r[8]] if r[8] else None,
        r[9],
        bool(r[10]),
        _dt(r[11]),
        _dt(r[12]),
        bool(r[13]),
        bool(r[14]),
        None if r[15] is None else bool(r[15]),
        None if r[16] is None else bool(r[16]),
        tuple(sorted(r[17].split("\x1f"), key=str.lower)) if r[17] else (),
        # The sort terms `conversations` adds after the row's columns (a tuple costs 64 bytes a
        # row, 6 MiB in a list of 100k, so the one term of the default order stands alone).
        r[18] if len(r) == 19 else r[18:] or None,
    )


def _past(
    terms: list[tuple[str, bool, bool]],
    key: ConversationRow,
    compare: str,
    params: dict[str, object],
    tag: str,
) -> str:
    """The rows past `key` (`>` after it, `<` before it) in the list's order: its sort terms
    and (profile, platform, id), compared as one row value."""
    order = key.order if isinstance(key.order, tuple) else (key.order,)
    if len(order) != len(terms):
        raise ValueError("a window starts at a row read for a list of the same sort")
    columns = [_ascending(*term) for term in terms] + ["c.profile", "c.platform", "c.id"]
    names = []
    for n, value in enumerate([*order, key.profile, key.platform.value, key.id]):
        names.append(f":{tag}{n}")
        params[f"{tag}{n}"] = value
    return f"({', '.join(columns)}) {compare} ({', '.join(names)})"


class _ListShape(NamedTuple):
    """Which rows a list has and their order: the SQL that `conversations` and
    `count_conversations` share."""

    profiles: list[str]
    view: View
    platform: Platform | None
    unread_only: bool
    owned_only: bool
    sort: str
    day_window_profiles: list[str]
    needs_reply: bool = False  # the customer wrote last (no reply since, here or elsewhere)

    @property
    def newest_first(self) -> bool:
        """Ordered by the recency index alone (a window next to a row is a seek in it)."""
        return self.sort == "newest" and self.view is not View.SNOOZED

    def in_profiles(self, params: dict[str, object]) -> str:
        """`(:p0,:p1,…)`, the profiles in scope as parameters."""
        for n, profile in enumerate(self.profiles):
            params[f"p{n}"] = profile
        return f"({','.join(f':p{n}' for n in range(len(self.profiles)))})"

    def where(self, params: dict[str, object], early_stop: bool) -> list[str]:
        profile_term = "+c.profile" if early_stop else "c.profile"
        where = [f"{profile_term} IN {self.in_profiles(params)}", _VIEW_WHERE[self.view]]
        if self.platform is not None:
            params["platform"] = self.platform.value
            where.append("c.platform = :platform")
        if self.unread_only:
            where.append(UNREAD)
        if self.owned_only:  # Meta: threads another app holds are left out (unknown counts as ours)
            where.append(f"{OWNED} = 1")
        if self.needs_reply:
            where.append(WAITING)
        return where

    def terms(self, params: dict[str, object]) -> list[tuple[str, bool, bool]]:
        """The order, as terms: (expression, descending, may be NULL). SQLite puts NULLs first
        in ascending order and last in descending order."""
        day = []
        for n, profile in enumerate(self.day_window_profiles):
            day.append(f":d{n}")
            params[f"d{n}"] = profile
        closes = (
            f"CASE WHEN c.profile IN ({','.join(day)}) THEN c.last_received_at + {DAY_WINDOW} "
            f"WHEN c.platform = 'instagram' THEN c.last_received_at + {INSTAGRAM_SECONDS} END"
        )
        order = {
            "newest": [],
            "unread": [(UNREAD, True, False)],
            "closing": [(f"coalesce({closes} <= :now, 1)", False, False), (closes, False, True)],
            # Those waiting for a reply, the longest waiting first; then the rest, newest first.
            "waiting": [
                (f"CASE WHEN {WAITING} THEN c.last_received_at ELSE 1e300 END", False, False)
            ],
        }[self.sort] + [("c.last_message_at", True, True)]
        if self.view is View.SNOOZED:  # the next to wake first, whatever the sort
            order = [("l.snoozed_until", False, True), *order]
        return order


class ListReads(StoreCore):
    # -- reads for the UI -----------------------------------------------------------------------

    def conversations(
        self,
        profiles: Iterable[str],
        view: View,
        platform: Platform | None = None,
        *,
        now: datetime,
        unread_only: bool = False,
        owned_only: bool = False,
        sort: str = "newest",
        limit: int | None = None,
        day_window_profiles: Iterable[str] = (),
        refs: Iterable[ConversationRef] | None = None,
        after: ConversationRow | None = None,
        before: ConversationRow | None = None,
        from_end: bool = False,
        skip: int = 0,
        needs_reply: bool = False,
    ) -> list[ConversationRow]:
        """The list pane's rows. `sort`: "newest" activity first, "unread" first, or "closing":
        open reply windows first, the soonest to close at the top (Instagram's 7 days through
        Ayrshare; 24 hours on every platform of `day_window_profiles`, Meta's).

        `refs`: only these conversations (a few hundred at most: three SQL parameters each),
        those of them that are in the list (the others have left it); each row's `order` says
        where it goes among the rest.

        A window of the list, in list order: the `limit` rows `after` a row (read for a list of
        the same sort), those `before` one, those between two, with `from_end` the last `limit`
        rows (before `before` if given), or those from position `skip`. Next to a row, in the
        newest-first order, a window is a seek in the recency index: as fast at the millionth
        row as at the first (`skip` walks the rows it skips).

        `needs_reply`: only those whose last message is the customer's (no one answered, here
        or elsewhere): the queue of those waiting for a reply."""
        shape = _ListShape(
            list(profiles),
            view,
            platform,
            unread_only,
            owned_only,
            sort,
            list(day_window_profiles),
            needs_reply,
        )
        params: dict[str, object] = {
            "now": now.timestamp(),
            "limit": -1 if limit is None else limit,
        }
        params["skip"] = skip
        # A screenful of the newest: walk the recency index and stop at `limit` (the unary `+`
        # keeps SQLite from taking the profile key instead, which means sorting every row).
        # A whole list is better served by the profile key (one brand of fifty is 2 % of rows).
        where = shape.where(params, early_stop=limit is not None and shape.newest_first)
        if refs is not None:
            wanted = []
            for n, (profile, platform_, cid) in enumerate(refs):
                wanted.append(f"(:rp{n}, :rf{n}, :ri{n})")
                params.update({f"rp{n}": profile, f"rf{n}": platform_.value, f"ri{n}": cid})
            if not wanted:
                return []
            where.append(f"(c.profile, c.platform, c.id) IN (VALUES {','.join(wanted)})")
        terms = shape.terms(params)
        backwards = from_end or (before is not None and after is None)
        if after is not None:
            where.append(_past(terms, after, ">", params, "a"))
        if before is not None:
            where.append(_past(terms, before, "<", params, "b"))
        key = before or after
        if key is None or not shape.newest_first or (after and before):
            return self._rows(terms, where, params, backwards)
        # Newest first: a bound on `last_message_at` itself lets SQLite seek the recency index
        # (the row value alone makes it walk every row before the key). Rows with no message
        # yet (NULL) come last, so they are a second read at that end of the list.
        at = key.last_message_at
        params["seek"] = None if at is None else at.timestamp()
        if at is None:
            near = [*where, "c.last_message_at IS NULL"]
            far = [*where, "c.last_message_at IS NOT NULL"] if backwards else None
        elif backwards:
            near, far = [*where, "c.last_message_at >= :seek"], None
        else:
            near = [*where, "c.last_message_at <= :seek"]
            far = [*where, "c.last_message_at IS NULL"]
        rows = self._rows(terms, near, params, backwards)
        if far is not None and (limit is None or len(rows) < limit):
            params["limit"] = -1 if limit is None else limit - len(rows)
            more = self._rows(terms, far, params, backwards)
            rows = more + rows if backwards else rows + more
        return rows

    def _rows(
        self, terms: list[tuple[str, bool, bool]], where: list[str], params: dict, backwards: bool
    ) -> list[ConversationRow]:
        """The rows of `where` in the list's order (read from its end when `backwards`, and
        handed back in list order)."""
        flip = {True: " DESC", False: ""} if not backwards else {True: "", False: " DESC"}
        order_by = ", ".join(f"{e}{flip[desc]}" for e, desc, _ in terms)
        tie = flip[False]
        sql = (
            f"SELECT {_ROW_COLUMNS}, {', '.join(_ascending(*term) for term in terms)} {_ROW_JOIN} "
            f"WHERE {' AND '.join(where)} "
            f"ORDER BY {order_by}, c.profile{tie}, c.platform{tie}, c.id{tie} "
            "LIMIT :limit OFFSET :skip"
        )
        with self._lock:
            rows = [_row(r) for r in self._db.execute(sql, params)]
        return rows[::-1] if backwards else rows

    def count_conversations(
        self,
        profiles: Iterable[str],
        view: View,
        platform: Platform | None = None,
        *,
        now: datetime,
        unread_only: bool = False,
        owned_only: bool = False,
        sort: str = "newest",
        day_window_profiles: Iterable[str] = (),
        before: ConversationRow | None = None,
        needs_reply: bool = False,
    ) -> tuple[int, int]:
        """How many rows the list has, and how many of them are unread (the list's counter,
        without reading its rows: a sum of the counts kept as rows are written, less the rows
        snoozed now); with `before`, those before that row (its position: a count of them)."""
        shape = _ListShape(
            list(profiles),
            view,
            platform,
            unread_only,
            owned_only,
            sort,
            list(day_window_profiles),
            needs_reply,
        )
        params: dict[str, object] = {"now": now.timestamp()}
        if before is None:
            kept = (0, 0) if view is View.SNOOZED else self._kept_counts(shape, params)
            if view is View.ARCHIVED:
                return kept
            snoozed = self._snoozed_counts(shape._replace(view=View.SNOOZED), params)
            return snoozed if view is View.SNOOZED else (kept[0] - snoozed[0], kept[1] - snoozed[1])
        where = shape.where(params, early_stop=False)
        where.append(_past(shape.terms(params), before, "<", params, "b"))
        if shape.newest_first and before.last_message_at is not None:  # a seek, as above
            params["seek"] = before.last_message_at.timestamp()
            where.append("c.last_message_at >= :seek")
        sql = f"SELECT count(*), sum({UNREAD}) {_ROW_JOIN} WHERE {' AND '.join(where)}"
        return self._counted(sql, params)

    def _kept_counts(self, shape: _ListShape, params: dict[str, object]) -> tuple[int, int]:
        where = [f"profile IN {shape.in_profiles(params)}", "status = :status"]
        params["status"] = "archived" if shape.view is View.ARCHIVED else "active"
        if shape.platform is not None:
            where.append("platform = :platform")
            params["platform"] = shape.platform.value
        if shape.unread_only:
            where.append("unread = 1")
        if shape.owned_only:
            where.append("owned = 1")
        if shape.needs_reply:
            where.append("waiting = 1")
        sql = f"SELECT sum(n), sum(n * unread) FROM list_counts WHERE {' AND '.join(where)}"
        return self._counted(sql, params)

    def _snoozed_counts(self, shape: _ListShape, params: dict[str, object]) -> tuple[int, int]:
        """The rows of the Snoozed list, found from the few snoozes (their index)."""
        where = shape.where(params, early_stop=False)
        sql = f"SELECT count(*), sum({UNREAD}) {_SNOOZES} AND {' AND '.join(where)}"
        return self._counted(sql, params)

    def _counted(self, sql: str, params: dict[str, object]) -> tuple[int, int]:
        with self._lock:
            total, unread = self._db.execute(sql, params).fetchone()
        return int(total or 0), int(unread or 0)

    def conversation(self, ref: ConversationRef, now: datetime) -> ConversationRow | None:
        sql = (
            f"SELECT {_ROW_COLUMNS} {_ROW_JOIN} "
            "WHERE c.profile = :profile AND c.platform = :platform AND c.id = :id"
        )
        params = {"now": now.timestamp(), "profile": ref[0], "platform": ref[1].value, "id": ref[2]}
        with self._lock:
            row = self._db.execute(sql, params).fetchone()
        return None if row is None else _row(row)

    def refs_with_id(self, conversation_id: str) -> list[ConversationRef]:
        """Every stored conversation with this id (the API's ids are unique per platform and
        profile only), for a command given the id alone: a key lookup per (profile, platform)
        the counts know, not a pass over every conversation."""
        with self._lock:
            rows = self._db.execute(
                "SELECT c.profile, c.platform, c.id "
                "FROM (SELECT DISTINCT profile, platform FROM list_counts) k JOIN conversations c "
                "ON c.profile = k.profile AND c.platform = k.platform AND c.id = ? "
                "ORDER BY 1, 2",
                (conversation_id,),
            ).fetchall()
        return [(r[0], _PLATFORMS[r[1]], r[2]) for r in rows]

    def unread_counts(
        self, now: datetime, view: View = View.ACTIVE
    ) -> dict[tuple[str, Platform], int]:
        """Unread conversations in `view`, per profile and platform, from the kept counts
        (Active: less the unread rows snoozed now; a pass over every conversation took 0.8 s
        at a million, holding the store for the list's reads)."""
        snoozed = (
            f"SELECT c.profile, c.platform, {'' if view is View.SNOOZED else '-'}count(*) AS n "
            f"{_SNOOZES} AND {_VIEW_WHERE[View.SNOOZED]} AND {UNREAD} GROUP BY 1, 2"
        )
        kept = (
            "SELECT profile, platform, n FROM list_counts "
            f"WHERE status = '{'archived' if view is View.ARCHIVED else 'active'}' AND unread = 1"
        )
        parts = {View.ACTIVE: f"{kept} UNION ALL {snoozed}", View.ARCHIVED: kept}
        sql = (
            f"SELECT profile, platform, sum(n) FROM ({parts.get(view, snoozed)}) "
            "GROUP BY 1, 2 HAVING sum(n) > 0"
        )
        with self._lock:
            rows = self._db.execute(sql, {"now": now.timestamp()}).fetchall()
        return {(r[0], Platform(r[1])): int(r[2] or 0) for r in rows}

    def next_snooze_due(self, now: datetime) -> datetime | None:
        with self._lock:
            row = self._db.execute(
                "SELECT min(snoozed_until) FROM local_state WHERE snoozed_until > ?",
                (now.timestamp(),),
            ).fetchone()
        return _dt(row[0])

    def thread(
        self, ref: ConversationRef, limit: int | None = None, including: str | None = None
    ) -> Thread:
        """The newest `limit` messages of a conversation (all if None), oldest first.

        `including` widens the window to reach that message (a search hit further back).
        Reading a window keeps opening a 10k-message thread as fast as a short one.
        """
        profile, platform, conversation_id = ref
        key = (profile, platform.value, conversation_id)
        where = "profile = ? AND platform = ? AND conversation_id = ?"
        with self._lock:
            # The count and the first message's side are kept on the conversation's row.
            summary = self._db.execute(
                "SELECT message_count, oldest_direction FROM conversations "
                "WHERE profile = ? AND platform = ? AND id = ?",
                key,
            ).fetchone()
            total, oldest = summary or (0, None)
            if limit is not None and including is not None:
                (newer,) = self._db.execute(
                    """
                    SELECT COUNT(*) FROM messages AS m, messages AS hit
                    WHERE hit.profile = ? AND hit.platform = ? AND hit.id = ?
                    AND m.profile = hit.profile AND m.platform = hit.platform
                    AND m.conversation_id = hit.conversation_id
                    AND (m.created, m.id) >= (hit.created, hit.id)
                    """,
                    (profile, platform.value, including),
                ).fetchone()
                limit = max(limit, newer + limit // 2)
            rows = self._db.execute(
                f"""
                SELECT id, direction, created, sender_id, sender_name, text, attachments,
                    reactions, unavailable, reply_to
                FROM messages WHERE {where}
                ORDER BY created DESC, id DESC LIMIT ?
                """,
                (*key, -1 if limit is None else limit),
            ).fetchall()
        messages = [
            Message(
                platform=platform,
                id=r[0],
                conversation_id=conversation_id,
                direction=Direction(r[1]),
                created=_at(r[2]),
                sender_id=r[3],
                sender_name=r[4],
                text=r[5],
                attachments=tuple(Attachment(t, u) for t, u in json.loads(r[6])),
                reactions=json.loads(r[7]),
                unavailable=bool(r[8]),
                reply_to=r[9],
            )
            for r in reversed(rows)
        ]
        # A thread cannot start with the brand's message (the correspondent writes first), and
        # a full 20 is what the platform's history limit would leave.
        truncated = platform in TRUNCATING_PLATFORMS and bool(
            total and (oldest == Direction.SENT.value or total >= HISTORY_LIMIT)
        )
        return Thread(messages, truncated, older=total - len(messages))
