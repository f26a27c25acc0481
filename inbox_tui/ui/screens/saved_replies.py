"""Saved replies: pick one to insert (variables filled), add or delete them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from inbox_tui.config.model import SavedReply
from inbox_tui.saved_replies import VARIABLES, fill
from inbox_tui.store import ConversationRow
from inbox_tui.ui.screens.dialogs import Confirm, Dialog, FormScreen
from inbox_tui.ui.widgets.vim_keys import PickList
from inbox_tui.ui.worker_errors import SurfacesWorkerErrors

HELP = "enter inserts · ctrl+n new · ctrl+d delete · escape closes"


class SavedReplyForm(FormScreen[SavedReply | None]):
    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "New saved reply"
            yield Input(placeholder="Name, e.g. Shipping times", id="reply-name")
            yield TextArea(id="reply-text", soft_wrap=True, tab_behavior="focus")
            yield Static(
                "Variables: " + " ".join("{" + v + "}" for v in VARIABLES) + "  ·  ctrl+s saves",
                classes="hint",
                markup=False,
            )

    def action_save(self) -> None:
        name = self.query_one("#reply-name", Input).value.strip()
        text = self.query_one("#reply-text", TextArea).text.strip()
        if name and text:
            self.dismiss(SavedReply(name=name, text=text))


class SavedRepliesScreen(SurfacesWorkerErrors, Dialog[str | None]):
    """Returns the filled text to insert, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("ctrl+n", "new", "New", priority=True),
        Binding("ctrl+d", "delete", "Delete", priority=True),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def __init__(
        self,
        replies: list[SavedReply],
        row: ConversationRow,
        save: Callable[[list[SavedReply]], Awaitable[str]],
    ) -> None:
        super().__init__()
        self.replies = list(replies)
        self.row = row
        self.save = save  # writes them; returns a problem in plain words, or ""
        self.shown: list[SavedReply] = []

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"Saved replies · {self.row.profile}")  # not markup
            yield Input(placeholder="Type to filter…", id="reply-filter")
            yield PickList(markup=False, id="reply-options")
            yield Static(HELP, classes="hint", id="reply-hint", markup=False)

    def on_mount(self) -> None:
        self._fill()

    def _fill(self) -> None:
        needle = self.query_one("#reply-filter", Input).value.casefold().strip()
        self.shown = [
            r for r in self.replies if needle in r.name.casefold() or needle in r.text.casefold()
        ]
        options = self.query_one("#reply-options", OptionList)
        if not self.shown:
            note = (
                "No saved replies yet: ctrl+n adds one." if not self.replies else "Nothing matches."
            )
            options.set_options([Option(Content.styled(note, "$foreground-muted"), disabled=True)])
            return
        options.set_options(
            Option(
                Content.assemble(
                    (r.name, "bold"), "\n  ", (fill(r.text, self.row)[:200], "$foreground-muted")
                )
            )
            for r in self.shown
        )
        options.highlighted = 0

    @on(Input.Changed, "#reply-filter")
    def _filter(self) -> None:
        self._fill()

    def _current(self) -> SavedReply | None:
        index = self.query_one("#reply-options", OptionList).highlighted
        return self.shown[index] if self.shown and index is not None else None

    @on(Input.Submitted, "#reply-filter")
    @on(OptionList.OptionSelected, "#reply-options")
    def _chosen(self) -> None:
        if (reply := self._current()) is not None:
            self.dismiss(fill(reply.text, self.row))

    def action_move(self, step: int) -> None:
        options = self.query_one("#reply-options", OptionList)
        if self.shown:
            options.highlighted = ((options.highlighted or 0) + step) % len(self.shown)

    @work(exit_on_error=False)
    async def action_new(self) -> None:
        reply = await self.app.push_screen_wait(SavedReplyForm())
        if reply is not None:
            await self._store([*self.replies, reply])

    @work(exit_on_error=False)
    async def action_delete(self) -> None:
        reply = self._current()
        if reply is not None and await self.app.push_screen_wait(
            Confirm(f"Delete the saved reply {reply.name!r}?", yes="Delete")
        ):
            await self._store([r for r in self.replies if r is not reply])

    async def _store(self, replies: list[SavedReply]) -> None:
        problem = await self.save(replies)
        hint = self.query_one("#reply-hint", Static)
        if problem:
            hint.update(problem)
            return
        self.replies = replies
        hint.update(HELP)
        self._fill()
