from __future__ import annotations

import os
import time

import pytest

# Relative times and stamps render in local time: pin it so screens are the same everywhere.
os.environ["TZ"] = "UTC"
time.tzset()
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from inbox_tui.fake.server import running  # noqa: E402
from tests.factories import Clock, small_fake, small_graph  # noqa: E402


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock):
    return small_fake(clock)


@pytest.fixture
def server(fake):
    """The fake on a real loopback socket; yields its base URL."""
    with running(fake) as base_url:
        yield base_url


@pytest.fixture
def graph(clock):
    return small_graph(clock)


@pytest.fixture
def graph_server(graph):
    """The fake Graph on a real loopback socket; yields its base URL (…/v21.0)."""
    with running(graph) as base_url:
        yield base_url
