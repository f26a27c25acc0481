"""The config in use: read quickly where that is enough, validated whole when it is needed.

A `QuickConfig` (known valid by its fingerprint, see `config.paths`) gives the profile names,
the keys and the theme without importing pydantic: the app's first frame, and the CLI's
reading commands, need no more. The full `Config` is validated after (the app: off the event
loop, after the first frame; a command: when it first asks). Changes made in the app are
written to the file and applied here.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from inbox_tui.config import ConfigError
from inbox_tui.config.paths import QuickConfig

if TYPE_CHECKING:
    from inbox_tui.config.model import Config


class ConfigInUse:
    def __init__(self, config: Config | QuickConfig, path: Path | None) -> None:
        self.path = path  # None: changes made in the app are not saved (the demo)
        self.quick = config if isinstance(config, QuickConfig) else None
        self.whole: Config | None = None if isinstance(config, QuickConfig) else config
        self.ready = asyncio.Event()  # set once `whole` is there
        if self.whole is not None:
            self.ready.set()

    @property
    def config(self) -> Config:
        if self.whole is None:
            self.use(self.validated())  # before the app's start finished: rare, and it blocks
        assert self.whole is not None
        return self.whole

    def use(self, config: Config) -> None:
        self.whole = config
        self.ready.set()

    def validated(self) -> Config:
        """The full validation of the config first read quickly (it imports pydantic: never
        before the first frame). Raises ConfigError."""
        from inbox_tui.config.load import load_config

        assert self.quick is not None  # one of the two is always there
        return load_config(self.quick.path)

    @property
    def profile_names(self) -> tuple[str, ...]:
        if self.whole is None:
            assert self.quick is not None
            return self.quick.profile_names
        return tuple(p.name for p in self.whole.profiles)

    @property
    def theme(self) -> str | None:
        return self._either.theme

    @property
    def keys(self) -> dict[str, str]:
        """The user's keys (in a quick read, they validated before: the same fingerprint)."""
        return self._either.keys

    @property
    def _either(self) -> Config | QuickConfig:
        """The whole config, or the quick read the first frame has."""
        if self.whole is not None:
            return self.whole
        assert self.quick is not None  # one of the two is always there
        return self.quick

    @property
    def meta_profiles(self) -> tuple[str, ...]:
        """Profiles on Meta's Graph API (24-hour windows)."""
        if self.whole is None:
            assert self.quick is not None
            return self.quick.meta_profiles
        return tuple(p.name for p in self.whole.profiles if p.provider == "meta")

    @property
    def colors(self) -> dict[str, str]:
        """Each profile's `color`, where it has one (not yet checked against Textual's)."""
        if self.whole is None:
            assert self.quick is not None
            return self.quick.colors
        return {p.name: p.color for p in self.whole.profiles if p.color}

    async def change(self, change: str, *args: object) -> str:
        """Write a change (a function of `config.edit`) to the file and use the result;
        returns a problem in plain words, or ""."""
        from inbox_tui.config import edit as config_edit

        if self.path is None:
            return "The demo's settings are not saved: run inbox-tui with a config file."
        try:
            config = await asyncio.to_thread(getattr(config_edit, change), self.path, *args)
        except ConfigError as error:
            return str(error)
        self.use(config)
        return ""
