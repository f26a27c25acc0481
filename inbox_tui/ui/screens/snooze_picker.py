"""The snooze picker: presets, or a typed time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from inbox_tui import snooze_time
from inbox_tui.ui.format import stamp
from inbox_tui.ui.screens.dialogs import Dialog
from inbox_tui.ui.widgets.vim_keys import PickList


class SnoozePicker(Dialog[datetime | None]):
    """Returns the due time (aware UTC), or None when dismissed."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, clock: Callable[[], datetime], what: str) -> None:
        super().__init__()
        self.clock = clock
        self.what = what

    def _now(self) -> datetime:
        return self.clock().astimezone()  # presets are in local time

    def compose(self) -> ComposeResult:
        now = self._now()
        with Vertical() as box:
            box.border_title = Content(f"Snooze {self.what}")  # a stranger's name: never markup
            yield PickList(
                *(
                    Option(
                        Content.assemble(
                            (f"{label:<18}", "bold"), (stamp(due, now), "$foreground-muted")
                        ),
                        id=str(due.timestamp()),
                    )
                    for label, due in snooze_time.presets(now)
                ),
                markup=False,
                id="snooze-presets",
            )
            yield Input(
                placeholder=f"or type: {snooze_time.example(self._now())}",
                id="snooze-typed",
            )
            yield Static("", id="snooze-hint", markup=False)

    @on(OptionList.OptionSelected, "#snooze-presets")
    def _preset(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # every preset has its time as its id
            self.dismiss(datetime.fromtimestamp(float(event.option.id), UTC))

    @on(Input.Changed, "#snooze-typed")
    def _typed(self, event: Input.Changed) -> None:
        due = snooze_time.parse(event.value, self._now())
        hint = self.query_one("#snooze-hint", Static)
        if not event.value.strip():
            hint.update("")
        elif due is None:
            hint.update(snooze_time.problem(event.value, self._now()))
        else:
            hint.update(f"Until {stamp(due, self._now())}; enter to snooze.")

    @on(Input.Submitted, "#snooze-typed")
    def _submit(self, event: Input.Submitted) -> None:
        due = snooze_time.parse(event.value, self._now())
        if due is not None:
            self.dismiss(due.astimezone(UTC))
