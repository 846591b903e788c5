"""The site's template-junk patterns: what the parser strips is always what the gate catches."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from sources.espreso.template import TEMPLATE_JUNK, TEMPLATE_JUNK_PATTERNS, TEMPLATE_KEYS

PIECES = st.sampled_from(
    ["client/", "title.", "list_title", "{{", "}}", "x", "_", ".", " ", "/", "Share to facebook"]
)
GATE = [re.compile(p) for p in TEMPLATE_JUNK_PATTERNS]


@given(st.lists(PIECES | st.text(max_size=3), max_size=12).map("".join))
@example("client/title.list_title")
@example("a {{ key }} b")
@example("list_title")
def test_what_the_parser_strips_the_gate_catches(text: str) -> None:
    for found in TEMPLATE_JUNK.finditer(text):
        assert any(p.search(found.group()) for p in GATE), found.group()


def test_the_parser_strips_keys_only_as_whole_words_and_never_widget_text() -> None:
    assert TEMPLATE_JUNK.sub("|", "a client/title.list_title b {{x}} list_title") == "a | b | |"
    assert TEMPLATE_JUNK.search("playlist_titles") is None
    assert any(re.search(p, "playlist_titles") for p in TEMPLATE_KEYS)
    assert TEMPLATE_JUNK.search("Share to facebook") is None
    assert any(re.search(p, "Share to facebook") for p in TEMPLATE_JUNK_PATTERNS)
