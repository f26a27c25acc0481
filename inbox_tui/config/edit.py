"""Writing the config: changes made from the app (profiles, saved replies), and files
written whole (the starter config).

The user's TOML is edited in place with tomlkit, so comments, order and layout stay as the
user wrote them; never from the validated model, which holds values from the environment
(AYRSHARE_API_KEY) that must not land in the file. Each change is validated before the
atomic 0600 write, and the file as it was is kept beside it as `config.toml.bak` (0600).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import tomli_w
import tomlkit
from pydantic import ValidationError
from tomlkit.exceptions import TOMLKitError

from inbox_tui.config import ConfigError
from inbox_tui.config.load import load_config
from inbox_tui.config.model import DEFAULT_BASE_URL, Config
from inbox_tui.config.paths import API_KEY_ENV, private_dir


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _edit(path: Path, change: Callable[[tomlkit.TOMLDocument], None]) -> Config:
    try:
        before = path.read_bytes()
        document = tomlkit.parse(before.decode("utf-8"))
    except (OSError, UnicodeDecodeError, TOMLKitError) as exc:
        raise ConfigError(f"Cannot read {path} to change it: {exc}") from None
    change(document)
    try:
        Config.model_validate(document.unwrap())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"Not saved: {where}: {first['msg'].removeprefix('Value error, ')}"
        ) from None
    try:
        write_private_file(backup_path(path), before, overwrite=True)
        write_private_file(path, tomlkit.dumps(document).encode("utf-8"), overwrite=True)
    except OSError as exc:  # read-only, full, not ours: say so and keep the edit on screen
        raise ConfigError(
            f"Couldn't save the config {path}: {exc.strerror or exc}. Nothing was changed."
        ) from None
    try:
        return load_config(path)  # as the app runs it: with the environment's overrides
    except ConfigError as exc:  # valid, but not usable here (a token's variable not set)
        write_private_file(path, before, overwrite=True)  # the file as it was: it still starts
        raise ConfigError(f"Not saved: {exc}") from None


def _profile(data, name: str):
    for profile in data.get("profiles", []):
        if profile.get("name") == name:
            return profile
    raise ConfigError(f"There is no profile named {name!r} in the config.")


@dataclass(frozen=True)
class NewProfile:
    """A profile to add: an Ayrshare one (`profile_key`, empty for the Primary Profile) or,
    with `page_id`, a Meta Page whose token comes from `token_from`: an environment
    variable's name, or a command that prints it."""

    name: str
    platforms: list[str]
    profile_key: str = ""
    page_id: str = ""
    token_from: str = ""

    @property
    def token_is_env(self) -> bool:
        return re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", self.token_from) is not None


def add_profile(path: Path, new: NewProfile) -> Config:
    def change(data) -> None:
        entry = tomlkit.table()
        entry["name"] = new.name
        if new.page_id:
            entry["provider"] = "meta"
            entry["page_id"] = new.page_id
            key = "access_token_env" if new.token_is_env else "access_token_command"
            entry[key] = new.token_from
        elif new.profile_key:
            entry["profile_key"] = new.profile_key
        entry["platforms"] = new.platforms
        if "profiles" not in data:
            data["profiles"] = tomlkit.aot()
        data["profiles"].append(entry)

    return _edit(path, change)


def rename_profile(path: Path, old: str, new: str) -> Config:
    return _edit(path, lambda data: _profile(data, old).__setitem__("name", new))


def remove_profile(path: Path, name: str) -> Config:
    def change(data) -> None:
        profiles = data["profiles"]
        del profiles[profiles.index(_profile(data, name))]

    return _edit(path, change)


def set_saved_replies(path: Path, name: str, replies: list[dict[str, str]]) -> Config:
    return _edit(path, lambda data: _profile(data, name).__setitem__("saved_replies", replies))


STARTER = {
    "ayrshare": {"api_key": "", "base_url": DEFAULT_BASE_URL},
    "profiles": [
        {"name": "Primary", "platforms": ["facebook", "instagram", "twitter"]},
    ],
}


def set_theme(path: Path, name: str) -> Config:
    """The theme picked in the app (top level, before the first table, as tomlkit puts it)."""

    def change(data) -> None:
        data["theme"] = name

    return _edit(path, change)


def write_private_file(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write atomically with mode 0600: a temp file in the same directory, then a rename.

    With `overwrite=False` an existing file is never replaced (os.link refuses to).
    """
    private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # raises FileExistsError, unlike rename
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_starter_config(path: Path) -> None:
    body = (
        "# inbox-tui config. `inbox-tui init --example` prints every key, with comments.\n"
        f"# The API key can also come from the {API_KEY_ENV} environment variable.\n"
    ) + tomli_w.dumps(STARTER)
    try:
        write_private_file(path, body.encode(), overwrite=False)
    except FileExistsError:
        raise ConfigError(f"{path} already exists; `init` never overwrites a config.") from None
