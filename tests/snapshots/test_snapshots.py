"""SVG snapshots of the main screens, from the demo data with a frozen clock.

Plain `def` tests: pytest-textual-snapshot runs the app itself. Update the baselines with
`pytest tests/snapshots --snapshot-update` after a deliberate UI change.
"""

from __future__ import annotations

import pytest

from tests.scenarios import SCENARIOS, SIZE, demo_app


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_screen(name, snap_compare, tmp_path):
    assert snap_compare(demo_app(tmp_path), terminal_size=SIZE, run_before=SCENARIOS[name])
