"""The request pattern at load (issue 22, D14/D15): X's older pages, the reported request
budget, and many background profiles, with an injected clock against the fake over loopback."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from inbox_tui.config.model import SyncSettings
from inbox_tui.domain import ConversationStatus, Platform
from inbox_tui.fake.records import FakeConversation, FakeMessage, FakePlatform, FakeProfile
from inbox_tui.sync import BACKGROUND_IN_FLIGHT, SyncEngine

ACTIVE = ConversationStatus.ACTIVE
X = Platform.TWITTER


def x_message_pages(fake):
    return [
        r
        for r in fake.requests
        if r.path == "/api/messages/twitter" and r.query.get("conversationsOnly") != "true"
    ]


async def test_x_reads_its_history_once_then_only_what_is_new(store, session, fake, clock):
    engine = SyncEngine(
        store=store,
        providers={"Primary": session.for_profile(None)},
        platforms={"Primary": (X,)},
        settings=SyncSettings(reopen_archived=False),  # the lists' own requests
        clock=clock,
    )
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    assert len(x_message_pages(fake)) == 3  # 250 messages: the history, once
    for _ in range(4):  # a minute of windows with nothing new: the newest page only
        clock.advance(15)
        await engine.tick()
    assert len(x_message_pages(fake)) == 3 + 4
    conversation = fake.primary.platforms["twitter"].conversations["9000-7001"]
    for n in range(150):  # a burst: the newest page is all new, so the next is read too
        conversation.messages.append(
            FakeMessage(f"burst{n:03d}", "received", clock() + timedelta(seconds=n), f"b {n}")
        )
    clock.advance(15 + 150)
    await engine.tick()
    assert len(x_message_pages(fake)) == 3 + 4 + 2
    stored = {m.id for m in store.thread(("Primary", X, "9000-7001")).messages}
    assert {f"burst{n:03d}" for n in range(150)} <= stored


async def test_a_profile_never_spends_its_reported_request_budget(store, session, fake, clock):
    fake.settings.rate_limit_max = 30
    fake.settings.cache_ttl_seconds = {"facebook": 5.0, "instagram": 5.0, "twitter": 5.0}
    engine = SyncEngine(
        store=store,
        providers={"Primary": session.for_profile(None)},
        platforms={"Primary": tuple(Platform)},
        settings=SyncSettings(reopen_archived=False),  # the lists' own requests
        clock=clock,
    )
    engine.focus(("Primary",), ACTIVE)
    for _ in range(600):  # ten simulated minutes, a tick a second
        await engine.tick()
        clock.advance(1)
    assert all(r.status != 429 for r in fake.requests)
    per_window = fake.requests_per_window(None)
    assert len(per_window) >= 2 and max(per_window.values()) <= 30


async def test_background_profiles_are_spread_and_never_all_at_once(store, session, fake, clock):
    names = [f"Brand {n}" for n in range(10)]
    for n, name in enumerate(names):
        account = FakePlatform(account_id=f"40{n}", account_name=name)
        account.conversations[f"t_{n}"] = FakeConversation(
            f"t_{n}",
            f"9{n}",
            f"Person {n}",
            messages=[FakeMessage(f"m_{n}", "received", clock() - timedelta(minutes=1), "hi")],
        )
        fake.profiles[f"pk-{n}"] = FakeProfile(name, name, {"facebook": account})
    providers = {"Primary": session.for_profile(None)}
    providers |= {name: session.for_profile(f"pk-{n}", name) for n, name in enumerate(names)}
    platforms = {"Primary": (Platform.FACEBOOK,)} | {name: (Platform.FACEBOOK,) for name in names}
    engine = SyncEngine(
        store=store,
        providers=providers,
        platforms=platforms,
        settings=SyncSettings(background_interval_seconds=300, reopen_archived=False),
        clock=clock,
    )
    engine.focus(("Primary",), ACTIVE)

    def first_asks():
        seen: dict[str, int] = {}
        for n, r in enumerate(fake.requests):
            key = r.headers.get("profile-key")
            if key is not None and key not in seen:
                seen[key] = n
        return seen

    while started := engine.start_due():  # the start: what is due, four at a time
        await asyncio.gather(*started)
    assert sorted(first_asks()) == ["pk-0", "pk-1", "pk-2", "pk-3"]  # not all ten at once
    for _ in range(300):
        clock.advance(1)
        started = engine.start_due()
        background = [t for t in started if not t.get_name().startswith("sync Primary ")]
        assert len(background) <= BACKGROUND_IN_FLIGHT
        await asyncio.gather(*started)
    assert sorted(first_asks()) == sorted(f"pk-{n}" for n in range(10))  # all within the interval


async def test_background_fetches_due_together_go_a_few_at_a_time(store, session, fake, clock):
    providers = {"Primary": session.for_profile(None)}
    for n in range(10):
        account = FakePlatform(account_id=f"40{n}", account_name=f"B{n}")
        fake.profiles[f"pk-{n}"] = FakeProfile(f"B{n}", f"b{n}", {"facebook": account})
        providers[f"B{n}"] = session.for_profile(f"pk-{n}", f"B{n}")
    engine = SyncEngine(
        store=store,
        providers=providers,
        platforms={name: (Platform.FACEBOOK,) for name in providers},
        settings=SyncSettings(reopen_archived=False),  # the lists' own requests
        clock=clock,
    )
    engine.focus(("Primary",), ACTIVE)
    await engine.tick()
    clock.advance(3600)  # every background slot has passed: all ten are due at once
    waves = []
    while started := engine.start_due():
        waves.append(len([t for t in started if not t.get_name().startswith("sync Primary ")]))
        await asyncio.gather(*started)
    assert waves == [BACKGROUND_IN_FLIGHT] * 5  # 10 profiles x 2 streams, 4 at a time
