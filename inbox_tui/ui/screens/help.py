"""The help screen: every key, from the one keymap."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from inbox_tui.keymap import COMPOSER_KEYS, KEYMAP, LIST_KEYS, THREAD_KEYS, KeySpec, label_of
from inbox_tui.ui.screens.dialogs import Dialog
from inbox_tui.ui.widgets.vim_keys import ScrollBox

KEY_WIDTH, WORDS_WIDTH = 20, 44  # the help box holds 64 cells: a key column, the words beside it


def help_text(user_keys: Mapping[str, str]) -> Content:
    """Every key, the user's where `[keys]` remaps one (the pane's own named after it), as a
    table: the words wrap beside their key, never under it."""
    entries = [
        *LIST_KEYS,
        *((_in_pane(s, user_keys), s.description) for s in THREAD_KEYS + COMPOSER_KEYS),
        *(
            (label_of(s, user_keys), s.description + ("" if s.ready else " (coming)"))
            for s in KEYMAP
        ),
        ("ctrl+p", "Command palette: every action above"),
    ]
    rows: list[str | tuple[str, str]] = []
    for label, words in entries:
        lines = textwrap.wrap(words[:1].upper() + words[1:], WORDS_WIDTH) or [""]
        rows += [(f"{label:>{KEY_WIDTH - 2}}  ", "bold $accent"), lines[0], "\n"]
        for line in lines[1:]:
            rows += [" " * KEY_WIDTH, line, "\n"]
    return Content.assemble(*rows[:-1])


def _in_pane(spec: KeySpec, user_keys: Mapping[str, str]) -> str:
    if spec.id not in user_keys:
        return spec.label  # "R  (thread)"
    pane = spec.label.partition("(")[2].rstrip(")")
    return f"{label_of(spec, user_keys)}  ({pane})"


class HelpScreen(Dialog[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with ScrollBox() as box:
            box.border_title = "Keys"
            box.border_subtitle = "escape to close"
            yield Static(help_text(self.app.settings.keys), markup=False)  # type: ignore[attr-defined]
