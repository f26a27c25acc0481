"""The key hints at the bottom: one line drawn as one Content.

Textual's Footer mounts a widget per key and restyles each on every focus change (about 200 ms
of the first screen here); this draws the same hints from the screen's active bindings at the
cost of a string.
"""

from __future__ import annotations

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

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is not self.screen:
            return
        parts: list[str | tuple[str, str]] = []
        seen: set[str] = set()
        palette = None
        for _node, binding, enabled, _tooltip in screen.active_bindings.values():
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                palette = binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            parts += self._hint(binding.key, binding, enabled)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            parts += self._hint(palette.key, palette, True)
        self.show(Content.assemble(*parts))

    def _hint(self, key: str, binding, enabled: bool) -> list[str | tuple[str, str]]:
        style = "bold $footer-key-foreground" if enabled else "$text-disabled"
        return [(f" {self.app.get_key_display(binding)} ", style), f"{binding.description} "]
