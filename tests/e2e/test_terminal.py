"""The real `inbox-tui` command in a real pseudo-terminal, against the fake on loopback.

pexpect gives the pty, pyte turns the bytes the app writes into the screen a person sees.
"""

from __future__ import annotations

import subprocess
import time
from datetime import UTC, datetime

import pexpect
import pyte
import pytest

from inbox_tui.fake.server import running
from tests.commands import COMMAND, command_env, write_config
from tests.factories import (
    API_KEY,
    BRAND_KEY,
    PAGE_ID,
    PAGE_TOKEN,
    SECRETS,
    small_fake,
    small_graph,
)

pytestmark = pytest.mark.e2e
COLS, ROWS = 140, 40


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(ROWS, COLS))

    def pump(self, seconds: float = 0.1) -> None:
        try:
            data = self.child.read_nonblocking(1 << 16, timeout=seconds)
        except (pexpect.TIMEOUT, pexpect.EOF):
            return
        self.raw += data
        self.stream.feed(data)

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, *needles: str, gone: str = "", limit: float = 30.0) -> str:
        """Read until every needle is on screen (and `gone` is not): a bounded wait, not a
        timing assertion."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            self.pump()
            if all(n in self.text for n in needles) and not (gone and gone in self.text):
                return self.text
        raise AssertionError(f"never saw {needles!r} (nor {gone!r} gone) on screen:\n{self.text}")

    def press(self, keys: str) -> None:
        self.child.send(keys)

    # Keys that move the focus wait until the footer shows the keys of where it went. A key
    # sent before the app has read an escape on its own arrives with it in one read, and the
    # terminal's parser takes the pair for alt+key: CI lost a `q` that way. (The composer, and
    # a draft's text in it, are on screen before `r` is read: the footer is the sure sign.)
    COMPOSER_KEYS, LIST_KEYS = "esc Back (keeps the draft)", "q Quit"

    def reply(self, *needles: str) -> None:
        """`r`, and wait until the composer has the focus (and `needles` are on screen)."""
        self.press("r")
        self.wait_for(self.COMPOSER_KEYS, *needles)

    def back_to_list(self) -> None:
        """Escape from the composer, and wait until the list has the focus."""
        self.press("\x1b")
        self.wait_for(self.LIST_KEYS, gone=self.COMPOSER_KEYS)

    def quit(self) -> None:
        """`q`, and the command ends cleanly."""
        self.press("q")
        try:
            self.child.expect(pexpect.EOF, timeout=30)
        except pexpect.TIMEOUT:
            self.pump()
            raise AssertionError(f"`q` did not end the command:\n{self.text}") from None
        self.child.close()
        assert self.child.exitstatus == 0

    def stop(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


def test_real_command_in_a_pty(tmp_path):
    fake = small_fake(lambda: datetime.now(UTC))
    with running(fake) as base_url:
        config = tmp_path / "config.toml"
        write_config(config, base_url)
        env = command_env(tmp_path)
        log = tmp_path / "inbox.log"
        store = tmp_path / "s.sqlite3"
        term = Terminal(
            [COMMAND, "--config", str(config), "--store", str(store), "--log", str(log)], env
        )
        try:
            text = term.wait_for(
                "Ada Lovelace", "Alan Turing", "Katherine Johnson", "Grace Hopper", "FB✓"
            )
            assert "Primary · Active" in text
            # Names come with the conversation list, previews with the messages: wait for both.
            term.wait_for("[image]", "You: 9 to 6 on Saturday.")
            term.wait_for("← Ada Lovelace", "📎 image  https://cdn.example.com/photo.jpg")

            term.press("j")  # highlight the next conversation: its thread loads and is fetched
            term.wait_for("← Katherine Johnson", "Love the mug")
            term.press("e")  # archive Katherine: the row leaves at once
            term.wait_for("Ada Lovelace", "Alan Turing")
            assert "Katherine Johnson" not in term.wait_for("← Alan Turing")
            term.press("v")  # the Archived view
            term.wait_for("Primary · Archived", "Old Archived", "Katherine Johnson")
            term.press("v")
            term.wait_for("Primary · Active")
            term.press("g")  # the first row, Ada: reply, on two lines
            term.wait_for("← Ada Lovelace")
            term.reply("To Ada Lovelace via Facebook")
            term.press("Hi Ada,")
            term.press("\n")  # ctrl+j: a new line
            term.press("it ships today.\r")
            term.wait_for("waiting to see it listed")
            term.back_to_list()
            term.press("p")
            term.wait_for("Switch profile")
            term.press("Brand\r")
            term.wait_for("Brand · Active", "Margaret Hamilton", "IG!", "! 1 issue")
            term.press("!")  # the issues panel: the 361's words, in full
            term.wait_for("Issues (1)", "Ayrshare error 361")
            term.press("\x1b")
            term.wait_for("Brand · Active", gone="Issues (1)")
            term.quit()
        finally:
            term.stop()

    requests = fake.requests
    assert requests and all(r.headers["authorization"] == f"Bearer {API_KEY}" for r in requests)
    brand = [r for r in requests if "profile-key" in r.headers]
    assert brand and all(r.headers["profile-key"] == BRAND_KEY for r in brand)
    for r in requests:
        on_x = r.path == "/api/messages/twitter"
        assert ("x-twitter-oauth1-api-key" in r.headers) == on_x
        assert ("x-twitter-oauth1-api-secret" in r.headers) == on_x
    primary = [r for r in requests if "profile-key" not in r.headers]
    for platform in ("facebook", "instagram", "twitter"):
        assert any(
            r.path == f"/api/messages/{platform}" and r.query.get("conversationsOnly") == "true"
            for r in primary
        )
    assert any(r.query.get("conversationId") == "aWdf_1" for r in primary)  # the highlighted thread
    assert any(r.query.get("status") == "archived" for r in primary)
    assert all(r.status in (200, 400) for r in requests)  # 400: Brand's Instagram (361)
    (post,) = [r for r in requests if r.method == "POST"]
    assert post.path == "/api/messages/facebook" and "profile-key" not in post.headers
    assert post.body == {"recipientId": "5001", "message": "Hi Ada,\nit ships today."}
    (put,) = [r for r in requests if r.method == "PUT"]
    assert (put.path, put.body) == ("/api/messages/instagram/aWdf_1", {"status": "archived"})
    assert "profile-key" not in put.headers and put.headers["authorization"] == f"Bearer {API_KEY}"
    # No secret ever reached the screen, nor any file the run left: the store, the log, an
    # export of the local state (only the config holds keys, by design).
    exported = subprocess.run(
        [COMMAND, "--store", str(store), "export-state", str(tmp_path / "state.json")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert exported.returncode == 0, exported.stderr
    assert "HTTP Request: GET" in log.read_text()  # the log is real, and has the requests
    artefacts = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "config.toml"]
    assert {"inbox.log", "s.sqlite3", "state.json"} <= {p.name for p in artefacts}
    for secret in SECRETS:
        assert secret.encode() not in bytes(term.raw)
        for artefact in artefacts:
            assert secret.encode() not in artefact.read_bytes(), (secret, artefact)


def test_killed_mid_send_the_reply_is_kept_and_not_sent_twice(tmp_path):
    """kill -9 while the POST is in flight; the next start flags the reply and sends nothing."""
    fake = small_fake(lambda: datetime.now(UTC))
    fake.settings.send_delay_seconds = 30  # the DM is recorded, the answer never comes in time
    with running(fake) as base_url:
        config = tmp_path / "config.toml"
        write_config(config, base_url)
        env = command_env(tmp_path)
        argv = [COMMAND, "--config", str(config), "--store", str(tmp_path / "s.sqlite3")]
        first = Terminal(argv, env)
        try:
            first.wait_for("← Ada Lovelace", "FB✓")
            first.reply("To Ada Lovelace via Facebook")
            first.press("Your refund is on its way\r")
            deadline = time.monotonic() + 20
            while (
                not [r for r in fake.requests if r.method == "POST"] and time.monotonic() < deadline
            ):
                first.pump()
            first.child.kill(9)  # no goodbye: mid-request
            first.child.close()
        finally:
            first.stop()
        assert len([r for r in fake.requests if r.method == "POST"]) == 1
        fake.settings.send_delay_seconds = 0
        second = Terminal(argv, env)
        try:
            second.wait_for("may not have gone out", "Your refund is on its way", "interrupted")
            second.wait_for("! reply not sent")  # the row too, once the list is read again
            second.quit()
        finally:
            second.stop()
    assert len([r for r in fake.requests if r.method == "POST"]) == 1  # never sent twice


def test_real_command_against_a_meta_page(tmp_path):
    """The same command, a Meta Graph profile: list, the holder mark, a reply, no secret leaks."""
    graph = small_graph(lambda: datetime.now(UTC))
    with running(graph) as graph_url:
        config = tmp_path / "config.toml"
        config.touch(mode=0o600)
        config.write_text(
            f"""
[meta]
graph_url = "{graph_url}"

[[profiles]]
name = "Bakery"
provider = "meta"
page_id = "{PAGE_ID}"
platforms = ["messenger", "instagram"]
access_token_env = "BAKERY_PAGE_TOKEN"
"""
        )
        env = command_env(tmp_path, BAKERY_PAGE_TOKEN=PAGE_TOKEN)
        log = tmp_path / "inbox.log"
        store = tmp_path / "s.sqlite3"
        term = Terminal(
            [COMMAND, "--config", str(config), "--store", str(store), "--log", str(log)], env
        )
        try:
            text = term.wait_for("Cy Young", "Ada Lovelace", "di.photo", "Bo Peep", "FB✓ IG✓")
            assert "Bakery · Active" in text and "⇄ other app" in text and "Meta usage" in text
            term.press("j")  # Cy (held by another app) is first; Ada wrote just before
            term.wait_for("← Ada Lovelace", "window closes in 23 h")
            term.reply("To Ada Lovelace via Facebook")
            term.press("Ready at four.\r")
            # Meta serves no cache: the thread is read again at once and the reply, matched by
            # its message_id, becomes an ordinary message (the list's preview says so).
            term.wait_for("You: Ready at four.")
            term.back_to_list()
            term.quit()
        finally:
            term.stop()
    assert all(r.headers["authorization"] == f"Bearer {PAGE_TOKEN}" for r in graph.requests)
    assert not any("access_token" in r.query for r in graph.requests)
    assert any(r.query.get("platform") == "instagram" for r in graph.requests)
    (post,) = [r for r in graph.requests if r.method == "POST"]
    assert post.body == {
        "recipient": {"id": "5001"},
        "messaging_type": "RESPONSE",
        "message": {"text": "Ready at four."},
    }
    assert "HTTP Request: GET" in log.read_text()
    assert PAGE_TOKEN.encode() not in bytes(term.raw)
    for artefact in (p for p in tmp_path.rglob("*") if p.is_file() and p.name != "config.toml"):
        assert PAGE_TOKEN.encode() not in artefact.read_bytes(), artefact


def _started(tmp_path, fake, base_url, **env_extra):
    config = tmp_path / "config.toml"
    write_config(config, base_url)
    env = command_env(tmp_path, **env_extra)
    argv = [COMMAND, "--config", str(config), "--store", str(tmp_path / "s.sqlite3")]
    term = Terminal(argv, env)
    term.wait_for("← Ada Lovelace", "FB✓")
    return term, argv, env


@pytest.mark.parametrize("editor", ["/nonexistent", "code --wait"])
def test_a_missing_editor_says_so_and_the_app_keeps_working(tmp_path, editor):
    """16.10: the app used to suspend, fail to start the editor, and never resume."""
    fake = small_fake(lambda: datetime.now(UTC))
    with running(fake) as base_url:
        term, _, _ = _started(
            tmp_path, fake, base_url, EDITOR=editor, VISUAL="", PATH="/usr/bin:/bin"
        )
        try:
            term.reply("To Ada Lovelace via Facebook")
            term.press("Half a thought")
            term.press("\x05")  # ctrl+e
            term.wait_for("Couldn't start $EDITOR", "The draft is unchanged", "Half a thought")
            term.back_to_list()  # the keys still work: back to the list, and quit
            term.quit()
        finally:
            term.stop()


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP", "SIGQUIT"])
def test_term_hup_and_quit_end_like_q_and_restore_the_terminal(tmp_path, signal_name):
    import signal

    fake = small_fake(lambda: datetime.now(UTC))
    with running(fake) as base_url:
        term, argv, env = _started(tmp_path, fake, base_url)
        try:
            term.reply("To Ada Lovelace via Facebook")
            term.press("typed before the signal")
            term.wait_for("typed before the signal")
            term.child.kill(getattr(signal, signal_name))
            term.child.expect(pexpect.EOF, timeout=10)
            term.raw += term.child.before or b""
            term.child.close()
            assert term.child.exitstatus == 0
            assert b"\x1b[?1049l" in bytes(term.raw)  # the alternate screen was left
        finally:
            term.stop()
        again = Terminal(argv, env)
        try:
            again.wait_for("← Ada Lovelace")
            again.reply("typed before the signal")  # the draft was saved on the way out
            again.back_to_list()
            again.quit()
        finally:
            again.stop()


def test_a_draft_survives_a_kill_right_after_typing(tmp_path):
    """16.12: drafts were saved 0.3 s after the last key; now on every change."""
    fake = small_fake(lambda: datetime.now(UTC))
    with running(fake) as base_url:
        term, argv, env = _started(tmp_path, fake, base_url)
        try:
            term.reply("To Ada Lovelace via Facebook")
            term.press("kept at once")
            term.wait_for("kept at once")  # on screen: the app has seen the keys
            term.child.kill(9)
            term.child.close()
        finally:
            term.stop()
        again = Terminal(argv, env)
        try:
            again.wait_for("← Ada Lovelace")
            again.reply("kept at once")
            again.back_to_list()
            again.quit()
        finally:
            again.stop()


def test_the_editor_inherits_no_key_from_the_environment(tmp_path):
    """22 D24: $EDITOR (like the browser and notify-send) inherited AYRSHARE_API_KEY."""
    fake = small_fake(lambda: datetime.now(UTC))
    dump = tmp_path / "editor-env.txt"
    editor = tmp_path / "editor.sh"
    editor.write_text(f'#!/bin/sh\nenv > "{dump}"\necho "from the editor" > "$1"\n')
    editor.chmod(0o700)
    with running(fake) as base_url:
        term, _, _ = _started(
            tmp_path, fake, base_url, EDITOR=str(editor), VISUAL="", AYRSHARE_API_KEY=API_KEY
        )
        try:
            term.reply("To Ada Lovelace via Facebook")
            term.press("\x05")  # ctrl+e
            term.wait_for("from the editor")
            term.back_to_list()
            term.quit()
        finally:
            term.stop()
    seen = dump.read_text()
    assert "HOME=" in seen and API_KEY not in seen and "AYRSHARE_API_KEY" not in seen
    assert all(r.headers["authorization"] == f"Bearer {API_KEY}" for r in fake.requests)
