"""Auto-response settings of one profile (GET/POST /messages/autoresponse)."""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static, Switch

from inbox_tui.providers.base import MessagingProvider, ProviderError
from inbox_tui.providers.results import AutoResponse
from inbox_tui.ui.screens.dialogs import Dialog
from inbox_tui.ui.worker_errors import SurfacesWorkerErrors

NOTE = (
    "Applies to every network of this profile. An empty message resets it to Ayrshare's "
    "default text. The wait is how long before the same person gets it again (the docs give "
    "both 400 and 86,400 s as the default)."
)


class AutoResponseScreen(SurfacesWorkerErrors, Dialog[None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, profile: str, provider: Callable[[], MessagingProvider | None]) -> None:
        super().__init__()
        self.profile = profile
        self.provider = provider

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content(f"Auto-response · {self.profile}")  # a name, not markup
            with Horizontal():
                yield Label("Active")
                yield Switch(id="ar-active")
            with Horizontal():
                yield Label("Message")
                yield Input(id="ar-message", placeholder="Thank you for contacting us…")
            with Horizontal():
                yield Label("Wait (seconds)")
                yield Input(id="ar-wait", type="integer")
            yield Static(NOTE, classes="note", markup=False)
            yield Static("Loading…", id="ar-status", markup=False)
            with Horizontal(id="ar-buttons"):
                yield Button("Save (ctrl+s)", id="ar-save", variant="primary")

    def on_mount(self) -> None:
        self.load()

    def _status(self, text: str) -> None:
        self.query_one("#ar-status", Static).update(text)

    @work(exclusive=True, group="auto-response", exit_on_error=False)
    async def load(self) -> None:
        provider = self.provider()
        if provider is None:
            self._status("Sync is not running: the settings cannot be read.")
            return
        try:
            settings = await provider.auto_response()
        except ProviderError as error:
            self._status(f"Could not read the settings: {error}")
            return
        self.query_one("#ar-active", Switch).value = bool(settings.active)
        self.query_one("#ar-message", Input).value = settings.message or ""
        if settings.wait_seconds is not None:
            self.query_one("#ar-wait", Input).value = str(settings.wait_seconds)
        self._status("Never set for this profile." if settings == AutoResponse() else "")

    @on(Button.Pressed, "#ar-save")
    def _pressed(self) -> None:
        self.action_save()

    @work(exclusive=True, group="auto-response", exit_on_error=False)
    async def action_save(self) -> None:
        provider = self.provider()
        if provider is None:
            return
        wait = self.query_one("#ar-wait", Input).value.strip()
        wanted = AutoResponse(
            active=self.query_one("#ar-active", Switch).value,
            message=self.query_one("#ar-message", Input).value,
            wait_seconds=int(wait) if wait else None,
        )
        try:
            saved = await provider.set_auto_response(wanted)
        except ProviderError as error:
            self._status(f"Not saved: {error}")
            return
        self.query_one("#ar-message", Input).value = saved.message or ""
        self._status("Saved." + ("" if saved.active else " Auto-response is off."))
