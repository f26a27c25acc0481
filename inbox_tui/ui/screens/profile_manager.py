"""Add, rename and remove profiles; the app writes the config (0600) and applies it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from inbox_tui.config.edit import NewProfile
from inbox_tui.config.model import Profile
from inbox_tui.domain import Platform
from inbox_tui.ui.screens.dialogs import Confirm, Dialog, FormScreen, TextPrompt
from inbox_tui.ui.widgets.vim_keys import PickList
from inbox_tui.ui.worker_errors import SurfacesWorkerErrors

HELP = "a add · r rename · d remove · escape closes"
FORM_HINT = "ctrl+s saves. The key is written only to the config file."
META_FORM_HINT = (
    "ctrl+s saves. The token itself is never written: only the variable's name or the command."
)


def kind_of(profile: Profile) -> str:
    """What the profile is, in the words of the service it reads."""
    if profile.provider == "meta":
        return f"Meta Page {profile.page_id} (Graph API)"
    return "Ayrshare, Profile-Key set" if profile.profile_key else "Ayrshare Primary Profile"


KINDS = {
    "ayrshare": "An Ayrshare profile (a Profile-Key; none for the Primary Profile)",
    "meta": "A Meta Page through Graph directly (its id and a Page token)",
}


class KindPicker(Dialog[str | None]):
    """Which kind of profile `a` adds."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Add a profile"
            yield PickList(*(Option(words, id=kind) for kind, words in KINDS.items()))

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class ProfileForm(SurfacesWorkerErrors, FormScreen[str | None]):
    """Name, then a Profile-Key (hidden as typed) or a Page's id and where its token comes
    from, and the networks.

    `save` writes them and returns a problem in plain words, or "": on a problem the form
    stays, with what was typed, and says it."""

    def __init__(self, kind: str, save: Callable[[NewProfile], Awaitable[str]]) -> None:
        super().__init__()
        self.kind, self.save = kind, save

    def compose(self) -> ComposeResult:
        meta = self.kind == "meta"
        with Vertical() as box:
            box.border_title = "Add a Meta Page" if meta else "Add an Ayrshare profile"
            yield Input(placeholder="Name, e.g. Acme Coffee", id="profile-name")
            if meta:
                yield Input(placeholder="Page id (digits, from the Page's About)", id="page-id")
                yield Input(
                    placeholder="Token: an environment variable's name, or a command that prints it",
                    id="page-token",
                )
            else:
                yield Input(
                    placeholder="Profile-Key (leave empty for the Primary Profile)",
                    password=True,
                    id="profile-key",
                )
            platforms = [p for p in Platform if not meta or p is not Platform.TWITTER]
            yield SelectionList(
                *((p.label, p.value, True) for p in platforms), id="profile-platforms"
            )
            hint = META_FORM_HINT if meta else FORM_HINT
            yield Static(hint, classes="hint", id="profile-hint", markup=False)

    def _value(self, selector: str) -> str:
        found = self.query(f"#{selector}")
        return found.first(Input).value.strip() if found else ""

    @work(exclusive=True, exit_on_error=False)
    async def action_save(self) -> None:  # type: ignore[override]  # a worker: it checks the key
        new = NewProfile(
            name=self._value("profile-name"),
            platforms=list(self.query_one("#profile-platforms", SelectionList).selected),
            profile_key=self._value("profile-key"),
            page_id=self._value("page-id"),
            token_from=self._value("page-token"),
        )
        if not (new.name and new.platforms):
            return
        if self.kind == "meta" and not (new.page_id and new.token_from):
            self.query_one("#profile-hint", Static).update(
                "A Meta Page needs its id and where its token comes from."
            )
            return
        if problem := await self.save(new):
            self.query_one("#profile-hint", Static).update(problem)
        else:
            self.dismiss(new.name)


class ProfileManager(SurfacesWorkerErrors, Dialog[None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close"),
        Binding("a", "add", "Add"),
        Binding("r", "rename", "Rename"),
        Binding("d", "remove", "Remove"),
    ]

    def __init__(
        self,
        profiles: Callable[[], list[Profile]],
        add: Callable[[NewProfile], Awaitable[str]],
        rename: Callable[[str, str], Awaitable[str]],
        remove: Callable[[str], Awaitable[str]],
    ) -> None:
        super().__init__()
        # (not self.remove: that is Widget.remove, which Textual calls on close)
        self.profiles, self._add, self._rename, self._remove = profiles, add, rename, remove

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Profiles"
            yield PickList(markup=False, id="profiles")
            yield Static(HELP, classes="hint", id="profiles-hint", markup=False)

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#profiles", OptionList).focus()

    def _fill(self) -> None:
        options = self.query_one("#profiles", OptionList)
        keep = options.highlighted or 0
        options.set_options(
            Option(
                Content.assemble(
                    (p.name, "bold"),
                    "  ",
                    (", ".join(pl.label for pl in p.platforms), "$foreground-muted"),
                    (f"  · {kind_of(p)}", "$foreground-muted"),
                ),
                id=p.name,
            )
            for p in self.profiles()
        )
        if options.option_count:
            options.highlighted = min(keep, options.option_count - 1)

    def _current(self) -> str | None:
        options = self.query_one("#profiles", OptionList)
        index = options.highlighted
        return options.get_option_at_index(index).id if index is not None else None

    def _done(self, problem: str) -> None:
        self.query_one("#profiles-hint", Static).update(problem or HELP)
        self._fill()

    @work(exit_on_error=False)
    async def action_add(self) -> None:
        kind = await self.app.push_screen_wait(KindPicker())
        if kind and await self.app.push_screen_wait(ProfileForm(kind, self._add)) is not None:
            self._done("")

    @work(exit_on_error=False)
    async def action_rename(self) -> None:
        name = self._current()
        if name is None:
            return
        new = await self.app.push_screen_wait(TextPrompt(f"Rename {name}", value=name))
        if new and new != name:
            self._done(await self._rename(name, new))

    @work(exit_on_error=False)
    async def action_remove(self) -> None:
        name = self._current()
        if name is not None and await self.app.push_screen_wait(
            Confirm(
                f"Remove {name} from the config? Its stored conversations stay on disk.",
                yes="Remove",
            )
        ):
            self._done(await self._remove(name))

    @on(OptionList.OptionSelected, "#profiles")
    def _selected(self) -> None:
        self.action_rename()
