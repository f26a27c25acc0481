"""What each platform allows, stated once, each fact with its source (the sources are quoted in
../shared/reference/ayrshare-and-meta-api.md). The providers, the sync engine, the store, the
reply rules and the UI read these; none writes its own copy.
"""

from __future__ import annotations

from datetime import timedelta

from inbox_tui.domain import Platform

# Ayrshare caches GET /messages answers: 60 s for Facebook and Instagram, 15 s for X (its
# Messages API docs). Used when an answer carries no usable `nextUpdate`.
CACHE_WINDOWS = {
    Platform.FACEBOOK: timedelta(seconds=60),
    Platform.INSTAGRAM: timedelta(seconds=60),
    Platform.TWITTER: timedelta(seconds=15),
}

# Ayrshare: Instagram replies only within 7 days of the person's last message.
INSTAGRAM_WINDOW = timedelta(days=7)
# Messenger Platform, messaging types: a RESPONSE within 24 hours of the person's last message.
META_WINDOW = timedelta(hours=24)
# Messenger Platform, message tags: HUMAN_AGENT answers up to 7 days after, for an app with
# the Human Agent permission.
HUMAN_AGENT_WINDOW = timedelta(days=7)

# Ayrshare: Facebook and Instagram media URLs must end in a known file extension (voice
# messages .aac or .wav) and carry no query.
MEDIA_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".mp4", ".mov", ".aac", ".wav"})

# The longest text one message may carry: Messenger's Send API 2,000 characters, Instagram's
# 1,000 bytes of UTF-8 (Meta's Send API docs); X's direct messages 10,000 characters (X's docs).
# Ayrshare passes the text on and documents no limit of its own.
TEXT_LIMITS = {
    Platform.FACEBOOK: (2000, "characters"),
    Platform.INSTAGRAM: (1000, "bytes"),
    Platform.TWITTER: (10_000, "characters"),
}


def text_size(platform: Platform, text: str) -> int:
    """`text`'s size in the unit `platform`'s limit counts."""
    return len(text.encode()) if TEXT_LIMITS[platform][1] == "bytes" else len(text)


# Facebook and Instagram give only the newest 20 messages of a conversation that existed
# before messaging was linked (Ayrshare), and Graph details only the newest 20 of any.
HISTORY_LIMIT = 20
TRUNCATING_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM)

# Ayrshare sends X direct messages only with the user's own X app keys (OAuth 1.0a).
X_KEYS_NEEDED = (
    "X needs your own app keys: set x_api_key and x_api_secret in the [ayrshare] section of "
    "the config."
)

# Labels a provider keeps as well, by provider: a Meta Page's Custom Labels are on its
# Messenger conversations' people (a PSID; Instagram's have none), per the Messenger Platform's
# Custom Labels docs. Ayrshare's API has no labels. Elsewhere they are this app's alone.
SHARED_LABELS = {"meta": frozenset({Platform.FACEBOOK}), "ayrshare": frozenset()}
