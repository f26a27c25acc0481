"""The keymap in one place: every binding, the help screen, the command palette and the
composer's hint read it.

Each key has a binding id (the name a user will remap it by, through Textual's
`App.set_keymap`) and the pane that owns its action: the app routes a pane's keys to it
(`InboxApp.action_in`), so every key works wherever the focus is, as it always has.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding


class KeySpec(NamedTuple):  # not a dataclass: a tenth of the cost to define, on the start path
    keys: str  # Textual key names, comma-separated
    label: str  # how the help screen writes the keys
    action: str  # the owner's action name, without "action_"
    description: str
    footer: bool = False  # shown in the footer
    ready: bool = True  # False: shipped in a later release, shows as "coming"
    short: str = ""  # the footer's label (the composer's hint), where the description is long
    pane: str = "app"  # who runs the action: "app", "list" or "thread"
    hint: str = ""  # the composer's status line says it so

    @property
    def footer_label(self) -> str:
        return self.short or self.description

    @property
    def id(self) -> str:
        """The binding id: the action's name, its argument after a dot (`filter.facebook`)."""
        name, _, argument = self.action.partition("(")
        return name + "." + argument.strip(")'") if argument else name

    @property
    def routed(self) -> str:
        """The action as the app runs it: a pane's own goes through `in` (the app routes it)."""
        action = self.action if self.pane == "app" else f"in({self.pane!r}, {self.action!r})"
        return f"app.{action}"

    def binding(self, *, priority: bool = False) -> Binding:
        """Bound on the app, or on a widget (priority: before the widget's own keys)."""
        return Binding(
            self.keys,
            self.routed,
            self.footer_label,
            show=self.footer,
            id=self.id,
            priority=priority,
        )


# vi's keys in both panes' lists, beside the arrows (bound on each list widget).
VIM_BINDINGS = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "first", "First", show=False),
    Binding("G", "last", "Last", show=False),
]

# The list widgets' own keys (Textual's OptionList and ours): listed for the help screen.
LIST_KEYS: list[tuple[str, str]] = [
    ("j / k, ↓ / ↑", "move in the focused pane"),
    ("g / G", "first / last"),
    ("enter", "open the highlighted conversation"),
    ("tab / shift+tab", "next / previous pane"),
    ("space", "select / unselect the row (bulk actions)"),
    ("V", "select the range from the last selected row"),
]

# Keys of the thread on screen (bound on the thread view: they act on the reply under its cursor).
THREAD_KEYS: list[KeySpec] = [
    KeySpec(
        "R", "R  (thread)", "retry_reply", "send a reply that did not go out again", pane="thread"
    ),
    KeySpec(
        "X",
        "X  (thread)",
        "discard_reply",
        "put a reply that did not go out back in the draft",
        pane="thread",
    ),
]

# The composer's keys (bound on its text area, before the text area's own: ctrl+e is its
# end-of-line). Enter and the new-line keys are the area's own (`ReplyArea`), listed here.
SEND_KEY = "enter"
NEWLINE_KEYS = ("ctrl+j", "shift+enter")  # ctrl+j works in every terminal; shift+enter in some
COMPOSER_KEYS: list[KeySpec] = [
    KeySpec(SEND_KEY, "enter  (composer)", "", "send", hint="enter sends"),
    KeySpec(
        ",".join(NEWLINE_KEYS),
        "ctrl+j  (composer)",
        "",
        "new line (shift+enter too, where the terminal sends it)",
        hint="ctrl+j new line",
    ),
    KeySpec(
        "ctrl+e",
        "ctrl+e  (composer)",
        "open_editor",
        "write in $EDITOR",
        footer=True,
        short="$EDITOR",
        pane="thread",
        hint="ctrl+e $EDITOR",
    ),
    KeySpec(
        "ctrl+l",
        "ctrl+l  (composer)",
        "attach_media",
        "attach a media URL (- removes the last one)",
        footer=True,
        short="Attach URL",
        pane="thread",
        hint="ctrl+l attach",
    ),
    KeySpec(
        "ctrl+t",
        "ctrl+t  (composer)",
        "saved_replies",
        "insert a saved reply",
        footer=True,
        short="Saved replies",
        pane="thread",
        hint="ctrl+t saved",
    ),
    KeySpec(
        "escape",
        "escape  (composer)",
        "leave_composer",
        "back to the list; the draft is kept",
        footer=True,
        short="Back (keeps the draft)",
        pane="thread",
        hint="esc back",
    ),
]
COMPOSER_HINT = ", ".join(spec.hint for spec in COMPOSER_KEYS)

KEYMAP: list[KeySpec] = [
    KeySpec("escape", "escape", "back", "Back to the list (clears the selection)", pane="list"),
    KeySpec(
        "v",
        "v",
        "toggle_view",
        "Toggle Active / Archived",
        footer=True,
        short="Archived",
        pane="list",
    ),
    KeySpec("Z", "Z", "snoozed_view", "Show snoozed conversations", pane="list"),
    KeySpec("0", "0", "filter_platform('all')", "Show all platforms", pane="list"),
    KeySpec("1", "1", "filter_platform('facebook')", "Show Facebook only", pane="list"),
    KeySpec("2", "2", "filter_platform('instagram')", "Show Instagram only", pane="list"),
    KeySpec("3", "3", "filter_platform('twitter')", "Show X only", pane="list"),
    KeySpec("U", "U", "toggle_unread_only", "Show unread only", pane="list"),
    KeySpec("O", "O", "toggle_owned_only", "Show only threads this app holds (Meta)", pane="list"),
    KeySpec(
        "s", "s", "toggle_sort", "Sort: newest / unread first / reply window closing", pane="list"
    ),
    KeySpec(
        "p", "p", "switch_profile", "Switch profile (or All profiles)", footer=True, short="Profile"
    ),
    KeySpec("e", "e", "archive", "Archive / unarchive", footer=True, short="Archive", pane="list"),
    KeySpec("r", "r", "reply", "Reply", footer=True, pane="thread"),
    KeySpec("u", "u", "toggle_read", "Toggle read / unread", pane="list"),
    KeySpec(
        "n",
        "n",
        "next_unread",
        "Next unread (across every profile)",
        footer=True,
        short="Next unread",
    ),
    KeySpec(
        "z",
        "z",
        "snooze",
        "Snooze (in Snoozed: unsnooze)",
        footer=True,
        short="Snooze",
        pane="list",
    ),
    KeySpec("ctrl+z", "ctrl+z", "undo", "Undo the last triage action", pane="list"),
    KeySpec("slash", "/", "search", "Search every message", footer=True, short="Search"),
    KeySpec("o", "o", "open_link", "Open a link or attachment (http/https only)", pane="thread"),
    KeySpec("ctrl+r", "ctrl+r", "refresh", "Refresh now (never before nextUpdate)"),
    KeySpec("A", "A", "auto_response", "Auto-response settings of the profile"),
    KeySpec("P", "P", "manage_profiles", "Manage profiles (add, rename, remove)"),
    KeySpec("question_mark", "?", "help", "Help", footer=True),
    KeySpec("q", "q", "quit", "Quit", footer=True),
]
