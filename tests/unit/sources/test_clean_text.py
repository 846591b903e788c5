"""Text as a browser shows it: every run of whitespace (any Unicode space, tab, newline, no-break
space) is one space, and none is left at either end, whichever way `clean_text` gets there."""

from __future__ import annotations

import sys

from hypothesis import example, given
from hypothesis import strategies as st

from sources.text import clean_text

WHITESPACE = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]


def test_the_one_printable_whitespace_character_is_the_space() -> None:
    assert [c for c in WHITESPACE if c.isprintable()] == [" "]


@given(
    st.lists(
        st.sampled_from([*WHITESPACE, "a", "Ж", "é", "\x00", "\u200b"]) | st.text(max_size=4)
    ).map("".join)
)
@example("\n    Чинники\xa0інфляції.\n  ")
@example("a\xa0 b")
@example("\xa0")
def test_clean_text_is_split_and_joined(text: str) -> None:
    assert clean_text(text) == " ".join(text.split())


def test_known_values() -> None:
    assert clean_text("\n      Чинники  інфляції.\n") == "Чинники інфляції."
    assert clean_text("Ціни\xa0зросли") == "Ціни зросли"
    assert clean_text(" \t\n") == ""
    assert clean_text(None) == ""
