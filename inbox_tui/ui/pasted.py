"""Text typed or pasted into a box is text from elsewhere: control characters (C1's CSI and
OSC bytes, which a terminal would act on) go before it is shown, saved or sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inbox_tui.text import clean

if TYPE_CHECKING:
    from textual.widgets import Input, TextArea


def clean_area(area: TextArea) -> None:
    cleaned = clean(area.text)
    if cleaned != area.text:
        with area.prevent(area.Changed):
            area.load_text(cleaned)
        area.move_cursor(area.document.end)


def clean_input(box: Input) -> None:
    """The same for a one-line box (search, snooze, names): no new lines either."""
    cleaned = clean(box.value).replace("\n", " ")
    if cleaned != box.value:
        box.value = cleaned
