"""The config file: read with tomllib, validated with pydantic, written with tomli-w.

A broken config never ends in a traceback: `load_config` raises `ConfigError`, whose text
names the file, the key, what is wrong and how to fix it.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tempfile
import tomllib
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from inbox_tui.config_paths import (
    API_KEY_ENV,
    ConfigError,
    config_file,
    default_store_file,
    environment,
    private_dir,
)
from inbox_tui.domain import Platform
from inbox_tui.text import clean_line

DEFAULT_BASE_URL = "https://api.ayrshare.com/api"
DEFAULT_GRAPH_URL = "https://graph.facebook.com"
DEFAULT_GRAPH_VERSION = "v26.0"  # the current Graph API version when this release was made
_GRAPH_VERSION = re.compile(r"v\d+\.\d+")


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _https_or_loopback(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname:
        return value.rstrip("/")
    if parts.scheme == "http" and parts.hostname and is_loopback_host(parts.hostname):
        return value.rstrip("/")
    raise ValueError(
        "must be an https:// URL (plain http:// is allowed only for a loopback address "
        "such as http://127.0.0.1:8765/api)"
    )


SecureUrl = Annotated[str, AfterValidator(_https_or_loopback)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AyrshareSettings(_Strict):
    api_key: SecretStr | None = None
    # Or a command that prints it, run without a shell: "pass show ayrshare/api-key".
    api_key_command: str | None = None
    base_url: SecureUrl = DEFAULT_BASE_URL
    x_api_key: SecretStr | None = None
    x_api_key_command: str | None = None
    x_api_secret: SecretStr | None = None
    x_api_secret_command: str | None = None
    timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 20.0
    # Your plan's monthly limit of conversations you reply in (the docs say 100 or 1,000);
    # leave out to not check it before sending.
    monthly_conversation_cap: Annotated[int, Field(ge=1)] | None = None


class SavedReply(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    text: Annotated[str, Field(min_length=1, max_length=10_000)]


class Profile(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    # "ayrshare" (a User Profile, by its Profile-Key) or "meta" (a Page, through Graph directly).
    provider: Literal["ayrshare", "meta"] = "ayrshare"
    profile_key: SecretStr | None = None
    profile_key_command: str | None = None
    platforms: Annotated[list[Platform], Field(min_length=1)] = [
        Platform.FACEBOOK,
        Platform.INSTAGRAM,
        Platform.TWITTER,
    ]
    saved_replies: list[SavedReply] = []
    # Meta only: the Page, and where its access token comes from (never the file itself).
    page_id: Annotated[str, Field(pattern=r"^[0-9]{1,32}$")] | None = None
    access_token_env: str | None = None
    access_token_command: str | None = None
    access_token: SecretStr | None = Field(None, exclude=True)  # filled at load, never read
    # Meta only: the Page's app has the Human Agent permission, so a person may answer up to
    # 7 days after the customer's last message (tagged HUMAN_AGENT past the 24 hours).
    human_agent: bool = False

    @field_validator("platforms", mode="before")
    @classmethod
    def _messenger_is_facebook(cls, platforms: object) -> object:
        if isinstance(platforms, list):
            return ["facebook" if p == "messenger" else p for p in platforms]
        return platforms

    @model_validator(mode="before")
    @classmethod
    def _no_token_in_the_file(cls, data: object) -> object:
        if isinstance(data, dict) and "access_token" in data:
            raise ValueError(
                "access_token must not be written in the config: set access_token_env to the "
                "name of an environment variable that holds it, or access_token_command"
            )
        return data

    @model_validator(mode="after")
    def _provider_fields(self) -> Profile:
        if self.provider == "meta":
            if self.page_id is None:
                raise ValueError("a meta profile needs page_id (the Facebook Page's numeric id)")
            if (self.access_token_env is None) == (self.access_token_command is None):
                raise ValueError(
                    "a meta profile needs exactly one of access_token_env (an environment "
                    "variable's name) or access_token_command (a command that prints the token)"
                )
            if Platform.TWITTER in self.platforms:
                raise ValueError("a meta profile can have messenger and instagram, not twitter")
            if self.profile_key is not None or self.profile_key_command is not None:
                raise ValueError("profile_key is for Ayrshare profiles; a meta profile has none")
        elif self.page_id or self.access_token_env or self.access_token_command or self.human_agent:
            raise ValueError(
                'page_id, access_token_* and human_agent are for provider = "meta" profiles; '
                "add that line"
            )
        return self

    @field_validator("name")
    @classmethod
    def _printable(cls, name: str) -> str:
        if clean_line(name) != name:
            raise ValueError(
                "must be one line of printable text, without leading or trailing spaces"
            )
        return name


class MetaSettings(_Strict):
    """Meta's Graph API, for profiles with provider = "meta"."""

    graph_url: SecureUrl = DEFAULT_GRAPH_URL
    graph_version: Annotated[str, Field(pattern=r"^v\d+\.\d+$")] = DEFAULT_GRAPH_VERSION
    # No cache window to follow here: poll at this pace, slower as Meta's usage headers rise.
    poll_seconds: Annotated[float, Field(ge=10, le=3600)] = 60.0
    # For apps whose Pages "Require App Secret": every call is signed (appsecret_proof). The
    # secret comes from the environment or a command, never from this file.
    app_secret_env: str | None = None
    app_secret_command: str | None = None
    app_secret: SecretStr | None = Field(None, exclude=True)  # filled at load, never read

    @model_validator(mode="before")
    @classmethod
    def _version_in_the_url(cls, data: object) -> object:
        """No app secret in the file. A graph_url that ends in a version (".../v21.0", as configs before graph_version
        were written) gives its version, unless graph_version says otherwise."""
        if isinstance(data, dict) and "app_secret" in data:
            raise ValueError(
                "app_secret must not be written in the config: set app_secret_env to the name "
                "of an environment variable that holds it, or app_secret_command"
            )
        if not isinstance(data, dict) or not isinstance(data.get("graph_url"), str):
            return data
        base, _, last = data["graph_url"].rstrip("/").rpartition("/")
        if not _GRAPH_VERSION.fullmatch(last):
            return data
        given = data.get("graph_version", last)
        if given != last:
            raise ValueError(
                f"graph_url ends in {last} but graph_version is {given}: remove /{last} from "
                "graph_url (the version is graph_version's)"
            )
        return {**data, "graph_url": base, "graph_version": last}

    @property
    def versioned_url(self) -> str:
        return f"{self.graph_url}/{self.graph_version}"


class SyncSettings(_Strict):
    # How often a profile that is not on screen is refreshed (its unread counts stay right).
    background_interval_seconds: Annotated[float, Field(ge=60, le=86400)] = 300.0
    # Backoff after an error: doubles from the first value up to the cap.
    backoff_initial_seconds: Annotated[float, Field(ge=1, le=600)] = 5.0
    backoff_max_seconds: Annotated[float, Field(ge=10, le=3600)] = 300.0


class NotificationSettings(_Strict):
    """New inbound messages while the app is open (never for the thread being read)."""

    toast: bool = True
    bell: bool = False
    desktop: bool = False  # via notify-send (Linux) or osascript (macOS), where present


class Config(_Strict):
    ayrshare: AyrshareSettings = AyrshareSettings()
    meta: MetaSettings = MetaSettings()
    profiles: Annotated[list[Profile], Field(min_length=1)]
    sync: SyncSettings = SyncSettings()
    notifications: NotificationSettings = NotificationSettings()
    store_path: Path | None = None

    @field_validator("profiles")
    @classmethod
    def _unique_names(cls, profiles: list[Profile]) -> list[Profile]:
        seen: set[str] = set()
        for profile in profiles:
            if profile.name in seen:
                raise ValueError(f"two profiles are named {profile.name!r}; names must differ")
            seen.add(profile.name)
        return profiles

    def store_file(self) -> Path:
        """Where the store is: `store_path`, else the user data dir."""
        return self.store_path or default_store_file()

    def profile(self, name: str) -> Profile:
        return next(p for p in self.profiles if p.name == name)


def _describe(error: dict) -> tuple[str, str]:
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
        words = "is not a known key (check its spelling against config.example.toml)"
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
            f"{path} is not valid TOML: {exc}.\nFix that line; config.example.toml shows the shape."
        ) from None
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        lines = [f"{path} has {exc.error_count()} problem(s):"]
        for error in exc.errors():
            key, words = _describe(error)
            lines.append(f"  - {key}: {words}")
        lines.append("See config.example.toml for every key, with comments.")
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
    import subprocess

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


STARTER = {
    "ayrshare": {"api_key": "", "base_url": DEFAULT_BASE_URL},
    "profiles": [
        {"name": "Primary", "platforms": ["facebook", "instagram", "twitter"]},
    ],
}


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
    import tomli_w

    body = (
        "# inbox-tui config. Every key is documented in config.example.toml.\n"
        f"# The API key can also come from the {API_KEY_ENV} environment variable.\n"
    ) + tomli_w.dumps(STARTER)
    try:
        write_private_file(path, body.encode(), overwrite=False)
    except FileExistsError:
        raise ConfigError(f"{path} already exists; `init` never overwrites a config.") from None
