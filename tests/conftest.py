from __future__ import annotations

import os
import tempfile
import time

import pytest

# No test may touch the real home or data directories: the suite (and every command it runs)
# gets a home and XDG directories of its own.
_HOME = tempfile.mkdtemp(prefix="inbox-tui-tests-home-")
for _name, _sub in (
    ("HOME", ""),
    ("XDG_CONFIG_HOME", ".config"),
    ("XDG_DATA_HOME", ".local/share"),
    ("XDG_STATE_HOME", ".local/state"),
    ("XDG_CACHE_HOME", ".cache"),
):
    os.environ[_name] = os.path.join(_HOME, _sub)

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
