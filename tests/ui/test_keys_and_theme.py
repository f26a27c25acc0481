"""Your keys and your theme: `[keys]` remaps the bindings (and help, the key bar and the
palette say so), `theme` picks one, and a theme picked in the app is saved to the config."""

from __future__ import annotations

import os

from textual.widgets import Static

from inbox_tui.config.load import load_config
from inbox_tui.store import Store
from inbox_tui.ui.app import InboxApp
from inbox_tui.ui.widgets.key_bar import KeyBar
from tests.factories import test_config
from tests.support import screen_text, settle

SIZE = (140, 36)


def key_bar(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_remapped_keys_act_and_show_in_the_key_bar_help_and_palette(
    server, tmp_path, clock, fake
):
    config = test_config(server, keys={"archive": "a", "toggle_read": "m,ctrl+u"})
    app = InboxApp(config, Store(tmp_path / "s.sqlite3"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert " a Archive " in key_bar(app) and " e Archive " not in key_bar(app)
        await pilot.press("e")  # no longer archive's
        await settle(pilot)
        assert not [r for r in fake.requests if r.method == "PUT"]
        first = app.conversation_list.current
        await pilot.press("a")
        await settle(pilot, lambda: [r for r in fake.requests if r.method == "PUT"] != [])
        assert app.conversation_list.current.key != first.key
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert commands["Toggle read / unread"] == "Key: m / ctrl+u"
        await pilot.press("question_mark")
        await settle(pilot)
        helped = str(app.screen.query_one(Static).render())
        assert "m / ctrl+u  Toggle read / unread" in helped
        assert "a  Archive / unarchive" in helped


async def test_a_click_on_the_key_bar_presses_the_key(server, tmp_path, clock):
    app = InboxApp(test_config(server), Store(tmp_path / "s.sqlite3"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        x = key_bar(app).index("v Archived")
        await pilot.click(KeyBar, offset=(x + 2, 0))
        await settle(pilot, lambda: app.list_pane.view.value == "archived")


def app_on_a_file(tmp_path, clock, body: str) -> tuple[InboxApp, object]:
    """The app on a config file of `body` (0600), so that what it saves lands there."""
    path = tmp_path / "config.toml"
    path.write_text(body)
    os.chmod(path, 0o600)
    store = Store(tmp_path / "s.sqlite3")
    return InboxApp(load_config(path), store, clock=clock, config_path=path), path


async def test_the_configs_theme_is_used_and_a_picked_one_is_saved(server, tmp_path, clock):
    app, path = app_on_a_file(
        tmp_path,
        clock,
        f'# my colours\ntheme = "nord"\n\n[ayrshare]\napi_key = "k"\nbase_url = "{server}"\n\n'
        '[[profiles]]\nname = "Primary"\nplatforms = ["facebook"]\n',
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        app.theme = "gruvbox"  # as the palette's theme picker does
        await settle(pilot, lambda: 'theme = "gruvbox"' in path.read_text())
    text = path.read_text()
    assert text.startswith("# my colours\n") and "nord" not in text
    assert load_config(path).theme == "gruvbox"


async def test_an_unknown_theme_is_named_with_the_file_and_the_choices(server, tmp_path, clock):
    app, path = app_on_a_file(
        tmp_path,
        clock,
        f'theme = "neon"\n[ayrshare]\napi_key = "k"\nbase_url = "{server}"\n'
        '[[profiles]]\nname = "Primary"\n',
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (said,) = [n.message for n in app._notifications if "neon" in n.message]
        assert str(path) in said and "textual-light" in said
        assert app.theme == "textual-dark"


async def test_the_key_bar_shows_the_threads_keys_while_it_has_the_focus(server, tmp_path, clock):
    app = InboxApp(test_config(server), Store(tmp_path / "s.sqlite3"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, lambda: len(app.conversation_list.rows) == 4)
        assert " e Archive " in key_bar(app) and " y Copy " not in key_bar(app)
        await pilot.press("enter")
        await settle(pilot, lambda: " y Copy " in key_bar(app))
        assert " e Archive " not in key_bar(app) and " r Reply " in key_bar(app)
        await pilot.press("escape")
        await settle(pilot, lambda: " e Archive " in key_bar(app))
