"""Text as a browser shows it."""

from __future__ import annotations


def clean_text(text: str | None) -> str:
    """Collapse runs of whitespace (as a browser does) and trim."""
    if not text:
        return ""
    # The common cases without splitting and joining (which makes an object per word): " " is the
    # one printable whitespace character, so printable text without a double space is clean once
    # trimmed; inside text, a no-break space is a space.
    trimmed = text.strip()
    if "\xa0" in trimmed:
        trimmed = trimmed.replace("\xa0", " ")
    if trimmed.isprintable() and "  " not in trimmed:
        return trimmed
    return " ".join(trimmed.split())
