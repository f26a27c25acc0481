"""inbox-tui: a keyboard-driven terminal inbox for social direct messages."""

import logging

# Records go to `--log` only: without a handler, Python's last resort would print warnings
# (an answer of an unknown shape, a crash's traceback) on the terminal.
logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> str:
    """`__version__`, from the installed package's metadata (the one version: pyproject's),
    read when asked: importlib.metadata costs ~20 ms that the app's start does not pay."""
    if name == "__version__":
        from importlib.metadata import version

        return version("inbox-tui")
    raise AttributeError(name)
