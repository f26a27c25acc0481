"""Sanitising of untrusted text: names, messages, URLs and API error texts.

Everything a stranger can write passes through `clean()` once, where it enters the program
(the provider's wire models and the error mapping). Textual's `Content` strips only a few C0
codes, so ESC/CSI/OSC sequences and C1 bytes would otherwise reach the terminal unchanged.
"""

from __future__ import annotations

import re

# Whole escape sequences first, so their parameters do not survive as visible junk:
# CSI (ESC [ ... final), OSC / DCS / SOS / PM / APC (ESC ] ... BEL or ST), two-byte ESC forms,
# and the single-byte C1 CSI (0x9b) form.
_ESCAPE_SEQUENCES = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]?                       # CSI
    | \x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)          # OSC, DCS, SOS, PM, APC up to BEL/ST
    | [\x90\x98\x9d\x9e\x9f].*?(?:\x07|\x1b\\|\x9c|$)  # their C1 forms
    | \x9b[0-?]*[ -/]*[@-~]?                         # C1 CSI
    | \x1b[ -/]*[0-~]?                               # other ESC forms (and a lone ESC)
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 controls except tab and newline, DEL, the rest of C1, bidi marks, embeddings, overrides
# and isolates (LRM, RLM, ALM too: they reorder neutrals in a name), invisible spacers used to
# spoof names (zero-width space, word joiner, BOM, the Hangul fillers that render blank, tag
# characters; not ZWJ/ZWNJ, which emoji and scripts need), and lone surrogates (invalid
# UTF-8: they crash the writer).
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u115f\u1160\u200b\u200e\u200f\u202a-\u202e"
    "\u2060\u2066-\u2069\u3164\ufeff\uffa0\ud800-\udfff\U000e0000-\U000e007f]"
)
# Combining marks pile up without limit on one letter ("zalgo"): terminals disagree on their
# width and the panes' borders shift. More than a few on one letter are dropped.
_MARK = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
MARK_FLOOD = re.compile(f"({_MARK}{{3}}){_MARK}+")


def clean(text: str) -> str:
    """Return `text` with every terminal control sequence and control character removed.

    Carriage returns become newlines (CRLF folds to one), so a message keeps its line breaks.
    """
    if text.isascii() and text.isprintable():
        # Most names and messages: nothing below can match (no control, ESC, C1 byte or mark),
        # and this test is ~25x cheaper than the three passes (a 10,000-message answer).
        return text
    return _scrubbed(text)


def _scrubbed(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCES.sub("", text)
    return MARK_FLOOD.sub(r"\1", _CONTROL.sub("", text))


def clean_line(text: str) -> str:
    """`clean()` for one-line places (names, previews): whitespace runs fold to one space."""
    return " ".join(clean(text).split())
