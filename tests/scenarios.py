"""Screens of the demo, shared by the SVG snapshot tests and `make screenshots`.

The demo data is deterministic (fixed seed) and the clock is frozen, so the same code gives
the same pictures on every machine.
"""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ["TZ"] = "UTC"
time.tzset()

from inbox_tui.demo import demo_config, demo_transport  # noqa: E402
from inbox_tui.demo_keys import DEMO_PAGE_ID  # noqa: E402
from inbox_tui.domain import Platform  # noqa: E402
from inbox_tui.fake.demo_data import build_demo, build_graph_demo  # noqa: E402
from inbox_tui.store import Store  # noqa: E402
from inbox_tui.ui.app import InboxApp  # noqa: E402
from tests.support import paste, settle  # noqa: E402

FROZEN = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SIZE = (120, 36)


def frozen() -> datetime:
    return FROZEN


def demo_app(store_dir: Path) -> InboxApp:
    fake = build_demo(now=FROZEN, clock=frozen, live=False)
    graph = build_graph_demo(now=FROZEN, clock=frozen, live=False)
    app = InboxApp(
        demo_config(),
        Store(store_dir / "demo.sqlite3"),
        transport=demo_transport(fake, graph),
        clock=frozen,
    )
    app.theme = "textual-dark"
    # No toasts in the pictures: which background brand's first fetch has ended (and said
    # its error) when the picture is taken is a matter of timing.
    app.notify = lambda *args, **kwargs: None  # type: ignore[method-assign]
    return app


async def _inbox(pilot) -> None:
    """The list from its top. The cursor stays on the row it is on while sync brings rows in
    above it, and which platform lands first is a matter of timing: `g` makes it the same."""
    app = pilot.app
    await settle(pilot, lambda: len(app.conversation_list.rows) > 0)
    await pilot.press("g")
    first = app.conversation_list.rows[0]
    await settle(
        pilot, lambda: app.thread_view.row is not None and app.thread_view.row.key == first.key
    )


async def _every_brand(pilot) -> None:
    """All profiles, every brand's rows in."""
    await _inbox(pilot)
    pilot.app.switch_to_profile(None)
    await settle(pilot, lambda: pilot.app.conversation_list.total > 300)


async def _thread(pilot) -> None:
    """A Facebook thread long enough to show the 20-message history marker, opened."""
    await _inbox(pilot)
    rows = pilot.app.conversation_list.rows
    pilot.app.conversation_list.highlighted = next(
        i for i, r in enumerate(rows) if r.platform is Platform.FACEBOOK and r.message_count >= 20
    )
    await pilot.press("enter")
    await settle(pilot)


async def _archived(pilot) -> None:
    await _inbox(pilot)
    await pilot.press("v")
    await settle(
        pilot,
        lambda: (
            pilot.app.list_pane.view.value == "archived"
            and len(pilot.app.conversation_list.rows) > 0
        ),
    )


async def _profiles(pilot) -> None:
    await _inbox(pilot)
    await pilot.press("p")
    await settle(pilot)


async def _help(pilot) -> None:
    await _inbox(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def _messaging_off(pilot) -> None:
    """Lumen Skincare never activated messaging on Instagram: the status bar marks it, and
    the issues panel (`!`) says what to do."""
    await _inbox(pilot)
    pilot.app.switch_to_profile("Lumen Skincare")
    await settle(pilot, lambda: len(pilot.app.conversation_list.rows) > 0)
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("exclamation_mark")
    await settle(pilot)


async def _waiting(pilot) -> None:
    """Every brand's customers waiting for a reply, the longest waiting first."""
    await _every_brand(pilot)
    await pilot.press("W")
    await settle(pilot, lambda: pilot.app.list_pane.sort == "waiting")
    await pilot.press("g")
    await settle(pilot)


async def _search(pilot) -> None:
    await _inbox(pilot)
    await pilot.press("slash")
    await paste(pilot, "refund")
    await settle(
        pilot, lambda: bool(pilot.app.screen.query("#search-results").first().option_count)
    )


async def _all_profiles(pilot) -> None:
    """Every brand in one list, with a bulk selection of three rows."""
    await _every_brand(pilot)
    await pilot.press("space", "space", "j", "space")
    await settle(pilot)


async def _composer(pilot) -> None:
    """Replying: a two-line draft with an attachment, and a reply that did not go out."""
    from inbox_tui.store import Draft, OutboxState

    await _inbox(pilot)
    app = pilot.app
    row = app.conversation_list.current
    failed = app.store.outbox_add(row.ref, row.participant_id, Draft("Sorry for the wait!"), FROZEN)
    app.store.outbox_update(
        failed.local_id,
        OutboxState.FAILED,
        FROZEN,
        error="Could not reach Ayrshare: [Errno 111] Connection refused",
    )
    app.thread_pane.load(row.key, delay=0)
    await settle(pilot, lambda: app.thread_pane.reply_to is not None)
    first = row.participant_name.split()[0]
    await pilot.press("r")
    await settle(pilot, lambda: app.thread_pane.composer.area.has_focus)
    await paste(pilot, f"Hi {first}, thanks for writing!")
    await pilot.press("ctrl+j")
    await paste(pilot, "The tracking link is below.")
    app.thread_pane.media = ["https://cdn.example.com/tracking/8841.png"]
    app.thread_pane.composer_status()
    await settle(pilot)


async def _reply_blocked(pilot) -> None:
    """An Instagram thread whose 7-day reply window closed: the composer says why."""
    await _inbox(pilot)
    await pilot.press("2")
    await settle(pilot, lambda: len(pilot.app.conversation_list.rows) > 0)
    rows = pilot.app.conversation_list.rows
    pilot.app.conversation_list.highlighted = next(
        i
        for i, r in enumerate(rows)
        if r.last_received_at and (FROZEN - r.last_received_at).days >= 7
    )
    await settle(
        pilot,
        lambda: (
            pilot.app.thread_pane.window is not None and not pilot.app.thread_pane.window.can_reply
        ),
    )
    await pilot.press("r")
    await settle(pilot)


async def _meta_page(pilot) -> None:
    """A Page through Meta's Graph API: the long thread past Meta's 20 detailed messages."""
    await _inbox(pilot)
    app = pilot.app
    app.switch_to_profile("Fjord Bakery")
    await settle(pilot, lambda: len(app.conversation_list.rows) > 0)
    rows = app.conversation_list.rows
    long = f"t_{DEMO_PAGE_ID}_3"  # the demo's 45-message thread
    app.conversation_list.highlighted = next(i for i, r in enumerate(rows) if r.id == long)
    await settle(pilot, lambda: app.thread_view.row is not None)
    await pilot.press("enter", "g")
    app.thread_view.scroll_home(animate=False, immediate=True)
    await settle(pilot)


async def _response_times(pilot) -> None:
    """Each brand's replies today and in the last 7 days (`T`)."""
    await _every_brand(pilot)
    await pilot.press("T")
    await settle(
        pilot, lambda: "Counting" not in str(pilot.app.screen.query_one("#figures").content)
    )


async def _labels(pilot) -> None:
    """Labels on rows, and the picker on one of them (`l`)."""
    await _inbox(pilot)
    app = pilot.app
    rows = app.conversation_list.rows
    app.store.add_label([r.ref for r in rows[:3]], "vip")
    app.store.add_label([rows[1].ref, rows[4].ref], "refund")
    app.store.add_label([rows[5].ref], "wholesale")
    app.list_pane.refresh_lists()
    await settle(pilot, lambda: app.conversation_list.rows[0].labels == ("vip",))
    await pilot.press("j", "l")
    await settle(pilot)


async def _light(pilot) -> None:
    """A light theme (any Textual theme, `theme` in the config): the thread, with its keys."""
    pilot.app.theme = "textual-light"
    await _thread(pilot)


async def _narrow(pilot) -> None:
    """Below 80 columns one pane at a time: the thread opened from the list fills the screen."""
    await pilot.resize_terminal(72, 24)
    await _thread(pilot)


SCENARIOS: dict[str, Callable[[object], Awaitable[None]]] = {
    "inbox": _inbox,
    "thread": _thread,
    "archived": _archived,
    "profile-switcher": _profiles,
    "help": _help,
    "messaging-not-enabled": _messaging_off,
    "search": _search,
    "all-profiles": _all_profiles,
    "waiting": _waiting,
    "composer": _composer,
    "reply-blocked": _reply_blocked,
    "meta-page": _meta_page,
    "light-theme": _light,
    "response-times": _response_times,
    "labels": _labels,
    "narrow": _narrow,
}
