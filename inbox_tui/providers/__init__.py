"""Providers: the only code that talks HTTP. They return domain models and typed errors."""
