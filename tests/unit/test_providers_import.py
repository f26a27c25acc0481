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


async def test_every_client_shares_one_verifying_tls_context(monkeypatch):
    """Loading the CA bundle costs ~50 ms of CPU: it is loaded once per process, not once per
    provider and again at every change of profiles; and verification stays on."""
    import ssl

    from inbox_tui.providers import http
    from inbox_tui.providers.ayrshare import AyrshareSession
    from inbox_tui.providers.meta_graph import MetaSession

    loads = []
    real = ssl.SSLContext.load_verify_locations

    def counted(context, *args, **kwargs):
        loads.append(context)
        return real(context, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counted)
    http.tls_context.cache_clear()
    sessions = [
        AyrshareSession(api_key="k", base_url="https://api.ayrshare.com/api"),
        AyrshareSession(api_key="k", base_url="https://api.ayrshare.com/api"),
        MetaSession(graph_url="https://graph.facebook.com/v23.0"),
    ]
    assert len(loads) == 1
    context = http.tls_context()
    assert context.verify_mode is ssl.CERT_REQUIRED and context.check_hostname
    for session in sessions:
        await session.aclose()
