"""The scriptable CLI: the real `inbox-tui` command against the fake on loopback, its `--json`
parsed, the requests it made read off the fake, and what it left in the store."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from inbox_tui.domain import Platform
from inbox_tui.fake.records import FakeConversation, FakeMessage
from inbox_tui.store import OutboxState, Store
from tests.commands import COMMAND, command_env, write_config
from tests.factories import API_KEY, BRAND_KEY, SECRETS, small_fake

pytestmark = pytest.mark.e2e


@pytest.fixture
def fake():
    """The small data set on the real clock (the command runs on it): its messages are two
    weeks old, so Instagram's 7-day window is closed and Facebook's (none) is open."""
    fake = small_fake(lambda: datetime.now(UTC))
    now = datetime.now(UTC)
    fake.primary.platforms["facebook"].conversations["t_9"] = FakeConversation(
        id="t_9",
        participant_id="5009",
        participant_name="Eve Formula",
        messages=[FakeMessage("m_9", "received", now - timedelta(minutes=5), "=HYPERLINK(1)")],
    )
    return fake


class Cli:
    def __init__(self, tmp_path, base_url: str) -> None:
        self.config = tmp_path / "config.toml"
        write_config(self.config, base_url)
        self.store = tmp_path / "s.sqlite3"
        self.env = command_env(tmp_path)

    def __call__(self, *argv: str, stdin: str = "", status: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run(
            [COMMAND, "--config", str(self.config), "--store", str(self.store), *argv],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=60,
        )
        assert done.returncode == status, (argv, done.returncode, done.stdout, done.stderr)
        for secret in SECRETS:
            assert secret not in done.stdout + done.stderr
        return done

    def lines(self, *argv: str) -> list[dict]:
        return [json.loads(line) for line in self(*argv, "--json").stdout.splitlines()]


@pytest.fixture
def cli(tmp_path, server):
    return Cli(tmp_path, server)


def test_sync_once_fills_the_store_and_honours_the_cache_window(cli, fake):
    # The Brand's Instagram has messaging off: said on stderr, and the exit status is 3.
    first = cli("sync", "--once", status=3)
    assert "Messaging is not enabled" in first.stderr and "Primary Facebook" in first.stderr
    asked = len(fake.requests)
    assert asked > 0
    assert all(r.headers["authorization"] == f"Bearer {API_KEY}" for r in fake.requests)
    assert {r.headers.get("profile-key") for r in fake.requests} == {None, BRAND_KEY}
    # Again at once: every window that answered is still open, and the failed streams wait
    # out their backoff (stored with the windows): nothing is asked, and it says so.
    again = cli("sync", "--once")
    assert "Nothing is due" in again.stderr and len(fake.requests) == asked


def test_list_prints_json_lines_and_a_table(cli):
    cli("sync", "--once", status=3)
    primary = cli.lines("list")  # the first profile, as the app starts
    assert {r["profile"] for r in primary} == {"Primary"}
    assert primary[0]["ref"] == "Primary/facebook/t_9"  # newest first
    assert primary[0]["needs_reply"] and primary[0]["unread"]
    assert primary[0]["participant"] == {"id": "5009", "name": "Eve Formula"}
    assert primary[0]["last_message_at"].endswith("Z")
    everyone = cli.lines("list", "--all")
    assert {r["profile"] for r in everyone} == {"Primary", "Brand"}
    assert [r["id"] for r in cli.lines("list", "--profile", "bra")] == ["t_b1"]  # a prefix
    # The archive's messages are watched (its list is fetched on view): its rows are known
    assert [r["id"] for r in cli.lines("list", "--view", "archived")] == ["t_3"]
    cli("sync", "--once", "--archived", status=3)
    (archived,) = cli.lines("list", "--view", "archived")
    assert archived["id"] == "t_3" and archived["participant"]["name"] == "Old Archived"
    x_only = cli.lines("list", "--platform", "x")
    assert x_only and {r["platform"] for r in x_only} == {"twitter"}
    assert len(cli.lines("list", "--all", "--limit", "2")) == 2
    table = cli("list", "--all").stdout.splitlines()
    assert table[0].split() == ["CONVERSATION", "FROM", "LAST", "PREVIEW"]
    assert any("Brand/facebook/t_b1" in line and "Margaret Hamilton" in line for line in table)
    # Global options after the command too.
    after = subprocess.run(
        [COMMAND, "list", "--json", "--config", str(cli.config), "--store", str(cli.store)],
        capture_output=True,
        text=True,
        env=cli.env,
    )
    assert after.returncode == 0 and json.loads(after.stdout.splitlines()[0])["id"] == "t_9"


def test_show_and_search_read_offline(cli, fake):
    cli("sync", "--once", status=3)
    fake.settings.fault = "500"  # nothing below may ask the API
    asked = len(fake.requests)
    (shown,) = cli.lines("show", "t_1")  # the API's id alone
    assert shown["ref"] == "Primary/facebook/t_1"
    assert [m["text"] for m in shown["thread"]] == ["Do you ship to Canada?", "Yes, 5-7 days.", ""]
    assert shown["thread"][2]["attachments"][0]["url"] == "https://cdn.example.com/photo.jpg"
    assert shown["reply_window"] == {"can_reply": True, "reason": None, "closes_at": None}
    (instagram,) = cli.lines("show", "Primary/ig/aWdf_1")
    assert not instagram["reply_window"]["can_reply"]
    assert "7 days" in instagram["reply_window"]["reason"]
    human = cli("show", "Primary/facebook/t_1").stdout
    assert "Ada Lovelace · Facebook · Primary" in human and "Do you ship to Canada?" in human
    hits = cli.lines("search", "canada")
    assert [(h["ref"], h["message_id"]) for h in hits] == [("Primary/facebook/t_1", "m_1")]
    assert "Canada" in hits[0]["snippet"]
    assert cli.lines("search", "canada", "platform:ig") == []
    assert "not a date" in cli("search", "x", "after:soon", status=2).stderr
    assert len(fake.requests) == asked


def test_a_reply_goes_out_once_with_the_composers_checks(cli, fake):
    cli("sync", "--once", status=3)
    asked = len(fake.requests)
    sent = cli("reply", "Brand/facebook/t_b1", "-", stdin="Yes, fully waterproof.\n")
    assert "Sent to Margaret Hamilton" in sent.stdout
    (post,) = fake.requests[asked:]
    assert post.method == "POST" and post.headers["profile-key"] == BRAND_KEY
    assert post.body["message"] == "Yes, fully waterproof." and post.body["recipientId"] == "8001"
    # Instagram's window closed 7 days after their last message: refused before any request.
    refused = cli("reply", "Primary/instagram/aWdf_1", "Hello?", status=1)
    assert "7 days" in refused.stderr
    # Media the platform would refuse: refused here too, in the composer's words.
    bad = cli("reply", "t_1", "see", "--media", "https://x.example/a.php?x=1", status=1)
    assert "query string" in bad.stderr
    long = cli("reply", "t_1", "x" * 2001, status=1)  # past Messenger's 2,000 characters
    assert "at most 2,000 characters" in long.stderr
    assert len(fake.requests) == asked + 1
    store = Store(cli.store)
    try:
        (item,) = store.outbox_for(("Brand", Platform.FACEBOOK, "t_b1"))
        assert item.state in (OutboxState.ACCEPTED, OutboxState.SENT)
    finally:
        store.close()


def test_a_reply_that_may_have_gone_out_exits_4_and_is_never_sent_again(cli, fake):
    cli("sync", "--once", status=3)
    fake.settings.fault = "reset"  # the connection drops after the request went out
    maybe = cli("reply", "t_1", "On its way!", status=4)
    assert "may have gone out" in maybe.stderr
    fake.settings.fault = None
    posts = [r for r in fake.requests if r.method == "POST"]
    assert len(posts) == 1
    cli("sync", "--once")  # a later run never sends it on its own
    assert len([r for r in fake.requests if r.method == "POST"]) == 1
    store = Store(cli.store)
    try:
        (item,) = store.outbox_for(("Primary", Platform.FACEBOOK, "t_1"))
        assert item.state is OutboxState.UNKNOWN and item.text == "On its way!"
    finally:
        store.close()


def test_triage_commands_change_the_store_and_the_api(cli, fake):
    cli("sync", "--once", status=3)
    asked = len(fake.requests)
    assert "Archived 1 of 1" in cli("archive", "t_2").stdout
    (put,) = fake.requests[asked:]
    assert (put.method, put.path, put.body) == (
        "PUT",
        "/api/messages/facebook/t_2",
        {"status": "archived"},
    )
    assert "t_2" in [r["id"] for r in cli.lines("list", "--view", "archived")]
    cli("read", "t_9")
    assert not next(r for r in cli.lines("list") if r["id"] == "t_9")["unread"]
    cli("unread", "t_9")
    assert next(r for r in cli.lines("list") if r["id"] == "t_9")["unread"]
    cli("snooze", "t_9", "2h")
    (snoozed,) = cli.lines("list", "--view", "snoozed")
    assert snoozed["id"] == "t_9" and snoozed["snoozed_until"]
    assert "Can't read that: try 2h" in cli("snooze", "t_1", "whenever", status=2).stderr
    assert "That time has passed" in cli("snooze", "t_1", "2020-01-01", status=2).stderr
    assert "no conversation 'nope'" in cli("read", "nope", status=2).stderr
    # An archive the API refuses is rolled back in the store and exits 3.
    fake.settings.fault = "500"
    cli("unarchive", "t_2", status=3)
    fake.settings.fault = None
    assert "t_2" in [r["id"] for r in cli.lines("list", "--view", "archived")]


def test_export_writes_private_files_safe_for_spreadsheets(cli, tmp_path):
    cli("sync", "--once", status=3)
    out = tmp_path / "report.csv"
    said = cli("export", "--format", "csv", str(out)).stdout
    assert "messages to" in said
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    formula = next(r for r in rows if r["message_id"] == "m_9")
    assert formula["text"] == "'=HYPERLINK(1)"  # never run as a formula
    assert {r["profile"] for r in rows} == {"Primary", "Brand"}
    jsonl = tmp_path / "report.jsonl"
    cli("export", "--format", "json", "--profile", "Brand", str(jsonl))
    (brand,) = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert brand["ref"] == "Brand/facebook/t_b1"
    assert brand["thread"][0]["text"] == "Is the jacket waterproof?"
    recent = cli("export", "--format", "json", "--since", "today", "-").stdout.splitlines()
    assert [json.loads(line)["id"] for line in recent] == ["t_9"]


def test_usage_errors_are_said_in_plain_words(cli, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[ayrshare]\napi_kee = 1\n")
    bad = subprocess.run(
        [COMMAND, "list", "--config", str(broken)], capture_output=True, text=True, env=cli.env
    )
    assert bad.returncode == 2 and str(broken) in bad.stderr and "api_kee" in bad.stderr
    assert "Traceback" not in bad.stderr
    assert "no store" in cli("list", status=2).stderr  # nothing synced yet
    for command in ("list", "show", "search", "reply", "archive", "export", "sync"):
        helped = cli(command, "--help").stdout
        assert "--config" in helped and "default" in helped, command
    script = cli("completion", "bash").stdout
    assert "inbox-tui" in script and "_ARGCOMPLETE" in script


def test_the_demo_lists_as_json(tmp_path):
    done = subprocess.run(
        [COMMAND, "--demo", "list", "--all", "--json"],
        capture_output=True,
        text=True,
        env=command_env(tmp_path),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 100 and len({r["profile"] for r in rows}) > 2


def test_sync_runs_until_sigterm_and_stops_cleanly(cli, fake):
    import signal
    import threading

    child = subprocess.Popen(
        [COMMAND, "--config", str(cli.config), "--store", str(cli.store), "sync"],
        stderr=subprocess.PIPE,
        text=True,
        env=cli.env,
    )
    assert child.stderr is not None
    stuck = threading.Timer(60, child.kill)  # a bound on the reads below, not a timing
    stuck.start()
    try:
        for line in child.stderr:  # a line a fetch, said once its answer is stored
            if "changed" in line:
                break
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=30) == 0
        assert "Stopped." in child.stderr.read()
    finally:
        stuck.cancel()
        child.kill()
    store = Store(cli.store)
    try:
        assert store.windows()  # what it fetched is recorded for the next run
    finally:
        store.close()


def test_completion_answers_from_the_parser_and_the_store(cli, tmp_path):
    cli("sync", "--once", status=3)

    def complete(line: str) -> list[str]:
        out = tmp_path / "completions"
        env = {
            **cli.env,
            "_ARGCOMPLETE": "1",
            "_ARGCOMPLETE_IFS": "\n",
            "_ARGCOMPLETE_STDOUT_FILENAME": str(out),
            "COMP_LINE": line,
            "COMP_POINT": str(len(line)),
        }
        subprocess.run([COMMAND], env=env, timeout=60, check=True)
        return [word.strip() for word in out.read_text().split("\n")]

    assert {"list", "search"} <= set(complete("inbox-tui "))
    assert "--needs-reply" in complete("inbox-tui list --nee")
    shown = complete(f"inbox-tui show --config {cli.config} --store {cli.store} Brand/")
    assert shown == ["Brand/facebook/t_b1"]


def test_reading_commands_skip_pydantic_for_a_config_that_validated_before(cli):
    """Like the app's start: read quickly when the file is byte for byte one that validated;
    any edit is validated whole again (a broken one is refused, as always)."""
    import sys

    cli("sync", "--once", status=3)  # validates, and stores the fingerprint
    probe = (
        "import sys; from inbox_tui.cli import main; "
        f"main(['--config', {str(cli.config)!r}, '--store', {str(cli.store)!r}, 'list']); "
        "print('pydantic' in sys.modules)"
    )
    run = [sys.executable, "-c", probe]
    quick = subprocess.run(run, capture_output=True, text=True, env=cli.env, check=True)
    assert quick.stdout.splitlines()[-1] == "False" and "Eve Formula" in quick.stdout
    cli.config.write_text(cli.config.read_text().replace('name = "Brand"', 'nmae = "Brand"'))
    broken = cli("list", status=2).stderr
    assert "profiles[1].nmae" in broken and "not a known key" in broken


def test_stats_give_each_brands_response_times(cli, fake):
    now = datetime.now(UTC)
    said = [("received", 90), ("received", 80), ("sent", 60), ("received", 50), ("sent", 46)]
    fake.primary.platforms["facebook"].conversations["t_10"] = FakeConversation(
        id="t_10",
        participant_id="5010",
        participant_name="Ida Answered",
        messages=[
            FakeMessage(f"m_10_{n}", action, now - timedelta(minutes=ago), "hi")
            for n, (action, ago) in enumerate(said)
        ],
    )
    cli("sync", "--once", status=3)
    figures = {r["profile"]: r for r in cli.lines("stats")}
    assert set(figures) == {"Primary", "Brand"}  # every brand unless --profile
    # The week: Ida's two replies (30 min from her first message, then 4 min); the small
    # data set's own replies are two weeks old.
    week = figures["Primary"]["7_days"]
    assert week["answered"] == 2 and week["median_seconds"] == 17 * 60
    assert figures["Brand"]["7_days"] == {
        "answered": 0,
        "median_seconds": None,
        "p90_seconds": None,
    }
    assert set(figures["Primary"]) == {"profile", "today", "7_days"}
    table = cli("stats", "--profile", "Prim").stdout.splitlines()
    assert table[0].split()[:3] == ["PROFILE", "TODAY:", "ANSWERED"] and len(table) == 2
