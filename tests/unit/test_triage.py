"""Triage against the fake over loopback: optimistic archive, rollback, undo in order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from inbox_tui.domain import ConversationStatus, Platform
from inbox_tui.providers.ayrshare import AyrshareSession
from inbox_tui.store import Store, View
from inbox_tui.sync import SyncEngine
from inbox_tui.triage import Triage
from tests.factories import API_KEY, BRAND_KEY, X_KEY, X_SECRET

FB = Platform.FACEBOOK
ADA, GRACE = ("Primary", FB, "t_1"), ("Primary", FB, "t_2")


@pytest.fixture
async def setup(server, clock, tmp_path):
    session = AyrshareSession(
        api_key=API_KEY, base_url=server, x_keys=(X_KEY, X_SECRET), clock=clock
    )
    providers = {"Primary": session.for_profile(None), "Brand": session.for_profile(BRAND_KEY)}
    store = Store(tmp_path / "s.sqlite3")
    engine = SyncEngine(store=store, providers=providers, platforms={"Primary": (FB,)}, clock=clock)
    engine.focus(("Primary",), ConversationStatus.ACTIVE)
    await engine.tick()
    yield Triage(store, lambda: providers, clock), store
    store.close()
    await session.aclose()


def active(store, clock):
    return [r.id for r in store.conversations(["Primary"], View.ACTIVE, now=clock())]


async def test_archive_moves_at_once_and_puts(setup, fake, clock):
    triage, store = setup
    failures = await triage.set_status({ADA: "Ada Lovelace"}, ConversationStatus.ARCHIVED)
    assert failures == []
    assert active(store, clock) == ["t_2"]
    put = fake.requests[-1]
    assert (put.method, put.path, put.body) == (
        "PUT",
        "/api/messages/facebook/t_1",
        {"status": "archived"},
    )


async def test_a_refused_put_brings_the_row_back(setup, fake, clock):
    triage, store = setup
    del fake.primary.platforms["facebook"].conversations["t_2"]  # the API now answers 404
    failures = await triage.set_status({GRACE: "Grace Hopper"}, ConversationStatus.ARCHIVED)
    assert [f.name for f in failures] == ["Grace Hopper"]
    assert "404" in str(failures[0].error) or "not found" in str(failures[0].error).lower()
    assert "t_2" in active(store, clock)


async def test_a_refused_unarchive_right_after_an_archive_leaves_it_archived(setup, fake, clock):
    """The rollback puts back the override there was (archived, not yet seen by a sync), not
    none: clearing it showed the row as active while the API still had it archived."""
    triage, store = setup
    assert await triage.set_status({GRACE: "Grace Hopper"}, ConversationStatus.ARCHIVED) == []
    fake.settings.fault = "500"
    failures = await triage.set_status({GRACE: "Grace Hopper"}, ConversationStatus.ACTIVE)
    fake.settings.fault = None
    assert [f.name for f in failures] == ["Grace Hopper"]
    archived = store.conversations(["Primary"], View.ARCHIVED, now=clock())
    assert "t_2" in [r.id for r in archived] and "t_2" not in active(store, clock)


async def test_undo_walks_back_in_order(setup, fake, clock):
    triage, store = setup
    await triage.set_status({ADA: "Ada Lovelace"}, ConversationStatus.ARCHIVED)
    await triage.mark_read([GRACE])
    await triage.snooze([GRACE], clock() + timedelta(hours=1))
    assert active(store, clock) == []
    assert (await triage.undo())[0].description == "Snoozed 1 conversation"
    assert active(store, clock) == ["t_2"]
    assert (await triage.undo())[0].description == "Marked 1 conversation read"
    assert (await triage.undo())[0].description == "Archived 1 conversation"
    assert active(store, clock) == ["t_1", "t_2"]
    assert fake.requests[-1].body == {"status": "active"}  # the server was put back too
    assert await triage.undo() is None


async def test_bulk_archive_puts_each_with_its_profile_key(setup, fake, clock):
    triage, store = setup
    brand = ("Brand", FB, "t_b1")
    await triage.set_status(
        {ADA: "Ada", GRACE: "Grace", brand: "Margaret"}, ConversationStatus.ARCHIVED
    )
    puts = [r for r in fake.requests if r.method == "PUT"]
    assert sorted(r.path for r in puts) == [
        f"/api/messages/facebook/{c}" for c in ("t_1", "t_2", "t_b1")
    ]
    assert next(r for r in puts if r.path.endswith("t_b1")).headers["profile-key"] == BRAND_KEY
    assert all("profile-key" not in r.headers for r in puts if not r.path.endswith("t_b1"))
    assert store.conversations(["Primary", "Brand"], View.ACTIVE, now=clock()) == []
