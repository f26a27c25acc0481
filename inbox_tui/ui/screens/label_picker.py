"""The label picker (`l`): type to filter the labels in use, or to make a new one; enter adds
the highlighted label to the conversations (or, when they all have it, takes it off)."""

from __future__ import annotations

from typing import NamedTuple

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from inbox_tui.store import label_problem
from inbox_tui.ui.screens.dialogs import Dialog
from inbox_tui.ui.widgets.vim_keys import PickList


class LabelChange(NamedTuple):
    label: str
    add: bool  # False: take it off


class LabelPicker(Dialog[LabelChange | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(
        self, what: str, where: str, in_use: list[str], on_all: set[str], on_some: set[str]
    ) -> None:
        """`where`: where their labels live (this app, or Meta too); `in_use`: every label
        there is; `on_all` / `on_some`: those every one, or some, of the conversations have
        (lower case)."""
        super().__init__()
        self.what, self.where = what, where
        self.in_use, self.on_all, self.on_some = in_use, on_all, on_some

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Labels of {self.what}"
            yield Input(placeholder="Type to filter, or a new label…", id="label-filter")
            yield Static("", id="label-hint", classes="hint", markup=False)
            yield PickList(markup=False, id="label-options")
            yield Static(self.where, id="label-where", classes="hint", markup=False)

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        typed = text.strip()
        needle = typed.casefold()
        options = self.query_one("#label-options", OptionList)
        matches = [name for name in self.in_use if needle in name.casefold()]
        entries = []
        if typed and needle not in {m.casefold() for m in matches}:
            problem = label_problem(typed)
            self.query_one("#label-hint", Static).update(problem)
            if not problem:
                entries.append(
                    Option(Content.assemble(("+ new label ", "$accent"), typed), id=typed)
                )
        else:
            self.query_one("#label-hint", Static).update(
                "enter adds it; on a ✓ label, enter takes it off"
            )
        for name in matches:
            mark = (
                "✓ "
                if name.casefold() in self.on_all
                else ("– " if name.casefold() in self.on_some else "  ")
            )
            entries.append(Option(Content.assemble((mark, "$success"), name), id=name))
        options.set_options(entries)
        if entries:
            options.highlighted = 0

    @on(Input.Changed, "#label-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#label-filter")
    def _submit(self) -> None:
        options = self.query_one("#label-options", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id or "")

    @on(OptionList.OptionSelected, "#label-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id or "")

    def _choose(self, label: str) -> None:
        if label:
            self.dismiss(LabelChange(label, add=label.casefold() not in self.on_all))

    def action_move(self, step: int) -> None:
        options = self.query_one("#label-options", OptionList)
        if options.option_count:
            options.highlighted = ((options.highlighted or 0) + step) % options.option_count
