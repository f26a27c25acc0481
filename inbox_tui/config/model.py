"""The config's contract: every key, its type, its default and its rule (pydantic)."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    field_validator,
    model_validator,
)

from inbox_tui.config.paths import default_store_file
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
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}|[a-z_]{3,30}")


def _colour_like(value: str) -> str:
    if not _COLOUR.fullmatch(value):
        raise ValueError(
            'must be a colour name such as "darkorange" or a hex colour such as "#1e90ff"'
        )
    return value


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
    # Marks the brand's name on rows, the status bar, the thread and the composer: a colour
    # name ("darkorange") or hex ("#1e90ff"); the app checks that Textual knows it.
    color: Annotated[str, AfterValidator(_colour_like)] | None = None
    # Meta only: the Page, and where its access token comes from (never the file itself).
    page_id: Annotated[str, Field(pattern=r"^[0-9]{1,32}$")] | None = None
    access_token_env: str | None = None
    access_token_command: str | None = None
    access_token: SecretStr | None = Field(None, exclude=True)  # filled at load, never read
    # Meta only: the Page's app has the Human Agent permission, so a person may answer up to
    # 7 days after the customer's last message (tagged HUMAN_AGENT past the 24 hours).
    human_agent: bool = False
    # Meta only: labels on Messenger conversations are the Page's Custom Labels (those Business
    # Suite's inbox shows); false keeps this app's labels to itself.
    share_labels: bool = True

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
        elif (
            self.page_id
            or self.access_token_env
            or self.access_token_command
            or self.human_agent
            or "share_labels" in self.model_fields_set
        ):
            raise ValueError(
                "page_id, access_token_*, human_agent and share_labels are for "
                'provider = "meta" profiles; add that line'
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
    # An archived conversation the customer writes to again comes back to Active, here and at
    # the API (as Business Suite does); false: it stays archived until you unarchive it.
    reopen_archived: bool = True


class NotificationSettings(_Strict):
    """New inbound messages while the app is open (never for the thread being read)."""

    toast: bool = True
    bell: bool = False
    desktop: bool = False  # via notify-send (Linux) or osascript (macOS), where present
    mute: list[str] = []  # profiles whose new messages are not told (they still show)


class Config(_Strict):
    ayrshare: AyrshareSettings = AyrshareSettings()
    meta: MetaSettings = MetaSettings()
    profiles: Annotated[list[Profile], Field(min_length=1)]
    sync: SyncSettings = SyncSettings()
    notifications: NotificationSettings = NotificationSettings()
    store_path: Path | None = None
    # A Textual theme's name (checked by the app, which knows the themes); the palette's
    # choice is written back here.
    theme: str | None = None
    # Binding id -> "key" or "key,key" (see `inbox_tui.keymap`).
    keys: dict[str, str] = {}

    @field_validator("keys")
    @classmethod
    def _known_keys(cls, keys: dict[str, str]) -> dict[str, str]:
        from inbox_tui.keymap import check_keys

        return check_keys(keys)

    @model_validator(mode="after")
    def _muted_are_profiles(self) -> Config:
        names = [p.name for p in self.profiles]
        unknown = [m for m in self.notifications.mute if m not in names]
        if unknown:
            raise ValueError(
                f"notifications.mute names {unknown[0]!r}, which is not a profile; the "
                f"profiles are: {', '.join(names)}"
            )
        return self

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
