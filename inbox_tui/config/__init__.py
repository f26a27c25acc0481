"""The config file, in four parts, from cheap to dear:

- `paths`: where it lives, the environment it reads, the quick read of a config that
  validated before (no pydantic: a third of the first frame's cost);
- `model`: the pydantic models, the contract of every key;
- `load`: reading and validating, with errors that name the file, the key and the fix;
- `edit`: changes made from the app (tomlkit, in place) and files written whole.

This module holds only `ConfigError`, so that importing any part stays cheap.
"""

from __future__ import annotations


class ConfigError(Exception):
    """A config problem, worded for the person who has to fix it."""
