"""Hostile strings: (what a stranger sends, what the screen must show).

Markup must show literally; terminal control sequences must be gone, their visible
neighbours kept. `MARKERS` are byte strings that must never reach a terminal."""

from __future__ import annotations

HOSTILE: list[tuple[str, str]] = [
    ("[@click=app.quit]click me[/]", "[@click=app.quit]click me[/]"),
    ("[link='https://evil.example']free[/link]", "[link='https://evil.example']free[/link]"),
    ("[/x] unbalanced [/]", "[/x] unbalanced [/]"),
    ("[ERROR] your account", "[ERROR] your account"),
    ("[$accent]styled[/] $warning", "[$accent]styled[/] $warning"),
    ("clip\x1b]52;c;cHduZWQ=\x07board", "clipboard"),
    ("win\x1b]0;pwned-title\x07dow", "window"),
    ("hyper\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "hyperlink"),
    ("before\x1b[2Jafter", "beforeafter"),
    ("c1\x9b31mcsi", "c1csi"),
    ("dcs\x1bPpwned\x1b\\end", "dcsend"),
    ("bidi \u202eevil\u202c text", "bidi evil text"),
    ("zero\u200bwidth\u2060spoof\ufeff", "zerowidthspoof"),
    ("lone \ud800 surrogate", "lone  surrogate"),
]
LONG = "long " * 20_000  # 100,000 characters
MARKERS = [
    b"cHduZWQ=",
    b"pwned-title",
    b"\x1b]8;;https://evil",
    b"before\x1b[2J",
    b"\xc2\x9b31m",
    b"\x1bPpwned",
]
