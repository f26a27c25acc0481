"""Reading the config: tomllib, then the model, then the secrets from commands and the
environment. A broken config never ends in a traceback: `load_config` raises `ConfigError`,
whose text names the file, the key, what is wrong and how to fix it."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from pydantic import SecretStr, ValidationError
from pydantic_core import ErrorDetails

from inbox_tui.config import ConfigError
from inbox_tui.config.model import Config
from inbox_tui.config.paths import API_KEY_ENV, config_file, environment


def _describe(error: ErrorDetails) -> tuple[str, str]:
    """A pydantic error as (dotted TOML key, plain words)."""
    parts: list[str] = []
    for loc in error["loc"]:
        if isinstance(loc, int):
            parts[-1] = f"{parts[-1]}[{loc}]" if parts else f"[{loc}]"
        else:
            parts.append(str(loc))
    key = ".".join(parts) or "(top level)"
    kind = error["type"]
    if kind == "missing":
        words = "is required but missing"
    elif kind == "extra_forbidden":
        words = (
            "is not a known key (check its spelling: `inbox-tui init --example` lists every key)"
        )
    elif kind == "enum":
        words = "must be one of: facebook, instagram, twitter"
    else:
        words = error["msg"].removeprefix("Value error, ")
    return key, words


def load_config(path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
    """Read, validate and return the config, or raise `ConfigError` in plain words."""
    env = environment() if environ is None else environ
    path = config_file(path, env)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"No config file at {path}.\n"
            f"Create one with `inbox-tui init` (or `inbox-tui init --config {path}`), "
            "or try the app with `inbox-tui --demo`."
        ) from None
    except OSError as exc:
        raise ConfigError(
            f"Cannot read the config file {path}: {exc.strerror}.\n"
            "Check that it is a file you are allowed to read."
        ) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text. Save it as UTF-8.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid TOML: {exc}.\nFix that line; `inbox-tui init --example` shows the shape."
        ) from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        lines = [f"{path} has {exc.error_count()} problem(s):"]
        for error in exc.errors():
            key, words = _describe(error)
            lines.append(f"  - {key}: {words}")
        lines.append("`inbox-tui init --example` prints every key, with comments.")
        raise ConfigError("\n".join(lines)) from None
    config = _resolve_commands(config, path)
    config = _meta_tokens_from_env(config, path, env)
    env_key = env.get(API_KEY_ENV)
    if env_key:
        config = config.model_copy(
            update={"ayrshare": config.ayrshare.model_copy(update={"api_key": SecretStr(env_key)})}
        )
    uses_ayrshare = any(p.provider == "ayrshare" for p in config.profiles)
    if uses_ayrshare and (
        config.ayrshare.api_key is None or not config.ayrshare.api_key.get_secret_value()
    ):
        raise ConfigError(
            f"{path}: ayrshare.api_key is not set.\n"
            f"Put your Ayrshare API key there, set the {API_KEY_ENV} environment variable, "
            "or give ayrshare.api_key_command."
        )
    return config


SECRET_COMMAND_TIMEOUT = 15.0


def run_secret_command(command: str, key: str, path: Path) -> SecretStr:
    """Run `command` (split like a shell would, but without one) and take its output."""
    import shlex

    try:
        argv = shlex.split(command)
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=SECRET_COMMAND_TIMEOUT, check=False
        )
    except (ValueError, OSError, subprocess.TimeoutExpired) as exc:
        reason = "it took too long" if isinstance(exc, subprocess.TimeoutExpired) else str(exc)
        raise ConfigError(
            f"{path}: {key} could not be run ({reason}). Check the command."
        ) from None
    # Its output is a secret: only the exit status is ever repeated.
    value = result.stdout.strip().splitlines()[0] if result.stdout.strip() else ""
    if result.returncode != 0 or not value:
        raise ConfigError(
            f"{path}: {key} exited with status {result.returncode} and printed "
            f"{'nothing' if not value else 'a value'}; it must print the secret and exit 0."
        )
    return SecretStr(value)


def _resolve_commands(config: Config, path: Path) -> Config:
    """Fill `*_command` secrets (a value given directly wins)."""
    ayrshare = config.ayrshare
    updates = {}
    for field in ("api_key", "x_api_key", "x_api_secret"):
        command = getattr(ayrshare, f"{field}_command")
        if command and getattr(ayrshare, field) is None:
            updates[field] = run_secret_command(command, f"ayrshare.{field}_command", path)
    meta = config.meta
    if meta.app_secret_command and any(p.provider == "meta" for p in config.profiles):
        secret = run_secret_command(meta.app_secret_command, "meta.app_secret_command", path)
        meta = meta.model_copy(update={"app_secret": secret})
    profiles = []
    for n, p in enumerate(config.profiles):
        for field in ("profile_key", "access_token"):
            command = getattr(p, f"{field}_command")
            if command and getattr(p, field) is None:
                secret = run_secret_command(command, f"profiles[{n}].{field}_command", path)
                p = p.model_copy(update={field: secret})
        profiles.append(p)
    return config.model_copy(
        update={"ayrshare": ayrshare.model_copy(update=updates), "profiles": profiles, "meta": meta}
    )


def _secret_from_env(env, path: Path, key: str, variable: str, what: str) -> SecretStr:
    value = env.get(variable, "")
    if not value:
        command_key = key.removesuffix("_env").rsplit(".", 1)[-1] + "_command"
        raise ConfigError(
            f"{path}: {key} names {variable}, which is not set. Export {what} as {variable}, "
            f"or use {command_key}."
        )
    return SecretStr(value)


def _meta_tokens_from_env(config: Config, path: Path, env) -> Config:
    """Meta profiles' Page access tokens, and the app secret, from the variables they name."""
    profiles = []
    for n, p in enumerate(config.profiles):
        if p.access_token_env:
            token = _secret_from_env(
                env,
                path,
                f"profiles[{n}].access_token_env",
                p.access_token_env,
                "the Page access token",
            )
            p = p.model_copy(update={"access_token": token})
        profiles.append(p)
    meta = config.meta
    if meta.app_secret_env:
        secret = _secret_from_env(
            env, path, "meta.app_secret_env", meta.app_secret_env, "the Meta app's secret"
        )
        meta = meta.model_copy(update={"app_secret": secret})
    return config.model_copy(update={"profiles": profiles, "meta": meta})
