"""What a Graph answer says about standing with Meta: its usage headers (how close to being
throttled) and its errors, read as the provider's typed errors in plain words."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import httpx

from inbox_tui.config.model import DEFAULT_GRAPH_VERSION
from inbox_tui.providers.base import (
    ApiError,
    AuthError,
    ForbiddenError,
    OutsideWindow,
    ProviderError,
    RateLimited,
    SendRefused,
)
from inbox_tui.text import clean_line

THROTTLE_PAUSE = timedelta(minutes=5)  # when Meta throttles without saying until when
_RATE_CODES = {4, 17, 32, 613} | set(range(80000, 80015))
# Code 10 with these subcodes: "This message is sent outside of allowed window" (the Messenger
# Platform's error-code table lists the first two; the third is what the Send API answers
# for a RESPONSE past 24 hours).
_OUTSIDE_WINDOW = {2018065, 2534022, 2018278}
_DEPRECATED_VERSION = {12, 2635}  # "deprecated for versions…", "deprecated version of the API"


def parse_usage(headers: httpx.Headers) -> tuple[float, float]:
    """(highest usage in percent, minutes until access returns) from both usage headers."""
    usage, regain = 0.0, 0.0
    for name in ("x-app-usage", "x-page-usage", "x-business-use-case-usage"):
        try:
            value = json.loads(headers.get(name) or "null")
        except ValueError:
            continue
        entries = [value] if isinstance(value, dict) and "call_count" in value else []
        if isinstance(value, dict) and not entries:
            entries = [e for group in value.values() if isinstance(group, list) for e in group]
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            for key in ("call_count", "total_cputime", "total_time"):
                if isinstance(entry.get(key), int | float):
                    usage = max(usage, float(entry[key]))
            if isinstance(entry.get("estimated_time_to_regain_access"), int | float):
                regain = max(regain, float(entry["estimated_time_to_regain_access"]))
    return usage, regain


def slowdown(usage: float) -> int:
    """How many times the normal pace to wait: more as usage nears Meta's 100 % limit."""
    return 1 if usage < 50 else 2 if usage < 75 else 4 if usage < 90 else 8


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _reference(error: dict, code: int | None, sub: int | None) -> str:
    """What Meta said, for the user and a support ticket: its words for people first
    (`error_user_title` / `error_user_msg`), then the developer message, codes and trace."""
    title = clean_line(str(error.get("error_user_title") or ""))[:120]
    user = clean_line(str(error.get("error_user_msg") or ""))[:300]
    said = clean_line(str(error.get("message") or ""))[:300]
    trace = clean_line(str(error.get("fbtrace_id") or ""))[:40]
    for_people = " ".join(part for part in (f"{title}:" if title and user else title, user) if part)
    codes = f"code {code}{f'/{sub}' if sub else ''}" if code is not None else ""
    details = "; ".join(part for part in (said, codes, trace and f"fbtrace_id {trace}") if part)
    return (f" Meta says: {for_people}" if for_people else "") + (
        f" (Meta: {details})" if details else ""
    )


def error_for(
    status: int, body: Any, *, now: datetime, regain_minutes: float, version: str = ""
) -> ProviderError:
    """A Graph error (`error.code`, `error_subcode`, `fbtrace_id`) in plain words."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return ApiError(f"Meta answered HTTP {status} without an error body.", status_code=status)
    code, sub = _int(error.get("code")), _int(error.get("error_subcode"))
    ref = _reference(error, code, sub)
    if code in _DEPRECATED_VERSION:
        return ForbiddenError(
            f"Meta refused Graph API {version or 'this version'}: it is deprecated. Set "
            f'[meta] graph_version to a current one (for example "{DEFAULT_GRAPH_VERSION}").' + ref
        )
    if code == 190:
        return AuthError(
            "The Page access token has expired or was revoked: make a new one and put it where "
            "the config takes it from (access_token_env or access_token_command)." + ref
        )
    if code == 10 and sub in _OUTSIDE_WINDOW:
        return OutsideWindow(
            "Outside Meta's 24-hour window: the person last wrote more than 24 hours ago, so a "
            "standard reply is not allowed." + ref
        )
    if error.get("is_transient") is True:
        transient = ApiError(
            "Meta had a temporary problem; it will be tried again." + ref,
            status_code=status,
            code=code,
        )
        transient.retryable = True
        return transient
    if code in _RATE_CODES:
        until = now + (timedelta(minutes=regain_minutes) if regain_minutes else THROTTLE_PAUSE)
        return RateLimited(
            f"Meta is throttling this app: waiting until it lets go.{ref}", until=until
        )
    if code in (3, 10) or (code is not None and 200 <= code <= 299):
        return ForbiddenError(
            "A permission is missing: the token needs pages_messaging and pages_manage_metadata "
            "(and instagram_manage_messages for Instagram)." + ref
        )
    refusals = {
        551: "This person is not available (they blocked the Page or deactivated their account).",
        10900: "This was already replied to.",
        10903: "This person cannot be replied to.",
        10904: "Messaging is turned off for this Page: turn it on in the Page's settings.",
    }
    if code in refusals:
        return SendRefused(refusals[code] + ref)
    if code == 2 or status >= 500:
        return ApiError(
            "Meta had a temporary problem." + ref, status_code=max(status, 503), code=code
        )
    return ApiError(f"Meta refused the request.{ref}", status_code=status, code=code)
