"""What tells the parser a text may hold template junk: every key the parser strips contains one of
`TEMPLATE_JUNK_MARKS`, so text without them is left as it is, without running the pattern."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from sources.espreso.template import TEMPLATE_JUNK, TEMPLATE_JUNK_MARKS, junk_free
from sources.text import clean_text

PIECES = st.sampled_from(
    [
        "client/",
        "client",
        "/",
        "title.",
        "list_title",
        "list",
        "_title",
        "{{",
        "{",
        "}}",
        "x",
        " ",
        "\n",
        "\u00a0",
    ]
)


@given(st.lists(PIECES | st.text(max_size=3), max_size=12).map("".join))
@example("client/title.list_title")
@example("a {{ key }} b")
@example("{{}}")
def test_every_match_holds_a_mark_and_junk_free_is_the_pattern_removed(text: str) -> None:
    for found in TEMPLATE_JUNK.finditer(text):
        assert any(mark in found.group() for mark in TEMPLATE_JUNK_MARKS), found.group()
    assert junk_free(text) == clean_text(TEMPLATE_JUNK.sub(" ", text))


def test_junk_free_strips_keys_and_keeps_the_rest() -> None:
    assert junk_free(" Ціни  client/title.list_title зросли {{ x }} ") == "Ціни зросли"
    assert junk_free("client/title.list_title") == ""
    assert junk_free(" Що твориться з цінами ") == "Що твориться з цінами"
