"""Where the config lives, and the quick read of a config that validated before (no pydantic).

pydantic costs about 110 ms to import, a third of a minimal Textual app's first screen. A
config whose bytes (and API-key variable) are the same as the last time it validated needs
only its profile names for the first frame; the full validation runs just after (issue 6).
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from pathlib import Path
from typing import NamedTuple

CONFIG_ENV = "INBOX_TUI_CONFIG"
API_KEY_ENV = "AYRSHARE_API_KEY"
VALIDATED_SETTING = "config_validated"  # the store setting holding the fingerprint


# Secrets taken out of this process's environment once read (see `withhold_secret_env`).
_WITHHELD: dict[str, str] = {}


def environment() -> dict[str, str]:
    """The environment as the user started us, secrets included (for reading the config)."""
    return {**os.environ, **_WITHHELD}


def secret_env_names(path: Path) -> set[str]:
    """The variables a config takes secrets from: AYRSHARE_API_KEY and every `*_env` key
    (a Page token's, the Meta app secret's)."""
    names = {API_KEY_ENV}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return names

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if str(key).endswith("_env") and isinstance(item, str):
                    names.add(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return names


def withhold_secret_env(names: set[str]) -> None:
    """Take these variables out of `os.environ`, so the programs the app starts ($EDITOR, the
    browser, notify-send) do not inherit the keys; the config still reads them."""
    for name in names:
        if name in os.environ:
            _WITHHELD[name] = os.environ.pop(name)


def private_dir(path: Path) -> None:
    """`path` and any missing parents, made 0700: the names and sizes of the files in them
    (stores, logs, configs) are nobody else's business. Existing directories are left as
    they are."""
    missing = []
    while not path.exists():
        missing.append(path)
        path = path.parent
    for directory in reversed(missing):
        directory.mkdir(mode=0o700, exist_ok=True)
        os.chmod(directory, 0o700)  # the umask may have taken bits away; never added any


def default_config_path() -> Path:
    from platformdirs import user_config_path

    return user_config_path("inbox-tui") / "config.toml"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("inbox-tui")


def default_store_file() -> Path:
    return default_data_dir() / "inbox.sqlite3"


def config_file(path: Path | None = None, environ: dict[str, str] | None = None) -> Path:
    """Which file is the config: `--config`, else INBOX_TUI_CONFIG, else the user config dir."""
    env = os.environ if environ is None else environ
    if path is not None:
        return path
    return Path(env[CONFIG_ENV]) if env.get(CONFIG_ENV) else default_config_path()


def readable_by_others(path: Path) -> str:
    """A warning when the config's mode lets others read it (it holds keys), else ""."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        return ""
    if mode & 0o077:
        return (
            f"warning: {path} can be read by other users (mode {mode:o}) and holds your keys. "
            f"Run: chmod 600 {path}"
        )
    return ""


def store_location(path: Path) -> Path:
    """Where the config at `path` keeps the store, read without validating the rest (so
    moving state between machines needs none of the keys). Raises ConfigError."""
    from inbox_tui.config import ConfigError

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}.") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML: {error}.") from None
    value = data.get("store_path")
    if value is None:
        return default_store_file()
    if not isinstance(value, str) or not value:
        raise ConfigError(f'{path}: store_path must be a file\'s path, such as "~/inbox.sqlite3".')
    return Path(value)


class QuickConfig(NamedTuple):
    """A config file read without validating it: trusted only if its fingerprint matches."""

    path: Path
    profile_names: tuple[str, ...]
    store_path: Path | None
    fingerprint: str
    theme: str | None = None
    keys: dict[str, str] = {}  # read, never changed
    meta_profiles: tuple[str, ...] = ()  # those with provider = "meta"
    colors: dict[str, str] = {}  # profile -> its `color`, where it has one

    def store_file(self) -> Path:
        return self.store_path or default_store_file()


def quick_read(path: Path, environ: dict[str, str] | None = None) -> QuickConfig | None:
    """The names and store of a config, or None when only a full validation will do.

    None for anything unusual: unreadable, not TOML, an unexpected shape, or secrets from
    commands (they may ask for a passphrase, which must happen before the screen is taken).
    """
    env = environment() if environ is None else environ
    try:
        raw = path.read_bytes()
        data = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    profiles = data.get("profiles")
    store_path, theme, keys = data.get("store_path"), data.get("theme"), data.get("keys", {})
    if (
        _runs_commands(data)
        or not isinstance(profiles, list)
        or not all(isinstance(p, dict) and isinstance(p.get("name"), str) for p in profiles)
        or not (store_path is None or isinstance(store_path, str))
        or not (theme is None or isinstance(theme, str))
        or not (isinstance(keys, dict) and all(isinstance(v, str) for v in keys.values()))
    ):
        return None
    digest = hashlib.sha256(raw)
    # The secrets the environment supplies are part of what validated (hashed, never kept).
    names = [API_KEY_ENV, *(p["access_token_env"] for p in profiles if "access_token_env" in p)]
    meta = data.get("meta")
    if isinstance(meta, dict) and "app_secret_env" in meta:
        names.append(meta["app_secret_env"])
    for name in names:
        digest.update(b"\0" + str(env.get(str(name), "")).encode())
    return QuickConfig(
        path,
        tuple(p["name"] for p in profiles),
        Path(store_path) if store_path else None,
        digest.hexdigest(),
        theme,
        keys,
        tuple(p["name"] for p in profiles if p.get("provider") == "meta"),
        {p["name"]: str(p["color"]) for p in profiles if "color" in p},
    )


def _runs_commands(data: object) -> bool:
    if isinstance(data, dict):
        return any(
            str(key).endswith("_command") or _runs_commands(value) for key, value in data.items()
        )
    if isinstance(data, list):
        return any(_runs_commands(item) for item in data)
    return False
