"""Entry points: `inbox-tui`, `inbox-tui init`, `inbox-tui fake-server`, `--demo`.

Imports stay inside the functions: `--help` and `init` should not pay for Textual or httpx.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from inbox_tui import __version__


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
    commands = parser.add_subparsers(dest="command")
    init = commands.add_parser("init", help="write a starter config (never over an existing one)")
    init.add_argument("--config", type=Path, dest="init_config")
    fake = commands.add_parser("fake-server", help="serve the fake Ayrshare API on a loopback port")
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
    return _run(args)


def _init(path: Path | None) -> int:
    from inbox_tui.config import ConfigError, default_config_path, write_starter_config

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
    from inbox_tui.config import is_loopback_host
    from inbox_tui.fake.demo_data import build_demo
    from inbox_tui.fake.server import serve

    if not is_loopback_host(args.host):
        return _fail("the fake server only listens on a loopback address (127.0.0.1, ::1).")
    try:
        serve(build_demo(seed=args.seed), args.host, args.port)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror}.")
    return 0


def _run(args: argparse.Namespace) -> int:
    from inbox_tui.config import ConfigError, config_file, default_data_dir, load_config
    from inbox_tui.store import Store, StoreVersionError

    transport = None
    scratch = None
    config_path = None
    if args.demo:
        from inbox_tui.demo import demo_config, demo_transport

        config, transport = demo_config(), demo_transport()
        scratch = tempfile.TemporaryDirectory(prefix="inbox-tui-demo-")
        store_path = Path(scratch.name) / "demo.sqlite3"
    else:
        try:
            config = load_config(args.config)
        except ConfigError as error:
            return _fail(str(error))
        config_path = config_file(args.config)
        store_path = args.store or config.store_path or default_data_dir() / "inbox.sqlite3"
    try:
        store = Store(store_path)
    except StoreVersionError as error:
        return _fail(str(error))
    except OSError as error:
        return _fail(f"cannot open the store {store_path}: {error}.")

    from inbox_tui.ui.app import InboxApp

    try:
        InboxApp(
            config, store, transport=transport, sync=not args.no_sync, config_path=config_path
        ).run()
    finally:
        store.close()
        if scratch is not None:
            scratch.cleanup()
    return 0
