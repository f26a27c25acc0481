"""A Static of Content that repaints only when its words change.

The status bar, the key hints, the filter bar and the composer's status are set again at every
sync event, focus change and tick, mostly to what they already show. `Static.update` lays the
whole screen out each time, which repaints all of it (~10 ms at 140x40, several times the
paint of one line): here the screen is laid out only when the widget's height may change.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class Lines(Static):
    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)

    def show(self, content: Content) -> None:
        shown = self.content
        if isinstance(shown, Content) and (shown.plain, shown.spans) == (
            content.plain,
            content.spans,
        ):
            return
        self.update(content, layout=self._may_resize(shown, content))

    def _may_resize(self, shown: object, content: Content) -> bool:
        height = self.styles.height
        if height is not None and not height.is_auto:
            return False
        rows = self._rows(content)
        return rows is None or rows != self._rows(shown)

    def _rows(self, content: object) -> int | None:
        """The height `content` takes if each of its lines fits (None if one may wrap)."""
        if not isinstance(content, Content):
            return None
        lines = content.split("\n", allow_blank=True)
        if any(line.cell_length > self.content_size.width for line in lines):
            return None
        return len(lines)
