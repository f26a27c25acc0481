"""Pilot tests of a Meta Graph profile: the app against the fake Graph over loopback."""

from __future__ import annotations

from pydantic import SecretStr

from inbox_tui.config.model import Config, MetaSettings, Profile
from inbox_tui.domain import Platform
from inbox_tui.store import Store
from inbox_tui.ui.app import InboxApp
from tests.factories import PAGE_ID, PAGE_TOKEN
from tests.support import paste, screen_text, settle

SIZE = (140, 40)


def meta_app(graph_server: str, tmp_path, clock) -> InboxApp:
    page = Profile(
        name="Bakery",
        provider="meta",
        page_id=PAGE_ID,
        platforms=[Platform.FACEBOOK, Platform.INSTAGRAM],
        access_token_env="BAKERY_TOKEN",
    ).model_copy(update={"access_token": SecretStr(PAGE_TOKEN)})
    config = Config(meta=MetaSettings(graph_url=graph_server, poll_seconds=60), profiles=[page])
    return InboxApp(config, Store(tmp_path / "inbox.sqlite3"), clock=clock)


def names(app) -> list[str]:
    return [r.participant_name for r in app.conversation_list.rows]


async def select(pilot, name: str) -> None:
    app = pilot.app
    app.conversation_list.highlighted = names(app).index(name)
    await settle(
        pilot, lambda: app.thread_view.row and app.thread_view.row.participant_name == name
    )


async def test_a_meta_page_lists_its_threads_and_marks_the_ones_another_app_holds(
    graph_server, tmp_path, clock, graph
):
    app = meta_app(graph_server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        text = screen_text(app)
        assert "Cy Young" in text and "⇄ other app" in text and "di.photo" in text
        assert "Meta usage" in text  # the usage headers, not Ayrshare's request count
        await select(pilot, "Cy Young")
        await pilot.press("r")
        assert "Another app holds this conversation" in screen_text(app)
        assert not any(r.method == "POST" for r in graph.requests)
        await pilot.press("escape", "O")  # only the threads this app holds
        await settle(pilot, lambda: "Cy Young" not in names(app))
        assert "this app's threads" in screen_text(app)


async def test_the_24_hour_window_is_shown_and_enforced(graph_server, tmp_path, clock, graph):
    app = meta_app(graph_server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await select(pilot, "Ada Lovelace")
        assert "window closes in 23 h 30 m" in screen_text(app)  # she wrote 30 minutes ago
        assert "↪ in reply to “It is!”" in screen_text(app)  # Meta's reply_to, quoted
        await pilot.press("r")
        await paste(pilot, "Two loaves, ready at 4.")
        await pilot.press("enter")
        await settle(pilot, lambda: any(r.method == "POST" for r in graph.requests))
        post = next(r for r in graph.requests if r.method == "POST")
        assert post.body["messaging_type"] == "RESPONSE"
        assert post.body["recipient"] == {"id": "5001"}
        # No cache at Meta: the thread is read again at once, and the reply, matched by its
        # message_id, is an ordinary message without waiting for the next poll.
        await settle(pilot, lambda: "You: Two loaves" in screen_text(app))
        assert app.store.outbox_for(("Bakery", Platform.FACEBOOK, "t_ada")) == []
        await pilot.press("escape")
        await select(pilot, "Bo Peep")  # wrote three days ago
        await pilot.press("r")
        text = screen_text(app)
        assert "window closed" in text
        assert "within 24 hours of the person's last message" in text
        assert len([r for r in graph.requests if r.method == "POST"]) == 1


async def test_messages_past_the_twenty_meta_details_show_as_not_available(
    graph_server, tmp_path, clock
):
    app = meta_app(graph_server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await select(pilot, "di.photo")
        await settle(pilot, lambda: "30 messages" in str(app.thread_view.border_subtitle))
        await pilot.press("enter", "g")
        # The ten textless ones are one line, with the reason, not ten rows of "not available".
        assert screen_text(app).count("not available") == 1
        note = app.thread_view.get_option_at_index(0).prompt.plain
        assert note.startswith("⋯ 10 older messages not available")
        assert "Meta shows only the 20 newest messages of a conversation" in note
        assert "before messaging was enabled" not in screen_text(app)  # Ayrshare's is not Meta's
        assert len(app.thread_view.messages) == 30


async def test_archive_is_kept_locally_and_survives_the_next_poll(
    graph_server, tmp_path, clock, graph
):
    app = meta_app(graph_server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await select(pilot, "Bo Peep")
        before = len(graph.requests)
        await pilot.press("e")
        await settle(pilot, lambda: "Bo Peep" not in names(app))
        assert all(r.method == "GET" for r in graph.requests[before:])  # no archive call exists
        clock.advance(120)  # the next poll lists Bo again, as Meta always does
        app.engine.wake()
        await settle(pilot, lambda: len(graph.requests) > before + 2)
        assert "Bo Peep" not in names(app)
        await pilot.press("v")
        await settle(pilot, lambda: "Bo Peep" in names(app))


async def test_instagram_shares_and_stories_say_what_they_are(graph_server, tmp_path, clock, graph):
    """16.5: not "(empty message)"; the link opens with `o`."""
    from datetime import timedelta

    from inbox_tui.fake.graph import GraphMessage
    from inbox_tui.ui.screens.links import LinkPicker

    di = graph.conversations["t_di"]
    now = clock() - timedelta(minutes=1)
    di.messages += [
        GraphMessage(
            "m_share", now, False, extra={"shares": {"data": [{"link": "https://ig.example/p/1"}]}}
        ),
        GraphMessage(
            "m_story", now, False, extra={"story": {"mention": {"link": "https://ig.example/s/2"}}}
        ),
        GraphMessage(
            "m_reply", now, False, extra={"story": {"reply_to": {"link": "https://ig.example/s/3"}}}
        ),
        GraphMessage("m_odd", now, False, extra={"is_unsupported": True}),
    ]
    app = meta_app(graph_server, tmp_path, clock)
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await select(pilot, "di.photo")
        text = screen_text(app)
        assert "shared a post" in text and "https://ig.example/p/1" in text
        assert "mentioned you in their story" in text and "replied to your story" in text
        assert "a message type this app can't show (open it in Instagram)" in text
        assert "(empty message)" not in text
        app.thread_view.focus()
        app.thread_view.highlighted = app.thread_view.option_count - 3  # the story mention
        await pilot.press("o")
        await settle(pilot, lambda: isinstance(app.screen, LinkPicker))
        assert "https://ig.example/s/2" in screen_text(app)


async def test_a_window_refusal_from_meta_closes_the_composer(graph_server, tmp_path, clock, graph):
    """16.2: code 10/2018065 read as a missing permission; now it is the window, and the
    composer closes as our own check would (the text is kept in the failed reply)."""
    graph.settings.reply_window_hours = 0.1  # Meta's clock says the window shut already
    graph.settings.window_subcode = 2018065
    app = meta_app(graph_server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await select(pilot, "Ada Lovelace")
        await pilot.press("r")
        await paste(pilot, "Two loaves, ready at 4.")
        await pilot.press("enter")
        await settle(
            pilot,
            lambda: app.thread_pane.window is not None and not app.thread_pane.window.can_reply,
        )
        text = screen_text(app)
        assert "outside its 24-hour window" in text and "permission" not in text
        assert "Two loaves, ready at 4." in text  # kept, in the reply that did not go out
        await pilot.press("r")
        await settle(pilot)
        assert len([r for r in graph.requests if r.method == "POST"]) == 1


async def test_a_reply_in_parts_shows_what_went_out_and_r_sends_only_the_rest(
    graph_server, tmp_path, clock, graph
):
    """16.3 on screen: text and two images are three Send API requests; the first image is
    refused, so the thread marks the text ✓ and R sends the two images, never the text."""
    from inbox_tui.ui.screens.dialogs import TextPrompt

    app = meta_app(graph_server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await select(pilot, "Ada Lovelace")
        await pilot.press("r")
        for url in ("https://cdn.example.com/a.jpg", "https://cdn.example.com/b.jpg"):
            await pilot.press("ctrl+l")
            await settle(pilot, lambda: isinstance(app.screen, TextPrompt))
            await paste(pilot, url)
            await pilot.press("enter")
            await settle(pilot, lambda: not isinstance(app.screen, TextPrompt))
        graph.settings.refuse_attachments = (400, 100, None, "(#100) Upload attachment failure")
        await paste(pilot, "Here are both")
        await pilot.press("enter")
        await settle(pilot, lambda: "1 of 3 parts went out" in screen_text(app))
        text = screen_text(app)
        assert "✓ Here are both" in text and "· 📎 https://cdn.example.com/a.jpg" in text
        assert "R sends what did not go out" in text
        graph.settings.refuse_attachments = None
        await pilot.press("escape", "enter", "G", "R")  # into the thread, onto the reply, retry
        posts = lambda: [r.body["message"] for r in graph.requests if r.method == "POST"]  # noqa: E731
        await settle(pilot, lambda: len(posts()) == 4)
        assert [m.get("text") for m in posts()] == ["Here are both", None, None, None]
        assert [m["attachment"]["payload"]["url"] for m in posts()[2:]] == [
            "https://cdn.example.com/a.jpg",
            "https://cdn.example.com/b.jpg",
        ]


async def test_a_meta_page_is_a_page_in_the_profiles_and_its_auto_response(
    graph_server, tmp_path, clock
):
    from inbox_tui.ui.screens.auto_response import AutoResponseScreen
    from inbox_tui.ui.screens.profile_manager import ProfileManager

    app = meta_app(graph_server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        await pilot.press("A")  # no Ayrshare form with an error: one line that says where
        await settle(pilot)
        assert not isinstance(app.screen, AutoResponseScreen)
        (said,) = [n.message for n in app._notifications if n.title == "Auto-response"]
        assert said.startswith("Bakery is a Meta Page: its instant replies live in Meta")
        await pilot.press("P")
        await settle(pilot, lambda: isinstance(app.screen, ProfileManager))
        text = screen_text(app)
        assert f"Meta Page {PAGE_ID} (Graph API)" in text and "Primary Profile" not in text


async def test_labels_of_a_messenger_conversation_are_the_pages_labels(
    graph_server, tmp_path, clock, graph
):
    """One given in Business Suite shows on the row; one given here goes to the Page, and the
    picker says so. A token Meta refuses them to keeps them here, and a toast says why."""
    from inbox_tui.ui.screens.label_picker import LabelPicker

    graph.labels.put_on("5001", "VIP")
    app = meta_app(graph_server, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: "#VIP" in screen_text(app))
        await select(pilot, "Bo Peep")
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.screen, LabelPicker))
        shared = str(app.screen.query_one("#label-where").content)
        assert shared == "Shared with the Page's labels in Meta Business Suite"
        await paste(pilot, "Wholesale")
        await pilot.press("enter")
        await settle(pilot, lambda: graph.labels.of("5002") == ["Wholesale"])
        assert "#Wholesale" in screen_text(app)
        await select(pilot, "di.photo")
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.screen, LabelPicker))
        where = str(app.screen.query_one("#label-where").content)
        assert (
            where
            == "Kept in this app: a Meta Page shares the labels of Messenger conversations only"
        )
        await pilot.press("escape")

        graph.settings.custom_labels_refused = (400, 200, "(#200) Requires permission")
        await select(pilot, "Cy Young")
        await pilot.press("l")
        await settle(pilot, lambda: isinstance(app.screen, LabelPicker))
        await paste(pilot, "Late")
        await pilot.press("enter")
        said = lambda: [n.message for n in app._notifications if n.title == "Labels"]  # noqa: E731
        await settle(pilot, said)
        assert said()[0].startswith("Kept in this app only: Meta refused Bakery's labels")
        assert app.conversation_list.current.labels == ("Late",)
