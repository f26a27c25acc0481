"""Entry points: `inbox-tui`, `inbox-tui init`, `inbox-tui fake-server`, `--demo`.

Imports stay inside the functions: `--help` and `init` should not pay for Textual or httpx.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from inbox_tui import __version__

if TYPE_CHECKING:
    from inbox_tui.config.model import Config
    from inbox_tui.config.paths import QuickConfig
    from inbox_tui.store import Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="inbox-tui",
        description="A keyboard-driven terminal inbox for social DMs (Ayrshare Messages API).",
    )
    parser.add_argument("--version", action="version", version=f"inbox-tui {__version__}")
    parser.add_argument(
        "--config",
        type=Path,
        help="config file (default: the user config dir; or INBOX_TUI_CONFIG)",
    )
    parser.add_argument("--store", type=Path, help="SQLite store (default: the user data dir)")
    parser.add_argument(
        "--demo", action="store_true", help="run on built-in demo data (no account or key needed)"
    )
    parser.add_argument(
        "--no-sync", action="store_true", help="show the stored inbox, make no requests"
    )
    parser.add_argument("--log", type=Path, help="write a log there (0600; keys are scrubbed)")
    commands = parser.add_subparsers(dest="command")
    init = commands.add_parser("init", help="write a starter config (never over an existing one)")
    init.add_argument("--config", type=Path, dest="init_config")
    export = commands.add_parser(
        "export-state",
        help="write read state, snoozes, drafts and unsent replies to a JSON file (0600)",
    )
    export.add_argument("file", type=Path)
    import_ = commands.add_parser(
        "import-state", help="merge a file written by export-state into this store"
    )
    import_.add_argument("file", type=Path)
    fake = commands.add_parser(
        "fake-server", help="serve the fake Ayrshare and Graph APIs on a loopback port"
    )
    fake.add_argument("--host", default="127.0.0.1")
    fake.add_argument("--port", type=int, default=8765)
    fake.add_argument("--seed", type=int, default=7)
    return parser


def _fail(message: str) -> int:
    print(f"inbox-tui: {message}", file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "init":
        return _init(args.init_config or args.config)
    if args.command == "fake-server":
        return _fake_server(args)
    if args.command in ("export-state", "import-state"):
        return _state(args)
    return _run(args)


def _init(path: Path | None) -> int:
    from inbox_tui.config import ConfigError
    from inbox_tui.config.edit import write_starter_config
    from inbox_tui.config.paths import default_config_path

    path = path or default_config_path()
    try:
        write_starter_config(path)
    except ConfigError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"Cannot write {path}: {error.strerror}.")
    print(f"Wrote {path} (mode 0600). Put your Ayrshare API key in it, then run inbox-tui.")
    return 0


def _fake_server(args: argparse.Namespace) -> int:
    from inbox_tui.config.model import is_loopback_host
    from inbox_tui.fake.demo_data import build_demo, build_graph_demo
    from inbox_tui.fake.server import serve

    if not is_loopback_host(args.host):
        return _fail("the fake server only listens on a loopback address (127.0.0.1, ::1).")
    try:
        serve(build_demo(seed=args.seed), build_graph_demo(seed=args.seed), args.host, args.port)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror}.")
    return 0


def _state(args: argparse.Namespace) -> int:
    import json

    from inbox_tui.config import ConfigError
    from inbox_tui.config.edit import write_private_file
    from inbox_tui.config.load import load_config

    if args.store:
        store_path = args.store
    else:
        try:
            config = load_config(args.config)
        except ConfigError as error:
            return _fail(str(error))
        store_path = config.store_file()
    if not store_path.exists():
        return _fail(f"there is no store at {store_path} yet.")
    store, notice = open_store(store_path)
    if notice:
        return _fail(notice)
    try:
        if args.command == "export-state":
            data = store.export_state()
            try:
                write_private_file(args.file, json.dumps(data, indent=1).encode(), overwrite=True)
            except OSError as error:
                return _fail(f"cannot write {args.file}: {error.strerror}.")
            count = sum(len(v) for v in data.values() if isinstance(v, list))
            print(f"Wrote {count} entries to {args.file} (mode 0600).")
            return 0
        try:
            data = json.loads(args.file.read_text(encoding="utf-8"))
            taken = store.import_state(data)
        except OSError as error:
            return _fail(f"cannot read {args.file}: {error.strerror}.")
        except RecursionError:
            return _fail(
                f"{args.file} cannot be imported: it is nested too deeply to be an export."
            )
        except ValueError as error:
            return _fail(f"{args.file} cannot be imported: {error}.")
        print(f"Merged {taken} entries from {args.file} into {store_path}.")
        return 0
    finally:
        store.close()


def open_store(path: Path) -> tuple[Store, str]:
    """Open the store; a corrupt or newer one is moved aside (never deleted) and rebuilt.

    Returns the store and a notice for the user ("" when all was well).
    """
    import sqlite3
    import time

    from inbox_tui.store import Store, StoreVersionError

    try:
        return Store(path), ""
    except (StoreVersionError, sqlite3.DatabaseError) as error:
        why = str(error) if isinstance(error, StoreVersionError) else f"it is damaged ({error})"
    aside = path.with_name(f"{path.name}.{time.strftime('%Y%m%d-%H%M%S')}.aside")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            extra.rename(Path(f"{aside}{suffix}"))
    notice = (
        f"The store could not be used: {why}. It was moved to {aside} and a new one is being "
        "filled from the API (read state, drafts and snoozes in the old file are not in it; "
        "`inbox-tui import-state` brings back an export)."
    )
    return Store(path), notice


# Textual paints on a timer, at most TEXTUAL_FPS times a second (default 60): a key that lands
# just after a paint waits up to a whole period before its own. At 120 that wait is at most
# 8 ms; paints still happen only when something changed. A TEXTUAL_FPS set by the user wins.
FRAME_RATE = "120"


def _run(args: argparse.Namespace) -> int:
    os.environ.setdefault("TEXTUAL_FPS", FRAME_RATE)  # before Textual is imported
    from inbox_tui.ui.idle_gc import start_without_collections

    with start_without_collections():  # the app's IdleCollector turns them on at mount
        return _start(args)


def _start(args: argparse.Namespace) -> int:
    from inbox_tui.config import ConfigError
    from inbox_tui.config.paths import (
        VALIDATED_SETTING,
        config_file,
        quick_read,
        readable_by_others,
        secret_env_names,
        withhold_secret_env,
    )

    transport = None
    scratch = None
    config: Config | QuickConfig
    config_path: Path | None = None
    quick: QuickConfig | None = None
    notices: list[str] = []
    if args.demo:
        from inbox_tui.demo import demo_config, demo_transport

        config, transport = demo_config(), demo_transport()
        scratch = tempfile.TemporaryDirectory(prefix="inbox-tui-demo-")
        store_path = Path(scratch.name) / "demo.sqlite3"
    else:
        config_path = config_file(args.config)
        # A log needs the secrets to scrub up front, so it takes the full validation now.
        quick = None if args.log else quick_read(config_path)
        if quick is not None and not (args.store or quick.store_file()).exists():
            quick = None  # a first run: no store is made before the config has validated
        if quick is None:
            try:
                config = _load(config_path)
            except ConfigError as error:
                return _fail(str(error))
        withhold_secret_env(secret_env_names(config_path))  # children inherit no key
        if warning := readable_by_others(config_path):
            print(f"inbox-tui: {warning}", file=sys.stderr)
            notices.append(warning)
        store_path = args.store or (quick or config).store_file()
    if args.log:
        from inbox_tui.logs import config_secrets, start_log

        try:
            start_log(args.log, config_secrets(config))
        except OSError as error:
            return _fail(f"cannot write the log {args.log}: {error.strerror or error}.")
    try:
        store, notice = open_store(store_path)
    except OSError as error:
        return _fail(f"cannot open the store {store_path}: {error.strerror or error}.")
    if notice:
        print(f"inbox-tui: {notice}", file=sys.stderr)
        notices.append(notice)
    if quick is not None:
        if store.setting(VALIDATED_SETTING) == quick.fingerprint:
            config = quick  # validated before, byte for byte: the app validates it after drawing
        else:
            try:
                config = _load(quick.path)
            except ConfigError as error:
                store.close()
                return _fail(str(error))
            store.set_setting(VALIDATED_SETTING, quick.fingerprint)

    from inbox_tui.ui.app import InboxApp

    app = InboxApp(
        config,
        store,
        transport=transport,
        sync=not args.no_sync,
        config_path=config_path,
        notices=notices,
    )
    try:
        app.run()
    finally:
        store.close()
        if scratch is not None:
            scratch.cleanup()
    if app.config_error:
        return _fail(app.config_error)
    return app.return_code or 0


def _load(path: Path) -> Config:
    from inbox_tui.config.load import load_config

    return load_config(path)
