from __future__ import annotations

import contextlib
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

# pytest-xdist's workers carry COLUMNS/LINES, which Textual would take over a pty's own size
# in the commands the tests start.
os.environ.pop("COLUMNS", None)
os.environ.pop("LINES", None)

# Relative times and stamps render in local time: pin it so screens are the same everywhere.
os.environ["TZ"] = "UTC"
time.tzset()
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from inbox_tui.fake.server import serving  # noqa: E402
from inbox_tui.providers.ayrshare import AyrshareSession  # noqa: E402
from inbox_tui.store import Store  # noqa: E402
from tests.factories import API_KEY, X_KEY, X_SECRET, Clock, small_fake, small_graph  # noqa: E402


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock):
    return small_fake(clock)


@pytest.fixture(scope="session")
def loopback():
    """One real loopback server for the session (a server per test cost ~30 s in all): each
    test puts its own fakes in the list it serves."""
    served: list = []
    with serving(served) as origin:
        yield origin, served


@contextlib.contextmanager
def _serve(loopback, fake):
    origin, served = loopback
    served.append(fake)
    try:
        yield origin + fake.base_path
    finally:
        served.remove(fake)


@pytest.fixture
def server(fake, loopback):
    """The fake on a real loopback socket; yields its base URL."""
    with _serve(loopback, fake) as base_url:
        yield base_url


@pytest.fixture
def graph(clock):
    return small_graph(clock)


@pytest.fixture
def graph_server(graph, loopback):
    """The fake Graph on a real loopback socket; yields its base URL (…/v<version>)."""
    with _serve(loopback, graph) as base_url:
        yield base_url


@pytest.fixture
def store(tmp_path):
    """A fresh store of the test's own."""
    s = Store(tmp_path / "s.sqlite3")
    yield s
    s.close()


@pytest.fixture
async def session(server, clock):
    """An Ayrshare session against the test's fake, with the test's clock."""
    s = AyrshareSession(api_key=API_KEY, base_url=server, x_keys=(X_KEY, X_SECRET), clock=clock)
    yield s
    await s.aclose()
