"""An HTML page as a tree, once its bytes are decoded and its nesting is known to be safe to parse."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sources.decoding import decoded
from sources.text import clean_text
from sources.tree_shape import tree_bound, tree_shape

# Real pages nest 15 levels deep and make about 1,000 elements (the tree builder's count).
MAX_DEPTH = 1000
# A page of 10,000 feed rows makes 90,000; at the depth limit, this many cost the parser ~0.5 s.
MAX_ELEMENTS = 200_000
# Past this many tags (real pages have 2,000) counts would not clear a page: it is scanned at
# once, and the scan stops at the first limit passed.
COUNTED_TAGS = 20_000


def nesting_problem(html: str | bytes) -> str | None:
    """Why a page would make the HTML parser build a tree too deep or too large to parse (its cost
    grows with depth times size), or None; `html` is the text, or its UTF-8 bytes.

    Counts bound the tree of almost every page well within the limits; only a page they cannot
    clear (or one of more than COUNTED_TAGS tags) is scanned tag by tag the way the tree builder
    reads it (`tree_shape`).
    """
    tags = html.count(b"<") if isinstance(html, bytes) else html.count("<")
    if tags <= COUNTED_TAGS:
        bound = tree_bound(html, MAX_DEPTH)
        if bound.depth <= MAX_DEPTH and bound.elements <= MAX_ELEMENTS:
            return None
    shape = tree_shape(html, MAX_DEPTH, MAX_ELEMENTS)
    if shape.depth > MAX_DEPTH:
        return f"HTML nested deeper than {MAX_DEPTH} levels: not parsed"
    if shape.elements > MAX_ELEMENTS:
        return f"HTML makes more than {MAX_ELEMENTS:,} elements: not parsed"
    return None


def node_text(node: LexborNode | None) -> str:
    """A node's text as a browser shows it ("" for no node)."""
    return clean_text(node.text(deep=True)) if node is not None else ""


def page_tree(body: bytes, encoding: str | None) -> tuple[LexborHTMLParser | None, list[str]]:
    """The page's tree and decoding problems; no tree (and the reason) for an empty or hostile page."""
    html, utf8, problems = decoded(body, encoding)
    if not html.strip():
        return None, [*problems, "empty page"]
    too_deep = nesting_problem(body if utf8 else html)
    if too_deep:
        return None, [*problems, too_deep]
    return LexborHTMLParser(body if utf8 else html), problems
