"""Helpers for Pilot tests: build the app against the fake, wait for sync, read the screen."""

from __future__ import annotations

from inbox_tui.store import Store
from inbox_tui.ui.app import InboxApp
from tests.factories import test_config


def screen_text(app: InboxApp) -> str:
    """The whole screen as plain text, as a person would read it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def settle(pilot, condition=None, rounds: int = 200) -> None:
    """Let workers and sync finish (bounded; a wait, not a timing assertion)."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause(0.02)
        syncing = app.engine.busy if app.engine is not None else app._sync_enabled
        loading = any(w.is_running for w in app.workers if w.group in ("list", "thread"))
        if not syncing and not loading and (condition is None or condition()):
            return
    raise AssertionError("the app did not settle: " + screen_text(app)[-2000:])


def make_app(base_url: str, tmp_path, clock, **kwargs) -> InboxApp:
    return InboxApp(test_config(base_url), Store(tmp_path / "inbox.sqlite3"), clock=clock, **kwargs)
