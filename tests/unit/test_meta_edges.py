"""Meta's real errors, versions and app-secret proofs, against the fake Graph over loopback."""

from __future__ import annotations

import hashlib
import hmac

import httpx
import pytest

from inbox_tui.config.model import DEFAULT_GRAPH_VERSION, MetaSettings
from inbox_tui.domain import ConversationStatus, Platform
from inbox_tui.providers.base import ApiError, ForbiddenError, OutsideWindow
from inbox_tui.providers.meta_graph import MetaSession, error_for, parse_usage
from tests.factories import PAGE_ID, PAGE_TOKEN, T0

FB = Platform.FACEBOOK


def graph_session(graph_server, clock, **kw):
    return MetaSession(graph_url=graph_server, poll_seconds=60, clock=clock, **kw)


@pytest.mark.parametrize("subcode", [2018065, 2534022, 2018278])
async def test_window_refusals_read_as_outside_the_window(graph_server, graph, clock, subcode):
    graph.settings.window_subcode = subcode
    session = graph_session(graph_server, clock)
    client = session.for_page(PAGE_ID, PAGE_TOKEN)
    with pytest.raises(OutsideWindow) as refused:
        await client.send(FB, "5002", "Sorry for the wait")  # Bo wrote 3 days ago
    await session.aclose()
    text = str(refused.value)
    assert "Outside Meta's 24-hour window" in text and "permission" not in text
    assert f"code 10/{subcode}" in text


def test_words_for_people_lead_and_no_dangling_trace():
    body = {
        "error": {
            "message": "(#100) Invalid parameter",
            "code": 100,
            "error_user_title": "Media too large",
            "error_user_msg": "The image is over 8 MB.",
        }
    }
    text = str(error_for(400, body, now=T0, regain_minutes=0))
    assert "Meta says: Media too large: The image is over 8 MB." in text
    assert "fbtrace_id" not in text and "  " not in text and "code 100" in text
    traced = {"error": {**body["error"], "fbtrace_id": "AbC"}}
    assert "fbtrace_id AbC)" in str(error_for(400, traced, now=T0, regain_minutes=0))


def test_a_transient_error_is_retried():
    body = {"error": {"message": "Please retry", "code": 1, "is_transient": True}}
    error = error_for(400, body, now=T0, regain_minutes=0)
    assert isinstance(error, ApiError) and error.retryable
    plain = error_for(400, {"error": {"message": "No", "code": 1}}, now=T0, regain_minutes=0)
    assert not plain.retryable


def test_the_graph_version_is_a_config_key():
    assert MetaSettings().versioned_url == f"https://graph.facebook.com/{DEFAULT_GRAPH_VERSION}"
    old_style = MetaSettings(graph_url="https://graph.facebook.com/v21.0")
    assert old_style.graph_version == "v21.0"
    assert old_style.versioned_url == "https://graph.facebook.com/v21.0"
    chosen = MetaSettings(graph_version="v24.0")
    assert chosen.versioned_url.endswith("/v24.0")
    with pytest.raises(ValueError, match=r"remove /v21\.0 from graph_url"):
        MetaSettings(graph_url="https://graph.facebook.com/v21.0", graph_version="v24.0")


async def test_a_deprecated_version_is_refused_in_plain_words(graph_server, graph, clock):
    base = graph_server.rsplit("/", 1)[0]
    graph.settings.oldest_version = "v22.0"
    session = graph_session(f"{base}/v21.0", clock)
    with pytest.raises(ForbiddenError) as refused:
        await session.for_page(PAGE_ID, PAGE_TOKEN).conversations(FB)
    await session.aclose()
    assert "Graph API v21.0" in str(refused.value) and "graph_version" in str(refused.value)
    current = graph_session(f"{base}/v25.0", clock)
    assert (await current.for_page(PAGE_ID, PAGE_TOKEN).conversations(FB)).data
    await current.aclose()


async def test_app_secret_proof_signs_every_call(graph_server, graph, clock):
    graph.settings.app_secret = "app-secret-42"
    unsigned = graph_session(graph_server, clock)
    with pytest.raises(ApiError, match="appsecret_proof"):
        await unsigned.for_page(PAGE_ID, PAGE_TOKEN).conversations(FB)
    await unsigned.aclose()
    signed = graph_session(graph_server, clock, app_secret="app-secret-42")
    assert (await signed.for_page(PAGE_ID, PAGE_TOKEN).conversations(FB)).data
    await signed.aclose()
    proof = hmac.new(b"app-secret-42", PAGE_TOKEN.encode(), hashlib.sha256).hexdigest()
    assert graph.requests[-1].query["appsecret_proof"] == proof
    assert "app-secret-42" not in str(graph.requests[-1])


def test_the_page_usage_header_slows_the_pace():
    headers = httpx.Headers({"x-page-usage": '{"call_count": 91, "total_time": 10}'})
    assert parse_usage(headers) == (91.0, 0.0)


def test_app_secret_comes_from_the_environment_never_the_file(tmp_path):
    from inbox_tui.config import ConfigError
    from inbox_tui.config.load import load_config

    path = tmp_path / "config.toml"
    page = '[[profiles]]\nname = "P"\nprovider = "meta"\npage_id = "1"\n'
    page += 'platforms = ["messenger"]\naccess_token_env = "T"\n'
    path.write_text('[meta]\napp_secret = "x"\n' + page)
    with pytest.raises(ConfigError, match="app_secret must not be written"):
        load_config(path, {"T": "tok"})
    path.write_text('[meta]\napp_secret_env = "APP_SECRET"\n' + page)
    config = load_config(path, {"T": "tok", "APP_SECRET": "s3"})
    assert config.meta.app_secret.get_secret_value() == "s3"
    with pytest.raises(ConfigError, match="APP_SECRET, which is not set"):
        load_config(path, {"T": "tok"})


async def test_an_unchanged_thread_is_not_read_again(graph_server, graph, clock):
    """16.6: `updated_time` was asked for and thrown away."""
    session = graph_session(graph_server, clock)
    client = session.for_page(PAGE_ID, PAGE_TOKEN)

    def thread_reads():
        return [r for r in graph.requests if r.path.endswith("t_ada/messages")]

    await client.conversations(FB)
    await client.messages(FB, conversation_id="t_ada")
    await client.messages(FB, conversation_id="t_ada")
    assert len(thread_reads()) == 1  # nothing moved: not asked again
    graph.deliver("t_ada", "one more thing")
    clock.advance(120)
    await client.conversations(FB)  # the walk sees its updated_time move
    fetched = await client.messages(FB, conversation_id="t_ada")
    assert len(thread_reads()) == 2 and "one more thing" in [m.text for m in fetched.data]
    await session.aclose()


async def test_the_pages_own_read_state_counts_until_opened_here(
    graph_server, graph, clock, tmp_path
):
    """16.6: `unread_count` 0 (read in Business Suite) is not unread here; once the thread is
    handled here, the local state wins (marked unread here stays unread)."""
    from inbox_tui.store import Store, View

    graph.conversations["t_ada"].unread_count = 0  # read in another inbox
    graph.conversations["t_bo"].unread_count = 1
    session = graph_session(graph_server, clock)
    client = session.for_page(PAGE_ID, PAGE_TOKEN)
    store = Store(tmp_path / "s.sqlite3")
    store.upsert_conversations(
        "Page", FB, ConversationStatus.ACTIVE, (await client.conversations(FB)).data
    )
    store.upsert_messages("Page", FB, (await client.messages(FB)).data)

    def unread():
        rows = store.conversations(["Page"], View.ACTIVE, now=clock())
        return {r.id for r in rows if r.unread}

    assert "t_ada" not in unread() and "t_bo" in unread()
    store.mark_unread([("Page", FB, "t_ada")])
    assert "t_ada" in unread()  # the user's word here wins over the Page's
    store.close()
    await session.aclose()
