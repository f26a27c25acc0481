"""The bars repaint only what changed: the status bar is set at every sync event and every
second, and a layout repaints the whole screen (6 ms a second of idle CPU on the demo)."""

from __future__ import annotations

from textual.app import App
from textual.content import Content

from inbox_tui.ui.widgets.lines import Lines
from inbox_tui.ui.widgets.status_bar import StatusBar


class _Bars(App):
    def compose(self):
        yield Lines(id="auto")  # as the composer's status line
        yield Lines(id="fixed")
        yield StatusBar()

    CSS = "#auto { height: auto; } #fixed { height: 1; }"


def layouts(widget, monkeypatch) -> list[bool]:
    """Each refresh of `widget` from now on: whether it lays the screen out."""
    calls: list[bool] = []
    real = widget.refresh
    monkeypatch.setattr(
        widget, "refresh", lambda *a, **k: calls.append(k["layout"]) or real(*a, **k)
    )
    return calls


async def test_a_bar_lays_out_only_when_its_height_may_change(monkeypatch):
    app = _Bars()
    async with app.run_test(size=(40, 10)) as pilot:
        bar = app.query_one("#auto", Lines)
        calls = layouts(bar, monkeypatch)

        bar.show(Content("one line"))
        await pilot.pause()
        bar.show(Content("one line"))  # the same words: nothing at all
        assert calls == [True]  # from the empty bar: its first height
        bar.show(Content("another line"))  # one line still: a paint
        bar.show(Content("two\nlines"))  # taller: the screen is laid out again
        bar.show(Content("x" * 60))  # wider than the bar: it may wrap
        assert calls == [True, False, True, True]
        await pilot.pause()
        assert bar.size.height == 2 and "x" * 40 in bar.render().plain  # type: ignore[union-attr]

        fixed = app.query_one("#fixed", Lines)
        fixed_calls = layouts(fixed, monkeypatch)
        fixed.show(Content("a\nb"))  # a height set in CSS never changes
        assert fixed_calls == [False]
        status = app.query_one(StatusBar)  # one line, whatever it is told
        status_calls = layouts(status, monkeypatch)
        status.show(Content("x" * 60))
        await pilot.pause()
        assert status_calls == [False] and status.size.height == 1
