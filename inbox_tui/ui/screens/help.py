"""The help screen: every key, from the one keymap."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from inbox_tui.keymap import COMPOSER_KEYS, KEYMAP, LIST_KEYS, THREAD_KEYS, KeySpec, label_of
from inbox_tui.ui.screens.dialogs import Dialog


def help_text(user_keys: Mapping[str, str]) -> Content:
    """Every key, the user's where `[keys]` remaps one (the pane's own named after it)."""
    rows: list[str | tuple[str, str]] = []
    pane_keys = [
        *LIST_KEYS,
        *((_in_pane(s, user_keys), s.description) for s in THREAD_KEYS + COMPOSER_KEYS),
    ]
    for label, words in pane_keys:
        rows += [(f"{label:>16}  ", "bold $accent"), words, "\n"]
    for spec in KEYMAP:
        rows += [(f"{label_of(spec, user_keys):>16}  ", "bold $accent"), spec.description]
        if not spec.ready:
            rows.append(("  (coming)", "$foreground-muted"))
        rows.append("\n")
    rows += [(f"{'ctrl+p':>16}  ", "bold $accent"), "Command palette: every action above"]
    return Content.assemble(*rows)


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
        with VerticalScroll() as box:
            box.border_title = "Keys"
            box.border_subtitle = "escape to close"
            yield Static(help_text(self.app.settings.keys), markup=False)  # type: ignore[attr-defined]
