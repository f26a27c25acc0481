"""The user's keys, theme and brand colours: `[keys]`, `theme` and each profile's `color` in
the config, applied before the first frame; a theme picked in the command palette is written
back to the config (in place, with its comments), once the picking has stopped."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from textual.color import Color
    from textual.theme import Theme

    from inbox_tui.config.in_use import ConfigInUse

SAVE_AFTER = 1.0  # seconds without another pick (the palette previews each one it passes)


class ThemeAndKeys(App[None]):
    """Mixed into `InboxApp`, which owns the config in use."""

    if TYPE_CHECKING:
        settings: ConfigInUse

    brand_colors: dict[str, Color] = {}

    def brand_style(self, profile: str) -> str:
        """A Content style for the brand's name: bold, in its colour where it has one."""
        colour = self.brand_colors.get(profile)
        return f"bold {colour.hex}" if colour is not None else "bold"

    def apply_brand_colors(self) -> None:
        """Each profile's `color`, checked against Textual's colours (a wrong one is said once
        and left out, never a reason not to start)."""
        from textual.color import Color, ColorParseError

        colours: dict[str, Color] = {}
        for profile, name in self.settings.colors.items():
            try:
                colours[profile] = Color.parse(name)
            except ColorParseError as error:
                self.notify(
                    f"{self.settings.path or 'The config'}: the color of profile {profile!r}: "
                    f"{error}. Use a colour name such as darkorange or a hex colour such as "
                    "#1e90ff.",
                    severity="warning",
                    markup=False,
                    timeout=20,
                )
        self.brand_colors = colours

    def apply_theme_and_keys(self) -> None:
        self.apply_brand_colors()
        if self.settings.keys:
            self.set_keymap(self.settings.keys)
        theme = self.settings.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            self.notify(
                f"{self.settings.path or 'The config'}: theme = {theme!r} is not a Textual "
                f"theme; choose one of: {', '.join(sorted(self.available_themes))}.",
                severity="warning",
                markup=False,
                timeout=20,
            )
        self.theme_changed_signal.subscribe(self, self._theme_picked)

    def _theme_picked(self, theme: Theme) -> None:
        if self.settings.path is None or theme.name == self.settings.theme:
            return  # the demo saves nothing; the config's own theme is already there
        self.run_worker(
            self._save_theme(theme.name), group="theme", exclusive=True, exit_on_error=False
        )

    async def _save_theme(self, name: str) -> None:
        await asyncio.sleep(SAVE_AFTER)
        if problem := await self.settings.change("set_theme", name):
            self.notify(problem, severity="warning", markup=False)
