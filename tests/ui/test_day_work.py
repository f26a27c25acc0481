"""A manager's day across brands (issue 20): the waiting queue, the brand on screen, quiet
notifications, one-line status and its issues panel."""

from __future__ import annotations

from tests.support import make_app, screen_text, settle

SIZE = (120, 36)


async def test_the_waiting_queue_shows_who_waits_longest_first(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("W")
        await settle(pilot, lambda: len(app.conversation_list.rows) == 2)
        names = [r.participant_name for r in app.conversation_list.rows]
        assert names == ["Katherine Johnson", "Ada Lovelace"]  # 60 and 10 minutes ago
        text = screen_text(app)
        assert "waiting 1h" in text and "waiting 10m" in text
        assert "Primary · Active · waiting for a reply" in text
        assert "waiting longest" in text and "2/2 · 2 unread" in text  # Ada kept the cursor
        await pilot.press("W")  # back to every conversation, newest first
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert "waiting" not in screen_text(app)
        assert app.conversation_list.rows[0].participant_name == "Ada Lovelace"


async def test_the_waiting_sort_keeps_everyone_the_waiting_first(server, tmp_path, clock):
    app = make_app(server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        for _ in range(3):  # newest → unread first → window closing → waiting longest
            await pilot.press("s")
        await settle(pilot, lambda: "waiting longest" in screen_text(app))
        names = [r.participant_name for r in app.conversation_list.rows]
        assert names[:2] == ["Katherine Johnson", "Ada Lovelace"] and len(names) == 4
