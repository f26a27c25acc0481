"""`make lock`: resolve every dependency (the app's, its extras and the dev group) to today's
newest allowed versions and pin them in requirements.lock, which `make` installs from, so
CI and every fresh clone run on the same versions. pip's own resolver does the work (a dry
run that reports what it would install); this only writes its answer down."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HEADER = """\
# Every package `make` installs (the app, its extras fake and web, the dev group), pinned.
# Made by `make lock` (scripts/lock.py) with Python {python}: run it after a change to the
# dependencies in pyproject.toml. The same pins serve Python 3.11, 3.12 and 3.13.
"""


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run(
            [
                sys.executable,
                *("-m", "pip", "install", "--quiet", "--dry-run", "--ignore-installed"),
                *("--report", str(report), "-e", ".[fake,web]", "--group", "dev"),
            ],
            check=True,
        )
        installs = json.loads(report.read_text())["install"]
    pins = sorted(
        f"{item['metadata']['name'].lower()}=={item['metadata']['version']}"
        for item in installs
        if item["metadata"]["name"].lower() != "inbox-tui"
    )
    python = ".".join(map(str, sys.version_info[:2]))
    out.write_text(HEADER.format(python=python) + "\n".join(pins) + "\n")
    print(f"wrote {out}: {len(pins)} packages")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock"))
