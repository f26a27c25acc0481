"""The help screen: every key, from the one keymap."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from inbox_tui.ui.keymap import COMPOSER_KEYS, KEYMAP, LIST_KEYS, THREAD_KEYS
from inbox_tui.ui.screens.dialogs import Dialog


def help_text() -> Content:
    rows: list[str | tuple[str, str]] = []
    pane_keys = [*LIST_KEYS, *((s.label, s.description) for s in THREAD_KEYS + COMPOSER_KEYS)]
    for label, words in pane_keys:
        rows += [(f"{label:>16}  ", "bold $accent"), words, "\n"]
    for spec in KEYMAP:
        rows += [(f"{spec.label:>16}  ", "bold $accent"), spec.description]
        if not spec.ready:
            rows.append(("  (coming)", "$foreground-muted"))
        rows.append("\n")
    rows += [(f"{'ctrl+p':>16}  ", "bold $accent"), "Command palette: every action above"]
    return Content.assemble(*rows)


class HelpScreen(Dialog[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Keys"
            box.border_subtitle = "escape to close"
            yield Static(help_text(), markup=False)
