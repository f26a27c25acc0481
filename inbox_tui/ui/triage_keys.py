"""The list pane's triage keys: archive, read / unread, snooze, labels, undo.

Each but labels goes through `triage.Triage` (the store first, the request after, an undo for
each); the rows move at once and come back if the API says no. Labels go through
`label_sync.LabelSync`: the store at once, then Meta where a Page shares them.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING

from textual import work
from textual.widget import Widget

from inbox_tui.domain import ConversationStatus
from inbox_tui.store import ConversationRow, View, ref_key
from inbox_tui.ui.format import stamp

if TYPE_CHECKING:
    from inbox_tui.triage import Failure
    from inbox_tui.ui.screens.label_picker import LabelChange
    from inbox_tui.ui.shell import Shell
    from inbox_tui.ui.widgets.conversation_list import ConversationList


class TriageKeys(Widget):
    """Mixed into `ListPane` (whose rows and cursor it acts on)."""

    if TYPE_CHECKING:  # what ListPane gives it
        view: View

        @property
        def shell(self) -> Shell: ...
        @property
        def conversation_list(self) -> ConversationList: ...
        def refresh_lists(self, keep: str | None = None) -> None: ...
        def targets(self) -> list[ConversationRow]: ...

    def _report(self, failures: list[Failure], verb: str) -> None:
        if not failures:
            self.shell.report("")  # the last failure is said no more
            return
        first = failures[0]
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        self.shell.report(f"Could not {verb} {first.name}{more}: {first.error}")

    def _after_triage(self, rows: list[ConversationRow]) -> None:
        """Rows that left the view: keep the cursor near where they were."""
        widget = self.conversation_list
        gone = {r.ref for r in rows}
        shown, index = widget.rows, (widget.highlighted or 0) - widget.window_start
        # The first row that stays from the cursor down, else the nearest above it (a walk
        # that stops at once, not a pass over 100k rows).
        nearest = chain(range(index, len(shown)), range(min(index, len(shown)) - 1, -1, -1))
        keep = next((shown[i].key for i in nearest if shown[i].ref not in gone), None)
        widget.clear_selection()
        self.refresh_lists(keep=keep)

    def action_archive(self) -> None:
        rows = self.targets()
        if not rows:
            return
        status = (
            ConversationStatus.ACTIVE if self.view is View.ARCHIVED else ConversationStatus.ARCHIVED
        )
        verb = "unarchive" if status is ConversationStatus.ACTIVE else "archive"
        if self.shell.engine is None:
            self.notify(f"Cannot {verb} while sync is off.", severity="warning", markup=False)
            return
        self.run_worker(self._set_status(rows, status, verb), group="triage", exit_on_error=False)

    async def _set_status(
        self, rows: list[ConversationRow], status: ConversationStatus, verb: str
    ) -> None:
        targets = {r.ref: r.participant_name or "(unknown)" for r in rows}
        triage = self.shell.triage
        before = await triage.set_status_locally(targets, status)
        self._after_triage(rows)  # the rows move at once
        failures = await triage.push_status(targets, status, before)
        self._report(failures, verb)
        if failures:
            self.refresh_lists()  # and come back if the API said no
        done = len(targets) - len(failures)
        if done:
            what = "1 conversation" if done == 1 else f"{done} conversations"
            self.notify(f"{verb.capitalize()}d {what} · ctrl+z undoes.", markup=False)

    async def action_toggle_read(self) -> None:
        rows = self.targets()
        if not rows:
            return
        if any(r.unread for r in rows):
            await self.shell.triage.mark_read([r.ref for r in rows])
        else:
            await self.shell.triage.mark_unread([r.ref for r in rows])
        self.conversation_list.clear_selection()
        self.refresh_lists()

    def action_snooze(self) -> None:
        rows = self.targets()
        if not rows:
            return
        if self.view is View.SNOOZED:
            self.run_worker(self._unsnooze(rows), group="triage", exit_on_error=False)
            return
        from inbox_tui.ui.screens.snooze_picker import SnoozePicker

        what = rows[0].participant_name if len(rows) == 1 else f"{len(rows)} conversations"
        self.app.push_screen(
            SnoozePicker(self.shell.clock, what), partial(self._snooze_chosen, rows)
        )

    def _snooze_chosen(self, rows: list[ConversationRow], due: datetime | None) -> None:
        if due is not None:
            self.run_worker(self._snooze(rows, due), group="triage", exit_on_error=False)

    async def _snooze(self, rows: list[ConversationRow], due: datetime) -> None:
        await self.shell.triage.snooze([r.ref for r in rows], due)
        self._after_triage(rows)
        self.notify(
            f"Snoozed until {stamp(due, self.shell.clock())} (Z lists snoozed).", markup=False
        )

    async def _unsnooze(self, rows: list[ConversationRow]) -> None:
        await self.shell.triage.unsnooze([r.ref for r in rows])
        self._after_triage(rows)

    async def action_label(self) -> None:
        from inbox_tui.ui.screens.label_picker import LabelPicker

        rows = self.targets()
        if not rows:
            return
        store = self.shell.store
        in_use = [name for name, _ in await asyncio.to_thread(store.label_names)]
        sets = [{label.casefold() for label in r.labels} for r in rows]
        what = rows[0].participant_name if len(rows) == 1 else f"{len(rows)} conversations"
        where = self.shell.label_sync.where([r.ref for r in rows])
        self.app.push_screen(
            LabelPicker(what, where, in_use, set.intersection(*sets), set.union(*sets)),
            partial(self._label_chosen, rows),
        )

    def _label_chosen(self, rows: list[ConversationRow], change: LabelChange | None) -> None:
        if change is not None:
            self._apply_label(rows, change)

    @work(group="labels", exit_on_error=False)
    async def _apply_label(self, rows: list[ConversationRow], change: LabelChange) -> None:
        """The store first (the rows show it), then Meta where the labels are shared."""
        refs = [r.ref for r in rows]
        labels = self.shell.label_sync
        refused_before = set(labels.refused)
        waiting = await labels.change(refs, change.label, add=change.add)
        self.refresh_lists()
        what = "1 conversation" if len(rows) == 1 else f"{len(rows)} conversations"
        done = "Labelled" if change.add else "Took the label off"
        self.notify(f"{done} {what}: {change.label}.", markup=False)
        for profile in waiting:
            await labels.send(profile)
        if refused := [ref for ref in refs if ref[0] in set(labels.refused) - refused_before]:
            self.notify(labels.where(refused), title="Labels", severity="warning", markup=False)

    async def action_undo(self) -> None:
        result = await self.shell.triage.undo()
        if result is None:
            self.notify("Nothing to undo.", markup=False)
            return
        entry, failures = result
        # The cursor goes back to the first row it restored.
        self.refresh_lists(keep=ref_key(next(iter(entry.states))))
        if failures:
            self._report(failures, "undo for")
        else:
            self.notify(f"Undone: {entry.description}.", markup=False)
