"""The status bar and the app's clock: what the bar says, and the ticks that keep it and the
list's snoozes true (see `Ticker`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

from inbox_tui.ui.format import short_names, until
from inbox_tui.ui.list_pane import ListPane
from inbox_tui.ui.screens.issues import Issue
from inbox_tui.ui.ticker import Ticker
from inbox_tui.ui.widgets.status_bar import StatusBar, render_status

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from inbox_tui.domain import Platform
    from inbox_tui.sync import SyncEngine
    from inbox_tui.sync_streams import PlatformStatus
    from inbox_tui.ui.idle_gc import IdleCollector


class AppStatus(App[None]):
    """Mixed into `InboxApp`."""

    if TYPE_CHECKING:  # what InboxApp gives it
        profile: str | None
        clock: Callable[[], datetime]
        engine: SyncEngine | None
        sync_enabled: bool
        action_error: str
        ticker: Ticker
        _idle_gc: IdleCollector
        _errors_said: dict[tuple[str, Platform], str]  # the stream errors toasted, their words

        @property
        def list_pane(self) -> ListPane: ...
        @property
        def profile_names(self) -> tuple[str, ...]: ...
        @property
        def profiles_in_scope(self) -> tuple[str, ...]: ...
        @property
        def scope_label(self) -> str: ...
        def brand_style(self, profile: str) -> str: ...

    def tick(self) -> None:
        """What the clock changes (see `Ticker`); each part sets the next tick it needs."""
        self.update_status()
        self._idle_gc.tick()
        self.ticker.within(self._idle_gc.due_in())
        if not self.is_running:
            return  # shutting down
        pane = self.list_pane
        listing, now = pane.conversation_list, self.clock()
        if listing.ages_change_in(now) <= 0:
            listing.redraw_ages(now)
        self.ticker.within(listing.ages_change_in(now))
        if pane.snooze_due is not None and now >= pane.snooze_due:
            pane.snooze_due = None
            pane.reload(delay=0)  # a snooze ended: the conversation is back
        elif pane.snooze_due is not None:
            self.tick_at(pane.snooze_due)

    def tick_at(self, moment: datetime) -> None:
        self.ticker.within((moment - self.clock()).total_seconds())

    def update_status(self) -> None:
        bar, pane = self.query_one_optional(StatusBar), self.query_one_optional(ListPane)
        if bar is None or pane is None:
            return  # shutting down: a late sync message after the widgets went
        engine = self.engine
        profile = self.profile or self.profile_names[0]
        every = self._streams()
        failing = [s for s in every if s.error is not None]
        self._say_new_errors(failing)
        platform = pane.platform
        content, changes_in = render_status(
            profile=self.scope_label,
            profile_style=self.brand_style(self.profile) if self.profile else "bold",
            view=pane.view,
            platform_filter=platform.label if platform else "all",
            platforms=[s for s in every if s.profile == self.profile],
            rate_limit=engine.rate_limits.get(profile) if engine and self.profile else None,
            paused_until=engine.paused_until(profile) if engine and self.profile else None,
            now=self.clock(),
            offline_note="" if self.sync_enabled else "Sync is off: showing the stored inbox.",
            issues=len(failing) + bool(self.action_error),
            all_errors=[s for s in failing if s.profile != self.profile],
            short=short_names(self.profile_names),
        )
        bar.show(content)
        self.ticker.within(changes_in)

    def _say_new_errors(self, failing: list[PlatformStatus]) -> None:
        """A stream's error, in full, once when it first appears (or its words change): the
        bar only marks it."""
        now = {(s.profile, s.platform): str(s.error) for s in failing}
        for (profile, platform), words in now.items():
            if self._errors_said.get((profile, platform)) != words:
                self.notify(
                    words,
                    title=f"{profile} · {platform.label}",
                    severity="error",
                    markup=False,
                    timeout=12,
                )
        self._errors_said = now

    def issues(self) -> list[Issue]:
        """What the `!` panel explains: every failing stream, of every profile, and the last
        action that was not done."""
        found = [Issue("The last action", self.action_error)] if self.action_error else []
        now = self.clock()
        for state in self._streams():
            if state.error is None:
                continue
            when = (
                f"Tried again in {until((state.next_at - now).total_seconds())[0]} "
                "(ctrl+r tries now)."
                if state.next_at is not None
                else ""
            )
            where = f"{state.profile} · {state.platform.label}"
            found.append(Issue(where, str(state.error), when))
        return found

    def _streams(self) -> list[PlatformStatus]:
        """Every stream of every profile (the bar marks and counts those that fail, whatever
        the scope)."""
        engine = self.engine
        return (
            [s for name in self.profile_names for s in engine.platform_status(name)]
            if engine
            else []
        )

    def action_issues(self) -> None:
        from inbox_tui.ui.screens.issues import IssuesScreen

        if not isinstance(self.screen, IssuesScreen):
            self.push_screen(IssuesScreen(self.issues()))

    def report(self, words: str, title: str = "Not done") -> None:
        self.action_error = words
        if words:
            self.notify(words, severity="error", markup=False, title=title)
            self.update_status()

    def worker_failed(self, words: str) -> None:
        """A worker failed (see worker_errors): said where failed actions are said."""
        self.report(words, "Something went wrong")
