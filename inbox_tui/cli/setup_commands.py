"""The small commands around the app: `init`, `fake-server`, `export-state`, `import-state`."""

from __future__ import annotations

import argparse
from pathlib import Path

from inbox_tui.cli.errors import fail
from inbox_tui.cli.start_app import open_store


def init(args: argparse.Namespace) -> int:
    if args.example:
        from importlib.resources import files

        print(files("inbox_tui.config").joinpath("example.toml").read_text(encoding="utf-8"))
        return 0
    from inbox_tui.config import ConfigError
    from inbox_tui.config.edit import write_starter_config
    from inbox_tui.config.paths import default_config_path

    path: Path = args.config or default_config_path()
    try:
        write_starter_config(path)
    except ConfigError as error:
        return fail(str(error))
    except OSError as error:
        return fail(f"Cannot write {path}: {error.strerror}.")
    print(f"Wrote {path} (mode 0600). Put your Ayrshare API key in it, then run inbox-tui.")
    return 0


def fake_server(args: argparse.Namespace) -> int:
    from inbox_tui.config.model import is_loopback_host
    from inbox_tui.fake.demo_data import build_demo, build_graph_demo
    from inbox_tui.fake.server import serve

    if not is_loopback_host(args.host):
        return fail("the fake server only listens on a loopback address (127.0.0.1, ::1).")
    try:
        serve(build_demo(seed=args.seed), build_graph_demo(seed=args.seed), args.host, args.port)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        return fail(f"cannot listen on {args.host}:{args.port}: {error.strerror}.")
    return 0


def state(args: argparse.Namespace) -> int:
    import json

    from inbox_tui.config import ConfigError
    from inbox_tui.config.edit import write_private_file
    from inbox_tui.config.paths import config_file, store_location

    if args.store:
        store_path = args.store
    else:
        try:  # the store's place is all it needs of the config: no key, no validation
            store_path = store_location(config_file(args.config))
        except ConfigError as error:
            return fail(str(error))
    if args.command == "export-state" and not store_path.exists():
        return fail(f"there is no store at {store_path} yet: nothing to export.")
    store, notice = open_store(store_path)
    if notice:
        return fail(notice)
    try:
        if args.command == "export-state":
            data = store.export_state()
            try:
                write_private_file(args.file, json.dumps(data, indent=1).encode(), overwrite=True)
            except OSError as error:
                return fail(f"cannot write {args.file}: {error.strerror}.")
            count = sum(len(v) for v in data.values() if isinstance(v, list))
            print(f"Wrote {count} entries to {args.file} (mode 0600).")
            return 0
        try:
            data = json.loads(args.file.read_text(encoding="utf-8"))
            taken = store.import_state(data)
        except OSError as error:
            return fail(f"cannot read {args.file}: {error.strerror}.")
        except RecursionError:
            return fail(f"{args.file} cannot be imported: it is nested too deeply to be an export.")
        except ValueError as error:
            return fail(f"{args.file} cannot be imported: {error}.")
        print(f"Merged {taken} entries from {args.file} into {store_path}.")
        return 0
    finally:
        store.close()
