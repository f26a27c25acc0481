"""What a command works with: the config, the store, the clock, and (for the commands that
reach the APIs) the providers; and how a command's words name a profile or a conversation.

The config is read as the app reads it: without pydantic when it validated before, byte for
byte (its fingerprint is in the store), validated whole only when a command needs more than
the profiles (a reply's rules, the providers): `list` costs ~170 ms less."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from inbox_tui.cli.errors import USAGE, CommandError
from inbox_tui.cli.records import ref_text
from inbox_tui.config.paths import QuickConfig
from inbox_tui.domain import PLATFORM_NAMES, utcnow

if TYPE_CHECKING:
    import httpx

    from inbox_tui.config.in_use import ConfigInUse
    from inbox_tui.config.model import Config
    from inbox_tui.domain import Message
    from inbox_tui.providers.build import Providers
    from inbox_tui.reply_rules import ReplyWindow
    from inbox_tui.store import ConversationRow, Store, View


PAGE = 500  # rows read at a time by `Session.rows`


@dataclass
class Session:
    settings: ConfigInUse
    store: Store
    transport: httpx.AsyncBaseTransport | None = None  # the demo's in-process fake
    clock: Callable[[], datetime] = utcnow

    def now(self) -> datetime:
        return self.clock()

    @property
    def config(self) -> Config:
        """The whole config (validated here if it was read quickly)."""
        from inbox_tui.config import ConfigError

        try:
            return self.settings.config
        except ConfigError as error:
            raise CommandError(str(error), USAGE) from None

    @property
    def profile_names(self) -> list[str]:
        return list(self.settings.profile_names)

    @property
    def meta_profiles(self) -> list[str]:
        return list(self.settings.meta_profiles)

    def profile_named(self, text: str) -> str:
        """A profile by its name, or by a prefix of it that no other profile has (any case)."""
        names = self.profile_names
        if text in names:
            return text
        matches = [n for n in names if n.lower().startswith(text.lower())]
        if len(matches) == 1:
            return matches[0]
        which = "two or more profiles start with" if matches else "no profile is named"
        raise CommandError(f"{which} {text!r}; the config has: {', '.join(names)}.")

    def in_scope(self, profile: str | None, every: bool) -> list[str]:
        """The profiles a list covers: one by name, every one, or (like the app) the first."""
        if every:
            return self.profile_names
        return [self.profile_named(profile)] if profile else self.profile_names[:1]

    def find(self, text: str, profile: str | None = None) -> ConversationRow:
        """CONVERSATION as `list` prints it (profile/platform/id) or the API's id alone."""
        now = self.now()
        parts = text.split("/")
        for n in range(1, len(parts) - 1):
            platform = PLATFORM_NAMES.get(parts[n].lower())
            if platform is not None:
                ref = (self.profile_named("/".join(parts[:n])), platform, "/".join(parts[n + 1 :]))
                if (row := self.store.conversation(ref, now)) is not None:
                    return row
                break
        refs = self.store.refs_with_id(text)
        if profile:
            named = self.profile_named(profile)
            refs = [r for r in refs if r[0] == named]
        refs = [r for r in refs if r[0] in self.profile_names]
        if len(refs) > 1:
            listed = ", ".join(ref_text(r) for r in refs)
            raise CommandError(f"{text!r} is in more than one profile: name one ({listed}).")
        if not refs or (row := self.store.conversation(refs[0], now)) is None:
            raise CommandError(
                f"no conversation {text!r} in the store (`inbox-tui list` shows them; "
                "`inbox-tui sync --once` fetches new ones)."
            )
        return row

    def rows(
        self, profiles: Iterable[str], view: View, limit: int | None = None, **shape
    ) -> Iterator[ConversationRow]:
        """A list's rows in its order (the store's `conversations`, `shape` its filters and
        sort), `limit` of them or all, read in keyset pages: a million rows are never held."""
        profiles, left, last = list(profiles), limit, None
        while left is None or left > 0:
            page = self.store.conversations(
                profiles,
                view,
                now=self.now(),
                day_window_profiles=self.meta_profiles,
                limit=PAGE if left is None else min(PAGE, left),
                after=last,
                **shape,
            )
            yield from page
            if len(page) < PAGE:
                return
            last = page[-1]
            left = None if left is None else left - len(page)

    def reply_check(self, row: ConversationRow, messages: list[Message]) -> tuple[str, ReplyWindow]:
        """Whom a reply goes to and whether it can go now: the composer's check
        (`reply_rules.check_reply`), with the same reads."""
        from inbox_tui.reply_rules import ProfileRules, check_reply, replied_this_month

        now = self.now()
        replied = replied_this_month(self.store, self.config, row.profile, now)
        rules = ProfileRules.of(self.config, row.profile)
        return check_reply(row, messages, rules, now, replied=replied)

    @asynccontextmanager
    async def providers(self) -> AsyncIterator[Providers]:
        """One provider per profile (their connection pools closed after)."""
        from inbox_tui.providers.build import Providers

        providers = Providers(self.config, transport=self.transport, clock=self.now)
        try:
            yield providers
        finally:
            await providers.aclose()


def _validated(path: Path) -> Config:
    from inbox_tui.config import ConfigError
    from inbox_tui.config.load import load_config

    try:
        return load_config(path)
    except ConfigError as error:
        raise CommandError(str(error), USAGE) from None


@contextmanager
def session(args: argparse.Namespace, *, store_must_exist: bool = True) -> Iterator[Session]:
    """The config (validated whole: a command has no first frame to hurry) and the store.
    With `--demo`, the demo's config and in-process fake; its store (a scratch one unless
    `--store` names one) is filled by one sync first, so every command has data."""
    from inbox_tui.cli.start_app import open_store
    from inbox_tui.config.in_use import ConfigInUse
    from inbox_tui.config.paths import VALIDATED_SETTING, config_file, quick_read

    scratch = None
    transport = None
    config: Config | QuickConfig
    if args.demo:
        from inbox_tui.demo import demo_config, demo_transport

        config, transport = demo_config(), demo_transport()
        config_path = None
        path = args.store
        if path is None:
            scratch = tempfile.TemporaryDirectory(prefix="inbox-tui-demo-")
            path = Path(scratch.name) / "demo.sqlite3"
    else:
        config_path = config_file(args.config)
        quick = quick_read(config_path)
        config = quick or _validated(config_path)
        path = args.store or config.store_file()
        if store_must_exist and not path.exists():
            raise CommandError(
                f"there is no store at {path} yet: `inbox-tui sync --once` (or the app) fills it."
            )
    try:
        store, notice = open_store(path)
    except OSError as error:
        raise CommandError(f"cannot open the store {path}: {error.strerror or error}.") from None
    if notice:
        print(f"inbox-tui: {notice}", file=sys.stderr)
    try:
        if (
            isinstance(config, QuickConfig)
            and store.setting(VALIDATED_SETTING) != config.fingerprint
        ):
            fingerprint = config.fingerprint
            config = _validated(config.path)  # changed since it last validated: now, whole
            store.set_setting(VALIDATED_SETTING, fingerprint)  # as the app does
        opened = Session(ConfigInUse(config, config_path), store, transport)
        if args.demo and args.run != "inbox_tui.cli.syncing:sync":
            import asyncio

            from inbox_tui.cli.fetching import fetch_due

            asyncio.run(fetch_due(opened, quiet=True))
        yield opened
    finally:
        store.close()
        if scratch is not None:
            scratch.cleanup()
