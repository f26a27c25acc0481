"""Links and attachments of a message: listed in full; only http(s) ones open, after a yes.

A link with a scheme is found whatever its scheme (`file:`, `javascript:`: listed, so the
address is seen, never opened); one without (`www.shop.com/returns`, `shop.com/sale`) and
e-mail addresses are found by linkify-it (its list of top-level domains): the first opens as
https, the second is listed but not opened."""

from __future__ import annotations

import re
from functools import cache
from urllib.parse import urlsplit

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from inbox_tui.ui.screens.dialogs import Dialog
from inbox_tui.ui.widgets.vim_keys import PickList

_URL = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}:(?://)?[^\s<>\"']+")
OPENABLE = ("http", "https")


_PAIRS = {")": "(", "]": "[", "}": "{"}


def _trim(url: str) -> str:
    """Drop sentence punctuation after a link, and a closing bracket only if unbalanced."""
    while url and (
        url[-1] in ".,;:!?'\""
        or (url[-1] in _PAIRS and url.count(url[-1]) > url.count(_PAIRS[url[-1]]))
    ):
        url = url[:-1]
    return url


def links_in(text: str, attachments: list[str]) -> list[str]:
    """Attachment URLs first, then links in the text in their order; each once."""
    found = [(m.start(), m.end(), _trim(m.group())) for m in _URL.finditer(text)]
    for match in _linkify().match(text) or ():
        if match.schema in ("", "mailto:") and not any(
            start < match.last_index and match.index < end for start, end, _ in found
        ):
            address = match.raw if match.schema else f"https://{match.raw}"
            found.append((match.index, match.last_index, address))
    in_text = [url for _, _, url in sorted(found)]
    return list(dict.fromkeys(u for u in [*attachments, *in_text] if u))


@cache
def _linkify():
    from linkify_it import LinkifyIt

    return LinkifyIt()


def openable(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in OPENABLE and bool(parts.netloc)


class LinkPicker(Dialog[str | None]):
    """Returns the URL to open (only an http(s) one can be chosen), or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, urls: list[str]) -> None:
        super().__init__()
        self.urls = urls

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Open a link"
            yield PickList(
                *(
                    Option(
                        Content.assemble(
                            (url, "underline" if openable(url) else "$foreground-muted"),
                            (
                                "" if openable(url) else "  (only http and https links open)",
                                "$warning",
                            ),
                        ),
                        disabled=not openable(url),
                    )
                    for url in self.urls
                ),
                markup=False,
                id="links",
            )
            yield Static(
                "The full address is shown: check it before you open it.",
                classes="hint",
                markup=False,
            )

    def on_mount(self) -> None:
        options = self.query_one("#links", OptionList)
        options.focus()
        first = next((i for i, url in enumerate(self.urls) if openable(url)), None)
        options.highlighted = first

    @on(OptionList.OptionSelected, "#links")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        url = self.urls[event.option_index]
        if openable(url):
            self.dismiss(url)
