"""Property-based tests: any JSON the provider can receive parses to valid domain objects or
raises a typed error; the sanitiser never lets a control sequence through."""

from __future__ import annotations

import json

import httpx
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from inbox_tui.domain import Conversation, Message, Platform
from inbox_tui.providers.ayrshare import AyrshareSession
from inbox_tui.providers.base import ProviderError
from inbox_tui.text import MARK_FLOOD, _scrubbed, clean, clean_line

FORBIDDEN = (
    set(range(0x00, 0x09))
    | set(range(0x0B, 0x20))
    | set(range(0x7F, 0xA0))
    | {
        0x200B,
        0x2060,
        0xFEFF,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        *range(0xD800, 0xE000),
    }
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
message_like = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values | st.text(),
        "conversationId": json_values,
        "action": st.sampled_from(["sent", "received", "other"]) | json_values,
        "created": st.sampled_from(
            ["2024-06-05T15:17:30.000Z", "2024-06-05T15:17:30+00:00", "yesterday"]
        )
        | json_values,
        "message": st.text() | json_values,
        "senderDetails": st.fixed_dictionaries({}, optional={"name": st.text() | json_values})
        | json_values,
        "attachments": st.lists(
            st.fixed_dictionaries({}, optional={"type": st.text(), "url": st.text()}), max_size=3
        )
        | json_values,
        "reactions": st.dictionaries(st.text(), st.text(), max_size=3) | json_values,
    },
)
answers = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {"status": st.sampled_from(["success", "error"])},
        optional={
            "messages": st.lists(message_like, max_size=5) | json_values,
            "conversationIds": st.lists(st.text(), max_size=3) | json_values,
            "conversationsDetails": st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "id": st.text() | json_values,
                        "participant": json_values,
                        "watermark": json_values,
                    },
                ),
                max_size=3,
            )
            | json_values,
            "code": json_values,
            "message": json_values,
            "errors": json_values,
            "lastUpdated": st.text() | json_values,
            "nextUpdate": st.text() | json_values,
        },
    ),
)


def client_answering(body: bytes, status: int):
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    return AyrshareSession(api_key="k", base_url="https://api.example.com/api", transport=transport)


def assert_clean(text: str) -> None:
    assert not any(ord(ch) in FORBIDDEN and ch not in "\t\n" for ch in text), repr(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=answers, status=st.sampled_from([200, 200, 200, 400, 401, 403, 429, 500]))
async def test_any_answer_parses_or_raises_a_typed_error(answer, status):
    session = client_answering(json.dumps(answer).encode(), status)
    for call in ("messages", "conversations"):
        try:
            fetched = await getattr(session.for_profile(None), call)(Platform.FACEBOOK)
        except ProviderError as error:
            assert_clean(str(error))
            continue
        for item in fetched.data:
            assert isinstance(item, Message | Conversation)
            for value in (
                vars(item).values()
                if hasattr(item, "__dict__")
                else (getattr(item, f) for f in item.__slots__)
            ):
                if isinstance(value, str):
                    assert_clean(value)
    await session.aclose()


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=300), status=st.sampled_from([200, 502]))
async def test_any_bytes_parse_or_raise_a_typed_error(raw, status):
    session = client_answering(raw, status)
    try:
        fetched = await session.for_profile(None).messages(Platform.INSTAGRAM)
    except ProviderError as error:
        assert_clean(str(error))
    else:
        assert all(isinstance(m, Message) for m in fetched.data)
    await session.aclose()


@given(st.text() | st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_the_fast_path_cleans_exactly_as_the_full_one(text):
    """`clean` returns printable ASCII as it is, without the regex passes: only where those
    passes would have changed nothing."""
    assert clean(text) == _scrubbed(text)


@given(st.text())
def test_clean_leaves_no_control_characters(text):
    assert_clean(clean(text))
    assert_clean(clean_line(text))
    assert "\n" not in clean_line(text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp"))))
def test_clean_keeps_ordinary_text(text):
    assume(not MARK_FLOOD.search(text))  # a flood of combining marks is cut, by design (D20)
    assert clean(text) == text
