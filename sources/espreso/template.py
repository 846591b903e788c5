"""What Espreso's page templates leave in text that is not content: untranslated template keys
(`client/title.list_title`, `{{ ... }}`) and the text of its share and comment widgets.

The parser strips keys (`TEMPLATE_JUNK`); the quality gate's suites quarantine a row whose text
still holds any of `TEMPLATE_JUNK_PATTERNS` (`expectations/gate.py` fills them in where a suite
says `{"$SITE_RULE": "<name>"}`, by the names in `SITE_RULES`).
"""

from __future__ import annotations

import re
from typing import Final

from sources.text import clean_text

# Untranslated template keys, as the suites search for them.
TEMPLATE_KEYS: Final = (r"client/[\w.]+", r"\{\{.*?\}\}", "list_title")
# The share and comment widgets' text, when it lands inside a field.
WIDGET_TEXT: Final = (
    "Share to (?:facebook|twitter)",
    "Read Espreso in Telegram",
    "Leave a comment",
    "Поділитися:",
)
TEMPLATE_JUNK_PATTERNS: Final = TEMPLATE_KEYS + WIDGET_TEXT
# What the parser removes from a field: narrower than the suites' patterns on purpose. Removing
# text changes a field, so it takes keys only as whole words (`\b`: never a piece of a longer
# word) and leaves widget text to the gate, which keeps such a row out by name.
TEMPLATE_JUNK: Final = re.compile(r"client/[\w.]+|\{\{.*?\}\}|\blist_title\b")
# What every match of TEMPLATE_JUNK contains: text with none of them has nothing to strip.
TEMPLATE_JUNK_MARKS: Final = ("client/", "{{", "list_title")

# The pattern lists a suite can name.
SITE_RULES: Final[dict[str, tuple[str, ...]]] = {
    "template_keys": TEMPLATE_KEYS,
    "widget_text": WIDGET_TEXT,
    "template_junk": TEMPLATE_JUNK_PATTERNS,
}


def junk_free(text: str) -> str:
    """The text with template keys removed; "" when nothing else is left."""
    if not any(mark in text for mark in TEMPLATE_JUNK_MARKS):
        return clean_text(text)  # a substring test is far cheaper than the pattern's scan
    return clean_text(TEMPLATE_JUNK.sub(" ", text))


def only_junk(raw: str, cleaned: str) -> str:
    """What a problem adds when a field had text but all of it was template keys ("" otherwise)."""
    return f": it is only template junk {raw[:80]!r}" if raw and not cleaned else ""
