"""Small, exactly known data sets for the fake, and a clock tests can move."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pydantic import SecretStr

from inbox_tui.config.model import AyrshareSettings, Config, Profile
from inbox_tui.domain import Platform
from inbox_tui.fake.graph import FakeGraph, FakeGraphSettings, GraphConversation, GraphMessage
from inbox_tui.fake.records import (
    FakeConversation,
    FakeMessage,
    FakePlatform,
    FakeProfile,
    FakeSettings,
)
from inbox_tui.fake.state import FakeAyrshare

T0 = datetime(2026, 11, 20, 12, 0, 0, tzinfo=UTC)
API_KEY = "sk-test-api-key-0123456789"
BRAND_KEY = "pk-test-brand-key-ABCDEF"
X_KEY, X_SECRET = "xk-test-consumer-key", "xs-test-consumer-secret"
SECRETS = (API_KEY, BRAND_KEY, X_KEY, X_SECRET)


class Clock:
    """A clock that only moves when told (shared by the fake and the app under test)."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _msg(mid: str, action: str, minutes_before: float, text: str | None, **kw) -> FakeMessage:
    return FakeMessage(
        id=mid, action=action, created=T0 - timedelta(minutes=minutes_before), text=text, **kw
    )


def small_fake(clock: Clock, settings: FakeSettings | None = None) -> FakeAyrshare:
    """Primary: FB (2 active, 1 archived), IG (1), X (1 long thread of 250 for paging).
    Brand (profile key): FB (1), IG with messaging off (answers 361)."""
    fake = FakeAyrshare(settings or FakeSettings(api_key=API_KEY), clock=clock)
    fb = FakePlatform(account_id="100200300", account_name="Primary Page")
    fb.conversations["t_1"] = FakeConversation(
        id="t_1",
        participant_id="5001",
        participant_name="Ada Lovelace",
        participant_picture="https://cdn.example.com/ada.jpg",
        watermark=1717889607444,
        messages=[
            _msg("m_1", "received", 30, "Do you ship to Canada?"),
            _msg("m_2", "sent", 20, "Yes, 5-7 days.", reactions={"5001": "👍"}),
            _msg(
                "m_3",
                "received",
                10,
                None,
                attachments=[{"type": "image", "url": "https://cdn.example.com/photo.jpg"}],
            ),
        ],
    )
    fb.conversations["t_2"] = FakeConversation(
        id="t_2",
        participant_id="5002",
        participant_name="Grace Hopper",
        messages=[
            _msg("m_4", "received", 300, "Hours this weekend?"),
            _msg("m_5", "sent", 290, "9 to 6 on Saturday."),
        ],
    )
    fb.conversations["t_3"] = FakeConversation(
        id="t_3",
        participant_id="5003",
        participant_name="Old Archived",
        status="archived",
        messages=[_msg("m_6", "received", 5000, "Thanks, all sorted")],
    )
    ig = FakePlatform(account_id="17841400000", account_name="primary.ig")
    ig.conversations["aWdf_1"] = FakeConversation(
        id="aWdf_1",
        participant_id="6001",
        participant_name="Katherine Johnson",
        messages=[_msg("aWdf_m1", "received", 60, "Love the mug 😍")],
    )
    x = FakePlatform(account_id="9000", account_name="primary_x")
    x_conv = FakeConversation(id="9000-7001", participant_id="7001", participant_name="Alan Turing")
    for i in range(250):
        x_conv.messages.append(
            _msg(f"x{i:03d}", "received" if i % 2 == 0 else "sent", 500 - i, f"x message {i}")
        )
    x.conversations[x_conv.id] = x_conv
    fake.primary = FakeProfile(
        title="Primary", ref_id="primary", platforms={"facebook": fb, "instagram": ig, "twitter": x}
    )
    brand_fb = FakePlatform(account_id="300400500", account_name="Brand Page")
    brand_fb.conversations["t_b1"] = FakeConversation(
        id="t_b1",
        participant_id="8001",
        participant_name="Margaret Hamilton",
        messages=[_msg("m_b1", "received", 15, "Is the jacket waterproof?")],
    )
    brand_ig = FakePlatform(
        account_id="17841400001", account_name="brand.ig", messaging_enabled=False
    )
    fake.profiles[BRAND_KEY] = FakeProfile(
        title="Brand", ref_id="brand", platforms={"facebook": brand_fb, "instagram": brand_ig}
    )
    return fake


def test_config(base_url: str, **overrides) -> Config:
    return Config(
        ayrshare=AyrshareSettings(
            api_key=SecretStr(API_KEY),
            base_url=base_url,
            x_api_key=SecretStr(X_KEY),
            x_api_secret=SecretStr(X_SECRET),
        ),
        profiles=[
            Profile(
                name="Primary", platforms=[Platform.FACEBOOK, Platform.INSTAGRAM, Platform.TWITTER]
            ),
            Profile(
                name="Brand",
                profile_key=SecretStr(BRAND_KEY),
                platforms=[Platform.FACEBOOK, Platform.INSTAGRAM],
            ),
        ],
        **overrides,
    )


test_config.__test__ = False  # a factory, not a test


PAGE_TOKEN = "page-token-0123456789abcdef"
PAGE_ID = "104000000000042"


def small_graph(clock: Clock, **settings) -> FakeGraph:
    """A Page: Messenger (Ada, recent; Bo, 3 days quiet; Cy, held by another app) and
    Instagram (Di, with a 30-message thread: 10 past Meta's 20 detailed)."""
    graph = FakeGraph(
        FakeGraphSettings(token=PAGE_TOKEN, page_id=PAGE_ID, page_name="Bakery", **settings),
        clock=clock,
    )
    now = clock()

    def thread(cid, platform, pid, name, ages_minutes, **kw):
        conversation = GraphConversation(cid, platform, pid, name, **kw)
        for n, (age, mine, text, *quoting) in enumerate(ages_minutes):
            message = GraphMessage(f"{cid}_m{n:02d}", now - timedelta(minutes=age), mine, text)
            message.reply_to = quoting[0] if quoting else None
            conversation.messages.append(message)
        return graph.add(conversation)

    thread(
        "t_ada",
        "messenger",
        "5001",
        "Ada Lovelace",
        [
            (90, False, "Is the rye bread vegan?"),
            (80, True, "It is!"),
            (30, False, "Great, two please", "t_ada_m01"),
        ],
    )
    thread("t_bo", "messenger", "5002", "Bo Peep", [(4400, False, "Open on Sunday?")])
    thread("t_cy", "messenger", "5003", "Cy Young", [(20, False, "Order #12?")], is_owner=False)
    thread(
        "t_di",
        "instagram",
        "5004",
        "di.photo",
        [(300 - i, i % 2 == 1, f"ig message {i}") for i in range(30)],
    )
    return graph
