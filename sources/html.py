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
# The tree builder looks through the open elements for most tags, so its work on a page is at
# most its tags times its depth. A page whose counted bound keeps that within this budget (about
# 0.04 s of the parser's time, as deep as such a page can nest; real pages need up to 18 million)
# is parsed without the tag-by-tag scan, and refused after the parse if its tree is too deep.
PARSE_STEPS = 20_000_000
TOO_DEEP = f"HTML nested deeper than {MAX_DEPTH} levels: not parsed"
TOO_LARGE = f"HTML makes more than {MAX_ELEMENTS:,} elements: not parsed"
# Elements below this many levels under <html>: most trees have none, and checking for them
# costs little, so the check for the limit's depth is made only when they exist.
_SHALLOW = 64


def parsed_tree(html: str | bytes) -> tuple[LexborHTMLParser | None, str | None]:
    """The page's tree, or None and why the HTML parser must not build it: a tree too deep or too
    large (its cost grows with depth times size); `html` is the text, or its UTF-8 bytes.

    Counts bound the tree of almost every page within the element limit and the parser's work
    within PARSE_STEPS; then the page is parsed and its depth read from the tree (a template's
    content, which the tree's selectors do not search, bounded by its size). Any other page
    (or one of more than COUNTED_TAGS tags) is scanned tag by tag the way the tree builder reads
    it (`tree_shape`) before it is parsed.
    """
    tags = html.count(b"<") if isinstance(html, bytes) else html.count("<")
    tree = None
    if tags <= COUNTED_TAGS:
        bound = tree_bound(html, PARSE_STEPS // max(tags, 1), MAX_ELEMENTS, tags=tags)
        if bound.elements <= MAX_ELEMENTS and bound.depth * tags <= PARSE_STEPS:
            tree = LexborHTMLParser(html)
            if bound.depth <= MAX_DEPTH:
                return tree, None
            if _too_deep(tree):
                return None, TOO_DEEP
            if all(_within_the_limit(template) for template in tree.css("template")):
                return tree, None
    shape = tree_shape(html, MAX_DEPTH, MAX_ELEMENTS)
    if shape.depth > MAX_DEPTH:
        return None, TOO_DEEP
    if shape.elements > MAX_ELEMENTS:
        return None, TOO_LARGE
    return tree or LexborHTMLParser(html), None


def _within_the_limit(template: LexborNode) -> bool:
    """Whether a template's content (which the selectors do not search) surely stays within the
    depth limit: it nests no deeper than it has elements, each written with a `<`."""
    depth, parent = 1, template.parent
    while parent is not None:
        depth, parent = depth + 1, parent.parent
    return depth + (template.html or "").count("<") <= MAX_DEPTH


def _too_deep(tree: LexborHTMLParser) -> bool:
    """Whether an element lies more than MAX_DEPTH levels deep (`<html>` is level 1); the long
    selector is compiled only for a tree deeper than `_SHALLOW`."""
    return all(
        tree.css_first("html" + " > *" * depth) is not None for depth in (_SHALLOW, MAX_DEPTH)
    )


def node_text(node: LexborNode | None) -> str:
    """A node's text as a browser shows it ("" for no node)."""
    return clean_text(node.text(deep=True)) if node is not None else ""


def page_tree(body: bytes, encoding: str | None) -> tuple[LexborHTMLParser | None, list[str]]:
    """The page's tree and decoding problems; no tree (and the reason) for an empty or hostile page."""
    html, utf8, problems = decoded(body, encoding)
    if not html or html.isspace():  # (strip would copy the page)
        return None, [*problems, "empty page"]
    tree, refused = parsed_tree(body if utf8 else html)
    return tree, [*problems, refused] if refused else problems
