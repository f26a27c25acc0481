"""A Meta Page's Custom Labels kept in step with the app's labels, both ways, against the fake
Graph over a real loopback socket; local where Meta has none or refuses them."""

from __future__ import annotations

import pytest

from inbox_tui.domain import Platform
from inbox_tui.label_sync import LabelSync
from inbox_tui.providers.meta_graph import MetaSession
from inbox_tui.store import View
from inbox_tui.sync import SyncEngine
from tests.factories import PAGE_ID, PAGE_TOKEN

FB, IG = Platform.FACEBOOK, Platform.INSTAGRAM
ADA, BO, DI = ("Bakery", FB, "t_ada"), ("Bakery", FB, "t_bo"), ("Bakery", IG, "t_di")
SHARES = {"Bakery": frozenset({FB})}
NO_PERMISSION = (400, 200, "(#200) Requires pages_manage_metadata permission")


@pytest.fixture
async def page(graph_server, clock):
    session = MetaSession(graph_url=graph_server, poll_seconds=60, clock=clock)
    yield session.for_page(PAGE_ID, PAGE_TOKEN)
    await session.aclose()


@pytest.fixture
def engine(store, page, clock):
    providers = {"Bakery": page}
    return SyncEngine(
        store=store,
        providers=providers,
        platforms={"Bakery": (FB, IG)},
        clock=clock,
        labels=LabelSync(store, lambda: providers, SHARES),
    )


def label_calls(graph) -> list[tuple[str, str]]:
    return [(r.method, r.path.split("/", 2)[2]) for r in graph.requests if "label" in r.path]


def labels_of(store, ref, clock) -> tuple[str, ...]:
    return store.conversation(ref, clock()).labels


async def test_labels_given_in_business_suite_come_in_and_those_given_here_go_there(
    engine, store, graph, clock
):
    graph.labels.put_on("5001", "VIP")
    graph.labels.put_on("5001", "x" * 41)  # longer than a label here: left out
    engine.focus(("Bakery",), View.ACTIVE.api_status)
    await engine.tick()
    assert labels_of(store, ADA, clock) == ("VIP",)
    store.import_state(store.export_state())  # what came from Meta moves machines
    assert labels_of(store, DI, clock) == ()  # Instagram's people have no Custom Labels
    assert {path for _, path in label_calls(graph)} == {
        "5001/custom_labels",
        "5002/custom_labels",
        "5003/custom_labels",
    }

    labels = engine.labels
    assert labels is not None
    graph.requests.clear()
    for profile in await labels.change([BO, DI], "Wholesale", add=True):
        await labels.send(profile)
    assert graph.labels.of("5002") == ["Wholesale"]
    assert labels_of(store, DI, clock) == ("Wholesale",)  # here, though not at Meta
    made = [r for r in graph.requests if r.method == "POST" and r.path.endswith("custom_labels")]
    assert [r.body for r in made] == [{"page_label_name": "Wholesale"}]
    put = [r for r in graph.requests if r.path.endswith("/label")]
    assert [(r.method, r.body) for r in put] == [("POST", {"user": "5002"})]

    graph.requests.clear()
    for profile in await labels.change([ADA], "Wholesale", add=True):
        await labels.send(profile)
    for profile in await labels.change([ADA], "vip", add=False):  # one label in any case
        await labels.send(profile)
    assert graph.labels.of("5001") == ["Wholesale", "x" * 41]  # the long one left alone
    assert sorted(graph.labels.names.values()) == ["VIP", "Wholesale", "x" * 41]  # none twice
    taken = [r for r in graph.requests if r.method == "DELETE"]
    assert len(taken) == 1 and taken[0].query["user"] == "5001"
    for request in graph.requests:  # the token in the header only, as for every Graph call
        assert PAGE_TOKEN not in str(request.query) and PAGE_TOKEN not in str(request.body)
    assert store.label_changes("Bakery") == []


async def test_a_change_made_offline_waits_in_the_store_and_goes_once(engine, store, graph, clock):
    engine.focus(("Bakery",), View.ACTIVE.api_status)
    await engine.tick()
    offline = LabelSync(store, dict, SHARES)  # --no-sync: no providers
    await offline.change([BO], "Callback", add=True)
    assert [c.label for c in store.label_changes("Bakery")] == ["Callback"]
    assert graph.labels.of("5002") == []

    graph.settings.fault = "reset"  # the next list fails, and the change with it
    clock.advance(61)
    await engine.tick()
    graph.settings.fault = None
    assert [c.label for c in store.label_changes("Bakery")] == ["Callback"]

    clock.advance(600)
    await engine.tick()  # the next list sends what waits first
    assert graph.labels.of("5002") == ["Callback"]
    assert store.label_changes("Bakery") == []
    clock.advance(600)
    await engine.tick()
    assigned = [r for r in graph.requests if r.method == "POST" and r.path.endswith("/label")]
    assert len(assigned) == 1  # once
    assert labels_of(store, BO, clock) == ("Callback",)


async def test_what_waits_stays_on_top_of_what_meta_has(engine, store, graph, clock):
    """Business Suite's labels come in, but a change of ours not yet sent is not undone by
    them (it goes out first, or stays on top)."""
    graph.labels.put_on("5001", "VIP")
    offline = LabelSync(store, dict, SHARES)
    engine.focus(("Bakery",), View.ACTIVE.api_status)
    await engine.tick()
    await offline.change([ADA], "VIP", add=False)
    await offline.change([ADA], "Paid", add=True)
    graph.settings.custom_labels_refused = (500, 2, "Service temporarily unavailable")
    assert store.set_remote_labels(ADA, ["VIP"]) is False  # VIP stays off, Paid on
    assert labels_of(store, ADA, clock) == ("Paid",)
    graph.settings.custom_labels_refused = None
    clock.advance(61)
    await engine.tick()
    assert graph.labels.of("5001") == ["Paid"]
    assert labels_of(store, ADA, clock) == ("Paid",)


async def test_the_opened_thread_reads_its_labels_again(engine, store, graph, clock):
    """A label given in Business Suite on a quiet conversation shows when it is opened."""
    engine.focus(("Bakery",), View.ACTIVE.api_status)
    await engine.tick()
    graph.labels.put_on("5002", "Follow up")
    clock.advance(61)
    await engine.tick()  # Bo's conversation has not changed: not asked
    assert labels_of(store, BO, clock) == ()
    engine.watch_thread("Bakery", FB, "t_bo", View.ACTIVE.api_status)
    await engine.tick()
    assert labels_of(store, BO, clock) == ("Follow up",)


async def test_a_token_without_the_permission_keeps_labels_here_and_says_so(
    store, page, clock, graph
):
    graph.settings.custom_labels_refused = NO_PERMISSION
    providers = {"Bakery": page}
    labels = LabelSync(store, lambda: providers, SHARES)
    engine = SyncEngine(
        store=store, providers=providers, platforms={"Bakery": (FB,)}, clock=clock, labels=labels
    )
    engine.focus(("Bakery",), View.ACTIVE.api_status)
    await engine.tick()
    assert store.conversation(ADA, clock()) is not None  # the inbox itself syncs on
    assert all(s.error is None for s in engine.platform_status("Bakery"))
    assert "Bakery" in labels.refused
    said = labels.where([ADA])
    assert said.startswith("Kept in this app only: Meta refused Bakery's labels")
    assert "pages_manage_metadata" in said
    graph.requests.clear()
    await labels.change([ADA], "VIP", add=True)  # not waiting for Meta: it said no
    assert labels_of(store, ADA, clock) == ("VIP",)
    assert store.label_changes("Bakery") == []
    clock.advance(61)
    await engine.tick()
    assert label_calls(graph) == []  # not asked again this session


def test_share_labels_false_keeps_a_pages_labels_here(store):
    from pydantic import ValidationError

    from inbox_tui.config.model import Config, Profile

    def page(**kw) -> Profile:
        return Profile(
            name="Bakery",
            provider="meta",
            page_id=PAGE_ID,
            access_token_env="T",
            platforms=[FB, IG],
            **kw,
        )

    sharing = LabelSync.for_config(Config(profiles=[page()]), store, dict)
    assert sharing.shared([ADA, DI]) == [ADA]
    private = LabelSync.for_config(Config(profiles=[page(share_labels=False)]), store, dict)
    assert private.shared([ADA, DI]) == []
    assert private.where([ADA]) == "Kept in this app"
    with pytest.raises(ValidationError, match='share_labels are for provider = "meta"'):
        Profile(name="Acme", share_labels=False)
