"""The fake Graph's Custom Labels: a Page's labels and who has which (Messenger people only).

As documented: every `POST /{page}/custom_labels` makes a new label, even of a name the Page
has; a label is put on and taken off a person by their PSID. What is not documented (what a
token without pages_manage_metadata, or a Page whose admins have not accepted the Page
Contact Terms, is answered) is `FakeGraphSettings.custom_labels_refused`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from inbox_tui.fake.graph_wire import cursor, error, page_size, paging
from inbox_tui.fake.records import Reply


class FakeCustomLabels:
    def __init__(
        self, page_id: str, people: Callable[[], set[str]], refused: Callable[[], Any]
    ) -> None:
        self._page_id = page_id
        self._people = people  # the PSIDs of the Page's Messenger conversations
        self._refused = refused  # None, or (HTTP status, code, message)
        self.names: dict[str, str] = {}  # label id -> name
        self.on: dict[str, set[str]] = {}  # PSID -> label ids
        self._next_id = 7_000_000_000_000_000

    # -- what a test (or Business Suite) does ---------------------------------------------------

    def make(self, name: str) -> str:
        self._next_id += 1
        self.names[str(self._next_id)] = name
        return str(self._next_id)

    def put_on(self, person: str, name: str) -> None:
        """As Business Suite does: the label of that name (made if there is none)."""
        label = next((i for i, n in self.names.items() if n == name), None) or self.make(name)
        self.on.setdefault(person, set()).add(label)

    def of(self, person: str) -> list[str]:
        return sorted(self.names[i] for i in self.on.get(person, ()))

    # -- the API --------------------------------------------------------------------------------

    def answer(
        self, method: str, parts: list[str], query: dict[str, str], body: Any
    ) -> Reply | None:
        """The answer to a labels call, or None when the call is not one."""
        page_edge = parts == [self._page_id, "custom_labels"]
        person_edge = len(parts) == 2 and parts[1] == "custom_labels" and not page_edge
        label_edge = len(parts) == 2 and parts[1] == "label"
        if not (page_edge or person_edge or label_edge):
            return None
        if (refused := self._refused()) is not None:
            status, code, message = refused
            return error(status, code, message)
        if page_edge and method == "GET":
            return _listed(sorted(self.names), self.names, query)
        if page_edge and method == "POST":
            name = body.get("page_label_name") if isinstance(body, dict) else None
            if not isinstance(name, str) or not name.strip():
                return error(400, 100, "(#100) The parameter page_label_name is required")
            return Reply(200, {"id": self.make(name)})
        if person_edge and method == "GET":
            if parts[0] not in self._people():
                return error(400, 100, "Unsupported get request. Object does not exist.")
            return _listed(sorted(self.on.get(parts[0], ())), self.names, query)
        if label_edge and method in ("POST", "DELETE"):
            return self._assign(method, parts[0], query, body)
        return error(400, 100, f"Unsupported {method.lower()} request.")

    def _assign(self, method: str, label: str, query: dict[str, str], body: Any) -> Reply:
        user = (
            body.get("user") if method == "POST" and isinstance(body, dict) else query.get("user")
        )
        if label not in self.names:
            return error(400, 100, "Unsupported post request. Object does not exist.", sub=33)
        if not isinstance(user, str) or user not in self._people():
            return error(400, 100, "(#100) No matching user found", sub=2018001)
        labels = self.on.setdefault(user, set())
        if method == "POST":
            labels.add(label)
        else:
            labels.discard(label)
        return Reply(200, {"success": True})


def _listed(ids: list[str], names: dict[str, str], query: dict[str, str]) -> Reply:
    start, size = cursor(query.get("after")), page_size(query, 25)
    data = [{"id": i, "page_label_name": names[i]} for i in ids[start : start + size]]
    return Reply(200, {"data": data, "paging": paging(start, size, len(ids), query)})
