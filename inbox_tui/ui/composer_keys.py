"""The composer's keys: $EDITOR, a media URL, a saved reply, back to the list.

Bound on the composer's text area from `keymap.COMPOSER_KEYS`; the thread pane runs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widget import Widget

from inbox_tui.reply_rules import send_problems

if TYPE_CHECKING:
    from inbox_tui.config.model import SavedReply
    from inbox_tui.store import ConversationRow
    from inbox_tui.ui.shell import Shell
    from inbox_tui.ui.widgets.composer import Composer


class ComposerKeys(Widget):
    """Mixed into `ThreadPane` (whose composer and draft they change)."""

    class Left(Message):
        """The user left the composer: the list takes the focus."""

    if TYPE_CHECKING:  # what ThreadPane gives it
        reply_to: ConversationRow | None
        media: list[str]
        just_attached: bool

        @property
        def shell(self) -> Shell: ...
        @property
        def composer(self) -> Composer: ...
        def save_draft_now(self) -> None: ...
        def composer_status(self) -> None: ...

    def action_leave_composer(self) -> None:
        self.save_draft_now()
        if not self.composer.area.text.strip() and not self.media:
            self.composer.remove_class("-open")
        self.post_message(self.Left())

    @work(group="editor", exit_on_error=False)
    async def action_open_editor(self) -> None:
        from inbox_tui.ui.editor import edit_in_editor

        if self.app.is_web:  # the editor would start on the server, where no one sees it
            self.notify(
                "$EDITOR is not available in a browser session: write the reply here.",
                severity="warning",
                markup=False,
            )
            return
        area = await self.composer.make_area()
        text = await edit_in_editor(self.app, area.text)
        if text is None:
            return
        area.load_text(text)
        self.composer.add_class("-open")
        area.focus()

    @work(group="attach", exit_on_error=False)
    async def action_attach_media(self) -> None:
        row = self.reply_to
        if row is None:
            return
        from inbox_tui.ui.screens.dialogs import TextPrompt

        def check(url: str) -> str:
            if url == "-":
                return ""
            return "; ".join(
                p for p in send_problems(row.platform, [url], "x") if "exactly one" not in p
            )

        current = ", ".join(self.media) or "none"
        url = await self.app.push_screen_wait(
            TextPrompt(
                "Attach a media URL",
                placeholder="https://…/photo.jpg",
                hint=f"Attached: {current}. Enter - to remove the last one.",
                check=check,
            )
        )
        if url == "-":
            self.media = self.media[:-1]
        elif url:
            self.media.append(url)
            self.just_attached = True
        self.save_draft_now()
        self.composer_status()
        (await self.composer.make_area()).focus()

    @work(group="saved-replies", exit_on_error=False)
    async def action_saved_replies(self) -> None:
        row = self.reply_to
        if row is None:
            return
        from inbox_tui.ui.screens.saved_replies import SavedRepliesScreen

        profile = self.shell.config.profile(row.profile)

        async def save(replies: list[SavedReply]) -> str:
            return await self.shell.change_config(
                "set_saved_replies", row.profile, [r.model_dump() for r in replies]
            )

        text = await self.app.push_screen_wait(SavedRepliesScreen(profile.saved_replies, row, save))
        if text:
            area = await self.composer.make_area()
            self.composer.add_class("-open")
            area.insert(text)
            area.focus()
