"""The optional log file (`--log PATH`): 0600, and every configured secret scrubbed."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from inbox_tui.config.paths import private_dir

REDACTED = "[secret]"


class SecretFilter(logging.Filter):
    """Replaces the secrets' text anywhere in a record's final message."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so a secret inside another is not left half shown.
        self.secrets = sorted({s for s in secrets if len(s) >= 4}, key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, REDACTED)
        record.msg, record.args = message, None
        if record.exc_info:
            text = logging.Formatter().formatException(record.exc_info)
            for secret in self.secrets:
                text = text.replace(secret, REDACTED)
            record.exc_info, record.exc_text = None, text
        return True


def start_log(path: Path, secrets: Iterable[str]) -> None:
    private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
    os.chmod(path, 0o600)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.addFilter(SecretFilter(secrets))
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("inbox_tui", "httpx"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def config_secrets(config) -> list[str]:
    values = [config.ayrshare.api_key, config.ayrshare.x_api_key, config.ayrshare.x_api_secret]
    values += [p.profile_key for p in config.profiles] + [p.access_token for p in config.profiles]
    values.append(config.meta.app_secret)
    return [v.get_secret_value() for v in values if v is not None]
