"""The help screen: every key, from the one keymap."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from inbox_tui.ui.keymap import KEYMAP, PANE_KEYS


def help_text() -> Content:
    rows: list[str | tuple[str, str]] = []
    for label, words in PANE_KEYS:
        rows += [(f"{label:>16}  ", "bold $accent"), words, "\n"]
    for spec in KEYMAP:
        rows += [(f"{spec.label:>16}  ", "bold $accent"), spec.description]
        if not spec.ready:
            rows.append(("  (coming)", "$foreground-muted"))
        rows.append("\n")
    rows += [(f"{'ctrl+p':>16}  ", "bold $accent"), "Command palette: every action above"]
    return Content.assemble(*rows)


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 72; height: auto; max-height: 90%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Keys"
            box.border_subtitle = "escape to close"
            yield Static(help_text(), markup=False)
