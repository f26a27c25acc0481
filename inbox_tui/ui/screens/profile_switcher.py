"""The profile switcher: a picker that filters as you type."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from inbox_tui.ui.screens.dialogs import Dialog
from inbox_tui.ui.widgets.vim_keys import PickList

ALL_PROFILES = "\x00all"  # the "All profiles" entry (config names cannot hold control characters)


class ProfileSwitcher(Dialog[str | None]):
    """Returns the chosen profile name or ALL_PROFILES, or None when dismissed."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(self, profiles: list[tuple[str, int]], current: str) -> None:
        super().__init__()
        total = sum(unread for _, unread in profiles)
        # (id, label, unread count); "All profiles" first
        self.entries = [(ALL_PROFILES, "All profiles", total)] + [(n, n, u) for n, u in profiles]
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Switch profile"
            yield Input(placeholder="Type to filter profiles…", id="profile-filter")
            yield PickList(markup=False, id="profile-options")

    def on_mount(self) -> None:
        self._fill("")

    def _fill(self, text: str) -> None:
        needle = text.casefold().strip()
        options = self.query_one("#profile-options", OptionList)
        matches = [e for e in self.entries if needle in e[1].casefold()]
        options.set_options(
            Option(
                Content.assemble(
                    ("● " if key == self.current else "  ", "$accent"),
                    (label, "bold" if key == self.current else ""),
                    (f"  {unread} unread" if unread else "", "$foreground-muted"),
                ),
                id=key,
            )
            for key, label, unread in matches
        )
        if matches:
            keys = [key for key, _, _ in matches]
            options.highlighted = (
                keys.index(self.current) if self.current in keys and not needle else 0
            )

    @on(Input.Changed, "#profile-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#profile-filter")
    def _submit(self) -> None:
        options = self.query_one("#profile-options", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#profile-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one("#profile-options", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = (current + step) % options.option_count
