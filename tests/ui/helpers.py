"""Helpers for Pilot tests: build the app against the fake, wait for sync, read the screen."""

from __future__ import annotations

from inbox_tui.store import Store
from inbox_tui.ui.app import InboxApp
from scripts.screenshots import settle  # noqa: F401  (re-exported for the tests)
from tests.factories import test_config


def screen_text(app: InboxApp) -> str:
    """The whole screen as plain text, as a person would read it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def make_app(base_url: str, tmp_path, clock, **kwargs) -> InboxApp:
    return InboxApp(test_config(base_url), Store(tmp_path / "inbox.sqlite3"), clock=clock, **kwargs)
