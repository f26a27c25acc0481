"""`make screenshots`: the demo's screens (tests/scenarios.py, the snapshot tests' own) as SVGs."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

from tests.scenarios import SCENARIOS, SIZE, demo_app


async def write_all(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, scenario in SCENARIOS.items():
        with tempfile.TemporaryDirectory() as scratch:
            app = demo_app(Path(scratch))
            async with app.run_test(size=SIZE) as pilot:
                await scenario(pilot)
                app.save_screenshot(filename=f"{name}.svg", path=str(out))
            app.store.close()
        print(f"wrote {out / (name + '.svg')}")


if __name__ == "__main__":
    asyncio.run(write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")))
