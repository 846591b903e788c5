"""Template junk: keys of the site's templates (`client/...`, `{{...}}`, `list_title`) that leak
into a page's text instead of the words they stand for."""

from __future__ import annotations

import re

from sources.text import clean_text

TEMPLATE_JUNK = re.compile(r"client/[\w.]+|\{\{.*?\}\}|\blist_title\b")


def junk_free(text: str) -> str:
    """The text with template keys removed; "" when nothing else is left."""
    return clean_text(TEMPLATE_JUNK.sub(" ", text))


def only_junk(raw: str, cleaned: str) -> str:
    """What a problem adds when a field had text but all of it was template keys ("" otherwise)."""
    return f": it is only template junk {raw[:80]!r}" if raw and not cleaned else ""
