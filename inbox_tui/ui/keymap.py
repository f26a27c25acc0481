"""The keymap in one place: app bindings, the help screen and the command palette read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KeySpec:
    keys: str  # Textual key names, comma-separated
    label: str  # how the help screen writes the keys
    action: str  # app action name, without "action_"
    description: str
    footer: bool = False  # shown in the footer
    ready: bool = True  # False: shipped in a later release, shows as "coming"


# Pane keys (j/k/g/G/enter) belong to the list widgets; they are listed for the help screen.
PANE_KEYS: list[tuple[str, str]] = [
    ("j / k, ↓ / ↑", "move in the focused pane"),
    ("g / G", "first / last"),
    ("enter", "open the highlighted conversation"),
    ("tab / shift+tab", "next / previous pane"),
]

KEYMAP: list[KeySpec] = [
    KeySpec("escape", "escape", "back", "Back to the list"),
    KeySpec("v", "v", "toggle_view", "Toggle Active / Archived", footer=True),
    KeySpec("0", "0", "filter_platform('all')", "Show all platforms"),
    KeySpec("1", "1", "filter_platform('facebook')", "Show Facebook only"),
    KeySpec("2", "2", "filter_platform('instagram')", "Show Instagram only"),
    KeySpec("3", "3", "filter_platform('twitter')", "Show X only"),
    KeySpec("p", "p", "switch_profile", "Switch profile", footer=True),
    KeySpec("e", "e", "archive", "Archive / unarchive", footer=True, ready=False),
    KeySpec("r", "r", "reply", "Reply", footer=True, ready=False),
    KeySpec("u", "u", "toggle_read", "Toggle read / unread"),
    KeySpec("n", "n", "next_unread", "Next unread", footer=True),
    KeySpec("z", "z", "snooze", "Snooze", ready=False),
    KeySpec("slash", "/", "search", "Search", ready=False),
    KeySpec("o", "o", "open_link", "Open attachment or link", ready=False),
    KeySpec("ctrl+r", "ctrl+r", "refresh", "Refresh now (never before nextUpdate)"),
    KeySpec("question_mark", "?", "help", "Help", footer=True),
    KeySpec("q", "q", "quit", "Quit", footer=True),
]
