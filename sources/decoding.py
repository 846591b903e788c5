"""A page's bytes as text: the charset the answer declared, then a `<meta charset>`, then UTF-8."""

from __future__ import annotations

import codecs
import re

_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, list[str]]:
    """Bytes → text: the declared charset, then a `<meta charset>`, then UTF-8 with replacement."""
    html, _, problems = decoded(body, declared)
    return html, problems


def decoded(body: bytes, declared: str | None) -> tuple[str, bool, list[str]]:
    """`decode_html`, and whether the bytes were valid UTF-8 (the HTML parser then reads them as
    they are, which saves it encoding the text back)."""
    candidates = [declared] if declared else []
    meta = _CHARSET.search(body[:4096])
    if meta:
        candidates.append(meta.group(1).decode("ascii", "replace"))
    for encoding in [*candidates, "utf-8"]:
        try:
            return body.decode(encoding), codecs.lookup(encoding).name == "utf-8", []
        except (LookupError, UnicodeError):  # "undefined" is a codec that always raises
            continue
    return (
        body.decode("utf-8", "replace"),
        False,
        ["page is not valid UTF-8 and declares no usable charset"],
    )
