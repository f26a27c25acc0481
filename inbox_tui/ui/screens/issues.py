"""The issues panel (`!`): the whole words of what the status bar only marks (a stream that
fails, the last action that was not done), with when each stream is tried again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from inbox_tui.ui.screens.dialogs import Dialog
from inbox_tui.ui.widgets.vim_keys import ScrollBox


class Issue(NamedTuple):
    where: str  # "Lumen Skincare · Instagram", or "The last action"
    words: str  # the explanation, as the provider or the action gave it (sanitised)
    when: str = ""  # "tried again in 4 m"


def issues_text(issues: Sequence[Issue]) -> Content:
    if not issues:
        return Content.styled("Nothing is wrong: every stream synced, every action was done.")
    parts: list[str | tuple[str, str]] = []
    for issue in issues:
        parts += [(issue.where, "bold $error"), "\n", issue.words, "\n"]
        if issue.when:
            parts += [(issue.when, "$foreground-muted"), "\n"]
        parts.append("\n")
    return Content.assemble(*parts).rstrip()


class IssuesScreen(Dialog[None]):
    BINDINGS = [Binding("escape,exclamation_mark,q", "dismiss(None)", "Close")]

    def __init__(self, issues: Sequence[Issue]) -> None:
        super().__init__()
        self.issues = issues

    def compose(self) -> ComposeResult:
        with ScrollBox() as box:
            box.border_title = f"Issues ({len(self.issues)})" if self.issues else "Issues"
            box.border_subtitle = "escape to close"
            yield Static(issues_text(self.issues), markup=False)
