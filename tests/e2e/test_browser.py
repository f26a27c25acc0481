"""`inbox-tui serve` in a real browser: Debian's Chromium, headless, driven by Playwright,
against the fake on loopback. What the app sends the page is read back into a screen (pyte)
to check that a conversation's name and a thread's text reached it; keys are typed into the
page as a person types them.

`.ci/run` installs Chromium where it is missing; `make screenshots` keeps the page's picture
(`screenshots/browser.png`) by running this test with INBOX_TUI_SCREENSHOTS set.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pyte
import pytest

from tests.commands import COMMAND, command_env, write_config
from tests.factories import SECRETS, small_fake

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("CI"),
        reason="no Chromium here (.ci/run installs it; CI never skips this)",
    ),
]
SCREENSHOT = Path(__file__).parents[2] / "screenshots" / "browser.png"


@pytest.fixture
def fake():
    return small_fake(lambda: datetime.now(UTC))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Page:
    """The terminal in the page, as the bytes the app sent it make it (pyte)."""

    def __init__(self, page) -> None:
        self.page = page
        self.screen = pyte.Screen(300, 100)  # larger than the page's terminal: all of it fits
        self.stream = pyte.ByteStream(self.screen)
        page.on("websocket", lambda ws: ws.on("framereceived", self._feed))

    def _feed(self, payload) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, *needles: str, limit: float = 30.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if all(n in self.text for n in needles):
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"never saw {needles!r} in the page:\n{self.text}")


def test_the_inbox_in_a_browser(server, tmp_path):
    from playwright.sync_api import sync_playwright

    config = tmp_path / "config.toml"
    write_config(config, server)
    port = free_port()
    store = tmp_path / "s.sqlite3"
    serving = subprocess.Popen(
        [COMMAND, "--config", str(config), "--store", str(store), "serve", "--port", str(port)],
        env=command_env(tmp_path),
        stdout=(tmp_path / "serve.log").open("wb"),  # never a pipe no one reads
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert time.monotonic() < deadline and serving.poll() is None, "serve did not start"
            time.sleep(0.1)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            terminal = Page(page)
            page.goto(f"http://127.0.0.1:{port}/")
            terminal.wait_for("Ada Lovelace", "Primary · Active")
            page.locator(".xterm-helper-textarea").focus()  # where xterm.js takes keys
            page.keyboard.press("j")
            terminal.wait_for("2/4 · 2 unread")  # the key went through to the app
            page.keyboard.press("k")
            page.keyboard.press("Enter")  # the first conversation: Ada's thread
            terminal.wait_for("Do you ship to Canada?", "Yes, 5-7 days.", "1/4 · 1 unread")  # read
            page.keyboard.press("r")
            terminal.wait_for("Back (keeps the draft)")  # the composer has the keys
            page.keyboard.press("Control+e")  # the editor would start on the server
            terminal.wait_for("not available in a browser session")
            page.screenshot(path=str(tmp_path / "browser.png"))
            if os.environ.get("INBOX_TUI_SCREENSHOTS"):
                shutil.copy(tmp_path / "browser.png", SCREENSHOT)
            assert not any(secret in terminal.text for secret in SECRETS)
            browser.close()
    finally:
        serving.terminate()
        serving.wait(timeout=30)


def test_serve_refuses_a_remote_address_without_allow_remote(tmp_path):
    refused = subprocess.run(
        [COMMAND, "--demo", "serve", "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        env=command_env(tmp_path),
        timeout=60,
    )
    assert refused.returncode == 2
    assert "not a loopback address" in refused.stderr and "--allow-remote" in refused.stderr
