"""The demo's keys and profiles: what the demo and the fake server serve, and what a config
pointed at `inbox-tui fake-server` must say (listed in its `--help`, which may not import the
fake itself)."""

from __future__ import annotations

DEMO_API_KEY = "demo-api-key"
DEMO_X_KEYS = ("demo-x-key", "demo-x-secret")

# (profile key or None for the primary, title, {platform: messaging enabled}, conversations each)
DEMO_PROFILES: list[tuple[str | None, str, dict[str, bool], int]] = [
    (None, "Primary", {"facebook": True, "instagram": True, "twitter": True}, 40),
    ("demo-key-acme", "Acme Coffee", {"facebook": True, "instagram": True, "twitter": True}, 90),
    ("demo-key-northwind", "Northwind Outdoor", {"facebook": True, "instagram": True}, 70),
    # One platform answers 361: messaging was never activated for it.
    (
        "demo-key-lumen",
        "Lumen Skincare",
        {"facebook": True, "instagram": False, "twitter": True},
        60,
    ),
]

# The Meta profile of the demo: one Page with Messenger and Instagram, through Graph directly.
DEMO_META_PROFILE = "Fjord Bakery"
DEMO_PAGE_ID = "104000000000777"
DEMO_PAGE_TOKEN = "demo-page-token"


def help_text() -> str:
    """Every key a config needs against the fake server, for `fake-server --help`."""
    profiles = [
        f"  {title}: "
        + (f"profile_key = {key!r}" if key else "the Primary Profile (no profile_key)")
        for key, title, _, _ in DEMO_PROFILES
    ]
    return "\n".join(
        [
            f"Ayrshare: api_key = {DEMO_API_KEY!r}; base_url = http://127.0.0.1:PORT/api",
            "Profiles:",
            *profiles,
            f"X: x_api_key = {DEMO_X_KEYS[0]!r}, x_api_secret = {DEMO_X_KEYS[1]!r}",
            f"Meta Page {DEMO_META_PROFILE!r}: page_id = {DEMO_PAGE_ID!r}, token {DEMO_PAGE_TOKEN!r}",
        ]
    )
