"""What the Pilot tests share: build the app against the fake, wait until it settles, read
the screen as a person would."""

from __future__ import annotations

from collections.abc import Callable

from textual import events

from inbox_tui.store import Store
from inbox_tui.ui.app import InboxApp
from tests.factories import test_config


def screen_text(app: InboxApp) -> str:
    """The whole screen as plain text, as a person would read it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def explained(app: InboxApp) -> str:
    """What the app has said of what went wrong: the screen, its toasts and the issues panel
    (`!`), where the status bar's one line sends the reader for the whole words."""
    return "\n".join(
        [
            screen_text(app),
            *(f"{n.title}: {n.message}" for n in app._notifications),
            *(f"{issue.where}: {issue.words}" for issue in app.issues()),
        ]
    )


def make_app(base_url: str, tmp_path, clock, **kwargs) -> InboxApp:
    return InboxApp(test_config(base_url), Store(tmp_path / "inbox.sqlite3"), clock=clock, **kwargs)


async def paste(pilot, text: str) -> None:
    """`text` into the focused box as a terminal pastes it. Typing it would cost Pilot two
    idle waits a character (~50 ms each, more under load); the keys themselves are tested
    where they matter (the composer's enter and ctrl+j, hostile sequences, the real pty)."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


# Workers that load or write in the background (not the sync loop, which runs for the app's
# life, nor actions that wait on a dialog).
LOADING_GROUPS = (
    "list",
    "thread",
    "filters",
    "draft",
    "outbox",
    "triage",
    "search",
    "search-page",
    "auto-response",
)


async def settle(pilot, condition: Callable[[], bool] | None = None, rounds: int = 300) -> None:
    """Wait until no fetch runs or is due and the list/thread loads are done, twice in a row.

    Bounded, and a wait, never a timing assertion. "Due" matters: a load may have just asked
    the engine for a thread that its loop has not started yet.
    """
    app = pilot.app
    quiet = 0
    for _ in range(rounds):
        await pilot.pause(0.02)
        engine = app.engine
        if engine is None:
            syncing = app.sync_enabled
        else:
            due = engine.next_due()
            syncing = engine.busy or (due is not None and due <= app.clock())
        loading = any(w.is_running for w in app.workers if w.group in LOADING_GROUPS)
        quiet = (
            quiet + 1 if not syncing and not loading and (condition is None or condition()) else 0
        )
        if quiet == 2:
            # A blinking cursor is a different picture every half second: hold it still.
            for widget in app.screen.query("Input, TextArea"):
                widget.cursor_blink = False
            return
    raise AssertionError("the app did not settle")
