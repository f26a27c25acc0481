"""The brand's reply times, from the messages stored: for each reply sent in a period, how
long the customer had waited (from their first message since the brand's last one)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from inbox_tui.store.core import StoreCore

# A reply that follows the customer's messages: the wait is from the first of them (the first
# received after the brand's previous message). A reply after a reply (or one that opens the
# thread) answers no one and is left out. Both reads are seeks in `messages_by_thread`; the
# replies of the period come from `messages_sent_by_time`.
_WAITS = """
SELECT s.profile, s.created - (
    SELECT min(r.created) FROM messages r
    WHERE r.profile = s.profile AND r.platform = s.platform
      AND r.conversation_id = s.conversation_id AND r.direction = 'received'
      AND r.created < s.created
      AND r.created > COALESCE((
          SELECT max(p.created) FROM messages p
          WHERE p.profile = s.profile AND p.platform = s.platform
            AND p.conversation_id = s.conversation_id AND p.direction = 'sent'
            AND p.created < s.created), -1e300))
FROM messages s
WHERE s.direction = 'sent' AND s.profile IN ({profiles})
  AND s.created >= :since AND s.created < :until
"""


class ReplyTimes(StoreCore):
    def reply_waits(
        self, profiles: Iterable[str], since: datetime, until: datetime
    ) -> dict[str, list[float]]:
        """Per profile, the seconds each customer waited for the replies sent in
        [since, until)."""
        names = list(profiles)
        params: dict[str, object] = {f"p{n}": name for n, name in enumerate(names)}
        params |= {"since": since.timestamp(), "until": until.timestamp()}
        sql = _WAITS.format(profiles=",".join(f":p{n}" for n in range(len(names))))
        waits: dict[str, list[float]] = {name: [] for name in names}
        with self._lock:
            for profile, waited in self._db.execute(sql, params):
                if waited is not None:
                    waits[profile].append(max(0.0, waited))
        return waits
