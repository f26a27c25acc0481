"""Changes made from the app (profiles, saved replies), written back to the config file.

The user's TOML is edited as data read straight from the file and written with tomli-w:
never from the validated model, which holds values from the environment (AYRSHARE_API_KEY)
that must not land in the file. Each change is validated before the atomic 0600 write.
tomli-w does not keep comments; the file says so at the top after the first edit.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import tomli_w
from pydantic import ValidationError

from inbox_tui.config import Config, ConfigError, load_config, write_private_file

HEADER = (
    "# inbox-tui config, last written by inbox-tui (comments are not kept).\n"
    "# Every key is documented in config.example.toml.\n"
)


def _edit(path: Path, change: Callable[[dict], None]) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"Cannot read {path} to change it: {exc}") from None
    change(data)
    try:
        Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(
            f"Not saved: {where}: {first['msg'].removeprefix('Value error, ')}"
        ) from None
    write_private_file(path, (HEADER + tomli_w.dumps(data)).encode(), overwrite=True)
    return load_config(path)  # as the app runs it: with the environment's overrides


def _profile(data: dict, name: str) -> dict:
    for profile in data.get("profiles", []):
        if profile.get("name") == name:
            return profile
    raise ConfigError(f"There is no profile named {name!r} in the config.")


def add_profile(path: Path, name: str, profile_key: str | None, platforms: list[str]) -> Config:
    def change(data: dict) -> None:
        entry: dict = {"name": name, "platforms": platforms}
        if profile_key:
            entry["profile_key"] = profile_key
        data.setdefault("profiles", []).append(entry)

    return _edit(path, change)


def rename_profile(path: Path, old: str, new: str) -> Config:
    return _edit(path, lambda data: _profile(data, old).__setitem__("name", new))


def remove_profile(path: Path, name: str) -> Config:
    def change(data: dict) -> None:
        _profile(data, name)
        data["profiles"] = [p for p in data["profiles"] if p.get("name") != name]

    return _edit(path, change)


def set_saved_replies(path: Path, name: str, replies: list[dict[str, str]]) -> Config:
    return _edit(path, lambda data: _profile(data, name).__setitem__("saved_replies", replies))
