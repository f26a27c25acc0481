"""`inbox-tui` with no subcommand (and `--demo`): the app, started as fast as it can be.

Imports stay inside the functions: the config is read without pydantic when it validated
before (see `config.paths.quick_read`), Textual is imported after the collector is off.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from inbox_tui.cli.errors import fail

if TYPE_CHECKING:
    from inbox_tui.config.model import Config
    from inbox_tui.config.paths import QuickConfig
    from inbox_tui.store import Store


# Textual paints on a timer, at most TEXTUAL_FPS times a second (default 60): a key that lands
# just after a paint waits up to a whole period before its own. At 120 that wait is at most
# 8 ms; paints still happen only when something changed. A TEXTUAL_FPS set by the user wins.
FRAME_RATE = "120"


def run_app(args: argparse.Namespace) -> int:
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
                return fail(str(error))
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
            return fail(f"cannot write the log {args.log}: {error.strerror or error}.")
    try:
        store, notice = open_store(store_path)
    except OSError as error:
        return fail(f"cannot open the store {store_path}: {error.strerror or error}.")
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
                return fail(str(error))
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
        return fail(app.config_error)
    return app.return_code or 0


def _load(path: Path) -> Config:
    from inbox_tui.config.load import load_config

    return load_config(path)


def open_store(path: Path) -> tuple[Store, str]:
    """Open the store; a corrupt or newer one is moved aside (never deleted) and rebuilt.

    Returns the store and a notice for the user ("" when all was well).
    """
    import sqlite3
    import sys
    import time

    from inbox_tui.store import Store, StoreVersionError

    def upgrading(old: int, new: int) -> None:  # before the screen is taken: the terminal's
        print(
            f"inbox-tui: upgrading the store {path} (schema {old} to {new}); a large store's "
            "search index takes a while to rebuild, once…",
            file=sys.stderr,
            flush=True,
        )

    try:
        return Store(path, on_upgrade=upgrading), ""
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
