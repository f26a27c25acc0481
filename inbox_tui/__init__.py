"""inbox-tui: a keyboard-driven terminal inbox for social direct messages."""

__version__ = "0.1.0"
