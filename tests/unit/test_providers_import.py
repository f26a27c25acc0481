"""What the providers load with httpx: its own command-line client is not part of it."""

import subprocess
import sys

import pytest


def test_httpx_comes_without_its_command_line_client():
    pytest.importorskip("click")  # httpx loads its CLI only when click is installed (uvicorn)
    code = (
        "import sys; import inbox_tui.providers.build, httpx; "
        "print(sorted({'click', 'pygments.lexers'} & set(sys.modules)))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"
