"""The thread pane: the open thread and, under it, the composer.

It owns what is on screen of one conversation: its newest window of messages, the reply
being written (drafts are saved on every change), the outbox parts and their states. What
the platform allows is decided by `reply_rules`; this pane shows it. Rows of the list it
changed (a draft's ✎, a reply sent) go up as `RowsChanged`; the app has the list read them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual import on, work
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message

from inbox_tui.reply_rules import (
    ProfileRules,
    ReplyWindow,
    check_reply,
    replied_this_month,
    send_problems,
)
from inbox_tui.store import ConversationRow, Draft, OutboxState
from inbox_tui.ui.composer_keys import ComposerKeys
from inbox_tui.ui.format import duration
from inbox_tui.ui.pasted import clean_area
from inbox_tui.ui.widgets.composer import Composer, status_line
from inbox_tui.ui.widgets.thread_view import ThreadView
from inbox_tui.ui.worker_errors import SurfacesWorkerErrors

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from inbox_tui.ui.shell import Shell

THREAD_DEBOUNCE = 0.06  # fast scrolling never loads the threads in between
THREAD_WINDOW = 100  # messages read per step: long threads open as fast as short ones


class ThreadPane(ComposerKeys, SurfacesWorkerErrors, Vertical):
    class RowsChanged(Message):
        """A row is to be read again (a draft marker, a reply's state)."""

    def __init__(self, current: Callable[[], ConversationRow | None], **kwargs) -> None:
        """`current`: the row under the list's cursor, which this pane follows."""
        super().__init__(**kwargs)
        self.current = current
        self._limit = THREAD_WINDOW
        self.reply_to: ConversationRow | None = None  # the conversation the composer writes to
        self.window: ReplyWindow | None = None
        self.recipient = ""  # whom the reply in the composer goes to (see reply_recipient)
        self.media: list[str] = []
        self.just_attached = False  # the enter that confirmed a media URL must not send too
        self.send_armed = False  # (the next one does: the composer says so)
        self._reply_when_loaded = False
        self._hit: tuple[str, str] | None = None  # (key, message id) to open at, until shown

    def compose(self):
        yield ThreadView(id="thread")
        yield Composer(id="composer")

    @property
    def shell(self) -> Shell:
        return cast("Shell", self.app)

    @property
    def thread_view(self) -> ThreadView:
        return self.query_one("#thread", ThreadView)

    @property
    def composer(self) -> Composer:
        return self.query_one("#composer", Composer)

    def on_mount(self) -> None:
        self.thread_view.clear_thread()

    def clear(self) -> None:
        self.thread_view.clear_thread()

    # -- the thread -----------------------------------------------------------------------------

    def open_at(self, key: str, message_id: str) -> None:
        """Open the thread at a message (a search hit). Kept until it is shown: the list's
        highlight of the same row asks for the thread too, and may come after."""
        self._hit = (key, message_id)
        self.load(key, delay=0, message_id=message_id)

    @work(exclusive=True, group="thread", exit_on_error=False)
    async def load(
        self,
        key: str,
        delay: float = THREAD_DEBOUNCE,
        message_id: str | None = None,
        more: bool = False,
    ) -> None:
        """Read the thread's newest window (`more`: one window further back) and show it."""
        if delay:
            await asyncio.sleep(delay)
        row = self.current()
        if row is None or row.key != key:
            return
        if message_id is None and self._hit is not None and self._hit[0] == key:
            message_id = self._hit[1]
        shell = self.shell
        await shell.config_ready.wait()  # the reply window depends on the profile's provider
        shown = self.thread_view.row
        if shown is None or shown.key != key:
            self._limit = THREAD_WINDOW
        elif more:
            self._limit += THREAD_WINDOW
        limit = self._limit
        thread, outbox, draft, replied = await asyncio.to_thread(self._read, row, limit, message_id)
        if draft is not None:
            await self.composer.make_area()  # to show the draft in
        self._limit = max(limit, len(thread.messages))
        current = self.current()
        if current is None or current.key != key:
            return  # stale: the highlight moved while we read
        now = shell.clock()
        recipient, window = check_reply(
            current,
            thread.messages,
            ProfileRules.of(shell.config, current.profile),
            now,
            replied=replied,
            refused_at=shell.outbox.window_refused.get(current.ref),
        )
        note = (
            f"window closes in {duration((window.closes_at - now).total_seconds())}"
            if (window.can_reply and window.closes_at)
            else ("window closed" if window.closes_at else "")
        )
        self.thread_view.show(
            current,
            thread,
            current.profile,
            now,
            focus_message=message_id,
            outbox=outbox,
            window_note=note,
            brand_style=shell.brand_style(current.profile),
        )
        self._attach_composer(current, draft, window, recipient)
        if message_id is not None and self._hit == (key, message_id):
            self._hit = None  # shown at it: later reads follow the reader
        if shell.engine is not None:
            shell.engine.watch_thread(row.profile, row.platform, row.id, row.status)

    def _read(self, row: ConversationRow, limit: int, message_id: str | None):
        """Everything the thread pane and the composer need, read in one go (in a thread)."""
        shell = self.shell
        store = shell.store
        return (
            store.thread(row.ref, limit, including=message_id),
            store.outbox_for(row.ref),
            store.draft(row.ref),
            replied_this_month(store, shell.config, row.profile, shell.clock()),
        )

    @on(ThreadView.WantsOlder)
    def _older(self, event: ThreadView.WantsOlder) -> None:
        self.load(event.key, delay=0, more=True)

    def _refresh(self, row: ConversationRow) -> None:
        current = self.current()
        if current is not None and current.key == row.key:
            self.load(row.key, delay=0)

    # -- the composer ---------------------------------------------------------------------------

    def _attach_composer(
        self, row: ConversationRow, draft: Draft | None, window: ReplyWindow, recipient: str
    ) -> None:
        """The composer follows the thread on screen; a draft keeps it open."""
        if self.reply_to is None or self.reply_to.key != row.key:
            if self.reply_to is not None:
                self.save_draft_now()
            self.reply_to = row
            self.media = list(draft.media_urls) if draft else []
            if self.composer.has_area:  # made by now if there is a draft
                area = self.composer.area
                with area.prevent(area.Changed):
                    area.load_text(draft.text if draft else "")
            self.composer.set_class(draft is not None, "-open")
        self.reply_to = row
        self.window = window
        self.recipient = recipient
        self.composer_status()
        if self._reply_when_loaded:
            self._reply_when_loaded = False
            self.run_worker(self.action_reply(), group="reply", exit_on_error=False)

    def composer_status(self) -> None:
        row, window = self.reply_to, self.window
        if row is None or window is None:
            return
        line = status_line(
            row,
            window,
            self.shell.clock(),
            brand_style=self.shell.brand_style(row.profile),
            media=self.media,
            text=self.composer.area.text if self.composer.has_area else "",
            armed=self.send_armed,
        )
        self.composer.show_status(line, blocked=not window.can_reply)

    async def action_reply(self) -> None:
        row = self.current()
        if row is None:
            return
        if self.reply_to is None or self.reply_to.key != row.key:
            self._reply_when_loaded = True  # the thread is still loading: reply once it is
            self.load(row.key, delay=0)
            return
        area = await self.composer.make_area()
        self.composer.add_class("-open")
        # Toasts up now (a platform's error when it first appeared) would cover the line that
        # says to whom and as which brand: they go (the `!` panel keeps the errors).
        self.app.clear_notifications()
        if self.window is not None and not self.window.can_reply:
            self.notify(self.window.reason, severity="warning", markup=False, title="Cannot reply")
            return
        area.focus()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """Every change is written at once (one row, ~0.1 ms in WAL mode): a kill -9 loses at
        most the keys typed since the last change the app saw, never a pause's worth."""
        event.stop()
        clean_area(event.text_area)
        if self.composer.has_area and event.text_area is self.composer.area:
            self.just_attached = self.send_armed = False
            self.composer_status()  # the count of what is written
            self.save_draft_now()

    def save_draft_now(self) -> None:
        """Drafts are small: one row, written at once, so leaving never loses a word."""
        if self.reply_to is None or not self.composer.has_area:
            return  # no reply area yet: nothing was written here
        had = self.reply_to.has_draft
        draft = Draft(self.composer.area.text, tuple(self.media))
        self.shell.store.save_draft(self.reply_to.ref, draft, self.shell.clock())
        if had != bool(draft.text.strip() or draft.media_urls):
            self.post_message(self.RowsChanged())  # the ✎ marker

    def on_reply_area_submitted(self) -> None:
        row, window = self.reply_to, self.window
        text = self.composer.area.text.strip()
        if row is None or window is None or (not text and not self.media):
            return
        if self.just_attached:  # enter once more, on purpose, after the media dialog's enter
            self.just_attached, self.send_armed = False, True
            self.composer_status()
            return
        self.send_armed = False
        if not window.can_reply:
            self.notify(window.reason, severity="warning", markup=False, title="Cannot reply")
            return
        problems = send_problems(row.platform, self.media, text)
        if problems:
            self.notify("\n".join(problems), severity="warning", markup=False, title="Not sent")
            return
        if self.shell.engine is None:
            self.notify(
                "Sync is off: replies cannot go out. The draft is kept.",
                severity="warning",
                markup=False,
            )
            return
        draft = Draft(text, tuple(self.media))
        self.media = []
        with self.composer.area.prevent(self.composer.area.Changed):
            self.composer.area.load_text("")
        self.composer_status()
        self.send_reply(row, self.recipient, draft)

    # -- sending --------------------------------------------------------------------------------

    @work(group="send", exit_on_error=False)
    async def send_reply(self, row: ConversationRow, recipient: str, draft: Draft) -> None:
        shell = self.shell
        send = asyncio.ensure_future(shell.outbox.send(row.ref, recipient, draft))
        await asyncio.sleep(0.05)  # stored and under way: show it as "sending"
        self._refresh(row)
        item = await send
        self._refresh(row)
        self.post_message(self.RowsChanged())
        if item.state is OutboxState.ACCEPTED and shell.engine is not None:
            shell.engine.reread_thread(row.profile, row.id)
        if item.state is OutboxState.ACCEPTED:
            self.notify(
                f"To {row.participant_name or '(unknown)'} on {row.platform.label}, "
                f"as {row.profile}.",
                markup=False,
                title="Sent",
                timeout=4,
            )
        elif item.state is OutboxState.FAILED:
            self.notify(item.error, severity="error", markup=False, title="Not sent (R retries)")
        elif item.state is OutboxState.UNKNOWN:
            self.notify(item.error, severity="warning", markup=False, title="May not have gone out")

    @work(group="send", exit_on_error=False)
    async def action_retry_reply(self) -> None:
        local_id = self.thread_view.highlighted_outbox
        row = self.thread_view.row
        if local_id is None or row is None:
            self.notify("Put the cursor on a reply that did not go out.", markup=False)
            return
        item = self.shell.store.outbox_item(local_id)
        confirmed = False
        if item is not None and item.state is OutboxState.UNKNOWN:
            from inbox_tui.ui.screens.dialogs import Confirm

            confirmed = await self.app.push_screen_wait(
                Confirm(
                    "This reply may already have gone out. Send it again? They could get it twice.",
                    yes="Send again",
                )
            )
            if not confirmed:
                return
        await self.shell.outbox.retry(local_id, confirmed_unknown=confirmed)
        self._refresh(row)
        self.post_message(self.RowsChanged())

    async def action_discard_reply(self) -> None:
        local_id = self.thread_view.highlighted_outbox
        row = self.thread_view.row
        if local_id is None or row is None:
            return
        draft = await self.shell.outbox.discard(local_id)
        if draft is not None:
            self.reply_to = None  # re-attach with the restored draft
            self._refresh(row)
            self.post_message(self.RowsChanged())
            self.notify("The reply is back in the draft.", markup=False)

    def action_copy_message(self) -> None:
        """The message under the thread's cursor, its links and attachments after it, through
        the terminal (OSC 52: over ssh too, where the terminal allows it)."""
        from inbox_tui.ui.screens.links import links_in

        message = self.thread_view.highlighted_message
        if message is None:
            self.notify("Put the cursor on a message to copy it.", markup=False)
            return
        attached = [a.url for a in message.attachments]
        links = links_in(message.text, attached)
        extra = [url for url in attached if url not in message.text]  # its links are in it
        self.app.copy_to_clipboard("\n".join([message.text, *extra]).strip())
        what = f" and {len(links)} link{'s' if len(links) != 1 else ''}" if links else ""
        self.notify(f"Copied the message{what} to the clipboard.", markup=False)

    @work(group="links", exit_on_error=False)
    async def action_open_link(self) -> None:
        """Links of the message under the thread's cursor; http(s) only, after a yes."""
        from inbox_tui.ui.screens.dialogs import Confirm
        from inbox_tui.ui.screens.links import LinkPicker, links_in

        view = self.thread_view
        option = (
            view.get_option_at_index(view.highlighted) if view.highlighted is not None else None
        )
        if option is None:
            return
        urls = links_in(
            option.prompt.plain if isinstance(option.prompt, Content) else str(option.prompt), []
        )
        if not urls:
            self.notify("No link or attachment in this message.", markup=False)
            return
        url = await self.app.push_screen_wait(LinkPicker(urls))
        if not url:
            return
        if await self.app.push_screen_wait(Confirm(f"Open in your browser?\n\n{url}", yes="Open")):
            self.app.open_url(url)
