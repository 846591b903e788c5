"""Why a request gave no usable answer: the kinds of failure, and the errors the HTTP client raises.

Our exception hierarchy (each error's text is what `fetch_log` stores and the logs show):

* FetchError
  + Timeout ........... no complete answer in time (`timeout: ReadTimeout`); retried
    - BudgetSpent ..... the run's fetch budget is spent (`timeout: run fetch budget of 600 s spent`)
  + TransportError .... the connection failed or broke (`ConnectError: ...`); retried
  + HTTPStatusError ... an answer that is not 200 or 304 (`HTTP 503`); retried for RETRY_STATUSES
  + Blocked ........... a Cloudflare challenge page (`blocked: Cloudflare challenge (HTTP 503)`)
  + TooLarge .......... a body past the size cap, cut off (`body larger than 5000000 bytes: cut off`)
  + EmptyBody ......... a 200 without a body
  + Refused ........... never requested: not a URL, or outside the site (`refused: ...`)
    - Disallowed ...... robots.txt disallows it (`disallowed by robots.txt`)
  + BadLocation ....... a redirect's Location is not a URL to follow (`bad header: Location ...`)
  + RedirectOffSite ... a redirect to another site, not followed
  + TooManyRedirects .. more than MAX_REDIRECTS redirects

Only Timeout (but not BudgetSpent), TransportError and some HTTPStatusError are worth another try.
The client never lets one escape: `SiteClient.fetch` records it in `Fetched.error` (its text) and
`Fetched.failure` (its `FailureKind`), and the run summary counts failures by kind.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import ClassVar

# Retrying these can succeed; other 4xx cannot.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


class FailureKind(StrEnum):
    """What kind of failure a request had, as the run summary and `v_failures` name it (an HTTP
    status is named `HTTP <status>`: see `failure_name`)."""

    TIMEOUT = "timeout"
    HTTP_STATUS = "HTTP"
    REFUSED = "refused"
    TOO_LARGE = "too large"
    BLOCKED = "blocked"
    BAD_HEADER = "bad header"
    CAPPED = "capped"
    CONNECTION = "connection"
    PARSE_PROBLEM = "parse problem"
    OTHER = "other"


def failure_name(kind: FailureKind, status: int | None) -> str:
    """The kind's name in counts: `HTTP 503` for an HTTP status, else the kind's value."""
    return f"HTTP {status}" if kind is FailureKind.HTTP_STATUS else kind.value


# How a stored error text begins → its kind, in this order (after `HTTP <status>`). Migration 008
# gives fetch_log rows logged before kinds were stored their kind the same way (a test keeps the two
# equal).
_TEXT_KINDS = (
    ("timeout", FailureKind.TIMEOUT),
    ("refused", FailureKind.REFUSED),
    ("disallowed", FailureKind.REFUSED),
    ("body larger", FailureKind.TOO_LARGE),
    ("blocked", FailureKind.BLOCKED),
    ("bad header", FailureKind.BAD_HEADER),
    ("capped", FailureKind.CAPPED),
)
_HTTP_STATUS = re.compile(r"HTTP \d+")


def stored_failure(error: str, status: int | None) -> FailureKind:
    """The kind of an error as `fetch_log` stores it, read from its text: for records that carry
    no kind (archives written before kinds were recorded), as migration 008 does in SQL."""
    if _HTTP_STATUS.match(error):
        return FailureKind.HTTP_STATUS
    for prefix, kind in _TEXT_KINDS:
        if error.startswith(prefix):
            return kind
    if status is None:
        return FailureKind.CONNECTION
    if status == 200 and not error.startswith("empty body"):
        return FailureKind.PARSE_PROBLEM
    return FailureKind.OTHER


class FetchError(Exception):
    """A request that gave no usable answer; `str(error)` is the text `fetch_log` stores."""

    kind: ClassVar[FailureKind] = FailureKind.OTHER

    @property
    def retryable(self) -> bool:
        """Whether another try can succeed."""
        return False


class Timeout(FetchError):
    """No complete answer within the timeouts or the request's deadline."""

    kind = FailureKind.TIMEOUT

    @property
    def retryable(self) -> bool:
        return True


class BudgetSpent(Timeout):
    """The run's fetch budget was spent before the request was done (or made)."""

    @property
    def retryable(self) -> bool:
        return False


class TransportError(FetchError):
    """The connection failed or broke before a complete answer (reset, truncated body)."""

    kind = FailureKind.CONNECTION

    @property
    def retryable(self) -> bool:
        return True


class HTTPStatusError(FetchError):
    """An answer with a status that is not 200 or 304."""

    kind = FailureKind.HTTP_STATUS

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.status in RETRY_STATUSES


class Blocked(FetchError):
    """A Cloudflare challenge page instead of content: not retried, recorded as blocked."""

    kind = FailureKind.BLOCKED

    def __init__(self, status: int) -> None:
        super().__init__(f"blocked: Cloudflare challenge (HTTP {status})")


class TooLarge(FetchError):
    """A body past the client's size cap: cut off there."""

    kind = FailureKind.TOO_LARGE

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"body larger than {max_bytes} bytes: cut off")


class EmptyBody(FetchError):
    """A 200 answer without a body."""

    def __init__(self) -> None:
        super().__init__("empty body")


class Refused(FetchError):
    """A request never made: its URL cannot be requested or is outside the site."""

    kind = FailureKind.REFUSED


class Disallowed(Refused):
    """A request robots.txt does not allow."""

    def __init__(self) -> None:
        super().__init__("disallowed by robots.txt")


class BadLocation(FetchError):
    """A redirect whose Location cannot be followed (not ASCII, too long, not a URL)."""

    kind = FailureKind.BAD_HEADER

    def __init__(self, fault: str) -> None:
        super().__init__(f"bad header: Location not followed ({fault})")


class RedirectOffSite(FetchError):
    """A redirect to another origin: never followed."""

    def __init__(self, target: str) -> None:
        super().__init__(f"redirect off site to {target} not followed")


class TooManyRedirects(FetchError):
    """A chain of more redirects than the client follows."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} redirects")
