"""The keymap in one place: app bindings, the help screen and the command palette read it."""

from __future__ import annotations

from typing import NamedTuple


class KeySpec(NamedTuple):  # not a dataclass: a tenth of the cost to define, on the start path
    keys: str  # Textual key names, comma-separated
    label: str  # how the help screen writes the keys
    action: str  # app action name, without "action_"
    description: str
    footer: bool = False  # shown in the footer
    ready: bool = True  # False: shipped in a later release, shows as "coming"
    short: str = ""  # the footer's label, where the description is too long for it

    @property
    def footer_label(self) -> str:
        return self.short or self.description


# Pane keys belong to the list widgets; they are listed for the help screen.
PANE_KEYS: list[tuple[str, str]] = [
    ("j / k, ↓ / ↑", "move in the focused pane"),
    ("g / G", "first / last"),
    ("enter", "open the highlighted conversation"),
    ("tab / shift+tab", "next / previous pane"),
    ("space", "select / unselect the row (bulk actions)"),
    ("V", "select the range from the last selected row"),
    ("R  (thread)", "send a reply that did not go out again"),
    ("X  (thread)", "put a reply that did not go out back in the draft"),
    ("enter  (composer)", "send"),
    ("ctrl+j  (composer)", "new line (shift+enter too, where the terminal sends it)"),
    ("ctrl+e  (composer)", "write in $EDITOR"),
    ("ctrl+l  (composer)", "attach a media URL (- removes the last one)"),
    ("ctrl+t  (composer)", "insert a saved reply"),
    ("escape  (composer)", "back to the list; the draft is kept"),
]

KEYMAP: list[KeySpec] = [
    KeySpec("escape", "escape", "back", "Back to the list (clears the selection)"),
    KeySpec("v", "v", "toggle_view", "Toggle Active / Archived", footer=True, short="Archived"),
    KeySpec("Z", "Z", "snoozed_view", "Show snoozed conversations"),
    KeySpec("0", "0", "filter_platform('all')", "Show all platforms"),
    KeySpec("1", "1", "filter_platform('facebook')", "Show Facebook only"),
    KeySpec("2", "2", "filter_platform('instagram')", "Show Instagram only"),
    KeySpec("3", "3", "filter_platform('twitter')", "Show X only"),
    KeySpec("U", "U", "toggle_unread_only", "Show unread only"),
    KeySpec("O", "O", "toggle_owned_only", "Show only threads this app holds (Meta)"),
    KeySpec("s", "s", "toggle_sort", "Sort: newest / unread first / reply window closing"),
    KeySpec(
        "p", "p", "switch_profile", "Switch profile (or All profiles)", footer=True, short="Profile"
    ),
    KeySpec("e", "e", "archive", "Archive / unarchive", footer=True, short="Archive"),
    KeySpec("r", "r", "reply", "Reply", footer=True),
    KeySpec("u", "u", "toggle_read", "Toggle read / unread"),
    KeySpec(
        "n",
        "n",
        "next_unread",
        "Next unread (across every profile)",
        footer=True,
        short="Next unread",
    ),
    KeySpec("z", "z", "snooze", "Snooze (in Snoozed: unsnooze)", footer=True, short="Snooze"),
    KeySpec("ctrl+z", "ctrl+z", "undo", "Undo the last triage action"),
    KeySpec("slash", "/", "search", "Search every message", footer=True, short="Search"),
    KeySpec("o", "o", "open_link", "Open a link or attachment (http/https only)"),
    KeySpec("ctrl+r", "ctrl+r", "refresh", "Refresh now (never before nextUpdate)"),
    KeySpec("A", "A", "auto_response", "Auto-response settings of the profile"),
    KeySpec("P", "P", "manage_profiles", "Manage profiles (add, rename, remove)"),
    KeySpec("question_mark", "?", "help", "Help", footer=True),
    KeySpec("q", "q", "quit", "Quit", footer=True),
]
