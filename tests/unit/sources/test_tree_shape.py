"""The depth guard measures the tree the way lexbor builds it: tags written self-closing or
followed by stray end tags nest as deep as the parser nests them and are refused fast, by name;
real pages and legitimate nesting below the limit pass."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from sources.espreso.article import parse_article
from sources.html import MAX_DEPTH, MAX_ELEMENTS, PARSE_STEPS, parsed_tree
from sources.records import ArticleParse
from sources.snapshot_server import SNAPSHOT_DIR
from sources.tree_shape import VOID, TreeShape, tree_bound, tree_shape

SITE = "https://global.espreso.tv"
REAL = Path(__file__).resolve().parents[4] / "shared" / "realdata" / "espreso"
TOO_DEEP = f"HTML nested deeper than {MAX_DEPTH} levels: not parsed"
# Every element of the HTML standard, and some that are not.
TAGS = sorted(
    set(
        [
            "a",
            "abbr",
            "address",
            "area",
            "article",
            "aside",
            "audio",
            "b",
            "base",
            "bdi",
            "bdo",
            "blockquote",
            "body",
            "br",
            "button",
            "canvas",
            "caption",
            "cite",
            "code",
            "col",
            "colgroup",
            "data",
            "datalist",
            "dd",
            "del",
            "details",
            "dfn",
            "dialog",
            "div",
            "dl",
            "dt",
            "em",
            "embed",
            "fieldset",
            "figcaption",
            "figure",
            "footer",
            "form",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "head",
            "header",
            "hgroup",
            "hr",
            "html",
            "i",
            "iframe",
            "img",
            "input",
            "ins",
            "kbd",
            "label",
            "legend",
            "li",
            "link",
            "main",
            "map",
            "mark",
            "menu",
            "meta",
            "meter",
            "nav",
            "noscript",
            "object",
            "ol",
            "optgroup",
            "option",
            "output",
            "p",
            "picture",
            "pre",
            "progress",
            "q",
            "rp",
            "rt",
            "ruby",
            "s",
            "samp",
            "script",
            "search",
            "section",
            "select",
            "slot",
            "small",
            "source",
            "span",
            "strong",
            "style",
            "sub",
            "summary",
            "sup",
            "table",
            "tbody",
            "td",
            "template",
            "textarea",
            "tfoot",
            "th",
            "thead",
            "time",
            "title",
            "tr",
            "track",
            "u",
            "ul",
            "var",
            "video",
            "wbr",
            "applet",
            "marquee",
            "nobr",
            "font",
            "big",
            "tt",
            "strike",
            "center",
            "xmp",
            "listing",
            "custom-tag",
            "x",
        ]
    )
)
NON_VOID = [t for t in TAGS if t not in VOID]
STRAY = ["x", "custom-tag", "br", "img", "body", "html", "table", "tr", "li", "p", "span"]

# Pages of up to 200,000 tags, up to seconds each: CI checks 50, `make test-slow` thousands.
_REFUSAL_EXAMPLES = max(int(os.environ.get("NEWSFLOW_FUZZ_EXAMPLES", "150")) // 3, 50)


def lexbor_shape(html: str) -> TreeShape:
    """What lexbor really builds: the deepest element and the number of elements."""
    tree = LexborHTMLParser(html)
    deepest = elements = 0
    stack = [(tree.root, 1)]
    while stack:
        node, depth = stack.pop()
        if node is None:
            continue
        if node.tag and not node.tag.startswith("-"):
            elements += 1
            deepest = max(deepest, depth)
        child = node.child
        while child is not None:
            stack.append((child, depth + 1))
            child = child.next
    return TreeShape(deepest, elements)


def nesting_problem(html: str | bytes) -> str | None:
    """Why the page's tree is not built, or None."""
    return parsed_tree(html)[1]


def _fastest(run: Callable[[], object]) -> tuple[object, float]:
    """What `run` returns, and its best time of three (the cost, not the machine's other load)."""
    times = []
    for _ in range(3):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return result, min(times)


def _unit(tag: str, stray: str | None) -> str:
    return f"<{tag}/>" if stray is None else f"<{tag}></{stray}>"


def _nests(tag: str, stray: str | None) -> bool:
    """Whether lexbor nests the repeated unit (50 of them make a tree 50 deep)."""
    return lexbor_shape(_unit(tag, stray) * 50).depth >= 50


@settings(max_examples=_REFUSAL_EXAMPLES, deadline=None)
@given(
    tag=st.sampled_from(NON_VOID),
    stray=st.one_of(st.none(), st.sampled_from(STRAY)),
    count=st.integers(MAX_DEPTH + 1, 200_000),
)
def test_tags_written_self_closing_or_with_stray_end_tags_are_refused_fast(
    tag: str, stray: str | None, count: int
) -> None:
    page = ("<html><body>" + _unit(tag, stray) * count).encode()
    problem, elapsed = _fastest(lambda: nesting_problem(page))
    if _nests(tag, stray):
        assert problem == TOO_DEEP
        assert elapsed < 0.1
    else:
        # What the parser does not nest (or nests outside the tree, as <template>) may pass or be
        # refused; its scan is linear (a few microseconds a tag).
        assert problem in (
            None,
            TOO_DEEP,
            f"HTML makes more than {MAX_ELEMENTS:,} elements: not parsed",
        )
        assert elapsed < 5


def test_a_page_two_hundred_thousand_deep_is_refused_in_milliseconds() -> None:
    for unit in (b"<div/>", b"<div></x>", b"<span><div></span>", b"<section/>"):
        page = b"<html><body>" + unit * 200_000
        result, elapsed = _fastest(partial(parse_article, page, f"{SITE}/deep"))
        assert elapsed < 0.1
        assert isinstance(result, ArticleParse)
        assert (result.article, result.problems) == (None, (TOO_DEEP,))


def test_rebuilt_formatting_counts_every_element_the_parser_makes() -> None:
    # 88 KB that make lexbor build ten million elements (each paragraph reopens 900 <b>s).
    page = "<p>" + "".join(f"<b a{i}>" for i in range(900)) + "</p>" + "<p>x</p>" * 10_000
    started = time.perf_counter()
    assert nesting_problem(page) == f"HTML makes more than {MAX_ELEMENTS:,} elements: not parsed"
    # The scan follows each rebuild up to the limit (lexbor takes 6 s on this page).
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("depth", [10, 500, MAX_DEPTH - 3])
def test_legitimate_nesting_below_the_limit_is_accepted(depth: int) -> None:
    page = "<html><body>" + "<div><p>x</p>" * depth + "</div>" * depth + "</body></html>"
    assert nesting_problem(page) is None
    assert tree_shape(page, MAX_DEPTH, MAX_ELEMENTS) == lexbor_shape(page)


def _parsed_without_the_scan(page: str | bytes) -> bool:
    """Whether the counts let the page be parsed without the tag-by-tag scan (its depth is read
    from the tree when the counts cannot bound it within the limit)."""
    tags = page.count(b"<") if isinstance(page, bytes) else page.count("<")
    bound = tree_bound(page, PARSE_STEPS // tags, MAX_ELEMENTS, tags=tags)
    return bound.elements <= MAX_ELEMENTS and bound.depth * tags <= PARSE_STEPS


@pytest.mark.parametrize(
    ("prefix", "unit"),
    [
        ("", "<div>"),
        ("", "<section/>"),
        ("", "<span></x>"),
        ("<div>", "<p><div>"),
        ("<svg>", "<g>"),
        ("<math>", "<mrow>"),
        ("", "<ul><li>"),
        ("<noscript>", "<div>"),
    ],
)
def test_a_page_parsed_without_the_scan_is_refused_exactly_past_the_limit(
    prefix: str, unit: str
) -> None:
    levels = lexbor_shape(prefix + unit * 11).depth - lexbor_shape(prefix + unit * 10).depth
    at_limit = (MAX_DEPTH - lexbor_shape(prefix).depth + 1) // levels
    for count in (at_limit - 1, at_limit, at_limit + 1):
        page = prefix + unit * count
        assert _parsed_without_the_scan(page)
        depth = lexbor_shape(page).depth
        assert nesting_problem(page) == (TOO_DEEP if depth > MAX_DEPTH else None)
        assert (parsed_tree(page)[0] is None) == (depth > MAX_DEPTH)


@pytest.mark.parametrize(
    "page", ["<template>" + "<div>" * 1500, "<p><template><b>x</b>" + "<div>" * 1500]
)
def test_a_deep_template_is_refused_though_the_tree_hides_its_content(page: str) -> None:
    assert _parsed_without_the_scan(page)
    assert nesting_problem(page) == TOO_DEEP


def test_a_page_with_a_small_template_is_parsed_though_its_counts_cannot_bound_its_depth() -> None:
    page = "<div><template><p><b>x</b></p></template></div>" + "<p>x</p>" * 1500
    assert _parsed_without_the_scan(page)
    assert tree_bound(page, PARSE_STEPS // page.count("<")).depth > MAX_DEPTH
    tree, problem = parsed_tree(page)
    assert problem is None
    assert tree is not None and len(tree.css("p")) == 1500


def test_the_deepest_page_parsed_without_the_scan_is_refused_fast() -> None:
    # As many nested <div>s as the parse budget lets through, the parser's slowest case.
    count = int(PARSE_STEPS**0.5) - 10
    page = "<div>" * count
    assert _parsed_without_the_scan(page)
    problem, elapsed = _fastest(lambda: nesting_problem(page))
    assert problem == TOO_DEEP
    assert elapsed < 0.25


def _real_pages() -> list[Path]:
    pages = sorted(SNAPSHOT_DIR.rglob("*.html"))
    return pages + (sorted(REAL.glob("*.html")) if REAL.is_dir() else [])


@pytest.mark.parametrize("path", _real_pages(), ids=lambda p: p.stem[:40])
def test_real_pages_are_measured_exactly_and_need_no_scan(path: Path) -> None:
    body = path.read_bytes()
    bound = tree_bound(body, MAX_DEPTH)
    assert bound.depth <= MAX_DEPTH and bound.elements <= MAX_ELEMENTS
    assert nesting_problem(body) is None
    measured = tree_shape(body, MAX_DEPTH, MAX_ELEMENTS)
    real = lexbor_shape(body.decode())
    assert measured.elements == real.elements
    assert real.depth - 1 <= measured.depth <= real.depth


# Pieces of tag soup: misnesting, tables, formatting, foreign content, comments, raw text, quotes.
SOUP = st.sampled_from(
    [
        "<div>", "</div>", "<span>", "</span>", "<p>", "</p>", "<b>", "</b>", "<b x=1>", "<i>",
        "</i>", "<a>", "</a>", "<li>", "<ul>", "</ul>", "<table>", "<td>", "<tr>", "</table>",
        "<svg>", "</svg>", "<g/>", "<foreignObject>", "<math>", "<mi>", "<annotation-xml>",
        "<div/>", "<x/>", "</x>", "<!--", "-->", "<script>", "</script>", "<style>", "<title>",
        "</title>", "<textarea>", "<select>", "<option>", "<form>", "</form>", "<button>",
        "<h1>", "</h2>", "<dd>", "<dt>", "<template>", "</template>", "<nobr>", '<div a="',
        '">', "<div a='", "'>", "<br>", "</br>", "<img>", "x", " ", "<", ">", "<!x>", "</ >",
    ]
)  # fmt: skip


# The same 300 soups every run: a random draw finds a new corner of the tree builder's rules now
# and then (each found one is fixed in the scan and pinned below), which must not fail CI at random.
@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(SOUP, max_size=60))
def test_the_scan_never_measures_less_than_lexbor_builds(pieces: list[str]) -> None:
    page = "".join(pieces)
    measured = tree_shape(page, 10**6, 10**7)
    real = lexbor_shape(page)
    assert measured.depth >= real.depth - 1  # lexbor's tree has the document node on top
    assert measured.elements >= real.elements
    bound = tree_bound(page, 0)
    assert bound.depth >= measured.depth
    assert bound.elements >= measured.elements


@pytest.mark.parametrize(
    "page",
    [
        "<table><div><td>",  # a cell after content the table fosters out
        '<li><b><li>">',  # text after the last tag reopens formatting
        "<b><div><div><td></b>",  # a cell outside any table is ignored
        "<math><annotation-xml><select><div><select>",  # a MathML annotation's select
        "<math><foreignObject><td>",  # MathML's foreignObject holds MathML
    ],
)
def test_corners_hypothesis_found_measure_at_least_the_tree(page: str) -> None:
    measured = tree_shape(page, 10**6, 10**7)
    real = lexbor_shape(page)
    assert measured.depth >= real.depth - 1
    assert measured.elements >= real.elements
