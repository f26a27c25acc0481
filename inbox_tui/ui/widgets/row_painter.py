"""How the list paints a row's parts: one strip of exactly the pane's width per line, each
part in its component class's style (and a brand's part in the brand's colour)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.strip import Strip
from textual.widget import Widget

from inbox_tui.ui.widgets.conversation_row import BRAND_PART, Part


class RowPainter(Widget):
    """Mixed into `ConversationList`, which clears `_strips` (its cache of painted rows)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._part_styles: dict[tuple[bool, bool, str], RichStyle] = {}
        self._brand_colors: dict[str, RichStyle] = {}
        self.brand_names: dict[str, str] = {}  # profile -> the short name its rows show

    def set_brands(self, colors: dict[str, RichStyle], names: dict[str, str]) -> None:
        """Each profile's colour (`[[profiles]] color`) and short name, for its rows."""
        if (colors, names) != (self._brand_colors, self.brand_names):
            self._brand_colors, self.brand_names = colors, names
            self.notify_style_update()
            self.refresh()

    def _line(self, parts: list[Part], cursor: bool, width: int, meta: RichStyle) -> Strip:
        """One strip of exactly `width` cells, made in one pass: no markup, no wrapping, no
        cropping of strips (each Strip costs; a scroll redraws every visible line), and "…"
        where the text is cut."""
        if width <= 0:
            return Strip([], 0)
        texts = [(text, self._part_style(cursor, name) + meta) for text, name in parts if text]
        cells = [cell_len(text) for text, _ in texts]
        cut = sum(cells) > width
        room = width - 1 if cut else width
        segments = []
        for (text, style), size in zip(texts, cells, strict=True):
            if size > room:
                text, size = set_cell_size(text, room), room
            if size:
                segments.append(Segment(text, style))
            room -= size
            if not room:
                break
        base = self._part_style(cursor, "") + meta
        if cut:
            segments.append(Segment("…", segments[-1].style if segments else base))
        if room > 0:
            segments.append(Segment(" " * room, base))
        return Strip(segments, width)

    def _part_style(self, cursor: bool, part: str) -> RichStyle:
        key = (cursor, self.has_focus, part)
        if (style := self._part_styles.get(key)) is None:
            profile = part.removeprefix(BRAND_PART) if part.startswith(BRAND_PART) else None
            classes = ["conversation-list--row"]
            if cursor:
                classes.append("conversation-list--cursor")
            if profile is not None:
                classes.append("conversation-list--muted")
            elif part:
                classes.append(f"conversation-list--{part}")
            if cursor and part.startswith("badge-"):
                # The platform's colour (a blue for Facebook) vanishes on the cursor's blue:
                # there the tag takes the cursor's own colours.
                classes.append("conversation-list--cursor")
            style = self.get_visual_style(*classes).rich_style
            colour = self._brand_colors.get(profile) if profile is not None else None
            if colour is not None and not (cursor and self.has_focus):  # the cursor's own wins
                style += colour
            self._part_styles[key] = style
        return style

    def notify_style_update(self) -> None:
        """Focus, blur or a new theme: every cached style and strip is stale."""
        super().notify_style_update()
        self._part_styles.clear()
        self._strips.clear()  # type: ignore[attr-defined]
