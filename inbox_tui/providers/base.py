"""The provider protocol and its typed errors.

Every error carries plain words for the status bar (`str(error)`), already sanitised: API
error texts come from a server and are untrusted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from inbox_tui.domain import Conversation, ConversationStatus, Message, Platform

if TYPE_CHECKING:  # the outbox loads this module on the first-frame path; these it never needs
    from inbox_tui.providers.results import (
        AutoResponse,
        Fetched,
        ProfileSummary,
        RateLimit,
        SentMessage,
        UserDetails,
    )


class ProviderError(Exception):
    """Base of every provider failure. `str()` is the message for the user.

    `maybe_sent`: the request may have reached the server and been acted on (a read timeout,
    a reset after sending, a 5xx). A send that fails so must never be retried automatically.
    """

    retryable = True

    def __init__(
        self, message: str, *, rate_limit: RateLimit | None = None, maybe_sent: bool = False
    ) -> None:
        super().__init__(message)
        self.rate_limit = rate_limit
        self.maybe_sent = maybe_sent


class AuthError(ProviderError):
    """401: the API key (or a profile key) is wrong or missing. Retrying will not help."""

    retryable = False


class ForbiddenError(ProviderError):
    """403: not allowed, or the User Profile is suspended."""

    retryable = False


class MessagingNotEnabled(ProviderError):
    """Ayrshare code 361: messaging is not activated for this User Profile."""

    retryable = False


class SendRefused(ProviderError):
    """The API refused a send for a reason the user must act on (window closed, thread held
    by another app, monthly cap, X keys missing). The message says what to do."""

    retryable = False


class OutsideWindow(SendRefused):
    """The platform's reply window has closed for this conversation (Meta's 24 hours)."""


class RateLimited(ProviderError):
    """429: over the per-profile request budget. `until` is when to try again."""

    def __init__(
        self, message: str, *, until: datetime | None = None, rate_limit: RateLimit | None = None
    ) -> None:
        super().__init__(message, rate_limit=rate_limit)
        self.until = until


class ApiError(ProviderError):
    """Any other error the API reported (flat `code`/`message` or nested `errors[]`)."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: int | None = None,
        rate_limit: RateLimit | None = None,
    ) -> None:
        super().__init__(message, rate_limit=rate_limit, maybe_sent=status_code >= 500)
        self.status_code = status_code
        self.code = code
        self.retryable = status_code >= 500 or status_code == 408


class NetworkError(ProviderError):
    """The request did not complete: DNS, connect, reset, timeout (see `maybe_sent`)."""


class MalformedResponse(ProviderError):
    """The server answered, but not with JSON of the documented shape (or too much of it).
    Nothing from such an answer is stored."""


class RefusedRequest(ProviderError):
    """A request this app would not send: its URL left the configured host (an id from an
    answer that is a URL), so a key would have gone elsewhere. Nothing was sent."""

    retryable = False


class SharedLabels(Protocol):
    """Labels the platform keeps as well, on a person (a Meta Page's Custom Labels, on the
    platforms `platform_rules.SHARED_LABELS` names)."""

    async def of_person(self, person: str) -> list[str]: ...

    async def put_on(self, person: str, label: str) -> None: ...

    async def take_off(self, person: str, label: str) -> None: ...


class MessagingProvider(Protocol):
    """What the sync engine and the UI need from a provider, per profile."""

    archives: bool  # False: archive is this app's alone (Meta); nothing to fetch as archived
    cached: bool  # True: answers come from a cache window (Ayrshare's nextUpdate)

    @property
    def labels(self) -> SharedLabels | None:
        """None: labels are this app's alone (Ayrshare has none)."""
        ...

    async def conversations(
        self, platform: Platform, status: ConversationStatus
    ) -> Fetched[list[Conversation]]: ...

    async def messages(
        self,
        platform: Platform,
        status: ConversationStatus = ConversationStatus.ACTIVE,
        conversation_id: str | None = None,
    ) -> Fetched[list[Message]]: ...

    def parts(self, platform: Platform, text: str, media_urls: Sequence[str]) -> int:
        """How many requests a reply takes (Meta: one per attachment beside the text)."""
        ...

    async def send(
        self,
        platform: Platform,
        recipient_id: str,
        text: str,
        media_urls: Sequence[str] = (),
        *,
        first_part: int = 0,
        part_sent: Callable[[str], Awaitable[None]] | None = None,
        past_standard_window: bool = False,
    ) -> SentMessage:
        """Send the parts from `first_part` on, calling `part_sent` with each one's message id
        as it goes out. `past_standard_window`: the person wrote more than 24 hours ago (Meta
        then tags a Human Agent Page's reply)."""
        ...

    async def set_status(
        self, platform: Platform, conversation_id: str, status: ConversationStatus
    ) -> None: ...

    async def auto_response(self) -> AutoResponse: ...

    async def set_auto_response(self, settings: AutoResponse) -> AutoResponse: ...

    async def user(self) -> UserDetails: ...

    async def profiles(self) -> Fetched[list[ProfileSummary]]: ...

    async def aclose(self) -> None: ...
