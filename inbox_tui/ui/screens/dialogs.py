"""Small reusable dialogs: a one-line prompt with live validation, and a yes/no question."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

DialogResult = TypeVar("DialogResult")


class Dialog(ModalScreen[DialogResult]):
    """Every dialog here is made from this one: its look (and every other screen's) is in
    one sheet, screens.tcss."""

    CSS_PATH = "screens.tcss"


class TextPrompt(Dialog[str | None]):
    """One line of input. `check` returns a problem in plain words, or "" when it is fine."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        password: bool = False,
        check: Callable[[str], str] = lambda value: "",
    ) -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder
        self.hint, self.password, self.check = hint, password, check

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(self.title_text)  # may hold a name: never markup
            yield Input(
                self.value, placeholder=self.placeholder, password=self.password, id="prompt-input"
            )
            yield Static(self.hint, classes="hint", id="prompt-hint", markup=False)

    @on(Input.Changed, "#prompt-input")
    def _changed(self, event: Input.Changed) -> None:
        problem = self.check(event.value) if event.value.strip() else ""
        hint = self.query_one("#prompt-hint", Static)
        hint.update(problem or self.hint)
        hint.set_class(bool(problem), "problem")

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if value and not self.check(value):
            self.dismiss(value)


class Confirm(Dialog[bool]):
    BINDINGS = [
        Binding("escape,n", "dismiss(False)", "No"),
        Binding("y", "dismiss(True)", "Yes"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            with Horizontal():
                yield Button(f"{self.no} (n)", id="confirm-no")
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")


FormResult = TypeVar("FormResult")


class FormScreen(Dialog[FormResult]):
    """A centred form: escape cancels, ctrl+s calls `action_save` (which dismisses)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def action_save(self) -> None:
        raise NotImplementedError
