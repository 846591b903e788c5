"""Response headers are untrusted bytes: their text, and the checks ETag, Last-Modified,
Content-Type and Location pass before they are used, stored or sent back. Pure functions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import quote_from_bytes

from sources.urls import MAX_URL_LENGTH

# ETag, Last-Modified and Content-Type values longer than this are not real ones.
MAX_HEADER_CHARS = 256

# A header value that is not all ASCII keeps visible ASCII as it is and escapes every other byte
# (and `%`) as %XX: the text says exactly which bytes came, and the WARC archive stores it unchanged.
_KEPT = bytes(b for b in range(0x20, 0x7F) if b != ord("%"))
_ESCAPED_NOT_ASCII = re.compile(r"%[89a-fA-F][0-9a-fA-F]")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_ENTITY_TAG = re.compile(r'(W/)?"[\x21\x23-\x7e]*"')
_MEDIA_TYPE = re.compile(
    r"[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*[ \t]*(;.*)?", re.ASCII | re.DOTALL
)
_CHARSET = re.compile(r';[ \t]*charset[ \t]*=[ \t]*"?([^";]*)"?', re.IGNORECASE)


def header_text(raw: bytes) -> str:
    """A header value as text, whatever its bytes: ASCII as it is, any other byte as a %XX escape."""
    return raw.decode("ascii") if raw.isascii() else quote_from_bytes(raw, safe=_KEPT)


def _fault(text: str, limit: int) -> str | None:
    if not text.isascii():
        return "non-ASCII bytes"
    if _CONTROL.search(text):
        return "a control character"
    if len(text) > limit:
        return f"longer than {limit} characters"
    return None


def value_fault(value: str, limit: int = MAX_HEADER_CHARS) -> str | None:
    """Why a header value as `header_text` gives it cannot be used as it is (None when it can):
    bytes that were not ASCII (escaped or not), a control character, or more than `limit` characters."""
    return "non-ASCII bytes" if _ESCAPED_NOT_ASCII.search(value) else _fault(value, limit)


def checked_etag(value: str | None) -> tuple[str | None, str | None]:
    """An ETag fit to send back in `If-None-Match` (None when absent or unfit), and why it was dropped."""
    if value is None:
        return None, None
    fault = value_fault(value) or (
        None if _ENTITY_TAG.fullmatch(value) else "not a quoted entity tag"
    )
    return (None, f"bad header: ETag dropped ({fault})") if fault else (value, None)


def checked_last_modified(value: str | None) -> tuple[str | None, str | None]:
    """A Last-Modified date in the HTTP form (`Mon, 27 Oct 2025 10:00:00 GMT`), fit to send back in
    `If-Modified-Since` (None when absent or unfit), and why it was dropped."""
    if value is None:
        return None, None
    fault = value_fault(value)
    when = None if fault else _http_date(value)
    if when is None:
        return None, f"bad header: Last-Modified dropped ({fault or 'not an HTTP date'})"
    return format_datetime(when.astimezone(UTC), usegmt=True), None


def _http_date(value: str) -> datetime | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when if when.tzinfo else None


def checked_charset(content_type: str | None) -> tuple[str | None, str | None]:
    """The character set a Content-Type declares when Python can decode with it (else None), and
    why the header was ignored."""
    if content_type is None:
        return None, None
    fault = value_fault(content_type) or (
        None if _MEDIA_TYPE.fullmatch(content_type.strip()) else "not a media type"
    )
    declared = _CHARSET.search(content_type) if fault is None else None
    name = declared.group(1).strip() if declared else None
    if fault is None and name is not None and not _text_codec(name):
        fault = f"unknown charset {name[:40]}"
    if fault:
        return None, f"bad header: Content-Type ignored ({fault})"
    return name or None, None


def _text_codec(name: str) -> bool:
    # A codec that decodes bytes to text: not rot13 or base64, nor one that always raises.
    try:
        b"\\x\xe9".decode(name)
    except UnicodeDecodeError:
        return True
    except (LookupError, ValueError):
        return False
    return True


def location_fault(raw: bytes) -> str | None:
    """Why a redirect's Location (its bytes as sent) cannot be followed, or None."""
    return _fault(raw.decode("latin-1"), MAX_URL_LENGTH)


def header_problems(headers: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """What was wrong with an answer's ETag, Last-Modified and Content-Type (each then unused)."""
    found = dict((k.lower(), v) for k, v in headers)
    return tuple(
        problem
        for check, name in (
            (checked_etag, "etag"),
            (checked_last_modified, "last-modified"),
            (checked_charset, "content-type"),
        )
        if (problem := check(found.get(name))[1])
    )


def header(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    """A header's value, its name matched case-insensitively, or None."""
    lower = name.lower()
    return next((v for k, v in headers if k.lower() == lower), None)
