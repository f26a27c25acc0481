"""What `pip install` gives a user: the wheel carries the licence, the example config that
every config error points to, the stylesheets and the type marker; one version, pyproject's."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.commands import COMMAND, command_env

ROOT = Path(__file__).parents[2]
pytestmark = pytest.mark.e2e


def test_the_wheel_carries_what_errors_point_to(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", str(ROOT), "-w", tmp_path],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("inbox_tui-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    for name in (
        f"inbox_tui-{version}.dist-info/licenses/LICENSE",
        "inbox_tui/config/example.toml",
        "inbox_tui/ui/app.tcss",
        "inbox_tui/ui/screens/screens.tcss",
        "inbox_tui/py.typed",
    ):
        assert name in names, name
    metadata = zipfile.ZipFile(wheel).read(f"inbox_tui-{version}.dist-info/METADATA").decode()
    assert "License-Expression: MIT" in metadata and "Python :: 3.13" in metadata


def test_init_example_prints_every_key_and_the_version_is_pyprojects(tmp_path):
    env = command_env(tmp_path)
    example = subprocess.run(
        [COMMAND, "init", "--example"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert example == (ROOT / "inbox_tui" / "config" / "example.toml").read_text() + "\n"
    assert "[keys]" in example and "theme" in example
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    shown = subprocess.run(
        [COMMAND, "--version"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert shown == f"inbox-tui {version}\n"
