"""Running the real `inbox-tui` command: where it is, the user's environment, a config."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.factories import API_KEY, BRAND_KEY, X_KEY, X_SECRET

COMMAND = str(Path(sys.executable).with_name("inbox-tui"))


def command_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The user's environment for a real run: a terminal, UTC, a fresh home, no stray key."""
    env = {**os.environ, "TERM": "xterm-256color", "TZ": "UTC", "HOME": str(tmp_path)}
    env.pop("AYRSHARE_API_KEY", None)
    return {**env, **extra}


def write_config(path: Path, base_url: str) -> None:
    path.touch(mode=0o600)
    path.write_text(
        f"""
[ayrshare]
api_key = "{API_KEY}"
base_url = "{base_url}"
x_api_key = "{X_KEY}"
x_api_secret = "{X_SECRET}"

[[profiles]]
name = "Primary"
platforms = ["facebook", "instagram", "twitter"]

[[profiles]]
name = "Brand"
profile_key = "{BRAND_KEY}"
platforms = ["facebook", "instagram"]
"""
    )
