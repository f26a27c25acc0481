"""The app's own keys (a pane's are the pane's): profiles (switch, next unread across them,
manage), search, refresh, auto-response, response times, help."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.app import App

from inbox_tui.domain import ConversationStatus
from inbox_tui.store import View, ref_key
from inbox_tui.ui.format import duration

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from inbox_tui.config.model import Config
    from inbox_tui.search import SearchHit
    from inbox_tui.store import Store
    from inbox_tui.sync import SyncEngine
    from inbox_tui.ui.list_pane import ListPane
    from inbox_tui.ui.thread_pane import ThreadPane


class AppKeys(App[None]):
    """Mixed into `InboxApp`, which owns the profile in scope (the list, the status bar and
    the sync engine's focus follow it)."""

    if TYPE_CHECKING:  # what InboxApp gives it
        profile: str | None
        store: Store
        clock: Callable[[], datetime]

        engine: SyncEngine | None

        @property
        def config(self) -> Config: ...
        @property
        def profile_names(self) -> tuple[str, ...]: ...
        @property
        def meta_profiles(self) -> tuple[str, ...]: ...
        def brand_style(self, profile: str) -> str: ...
        @property
        def list_pane(self) -> ListPane: ...
        @property
        def thread_pane(self) -> ThreadPane: ...
        def update_status(self) -> None: ...
        def refocus_engine(self) -> None: ...
        def restart_sync(self) -> str: ...
        async def change_config(self, change: str, *args: object) -> str: ...
        @property
        def profiles_in_scope(self) -> tuple[str, ...]: ...
        @property
        def scope_label(self) -> str: ...

    async def _unread_by_profile(self) -> dict[str, int]:
        """Unread conversations in the Active view, per profile (off the event loop)."""
        counts = await asyncio.to_thread(self.store.unread_counts, self.clock())
        per: dict[str, int] = {}
        for (profile, _), n in counts.items():
            per[profile] = per.get(profile, 0) + n
        return per

    async def action_switch_profile(self) -> None:
        from inbox_tui.ui.screens.profile_switcher import ALL_PROFILES, ProfileSwitcher

        unread = await self._unread_by_profile()
        profiles = [(p.name, unread.get(p.name, 0)) for p in self.config.profiles]
        current = self.profile if self.profile is not None else ALL_PROFILES
        self.push_screen(ProfileSwitcher(profiles, current), self._profile_chosen)

    def _profile_chosen(self, choice: str | None) -> None:
        from inbox_tui.ui.screens.profile_switcher import ALL_PROFILES

        if choice is None:
            return
        name = None if choice == ALL_PROFILES else choice
        if name != self.profile:
            self.switch_to_profile(name)

    def switch_to_profile(self, name: str | None, keep: str | None = None) -> None:
        self.thread_pane.save_draft_now()
        self.profile = name
        self.refocus_engine()
        self.list_pane.forget_rows()
        self.thread_pane.clear()
        self.list_pane.reload(delay=0, keep=keep)
        self.list_pane.reload_filters()
        self.update_status()

    async def action_next_unread(self) -> None:
        """The next unread row here; past the end, the next profile that has one."""
        pane = self.list_pane
        if pane.next_unread_here():
            return
        if self.profile is not None and pane.view is View.ACTIVE:
            unread = await self._unread_by_profile()
            names = [p.name for p in self.config.profiles]
            start = names.index(self.profile)
            for name in names[start + 1 :] + names[:start]:
                if unread.get(name):
                    rows = await asyncio.to_thread(
                        self.store.conversations,
                        (name,),
                        View.ACTIVE,
                        None,
                        now=self.clock(),
                        unread_only=True,
                    )
                    pane.platform_filter, pane.unread_only = "all", False
                    self.switch_to_profile(name, keep=rows[0].key)
                    self.notify(f"Next unread is in {name}.", markup=False)
                    return
        current = pane.conversation_list.current
        if current is None or not current.unread:
            self.notify("No unread conversations.", markup=False)

    def action_manage_profiles(self) -> None:
        from inbox_tui.config.edit import NewProfile
        from inbox_tui.ui.screens.profile_manager import ProfileManager

        async def add(new: NewProfile) -> str:
            return await self.change_config("add_profile", new) or self.restart_sync()

        async def rename(old: str, new: str) -> str:
            problem = await self.change_config("rename_profile", old, new)
            if problem:
                return problem
            await asyncio.to_thread(self.store.rename_profile, old, new)
            if self.profile == old:
                self.profile = new
            return self.restart_sync()

        async def remove(name: str) -> str:
            if len(self.config.profiles) == 1:
                return "The last profile cannot be removed."
            problem = await self.change_config("remove_profile", name)
            if problem:
                return problem
            if self.profile == name:
                self.profile = self.config.profiles[0].name
            return self.restart_sync()

        self.push_screen(ProfileManager(lambda: self.config.profiles, add, rename, remove))

    def action_refresh(self) -> None:
        if self.engine is None:
            self.notify("Sync is not running.", markup=False, severity="warning")
            return
        first = self.engine.refresh_now()
        wait = (first - self.clock()).total_seconds()
        if wait > 1:
            self.notify(
                f"Refreshing in {duration(wait)}: Ayrshare serves cached data until then "
                "(60 s for Facebook and Instagram, 15 s for X).",
                markup=False,
            )
        else:
            self.notify("Refreshing…", markup=False)
        self.update_status()

    def action_auto_response(self) -> None:
        from inbox_tui.ui.screens.auto_response import AutoResponseScreen

        row = self.list_pane.conversation_list.current
        profile = self.profile or (row.profile if row else self.config.profiles[0].name)
        if profile in self.meta_profiles:
            self.notify(
                f"{profile} is a Meta Page: its instant replies live in Meta Business Suite "
                "(Inbox → Automations), which the Graph API does not change.",
                markup=False,
                title="Auto-response",
            )
            return
        self.push_screen(
            AutoResponseScreen(
                profile, lambda: self.engine.providers.get(profile) if self.engine else None
            )
        )

    def action_search(self) -> None:
        from inbox_tui.ui.screens.search import SearchScreen

        self.push_screen(
            SearchScreen(self.store, self.clock, profiles=self.profile_names),
            self._search_chosen,
        )

    def _search_chosen(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        view = View.ARCHIVED if hit.status is ConversationStatus.ARCHIVED else View.ACTIVE
        self.list_pane.show_everything_in(view)  # the hit shows, whatever the filters
        if self.profile is not None:
            self.profile = hit.profile
        self.refocus_engine()
        self.thread_pane.clear()
        key = ref_key(hit.ref)
        self.list_pane.open_hit(key, hit.message_id)

    def action_response_times(self) -> None:
        from inbox_tui.ui.screens.response_times import ResponseTimesScreen

        if not isinstance(self.screen, ResponseTimesScreen):
            self.push_screen(
                ResponseTimesScreen(self.store, self.clock(), self.profile_names, self.brand_style)
            )

    def action_help(self) -> None:
        from inbox_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
