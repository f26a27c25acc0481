"""The fake's own rules, driven directly (the clock moves only when told)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from inbox_tui.demo_keys import (
    DEMO_API_KEY,
    DEMO_PAGE_ID,
    DEMO_PAGE_TOKEN,
    DEMO_PROFILES,
    DEMO_X_KEYS,
)
from inbox_tui.fake.records import FakeMessage
from tests.factories import API_KEY, BRAND_KEY, X_KEY, X_SECRET

AUTH = {"authorization": f"Bearer {API_KEY}"}
X = {**AUTH, "x-twitter-oauth1-api-key": X_KEY, "x-twitter-oauth1-api-secret": X_SECRET}


def get(fake, path, query=None, headers=AUTH):
    return fake.handle("GET", path, query or {}, headers, None)


def test_same_data_and_window_until_next_update(fake, clock):
    first = get(fake, "/api/messages/facebook", {"status": "active"})
    fake.deliver(
        None, "facebook", "t_2", FakeMessage("m_new", "received", clock.now, "Hello again")
    )
    clock.advance(59)
    cached = get(fake, "/api/messages/facebook", {"status": "active"})
    assert cached.body == first.body  # same lastUpdated, nextUpdate and messages
    clock.advance(1)
    fresh = get(fake, "/api/messages/facebook", {"status": "active"})
    assert fresh.body["lastUpdated"] != first.body["lastUpdated"]
    assert "m_new" in {m["id"] for m in fresh.body["messages"]}


def test_cache_can_be_switched_off_for_tests(fake, clock):
    fake.settings.cache_enabled = False
    get(fake, "/api/messages/facebook")
    fake.deliver(None, "facebook", "t_2", FakeMessage("m_new", "received", clock.now, "Hi"))
    assert "m_new" in {m["id"] for m in get(fake, "/api/messages/facebook").body["messages"]}


def test_x_cursor_expires_with_its_snapshot(fake, clock):
    page = get(fake, "/api/messages/twitter", {"limit": "100"}, X)
    cursor = page.body["meta"]["pagination"]["next"]
    assert page.body["messagesCount"] == 100 and "platform" not in page.body["messages"][0]
    clock.advance(15)
    assert get(fake, "/api/messages/twitter", {"limit": "100", "next": cursor}, X).status == 400
    assert get(fake, "/api/messages/twitter", {"limit": "101"}, X).status == 400


def test_many_429s_suspend_the_profile(fake):
    fake.settings.rate_limit_max = 1
    fake.settings.suspend_after_429s = 3
    statuses = [get(fake, "/api/user").status for _ in range(5)]
    assert statuses == [200, 429, 429, 429, 403]


def test_unknown_profile_status_is_configurable(fake):
    assert get(fake, "/api/user", headers={**AUTH, "profile-key": "nope"}).status == 403
    fake.settings.unknown_profile_status = 401
    assert get(fake, "/api/user", headers={**AUTH, "profile-key": "nope"}).status == 401
    assert get(fake, "/api/user", headers={**AUTH, "profile-key": BRAND_KEY}).status == 200


def test_inbound_message_returns_an_archived_conversation(fake, clock):
    fake.deliver(
        None, "facebook", "t_3", FakeMessage("m_back", "received", clock.now, "One more thing")
    )
    assert fake.primary.platforms["facebook"].conversations["t_3"].status == "active"


def test_unknown_platform_and_route(fake):
    assert get(fake, "/api/messages/x").status == 400  # `x` is not a valid platform value
    assert get(fake, "/api/nothing").status == 404


def test_fake_server_command_serves_on_loopback():
    command = str(Path(sys.executable).with_name("inbox-tui"))
    process = subprocess.Popen(
        [command, "fake-server", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        line = process.stdout.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+/api)", line).group(1)
        answer = httpx.get(
            f"{url}/user", headers={"Authorization": "Bearer demo-api-key"}, timeout=10
        )
        assert answer.status_code == 200 and answer.headers["x-ratelimit-max"] == "250"
        assert {d["platform"] for d in answer.json()["displayNames"]} == {
            "facebook",
            "instagram",
            "twitter",
        }
        banner = [process.stdout.readline() for _ in range(7)]  # the lines after the first
        # Every demo key a config needs: each brand's Profile-Key, and X's own keys.
        assert "  Acme Coffee: profile_key = 'demo-key-acme'\n" in banner
        assert "  Lumen Skincare: profile_key = 'demo-key-lumen'\n" in banner
        assert any("'demo-x-key' and 'demo-x-secret'" in line for line in banner)
        branded = httpx.get(
            f"{url}/messages/facebook",
            params={"conversationsOnly": "true"},
            headers={"Authorization": "Bearer demo-api-key", "Profile-Key": "demo-key-acme"},
            timeout=10,
        )
        assert branded.status_code == 200  # the key the banner gives is the one it serves
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_fake_server_help_lists_every_key_a_config_needs():
    """The keys without starting it: every brand's Profile-Key, X's keys, the Page's token
    (the same the server serves: both read inbox_tui.demo_keys)."""
    command = str(Path(sys.executable).with_name("inbox-tui"))
    shown = subprocess.run(
        [command, "fake-server", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    for key, title, _, _ in DEMO_PROFILES:
        assert (f"{title}: profile_key = {key!r}" if key else f"{title}: the Primary") in shown
    for needed in (DEMO_API_KEY, *DEMO_X_KEYS, DEMO_PAGE_ID, DEMO_PAGE_TOKEN):
        assert repr(needed) in shown


def test_fake_server_refuses_a_public_address():
    command = str(Path(sys.executable).with_name("inbox-tui"))
    result = subprocess.run(
        [command, "fake-server", "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2 and "loopback" in result.stderr
