"""The counted bound subtracts tag pairs (`<x>text</x>`) from the depth, and formatting elements
written as pairs (`<b>text</b>`) from those that may be rebuilt: on hostile soups full of pairs
and of what could fool a pair (attributes, comments, raw text, formatting, foreign content,
integration points) it never measures less than the scan or than lexbor builds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from sources.tree_shape import TreeShape, tree_bound, tree_shape

PIECES = st.sampled_from(
    [
        "<div>", "</div>", "<span>", "</span>", "<span>x</span>", "<div a='</div>'>x</div>",
        "<b>x</b>", "<b>", "</b>", "<p>", "<p>x</p>", "</p>", "<a href=\"y\">x</a>", "<a>",
        "<li>x</li>", "<td>x</td>", "<tr>x</tr>", "<table>", "<svg>", "<title>x</title>",
        "<desc>x</desc>", "<mi>x</mi>", "<math>", "<foreignObject>x</foreignObject>",
        "<select>x</select>", "<form>x</form>", "<template>x</template>", "<!--", "-->",
        "<script>", "</script>", "<textarea>x</textarea>", "<plaintext>x</plaintext>", "x",
        "<x/>x</x>", "<br>x</br>", "<a\u212a>x</ak>", "<DIV>x</div>", "<div/>", "</x>",
        "<strong>x</strong>", "<i x=1>x</i>", "<b a='<i>'>x</b>", "<b a='", "'>", "<!-- <b>",
        "<em>x</em>", "<B>x</b>", "<nobr>x</nobr>", "<s>x</s>", "<u>", "</u>", "<td>",
    ]
)  # fmt: skip


def lexbor_shape(html: str) -> TreeShape:
    """The deepest element lexbor builds (its root element at depth 1) and how many it builds."""
    deepest, elements, stack = 0, 0, [(LexborHTMLParser(html).root, 1)]
    while stack:
        node, depth = stack.pop()
        if node is None:
            continue
        if node.tag and not node.tag.startswith("-"):
            deepest = max(deepest, depth)
            elements += 1
        child = node.child
        while child is not None:
            stack.append((child, depth + 1))
            child = child.next
    return TreeShape(deepest, elements)


def lexbor_depth(html: str) -> int:
    """The deepest element lexbor builds, its root element at depth 1."""
    return lexbor_shape(html).depth


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(PIECES, max_size=80))
def test_the_bound_with_pairs_is_never_below_the_scan_or_lexbor(pieces: list[str]) -> None:
    page = "".join(pieces)
    for html in (page, page.encode()):
        bound = tree_bound(html, 0)  # a limit of 0 makes it subtract end tags and pairs
        shape = tree_shape(html, 10**6, 10**7)
        assert bound.depth >= shape.depth
        assert bound.elements >= shape.elements
        real = lexbor_shape(page)
        assert bound.depth >= real.depth - 1  # as test_tree_shape compares them
        assert bound.elements >= real.elements


def test_pairs_take_their_depth_off_the_bound_once_each_but_one() -> None:
    page = "<div>" * 5 + "<span>x</span>" * 100 + "<i>y</i>" * 50
    assert tree_bound(page, 0) == TreeShape(2 + 5 + 1, tree_bound(page, 10**6).elements)


def test_a_pair_named_apart_by_a_non_ascii_letter_is_not_a_pair() -> None:
    # The Kelvin sign lower-cases to `k` in Python, never in the tokenizer: `</ak>` closes nothing.
    page = "<a\u212a>x</ak>" * 50
    assert tree_bound(page, 0).depth == 2 + 50
    assert lexbor_depth(page) == 2 + 50


def test_formatting_written_as_pairs_is_never_rebuilt() -> None:
    # 400 bold words in a paragraph: none is left open, so no later tag or text rebuilds them.
    page = "<p>" + "<b>word</b> " * 400 + "</p>" + "<div>x</div>" * 1000
    paired = tree_bound(page, 10**6).elements
    assert paired == 3 + 2802 + 32 * 800 + (2 * 2802 + 1) * 1
    assert lexbor_shape(page).elements == 2 + 1 + 400 + 1000 + 1  # html, head, body, p, b, div
    # Left open, each of them may be (the bound counts them all).
    unpaired = tree_bound(page.replace("</b>", "</i>"), 10**6).elements
    assert unpaired == 3 + 2802 + 32 * 800 + (2 * 2802 + 1) * 401
