"""A Page's Custom Labels: the labels Meta Business Suite's inbox shows on a person, so the
ones set here and there are the same (the `SharedLabels` protocol).

Graph (developers.facebook.com/docs/messenger-platform/identity/custom-labels):
`GET /{page}/custom_labels?fields=page_label_name` lists the Page's labels;
`POST /{page}/custom_labels {page_label_name}` makes one (every call a new one, so the list is
read first); `POST /{label}/label {user}` puts it on a person (their PSID),
`DELETE /{label}/label?user=` takes it off; `GET /{psid}/custom_labels` reads a person's.
Messenger only (an Instagram account's people have no PSID); the token needs
pages_manage_metadata and the Page's admins must have accepted Meta's Page Contact Terms.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from inbox_tui.providers.meta_wire import (
    WireCreated,
    WireDone,
    WireLabel,
    WireLabels,
    graph_path,
)
from inbox_tui.text import clean_line

_LABEL_PAGES = 20  # 20 pages of labels: more than a Page's inbox can show
_FIELDS = {"fields": "page_label_name"}

Call = Callable[..., Awaitable[Any]]  # MetaClient._call
Pages = Callable[[str, type[WireLabels], dict[str, str], int], AsyncIterator[WireLabels]]


class PageLabels:
    def __init__(self, call: Call, pages: Pages, page_id: str) -> None:
        self._call, self._pages, self._page_id = call, pages, page_id
        self._ids: dict[str, str] | None = None  # a label's name (casefolded) -> its id
        self._naming = asyncio.Lock()  # two new labels of one name would be two labels

    async def of_person(self, person: str) -> list[str]:
        return [
            name
            async for label in self._each(graph_path(person, "custom_labels"))
            if (name := clean_line(label.page_label_name))
        ]

    async def put_on(self, person: str, label: str) -> None:
        label_id = await self._id(label, make=True)
        await self._call("POST", graph_path(label_id, "label"), WireDone, body={"user": person})

    async def take_off(self, person: str, label: str) -> None:
        """A label the Page does not have is on no one: nothing to do."""
        if label_id := await self._id(label, make=False):
            await self._call(
                "DELETE", graph_path(label_id, "label"), WireDone, params={"user": person}
            )

    async def _id(self, label: str, *, make: bool) -> str:
        key = label.casefold()
        async with self._naming:
            if self._ids is None or key not in self._ids:  # made elsewhere since: read again
                path = graph_path(self._page_id, "custom_labels")
                self._ids = {
                    clean_line(w.page_label_name).casefold(): w.id async for w in self._each(path)
                }
            if key in self._ids or not make:
                return self._ids.get(key, "")
            path = graph_path(self._page_id, "custom_labels")
            made = await self._call("POST", path, WireCreated, body={"page_label_name": label})
            self._ids[key] = made.id
            return made.id

    async def _each(self, path: str) -> AsyncIterator[WireLabel]:
        async for page in self._pages(path, WireLabels, _FIELDS, _LABEL_PAGES):
            for label in page.data:
                yield label
