"""The keymap in one place: every binding, the help screen, the command palette and the
composer's hint read it, and the config's `[keys]` is checked against it.

Each key has a binding id (the name a user remaps it by: `[keys]` in the config, applied
through Textual's `App.set_keymap`) and the pane that owns its action: the app routes a pane's
keys to it (`InboxApp.action_in`), so every key works wherever the focus is. No Textual here
(the config's validation reads it): `binding()` imports it when the UI asks.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
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
        from textual.binding import Binding

        return Binding(
            self.keys,
            self.routed,
            self.footer_label,
            show=self.footer,
            id=self.id,
            priority=priority,
        )


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
        "R",
        "R  (thread)",
        "retry_reply",
        "send a reply that did not go out again",
        footer=True,
        short="Retry reply",
        pane="thread",
    ),
    KeySpec(
        "X",
        "X  (thread)",
        "discard_reply",
        "put a reply that did not go out back in the draft",
        footer=True,
        short="Unsend",
        pane="thread",
    ),
    KeySpec(
        "y",
        "y  (thread)",
        "copy_message",
        "copy the message under the cursor (its text and links) to the clipboard",
        footer=True,
        short="Copy",
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
        "W",
        "W",
        "toggle_waiting_only",
        "Waiting for a reply: the customer wrote last, the longest waiting first",
        pane="list",
    ),
    KeySpec(
        "s",
        "s",
        "toggle_sort",
        "Sort: newest / unread first / reply window closing / waiting longest",
        pane="list",
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
    KeySpec(
        "l",
        "l",
        "label",
        "Labels: add or take off (type to filter or make one; the selection too)",
        pane="list",
    ),
    KeySpec("ctrl+z", "ctrl+z", "undo", "Undo the last triage action", pane="list"),
    KeySpec("slash", "/", "search", "Search every message", footer=True, short="Search"),
    KeySpec("o", "o", "open_link", "Open a link or attachment (http/https only)", pane="thread"),
    KeySpec("ctrl+r", "ctrl+r", "refresh", "Refresh now (when the API's cache allows)"),
    KeySpec(
        "exclamation_mark",
        "!",
        "issues",
        "Issues: what failed (a stream, the last action), in full",
    ),
    KeySpec(
        "T",
        "T",
        "response_times",
        "Response times per brand: answered, median and 90th-percentile wait",
    ),
    KeySpec("A", "A", "auto_response", "Auto-response settings of the profile"),
    KeySpec("P", "P", "manage_profiles", "Manage profiles (add, rename, remove)"),
    KeySpec("question_mark", "?", "help", "Help", footer=True),
    KeySpec("q", "q", "quit", "Quit", footer=True),
]

# -- the user's keys (`[keys]` in the config) ---------------------------------------------------

MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
# The Unicode names Textual shortens in its key names (textual.keys.KEY_NAME_REPLACEMENTS,
# written here because the config's check must not import Textual).
_SHORTENED = {
    "solidus": "slash",
    "reverse_solidus": "backslash",
    "commercial_at": "at",
    "hyphen_minus": "minus",
    "plus_sign": "plus",
    "low_line": "underscore",
}
_NAMED_KEYS = {
    "escape", "enter", "tab", "space", "backspace", "delete", "insert", "home", "end",
    "pageup", "pagedown", "up", "down", "left", "right",
    *(f"f{n}" for n in range(1, 25)),
    *_SHORTENED.values(),
}  # fmt: skip
# Where a remapped key counts as taken: the list's and the app's keys (the thread's are live
# together with them when the thread has focus), and the composer's (its text area's own).
CONTEXTS = {"the app": [*KEYMAP, *THREAD_KEYS], "the composer": COMPOSER_KEYS}
REMAPPABLE = {spec.id: spec for specs in CONTEXTS.values() for spec in specs if spec.action}


def _parts(key: str) -> tuple[list[str], str]:
    """A key's modifiers and its base: "ctrl+a" → (["ctrl"], "a"); "+" is a key itself."""
    *modifiers, base = key.split("+") if key != "+" else [key]
    return modifiers, base


def _key_problem(key: str) -> str:
    """Why `key` is not a key Textual knows ("" when it is one)."""
    modifiers, base = _parts(key)
    unknown = [m for m in modifiers if m not in MODIFIERS]
    if unknown:
        return f"{unknown[0]!r} is not a modifier (use {', '.join(MODIFIERS)})"
    if len(base) == 1 and base.isprintable() and not base.isspace():
        return ""
    if base in _NAMED_KEYS:
        return ""
    try:  # a character by its name, as Textual writes them: question_mark, full_stop
        unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return (
            f"{base!r} is not a key name (a character such as a or ?, or escape, enter, tab, "
            "space, up, f1…, optionally after ctrl+, shift+ or alt+)"
        )
    return ""


def check_keys(keys: Mapping[str, str]) -> dict[str, str]:
    """The config's `[keys]` (binding id → "key" or "key,key"), checked: every id one of
    ours, every key one Textual knows, no key for two actions in one context. Raises
    ValueError in plain words; returns the keys, spaces dropped."""
    checked: dict[str, str] = {}
    for binding_id, value in keys.items():
        if binding_id not in REMAPPABLE:
            raise ValueError(
                f"{binding_id!r} is not a binding id; the ids are: {', '.join(sorted(REMAPPABLE))}"
            )
        listed = [k.strip() for k in str(value).split(",")] if isinstance(value, str) else []
        if not listed or not all(listed):
            raise ValueError(f'{binding_id}: give keys as a string, e.g. "a" or "a,ctrl+a"')
        for key in listed:
            if problem := _key_problem(key):
                raise ValueError(f"{binding_id}: {problem}")
        checked[binding_id] = ",".join(listed)
    for context, specs in CONTEXTS.items():
        taken: dict[str, str] = {}
        for spec in specs:
            if not spec.action:
                continue
            for key in keys_of(spec, checked):
                other = taken.setdefault(_same_key(key), spec.id)
                if other != spec.id:
                    raise ValueError(
                        f"{key!r} is given to both {other} and {spec.id} in {context}: "
                        "give one of them another key"
                    )
    return checked


def _same_key(key: str) -> str:
    """One spelling for a key: "?" and "question_mark" are the same key to Textual."""
    modifiers, base = _parts(key)
    if len(base) == 1 and not base.isalnum():  # Textual's name for it, as it makes one
        base = unicodedata.name(base, base).lower().replace(" ", "_").replace("-", "_")
        base = _SHORTENED.get(base, base)
    return "+".join([*modifiers, base])


def keys_of(spec: KeySpec, user_keys: Mapping[str, str]) -> list[str]:
    """The keys a binding answers to: the user's for its id, else its own."""
    return user_keys.get(spec.id, spec.keys).split(",")


def label_of(spec: KeySpec, user_keys: Mapping[str, str]) -> str:
    """How the help screen and the palette write a binding's keys."""
    if spec.id in user_keys:
        return " / ".join(user_keys[spec.id].split(","))
    return spec.label
