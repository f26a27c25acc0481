"""One provider per profile, from the config: Ayrshare's by Profile-Key, Meta's by Page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import httpx

from inbox_tui.providers.ayrshare import AyrshareSession
from inbox_tui.providers.base import MessagingProvider
from inbox_tui.providers.meta_graph import MetaSession

if TYPE_CHECKING:
    from inbox_tui.config.model import Config


class Providers:
    """The sessions (connection pools) and each profile's provider; close when done."""

    def __init__(
        self,
        config: Config,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime],
    ) -> None:
        self.sessions: list[AyrshareSession | MetaSession] = []
        self.by_profile: dict[str, MessagingProvider] = {}
        ayrshare = meta = None
        for profile in config.profiles:
            if profile.provider == "meta":
                if meta is None:
                    secret = config.meta.app_secret
                    meta = MetaSession(
                        graph_url=config.meta.versioned_url,
                        poll_seconds=config.meta.poll_seconds,
                        transport=transport,
                        timeout=config.ayrshare.timeout_seconds,
                        clock=clock,
                        app_secret=secret.get_secret_value() if secret else None,
                    )
                    self.sessions.append(meta)
                token = profile.access_token.get_secret_value() if profile.access_token else ""
                self.by_profile[profile.name] = meta.for_page(
                    profile.page_id or "", token, human_agent=profile.human_agent
                )
                continue
            if ayrshare is None:
                ayrshare = _ayrshare_session(config, transport, clock)
                self.sessions.append(ayrshare)
            key = profile.profile_key.get_secret_value() if profile.profile_key else None
            self.by_profile[profile.name] = ayrshare.for_profile(key, profile.name)

    async def aclose(self) -> None:
        for session in self.sessions:
            await session.aclose()


def _ayrshare_session(config: Config, transport, clock) -> AyrshareSession:
    settings = config.ayrshare
    x_keys = None
    if settings.x_api_key and settings.x_api_secret:
        x_keys = (settings.x_api_key.get_secret_value(), settings.x_api_secret.get_secret_value())
    return AyrshareSession(
        api_key=settings.api_key.get_secret_value() if settings.api_key else "",
        base_url=settings.base_url,
        x_keys=x_keys,
        transport=transport,
        timeout=settings.timeout_seconds,
        clock=clock,
    )
