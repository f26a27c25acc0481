"""vi's keys in both panes' lists, beside the arrows (bound on each list widget)."""

from __future__ import annotations

from textual.binding import Binding

VIM_BINDINGS = [
    Binding("j", "cursor_down", "Down", show=False),
    Binding("k", "cursor_up", "Up", show=False),
    Binding("g", "first", "First", show=False),
    Binding("G", "last", "Last", show=False),
]
