"""`inbox-tui --demo`: the fake Ayrshare in-process (no socket), with a config to match."""

from __future__ import annotations

from pydantic import SecretStr

from inbox_tui.config import AyrshareSettings, Config, Profile
from inbox_tui.domain import Platform
from inbox_tui.fake.demo_data import DEMO_API_KEY, DEMO_PROFILES, DEMO_X_KEYS, build_demo

DEMO_BASE_URL = "http://127.0.0.1/api"  # never dialled: requests go to the in-process app


def demo_config() -> Config:
    return Config(
        ayrshare=AyrshareSettings(
            api_key=SecretStr(DEMO_API_KEY),
            base_url=DEMO_BASE_URL,
            x_api_key=SecretStr(DEMO_X_KEYS[0]),
            x_api_secret=SecretStr(DEMO_X_KEYS[1]),
        ),
        profiles=[
            Profile(
                name=title,
                profile_key=SecretStr(key) if key else None,
                platforms=[Platform(p) for p in platforms],
            )
            for key, title, platforms, _ in DEMO_PROFILES
        ],
    )


def demo_transport(fake=None):
    import httpx

    from inbox_tui.fake.server import build_app

    return httpx.ASGITransport(app=build_app(fake or build_demo()))
