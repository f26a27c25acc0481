"""Saved replies: `{first_name}`-style variables filled from the conversation."""

from __future__ import annotations

import re

from inbox_tui.store import ConversationRow

_VARIABLE = re.compile(r"\{(\w+)\}")
VARIABLES = ("first_name", "name", "profile", "platform")


def fill(text: str, row: ConversationRow) -> str:
    """Known variables are replaced; anything else in braces is left as written."""
    name = row.participant_name.strip()
    values = {
        "first_name": name.split()[0] if name else "",
        "name": name,
        "profile": row.profile,
        "platform": row.platform.label,
    }
    return _VARIABLE.sub(lambda m: values.get(m[1], m[0]), text)
