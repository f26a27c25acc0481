"""inbox-tui: a keyboard-driven terminal inbox for social direct messages."""

import logging

__version__ = "0.1.0"

# Records go to `--log` only: without a handler, Python's last resort would print warnings
# (an answer of an unknown shape, a crash's traceback) on the terminal.
logging.getLogger(__name__).addHandler(logging.NullHandler())
