"""The key hints at the bottom: one line drawn as one Content, each hint clickable.

Textual's Footer mounts a widget per key and restyles each on every focus change (about 200 ms
of the first screen here); this draws the same hints from the screen's active bindings (the
focused pane's own among them) at the cost of a string, and a click presses the hint's key.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.screen import Screen

from inbox_tui.ui.widgets.lines import Lines


class KeyBar(Lines):
    DEFAULT_CSS = """
    KeyBar {
        height: 1;
        dock: bottom;
        color: $footer-description-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    _spans: list[tuple[int, int, str]] = []  # (first cell, end cell, key) of each hint

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is not self.screen:
            return
        parts: list[str | tuple[str, str]] = []
        spans: list[tuple[int, int, str]] = []
        seen: set[str] = set()
        palette = None
        # The thread's own keys while it has the focus: the list's (they still work) make room.
        focused = self.app.focused
        in_thread = focused is not None and any(n.id == "thread-pane" for n in focused.ancestors)
        for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items():
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = binding
            if not binding.show or binding.action in seen:
                continue
            if in_thread and binding.action.startswith("app.in('list'"):
                continue
            seen.add(binding.action)
            self._hint(key, binding, enabled, parts, spans)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            self._hint(palette.key, palette, True, parts, spans)
        self._spans = spans
        self.show(Content.assemble(*parts))

    def _hint(self, key: str, binding, enabled: bool, parts: list, spans: list) -> None:
        """The hint's two parts, and the cells it takes (after the last hint's) for clicks."""
        style = "bold $footer-key-foreground" if enabled else "$text-disabled"
        shown, words = f" {self.app.get_key_display(binding)} ", f"{binding.description} "
        parts += [(shown, style), words]
        start = spans[-1][1] if spans else 0
        spans.append((start, start + cell_len(shown) + cell_len(words), key))

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
