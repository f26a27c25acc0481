"""Below 80 columns, one pane at a time: the list, or the thread it opened (a phone's way).
Which one shows follows the focus: `enter` opens the thread, a search hit or the composer
brings it, `escape` goes back to the list, `tab` swaps them."""

from __future__ import annotations

from textual.app import App
from textual.widget import Widget

NARROW_BELOW = 80
# The screen's classes (styles in app.tcss): `-narrow` below 80 columns; `-reading` while the
# focus is in the thread pane.
NARROW, READING = "-narrow", "-reading"


class OnePaneWhenNarrow(App[None]):
    """Mixed into `InboxApp`."""

    HORIZONTAL_BREAKPOINTS = [
        (0, NARROW),
        (NARROW_BELOW, "-wide"),
    ]

    _panes: tuple[Widget, Widget] | None = None  # the widgets `tab` swaps between

    def show_the_focused_pane(
        self, list_widget: Widget, thread_pane: Widget, thread: Widget
    ) -> None:
        """From now on the main screen, when narrow, shows the pane that has the focus
        (anything in `thread_pane`, the composer too, shows the thread)."""
        screen = self.screen
        self._panes = (list_widget, thread)

        def follow(focused: Widget | None) -> None:
            reading = focused is not None and thread_pane in focused.ancestors_with_self
            screen.set_class(reading, READING)

        self.watch(screen, "focused", follow)

    def action_focus_next(self) -> None:
        if not self._swap_panes():
            super().action_focus_next()

    def action_focus_previous(self) -> None:
        if not self._swap_panes():
            super().action_focus_previous()

    def _swap_panes(self) -> bool:
        """On the main screen when it is narrow, `tab` shows the other pane (the hidden one is
        out of Textual's focus chain)."""
        screen = self.screen
        if (
            self._panes is None
            or screen is not self.screen_stack[0]
            or not screen.has_class(NARROW)
        ):
            return False
        list_widget, thread = self._panes
        (list_widget if screen.has_class(READING) else thread).focus()
        return True
