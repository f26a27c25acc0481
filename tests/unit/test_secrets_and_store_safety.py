"""Secrets from commands, the permissions warning, the scrubbed log, and a store that survives
kills, damage and moves between machines."""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inbox_tui.cli.start_app import open_store
from inbox_tui.config import ConfigError
from inbox_tui.config.load import load_config
from inbox_tui.config.paths import readable_by_others
from inbox_tui.domain import Direction, Message, Platform
from inbox_tui.logs import REDACTED, SecretFilter, start_log
from inbox_tui.store import Draft, Store, View
from tests.factories import SECRETS

T = datetime(2026, 11, 20, 12, tzinfo=UTC)
FB = Platform.FACEBOOK


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\n{body}\n")
    path.chmod(0o700)
    return str(path)


def write_config(tmp_path, ayrshare_lines, profile_lines=""):
    path = tmp_path / "config.toml"
    path.write_text(
        f'[ayrshare]\n{ayrshare_lines}\n[[profiles]]\nname = "Primary"\n{profile_lines}\n'
    )
    path.chmod(0o600)
    return path


def test_keys_can_come_from_commands(tmp_path):
    api = script(tmp_path, "api", "print('sk-from-command')")
    key = script(tmp_path, "key", "print('pk-from-command\\nsecond line ignored')")
    path = write_config(
        tmp_path, f'api_key_command = "{api}"', f'profile_key_command = "{key} --arg"'
    )
    config = load_config(path, environ={})
    assert config.ayrshare.api_key.get_secret_value() == "sk-from-command"
    assert config.profiles[0].profile_key.get_secret_value() == "pk-from-command"


def test_a_failing_command_names_the_key_and_never_its_output(tmp_path):
    bad = script(tmp_path, "bad", "import sys; print('sk-leaked-maybe'); sys.exit(3)")
    path = write_config(tmp_path, f'api_key_command = "{bad}"')
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    message = str(caught.value)
    assert "ayrshare.api_key_command" in message and "status 3" in message
    assert "sk-leaked-maybe" not in message
    path = write_config(tmp_path, 'api_key_command = "/no/such/program"')
    with pytest.raises(ConfigError, match="could not be run"):
        load_config(path, environ={})


def test_a_config_others_can_read_is_warned_about(tmp_path):
    path = write_config(tmp_path, 'api_key = "sk"')
    assert readable_by_others(path) == ""
    path.chmod(0o644)
    assert "chmod 600" in readable_by_others(path) and "644" in readable_by_others(path)


def test_the_log_scrubs_every_secret(tmp_path):
    log = tmp_path / "logs" / "inbox.log"
    start_log(log, ["sk-secret-api-key", "pk-secret-profile"])
    logger = logging.getLogger("inbox_tui.test")
    logger.info("calling with %s and %s", "sk-secret-api-key", {"Profile-Key": "pk-secret-profile"})
    try:
        raise RuntimeError("bad key sk-secret-api-key")
    except RuntimeError:
        logger.exception("failed")
    for handler in logging.getLogger("inbox_tui").handlers:
        handler.flush()
    text = log.read_text()
    assert "sk-secret-api-key" not in text and "pk-secret-profile" not in text
    assert text.count(REDACTED) == 4  # two arguments, the traceback's source line, its message
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
    for handler in list(logging.getLogger("inbox_tui").handlers):
        if any(isinstance(f, SecretFilter) for f in handler.filters):
            logging.getLogger("inbox_tui").removeHandler(handler)
            logging.getLogger("httpx").removeHandler(handler)


def test_a_damaged_store_is_moved_aside_and_rebuilt(tmp_path):
    path = tmp_path / "inbox.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    store, notice = open_store(path)
    assert "damaged" in notice and ".aside" in notice
    (aside,) = tmp_path.glob("inbox.sqlite3.*.aside")
    assert aside.read_bytes().startswith(b"this is not a database")  # kept, never deleted
    assert store.conversations(["P"], View.ACTIVE, now=T) == []
    store.close()


def test_a_newer_store_is_moved_aside_too(tmp_path):
    path = tmp_path / "inbox.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    store, notice = open_store(path)
    assert "newer inbox-tui" in notice
    store.close()


def test_an_older_store_says_it_is_being_upgraded_before_the_screen_is_taken(tmp_path, capsys):
    """A migration may rebuild the search index (minutes at tens of millions of messages):
    the terminal says so first, instead of staying blank. A new store says nothing."""
    path = tmp_path / "inbox.sqlite3"
    Store(path).close()
    store, notice = open_store(path)
    store.close()
    assert capsys.readouterr().err == "" and notice == ""
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 12")  # as the last version left it (v13 redoes the index)
    db.close()
    store, notice = open_store(path)
    store.close()
    said = capsys.readouterr().err
    assert f"upgrading the store {path} (schema 12 to " in said and notice == ""


def test_export_and_import_move_local_state_between_machines(tmp_path):
    old = Store(tmp_path / "old.sqlite3")
    old.upsert_messages("P", FB, [Message(FB, "m1", "c1", Direction.RECEIVED, T, "s", "Ada", "hi")])
    ref = ("P", FB, "c1")
    old.mark_read([ref])
    old.snooze([ref], until=T + timedelta(days=1), at=T)
    old.outbox_add(ref, "5001", Draft("never went out"), T)  # (takes that conversation's draft)
    old.save_draft(ref, Draft("half written", ("https://cdn.example.com/a.jpg",)), T)
    old.close()
    export = tmp_path / "state.json"
    cli = [sys.executable, "-m", "inbox_tui"]
    out = subprocess.run(
        [*cli, "--store", str(tmp_path / "old.sqlite3"), "export-state", str(export)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert stat.S_IMODE(os.stat(export).st_mode) == 0o600
    new = Store(tmp_path / "new.sqlite3")
    new.close()
    out = subprocess.run(
        [*cli, "--store", str(tmp_path / "new.sqlite3"), "import-state", str(export)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and "Merged 3 entries" in out.stdout, out.stderr + out.stdout
    new = Store(tmp_path / "new.sqlite3")
    assert new.local_states([ref])[ref].snoozed_until == (T + timedelta(days=1)).timestamp()
    assert new.draft(ref) == Draft("half written", ("https://cdn.example.com/a.jpg",))
    assert [i.text for i in new.outbox_for(ref)] == ["never went out"]
    new.close()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": 99}))
    out = subprocess.run(
        [*cli, "--store", str(tmp_path / "new.sqlite3"), "import-state", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (
        out.returncode == 2 and "cannot be imported" in out.stderr and "Traceback" not in out.stderr
    )


def test_a_kill_mid_sync_leaves_a_whole_store(tmp_path):
    """SIGKILL a process while it writes big batches; the store opens, intact and consistent."""
    path = tmp_path / "crash.sqlite3"
    writer = textwrap.dedent(f"""
        import sys
        from datetime import UTC, datetime, timedelta
        from inbox_tui.domain import Direction, Message, Platform
        from inbox_tui.store import Store
        store = Store({str(path)!r})
        t = datetime(2026, 11, 20, tzinfo=UTC)
        for batch in range(1000):
            msgs = [Message(Platform.FACEBOOK, f"b{{batch}}m{{i}}", f"c{{i % 50}}", Direction.RECEIVED,
                            t + timedelta(seconds=batch * 1000 + i), "s", "Ada", f"text {{batch}} {{i}}")
                    for i in range(1000)]
            store.upsert_messages("P", Platform.FACEBOOK, msgs)
            print(batch, flush=True)
    """)
    process = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE, text=True)
    for _ in range(3):  # let a few batches commit, then kill it in the middle of the next
        process.stdout.readline()
    time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    store = Store(path)
    db = store._db
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    count = db.execute("SELECT count(*) FROM messages").fetchone()[0]
    assert count % 1000 == 0 and count >= 3000  # whole batches only
    summed = db.execute("SELECT sum(message_count) FROM conversations").fetchone()[0]
    assert summed == count  # summaries committed with their messages
    fts = db.execute(
        "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'text'"
    ).fetchone()[0]
    assert fts == count
    store.close()


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.update(local_state=7),  # a table that is an int
        lambda e: e["local_state"][0].update(read_at=[1]),  # a list where a time goes
        lambda e: e["local_state"][0].update(read_at={"a": 1}),
        lambda e: e["local_state"][0].update(read_at=10**400),  # json: a huge int
        lambda e: e["local_state"][0].update(snoozed_until="abc", snoozed_at=9e15),
        lambda e: e["local_state"][0].update(status_override="bogus"),
        lambda e: e["outbox"][0].update(state="bogus"),
        lambda e: e["outbox"][0].update(media_urls="not json"),
        lambda e: e["drafts"][0].update(platform="myspace"),
    ],
)
def test_import_checks_every_field_and_merges_nothing_on_a_fault(tmp_path, change):
    """22 D11: each of these ended in a traceback, or merged and stopped every later start."""
    old = Store(tmp_path / "old.sqlite3")
    ref = ("P", FB, "c1")
    old.upsert_messages("P", FB, [Message(FB, "m1", "c1", Direction.RECEIVED, T, "s", "Ada", "hi")])
    old.mark_read([ref])
    old.outbox_add(ref, "5001", Draft("never went out"), T)
    old.save_draft(ref, Draft("half written"), T)
    export = old.export_state()
    old.close()
    change(export)
    path = tmp_path / "state.json"
    path.write_text(json.dumps(export))
    new = Store(tmp_path / "new.sqlite3")
    new.close()
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "inbox_tui",
            "--store",
            str(tmp_path / "new.sqlite3"),
            "import-state",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr
    assert "cannot be imported" in out.stderr
    new = Store(tmp_path / "new.sqlite3")
    assert new.export_state() == {
        **new.export_state(),
        "local_state": [],
        "drafts": [],
        "outbox": [],
    }
    new.close()


def test_imported_text_is_sanitised_and_deep_nesting_is_refused(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    ref = ("P", FB, "c1")
    data = {
        "format": store.EXPORT_FORMAT,
        "drafts": [
            {
                "profile": "P",
                "platform": "facebook",
                "conversation_id": "c1",
                "text": "hello \x1b]0;IMPORTTITLE\x07and \x1b]52;c;cHduZWQ=\x07bye",
                "media_urls": "[]",
                "updated_at": T.timestamp(),
            }
        ],
    }
    assert store.import_state(data) == 1
    assert store.draft(ref).text == "hello and bye"
    store.close()
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "inbox_tui",
            "--store",
            str(tmp_path / "s.sqlite3"),
            "import-state",
            str(deep),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr and "nested" in out.stderr


def test_a_crash_prints_a_short_message_and_no_key(tmp_path):
    """22 D1: Textual's crash traceback shows its locals: the whole config, every key."""
    log = tmp_path / "crash.log"
    script = textwrap.dedent(
        f"""
        import logging
        from inbox_tui.logs import config_secrets, start_log
        from inbox_tui.store import Store
        from inbox_tui.ui.app import InboxApp
        from tests.factories import test_config

        config = test_config("http://127.0.0.1:9/api")
        start_log(__import__("pathlib").Path({str(log)!r}), config_secrets(config))

        def crashing_tick(self):
            secret_here = config.ayrshare.api_key.get_secret_value()  # a local to show
            raise RuntimeError("boom " + str(len(secret_here)))

        InboxApp.tick = crashing_tick  # a bug, at the first tick
        app = InboxApp(config, Store({str(tmp_path / "s.sqlite3")!r}), sync=False)
        app.run(headless=True, size=(100, 30))
        raise SystemExit(app.return_code)
        """
    )
    runner = tmp_path / "crash.py"  # a file: Textual reads an App's source for its CSS
    runner.write_text(script)
    out = subprocess.run(
        [sys.executable, str(runner)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    )
    shown = out.stdout + out.stderr
    assert out.returncode == 1, shown
    assert "stopped on an unexpected error (RuntimeError)" in shown
    assert "Traceback" not in shown
    for secret in SECRETS:
        assert secret not in shown
    logged = log.read_text()
    assert "RuntimeError: boom" in logged and all(secret not in logged for secret in SECRETS)


def test_state_moves_with_a_config_that_has_no_keys_into_a_store_not_there_yet(tmp_path):
    """A person joining another machine: the config there has no key yet (none in the file,
    none in the environment), and no store: import-state makes it."""
    old = Store(tmp_path / "old.sqlite3")
    old.upsert_messages("P", FB, [Message(FB, "m1", "c1", Direction.RECEIVED, T, "s", "Ada", "hi")])
    old.save_draft(("P", FB, "c1"), Draft("half written"), T)
    old.close()
    config = tmp_path / "config.toml"
    config.write_text(
        f'store_path = "{tmp_path / "new" / "inbox.sqlite3"}"\n[[profiles]]\nname = "P"\n'
    )
    env = {k: v for k, v in os.environ.items() if k != "AYRSHARE_API_KEY"}
    run = lambda *argv: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "inbox_tui", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    export = tmp_path / "state.json"
    assert (
        run("--store", str(tmp_path / "old.sqlite3"), "export-state", str(export)).returncode == 0
    )
    done = run("--config", str(config), "import-state", str(export))
    assert done.returncode == 0 and "Merged 1 entries" in done.stdout, done.stderr
    new = Store(tmp_path / "new" / "inbox.sqlite3")
    assert new.draft(("P", FB, "c1")) == Draft("half written")
    new.close()
    nothing = run("--config", str(tmp_path / "missing.toml"), "export-state", str(export))
    assert (
        nothing.returncode == 2
        and "cannot read" in nothing.stderr
        and "Traceback" not in nothing.stderr
    )
