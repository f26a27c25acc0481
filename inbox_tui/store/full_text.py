"""Search over every stored message (SQLite's FTS5, newest first)."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from inbox_tui.domain import ConversationStatus, Direction, Platform
from inbox_tui.store.core import StoreCore
from inbox_tui.store.ingest import seq_base
from inbox_tui.store.records import _at

if TYPE_CHECKING:
    from inbox_tui.search import SearchHit, SearchQuery


class FullTextSearch(StoreCore):
    def search(
        self, query: SearchQuery, limit: int | None = None, after: SearchHit | None = None
    ) -> list[SearchHit]:
        """Newest matches first: FTS5 walks rowids (time-ordered) downwards and stops at `limit`.
        `after`: the next page, the matches older than that hit (a seek, however deep)."""
        from inbox_tui.search import (  # not at start-up
            DEFAULT_LIMIT,
            SearchError,
            SearchHit,
            fts_expression,
        )

        limit = DEFAULT_LIMIT if limit is None else limit
        expression = fts_expression(query)
        if not expression and not query.literals and not query.filtered:
            return []
        # Words go through the index (its rowid is the message's seq); without any, the
        # messages are walked newest first by seq, and stop at `limit` as the index does.
        seq = "messages_fts.rowid" if expression else "m.seq"
        where: list[str] = []
        args: list[str | int] = []
        if expression:
            where.append("messages_fts MATCH ?")
            args.append(expression)
        for literal in query.literals:
            where.append("instr(m.text, ?) > 0")
            args.append(literal)
        if query.profile:  # a case-insensitive prefix: profile:acme finds "Acme Coffee"
            where.append("m.profile LIKE ? ESCAPE '\\'")
            escaped = query.profile.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            args.append(escaped + "%")
        if query.platform is not None:
            where.append("m.platform = ?")
            args.append(query.platform.value)
        if query.label:
            where.append(
                "EXISTS (SELECT 1 FROM labels g WHERE g.profile = m.profile AND "
                "g.platform = m.platform AND g.conversation_id = m.conversation_id AND g.label = ?)"
            )
            args.append(query.label)
        if query.after is not None:
            where.append(f"{seq} >= ?")
            args.append(seq_base(query.after))
        if query.before is not None:
            where.append(f"{seq} < ?")
            args.append(seq_base(query.before))
        if after is not None:
            where.append(f"{seq} < ?")
            args.append(after.seq)
        if expression:
            source = "FROM messages_fts JOIN messages m ON m.seq = messages_fts.rowid"
            snippet = "snippet(messages_fts, 0, char(2), char(3), '…', 12)"
        else:
            source = "FROM messages m"
            snippet = "substr(m.text, 1, 120)"
        sql = f"""
            SELECT m.profile, m.platform, m.conversation_id, m.id, m.created, m.direction,
                   m.sender_name, COALESCE(c.participant_name, ''),
                   COALESCE(l.status_override, c.status, 'active'),
                   {snippet}, {seq}
            {source}
            LEFT JOIN conversations c
              ON c.profile = m.profile AND c.platform = m.platform AND c.id = m.conversation_id
            LEFT JOIN local_state l
              ON l.profile = m.profile AND l.platform = m.platform AND l.conversation_id = m.conversation_id
            WHERE {" AND ".join(where) or "1"}
            ORDER BY {seq} DESC LIMIT ?
        """
        with self._lock:
            try:
                rows = self._db.execute(sql, (*args, limit)).fetchall()
            except sqlite3.OperationalError as error:  # an expression FTS5 cannot read
                raise SearchError(
                    f"Can't search for that: {error} (SQLite's full-text search)."
                ) from None
        return [
            SearchHit(
                profile=r[0],
                platform=Platform(r[1]),
                conversation_id=r[2],
                message_id=r[3],
                created=_at(r[4]),
                direction=Direction(r[5]),
                sender_name=r[6],
                participant_name=r[7],
                status=ConversationStatus(r[8]),
                snippet=r[9],
                seq=r[10],
            )
            for r in rows
        ]
