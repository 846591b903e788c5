"""Text as a browser shows it."""

from __future__ import annotations


def clean_text(text: str | None) -> str:
    """Collapse runs of whitespace (as a browser does) and trim."""
    return " ".join(text.split()) if text else ""
