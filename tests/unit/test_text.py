import pytest

from inbox_tui.text import clean, clean_line


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("plain [b]markup[/b] stays", "plain [b]markup[/b] stays"),
        ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
        ("a\x1b[2Jb", "ab"),  # CSI clear screen
        ("a\x1b]52;c;cHduZWQ=\x07b", "ab"),  # OSC 52 clipboard write, BEL-terminated
        ("a\x1b]0;title\x1b\\b", "ab"),  # OSC 0 window title, ST-terminated
        ("a\x1b]8;;https://evil\x1b\\link\x1b]8;;\x1b\\b", "alinkb"),  # OSC 8 hyperlink
        ("a\x9b31mb", "ab"),  # C1 CSI
        ("a\x1b]52;c;unterminated", "a"),  # an open OSC never swallows the frame
        ("a\x00b\x07c\x7fd\x85e", "abcde"),
        ("right\u202eto-left\u2066x\u2069", "rightto-leftx"),
        ("line1\r\nline2\rline3", "line1\nline2\nline3"),
        ("tab\tkept", "tab\tkept"),
        ("bad \ud800 surrogate", "bad  surrogate"),
        ("emoji 😍 and 日本語", "emoji 😍 and 日本語"),
    ],
)
def test_clean(raw, expected):
    assert clean(raw) == expected


def test_clean_line_folds_whitespace():
    assert clean_line("  Ada\n\tLovelace  \x1b[31m ") == "Ada Lovelace"


def test_invisible_spacers_go_but_joiners_stay():
    assert clean("Ad\u200ba\u2060 Love\ufefflace") == "Ada Lovelace"
    family = "👩\u200d👩\u200d👧"  # ZWJ sequences are kept
    assert clean(family) == family


def test_invisible_marks_and_mark_floods_are_gone():
    """22 D20: a name could look blank or reorder its neutrals; a combining flood shifted the
    panes' borders."""
    from inbox_tui.text import clean_line

    assert clean_line("a\u200eb\u200fc\u061cd") == "abcd"
    assert clean_line("\u3164\u115f\uffa0") == ""
    assert clean_line("tag\U000e0041\U000e007fs") == "tags"
    assert clean("e" + "\u0301" * 2500) == "e" + "\u0301" * 3
    assert clean("café naïve") == "café naïve"  # ordinary accents stay
    assert clean("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"  # ZWJ sequences stay
