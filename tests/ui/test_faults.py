"""Every fault the fake can make: the app stays up, the cached inbox stays on screen, the
status bar says what happened, the engine backs off, and no local state is lost."""

from __future__ import annotations

import pytest

from inbox_tui.domain import Platform
from inbox_tui.fake.records import FAULTS, SHAPE_FAULTS
from inbox_tui.store import Draft, Store
from inbox_tui.ui.app import InboxApp
from tests.factories import test_config
from tests.support import explained, screen_text, settle

SIZE = (170, 40)
WORDS = {
    "timeout": "did not answer in time",
    "reset": "Could not reach Ayrshare",
    "500": "HTTP 500",
    "502": "HTTP 502",
    "503": "HTTP 503",
    "429": "Rate limited",
    "429-bare": "Rate limited",
    "html": "HTTP 502",
    "truncated": "not JSON",
    "malformed": "not JSON",
    "wrong-shape": "shape this version doesn't know",
    "suspended": "suspended",
    "deep-json": "not JSON",
    "huge": "over 20 MB",
    "trickle": "did not answer in time",
}
# Answers of a shape we don't know (see SHAPE_FAULTS): an error, never an empty inbox.
SHAPE_WORDS = {
    "no-list": "shape this version doesn't know",
    "old-shape": "shape this version doesn't know",
}
ADA = ("Primary", Platform.FACEBOOK, "t_1")


def quick_config(server, timeout: float = 0.5):
    config = test_config(server)
    return config.model_copy(
        update={"ayrshare": config.ayrshare.model_copy(update={"timeout_seconds": timeout})}
    )


def test_every_fault_has_words():
    assert set(WORDS) == set(FAULTS)
    assert set(SHAPE_WORDS) <= set(SHAPE_FAULTS)


@pytest.mark.parametrize("fault", [*FAULTS, *SHAPE_WORDS])
async def test_a_fault_keeps_everything(fault, server, tmp_path, clock, fake):
    words = {**WORDS, **SHAPE_WORDS}[fault]
    setting = "shape_fault" if fault in SHAPE_WORDS else "fault"
    # Only the faults of time need a short deadline. The others answer at once, but a 20 MB
    # answer read against one on a loaded machine raced it ("did not answer in time").
    timeout = 0.5 if words == "did not answer in time" else 10.0
    app = InboxApp(quick_config(server, timeout), Store(tmp_path / "inbox.sqlite3"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(
            pilot,
            lambda: len(app.conversation_list.rows) == 4 and app.thread_pane.reply_to is not None,
        )
        app.store.mark_read([ADA])
        app.store.save_draft(ADA, Draft("unsent words"), clock())
        sent_before = len(fake.requests)
        setattr(fake.settings, setting, fault)
        clock.advance(61)  # every window has passed: everything is asked again, and fails
        app.engine.wake()
        await settle(pilot, lambda: words in explained(app), rounds=400)
        setattr(fake.settings, setting, None)
        text = screen_text(app)
        assert app.is_running
        for name in ("Ada Lovelace", "Katherine Johnson", "Grace Hopper", "Alan Turing"):
            assert name in text  # the cached inbox is still there
        assert "FB!" in text
        state = next(
            s for s in app.engine.platform_status("Primary") if s.platform is Platform.FACEBOOK
        )
        assert state.next_at > clock()  # backing off, not hammering
        attempts = len(fake.requests) - sent_before
        for _ in range(5):  # the same instant again: nothing more goes out
            app.engine.wake()
            await pilot.pause(0.02)
        assert len(fake.requests) - sent_before == attempts
        assert not app.store.conversation(ADA, clock()).unread
        assert app.store.draft(ADA) == Draft("unsent words")


async def test_a_clock_far_off_still_refreshes_once_per_window(server, tmp_path, clock, fake):
    fake.settings.clock_skew_seconds = 3 * 86400  # the API's clock says three days from now
    app = InboxApp(quick_config(server), Store(tmp_path / "inbox.sqlite3"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        fb = lambda: [r for r in fake.requests if r.path == "/api/messages/facebook"]  # noqa: E731
        first = len(fb())
        clock.advance(30)
        app.engine.wake()
        await settle(pilot)
        assert len(fb()) == first  # not early
        clock.advance(31)
        app.engine.wake()
        await settle(pilot, lambda: len(fb()) > first)  # and not stuck three days out
