"""`inbox-tui --demo`: the fake Ayrshare and the fake Graph in-process (no socket), with a config
to match: four Ayrshare brands and one Page through Meta's Graph API directly."""

from __future__ import annotations

from pydantic import SecretStr

from inbox_tui.config.model import AyrshareSettings, Config, MetaSettings, Profile
from inbox_tui.demo_keys import (
    DEMO_API_KEY,
    DEMO_META_PROFILE,
    DEMO_PAGE_ID,
    DEMO_PAGE_TOKEN,
    DEMO_PROFILES,
    DEMO_X_KEYS,
)
from inbox_tui.domain import Platform
from inbox_tui.fake.demo_data import build_demo, build_graph_demo
from inbox_tui.fake.graph import GRAPH_VERSION

DEMO_HOST = "http://127.0.0.1"  # never dialled: requests go to the in-process app
DEMO_COLORS = {
    "Acme Coffee": "darkorange",
    "Lumen Skincare": "orchid",
    DEMO_META_PROFILE: "dodgerblue",
}


def demo_config() -> Config:
    meta = Profile(
        name=DEMO_META_PROFILE,
        provider="meta",
        page_id=DEMO_PAGE_ID,
        color=DEMO_COLORS[DEMO_META_PROFILE],
        platforms=[Platform.FACEBOOK, Platform.INSTAGRAM],
        access_token_env="INBOX_TUI_DEMO_PAGE_TOKEN",  # not read: the token is set below
    ).model_copy(update={"access_token": SecretStr(DEMO_PAGE_TOKEN)})
    return Config(
        ayrshare=AyrshareSettings(
            api_key=SecretStr(DEMO_API_KEY),
            base_url=f"{DEMO_HOST}/api",
            x_api_key=SecretStr(DEMO_X_KEYS[0]),
            x_api_secret=SecretStr(DEMO_X_KEYS[1]),
        ),
        meta=MetaSettings(graph_url=f"{DEMO_HOST}/{GRAPH_VERSION}", poll_seconds=30),
        profiles=[
            *(
                Profile(
                    name=title,
                    profile_key=SecretStr(key) if key else None,
                    color=DEMO_COLORS.get(title),
                    platforms=[Platform(p) for p in platforms],
                )
                for key, title, platforms, _ in DEMO_PROFILES
            ),
            meta,
        ],
    )


def demo_transport(fake=None, graph=None):
    import httpx

    from inbox_tui.fake.server import build_app

    return httpx.ASGITransport(app=build_app(fake or build_demo(), graph or build_graph_demo()))
