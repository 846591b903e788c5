"""How deep and how large a tree an HTML tree builder (lexbor, which follows the WHATWG parsing
algorithm) will build from a page, measured by one linear scan of its tags before it is parsed.

Counting `<` and `>` is not enough: the tree builder ignores the slash of `<div/>`, ignores an end
tag that closes nothing (`</x>`) or that a block element stands in the way of (`<span><div></span>`),
and rebuilds unclosed formatting elements (`<b>`, `<i>`, …) inside every later paragraph. The scan
follows those rules closely enough that what it reports is never less than what the builder makes:
where it cannot be exact (misnested formatting, tables, forms, MathML annotations) it keeps an
element open or counts one more, and it skips text the way the tokenizer does (comments, quoted
attribute values, `<script>`, `<style>`, `<textarea>`, `<title>` and the other raw-text elements).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

VOID = frozenset(
    [
        "area",
        "base",
        "basefont",
        "bgsound",
        "br",
        "col",
        "embed",
        "frame",
        "hr",
        "image",
        "img",
        "input",
        "keygen",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
RAW_TEXT = frozenset(
    ["script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"]
)
FORMATTING = frozenset(
    [
        "a",
        "b",
        "big",
        "code",
        "em",
        "font",
        "i",
        "nobr",
        "s",
        "small",
        "strike",
        "strong",
        "tt",
        "u",
    ]
)
HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
# The "special" category of the WHATWG parser: an end tag such as `</span>` does not close
# through one of these.
SPECIAL = frozenset(
    [
        "address",
        "applet",
        "area",
        "article",
        "aside",
        "base",
        "basefont",
        "bgsound",
        "blockquote",
        "body",
        "br",
        "button",
        "caption",
        "center",
        "col",
        "colgroup",
        "dd",
        "details",
        "dir",
        "div",
        "dl",
        "dt",
        "embed",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frame",
        "frameset",
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
        "iframe",
        "img",
        "input",
        "keygen",
        "li",
        "link",
        "listing",
        "main",
        "marquee",
        "menu",
        "meta",
        "nav",
        "noembed",
        "noframes",
        "noscript",
        "object",
        "ol",
        "p",
        "param",
        "plaintext",
        "pre",
        "script",
        "search",
        "section",
        "select",
        "source",
        "style",
        "summary",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "track",
        "ul",
        "wbr",
        "xmp",
        "mi",
        "mo",
        "mn",
        "ms",
        "mtext",
        "annotation-xml",
        "foreignobject",
        "desc",
    ]
)
# Elements that end the "scope" an end tag looks for its element in (SVG and MathML ones included).
SCOPE = frozenset(
    [
        "applet",
        "caption",
        "html",
        "table",
        "td",
        "th",
        "marquee",
        "object",
        "template",
        "mi",
        "mo",
        "mn",
        "ms",
        "mtext",
        "annotation-xml",
        "foreignobject",
        "desc",
        "title",
    ]
)
BUTTON_SCOPE = SCOPE | {"button"}
LIST_SCOPE = SCOPE | {"ol", "ul"}
TABLE_SCOPE = frozenset({"html", "table", "template"})
# What stops `<li>` (and `<dd>`, `<dt>`) from closing an open item.
ITEM_STOP = SPECIAL - {"address", "div", "p"}
# What keeps a new `<table>` from closing the open one: a cell, caption or template inside it.
TABLE_STOP = frozenset({"td", "th", "caption", "template"})
CLOSES_P = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hgroup",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "search",
        "section",
        "summary",
        "ul",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "pre",
        "listing",
        "form",
        "li",
        "dd",
        "dt",
        "plaintext",
        "hr",
        "xmp",
    ]
)
# Start tags that do not rebuild unclosed formatting elements first (every other one, and any
# text, does).
NO_REBUILD = CLOSES_P | frozenset(
    [
        "html",
        "body",
        "head",
        "base",
        "basefont",
        "bgsound",
        "link",
        "meta",
        "noframes",
        "script",
        "style",
        "template",
        "title",
        "frameset",
        "table",
        "param",
        "source",
        "track",
        "textarea",
        "iframe",
        "noembed",
        "caption",
        "col",
        "colgroup",
        "frame",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "rb",
        "rp",
        "rt",
        "rtc",
    ]
)
SCOPED_END = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "button",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "header",
        "hgroup",
        "listing",
        "main",
        "menu",
        "nav",
        "ol",
        "pre",
        "search",
        "section",
        "summary",
        "ul",
        "applet",
        "marquee",
        "object",
        "dd",
        "dt",
        "select",
    ]
)
TABLE_PARTS = frozenset(
    ["table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup"]
)
# Tags that leave SVG or MathML for HTML.
BREAKOUT = frozenset(
    [
        "b",
        "big",
        "blockquote",
        "body",
        "br",
        "center",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "hr",
        "i",
        "img",
        "li",
        "listing",
        "menu",
        "meta",
        "nobr",
        "ol",
        "p",
        "pre",
        "ruby",
        "s",
        "small",
        "span",
        "strong",
        "strike",
        "sub",
        "sup",
        "table",
        "tt",
        "u",
        "ul",
        "var",
        "font",
    ]
)
# SVG and MathML elements whose children are HTML again.
HTML_INSIDE = frozenset(["foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext"])
# Elements an adoption-agency run (a misnested `</b>`) may clone, at most: 8 rounds of 1 + 3.
ADOPTION_CLONES = 32

HTML, FOREIGN, UNSURE = 0, 1, 2
_WS = "\t\n\f\r "
# A tag, exactly as the tokenizer splits it: quotes count only in attribute values.
_ATTRIBUTES = (
    rf"(?:(?:[{_WS}]|/(?!>))++"
    rf"|[^{_WS}/>][^{_WS}/>=]*+(?:[{_WS}]*+=[{_WS}]*+(?:\"[^\"]*+\"|'[^']*+'|[^{_WS}>]*+))?+)*+"
)
_TOKEN_SOURCE = (
    r"<(?:"  # one literal first character, which the regex engine searches for fast
    r"!--(?:-?>|.*?--!?>|.*)"  # a comment ends at its earliest possible end
    r"|[!?][^>]*+(?:>|\Z)"  # doctype, bogus comment, processing instruction
    r"|/(?![a-zA-Z])[^>]*+(?:>|\Z)"
    rf"|(/?)([a-zA-Z][^{_WS}/>]*+){_ATTRIBUTES}(/?)>"
    r"|([a-zA-Z]))"  # a tag the page ends inside: the tokenizer reads no further
)
_TOKEN_TEXT = re.compile(_TOKEN_SOURCE, re.DOTALL)
_TOKEN_BYTES = re.compile(_TOKEN_SOURCE.encode(), re.DOTALL)
_RAW_END_TEXT = {n: re.compile(rf"</{n}[{_WS}/>]", re.IGNORECASE) for n in RAW_TEXT}
_RAW_END_BYTES = {n: re.compile(rf"</{n}[{_WS}/>]".encode(), re.IGNORECASE) for n in RAW_TEXT}
_STOP_KINDS = (SPECIAL, SCOPE, BUTTON_SCOPE, LIST_SCOPE, TABLE_SCOPE, ITEM_STOP, TABLE_STOP)
_IN_SPECIAL, _IN_SCOPE, _IN_BUTTON, _IN_LIST, _IN_TABLE, _IN_ITEM, _IN_CELL = range(7)
# For each name that is in one: the stop kinds it belongs to.
_KINDS = {
    name: tuple(i for i, kind in enumerate(_STOP_KINDS) if name in kind)
    for name in frozenset().union(*_STOP_KINDS)
}
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True, slots=True)
class TreeShape:
    """The deepest nesting and the number of elements the tree builder would reach (the scan
    stops, and these stop growing, as soon as one passes its limit)."""

    depth: int
    elements: int


class _Stack:
    """The stack of open elements, with the positions of each name and of each kind of element an
    end tag cannot close through, so each check is O(1) and each pop is paid for by its push."""

    __slots__ = ("at", "formatting", "names", "pending", "spaces", "stops")

    def __init__(self) -> None:
        self.names: list[str] = []
        self.spaces: list[int] = []
        self.formatting: list[bool] = []
        self.at: dict[str, list[int]] = {}
        self.stops: tuple[list[int], ...] = tuple([] for _ in _STOP_KINDS)
        # Formatting elements closed by something else than their end tag, rebuilt by the next
        # text or inline tag.
        self.pending: dict[str, int] = {}

    def push(self, name: str, space: int) -> None:
        position = len(self.names)
        self.names.append(name)
        self.spaces.append(space)
        self.formatting.append(space == HTML and name in FORMATTING)
        found = self.at.get(name)
        if found is None:
            self.at[name] = [position]
        else:
            found.append(position)
        for kind in _KINDS.get(name, ()):
            self.stops[kind].append(position)

    def top(self, name: str) -> int:
        """Position of the topmost open `name`, -1 if none."""
        found = self.at.get(name)
        return found[-1] if found else -1

    def blocked(self, position: int, kind: int) -> bool:
        """Whether an element of `kind` stands above `position`."""
        stops = self.stops[kind]
        return bool(stops) and stops[-1] > position

    def pop_to(self, position: int, *, closed: str | None = None) -> None:
        """Pop every element from the top down to `position`; formatting elements other than
        the one its own end tag (`closed`) closes stay pending."""
        names, at, stops = self.names, self.at, self.stops
        while len(names) > position:
            name = names.pop()
            self.spaces.pop()
            if self.formatting.pop() and not (len(names) == position and name == closed):
                self.pending[name] = self.pending.get(name, 0) + 1
            at[name].pop()
            for kind in _KINDS.get(name, ()):
                stops[kind].pop()

    def close(self, name: str, kind: int) -> bool:
        """Close the topmost `name` unless an element of `kind` stands above it."""
        position = self.top(name)
        if position < 0 or self.blocked(position, kind):
            return False
        self.pop_to(position, closed=name)
        return True


def tree_shape(html: str | bytes, max_depth: int, max_elements: int) -> TreeShape:
    """The depth and element count the tree builder would reach on `html` (text, or bytes in an
    ASCII-compatible encoding), in one scan of its tags; the scan stops once either passes its
    limit."""
    is_bytes = isinstance(html, bytes)
    pattern: re.Pattern[Any] = _TOKEN_BYTES if is_bytes else _TOKEN_TEXT
    raw_end: dict[str, re.Pattern[Any]] = _RAW_END_BYTES if is_bytes else _RAW_END_TEXT
    stack = _Stack()
    stack.push("html", HTML)
    stack.push("body", HTML)
    names = stack.names
    deepest, elements = 2, 3  # the builder's own <html>, <head> and <body>
    last_end = 0
    tokens: Iterator[re.Match[Any]] = pattern.finditer(html)
    while True:
        match = next(tokens, None)
        if match is None:
            if len(html) > last_end and stack.pending:
                elements += _rebuild(stack)  # so does text after the last tag
                deepest = max(deepest, len(names))
            break
        closing, name, self_closing, cut = match.groups()
        if match.start() > last_end and stack.pending:
            elements += _rebuild(stack)  # text between tags rebuilds formatting
        last_end = match.end()
        if name is None:
            if cut is not None:
                break
            continue
        tag = _lower(name)
        if closing:
            if tag == names[-1] and tag not in FORMATTING and tag not in _HTML_BODY:
                stack.pop_to(len(names) - 1)  # the common case: the current element's end tag
                continue
            elements += _end_tag(stack, tag)
        else:
            added, raw = _start_tag(stack, tag, bool(self_closing))
            elements += added
            if raw is not None:
                if raw == "plaintext":
                    break
                closing_tag = raw_end[raw].search(html, last_end)
                if closing_tag is None:
                    break  # raw text to the end of the page
                last_end = closing_tag.start()
                tokens = pattern.finditer(html, last_end)
        if len(names) > deepest:
            deepest = len(names)
            if deepest > max_depth:
                break
        if elements > max_elements:
            break
    return TreeShape(deepest, elements)


_HTML_BODY = frozenset({"html", "body"})


def _lower(name: str | bytes) -> str:
    """A tag name as the tokenizer keeps it: ASCII letters lower-cased, nothing else changed."""
    if isinstance(name, bytes):
        return name.lower().decode("latin-1")
    return name.lower() if name.isascii() else name.translate(_ASCII_LOWER)


def _rebuild(stack: _Stack) -> int:
    """Reopen the pending formatting elements, as text or an inline tag does."""
    rebuilt = 0
    for name, count in stack.pending.items():
        for _ in range(count):
            stack.push(name, HTML)
        rebuilt += count
    stack.pending.clear()
    return rebuilt


def _space(stack: _Stack, name: str) -> int:
    """The namespace a new element `name` gets (UNSURE inside a MathML annotation, whose
    children may be either), leaving SVG or MathML first when `name` breaks out of it."""
    if not stack.names:
        return FOREIGN if name in ("svg", "math") else HTML
    top, space = stack.names[-1], stack.spaces[-1]
    if space == HTML or (space == FOREIGN and top in HTML_INSIDE):
        return FOREIGN if name in ("svg", "math") else HTML
    if space == UNSURE or top == "annotation-xml":
        return HTML if name in BREAKOUT else UNSURE
    if name not in BREAKOUT:
        return FOREIGN
    while stack.names and stack.spaces[-1] == FOREIGN and stack.names[-1] not in HTML_INSIDE:
        stack.pop_to(len(stack.names) - 1)
    return HTML


def _start_tag(stack: _Stack, name: str, self_closing: bool) -> tuple[int, str | None]:
    """Apply one start tag; return the elements it made and, when its content is raw text (or
    the rest of the page is, for `plaintext`), its name."""
    space = _space(stack, name)
    made = 1
    if name in ("svg", "math") and stack.pending:
        made += _rebuild(stack)
    if space != HTML:
        if space != FOREIGN or not self_closing:
            stack.push(name, space)
        return made, None
    if name in ("html", "body", "frameset") and stack.top(name) >= 0:
        return 0, None
    if name in _TABLE_ONLY and all(stack.top(n) < 0 for n in _TABLE_CONTEXTS):
        return 0, None  # a table's part outside any table: the tree builder ignores it
    if name == "head" and (stack.top("head") >= 0 or stack.top("body") >= 0):
        return 0, None
    if name == "form" and stack.top("form") >= 0:
        return 0, None
    if name == "select" and _html_select_open(stack) and stack.close("select", _IN_SCOPE):
        return 0, None
    if name in CLOSES_P:
        stack.close("p", _IN_BUTTON)
    if name in HEADINGS and stack.names and stack.names[-1] in HEADINGS:
        stack.pop_to(len(stack.names) - 1)
    elif name == "li":
        stack.close("li", _IN_ITEM)
    elif name in ("dd", "dt"):
        item = max(stack.top("dd"), stack.top("dt"))
        if item >= 0 and not stack.blocked(item, _IN_ITEM):
            stack.pop_to(item)
    elif name in ("option", "optgroup") and stack.names and stack.names[-1] == "option":
        stack.pop_to(len(stack.names) - 1)
    elif name == "button":
        stack.close("button", _IN_SCOPE)
    elif name in ("a", "nobr"):
        made += _formatting_end(stack, name)
    elif name in ("td", "th", "tr"):
        made += _table_row(stack, name)
    elif name in ("tbody", "thead", "tfoot"):
        part = max(stack.top("tbody"), stack.top("thead"), stack.top("tfoot"))
        if part >= 0 and not stack.blocked(part, _IN_TABLE):
            stack.pop_to(part)
    elif name == "table":
        table = stack.top("table")
        if table >= 0 and not stack.blocked(table, _IN_CELL):
            stack.pop_to(table)
    if name not in NO_REBUILD and stack.pending:
        made += _rebuild(stack)
    if name in VOID:
        return made, None
    if name in RAW_TEXT or name == "plaintext":
        return made, name
    stack.push(name, HTML)
    return made, None


def _table_row(stack: _Stack, name: str) -> int:
    """Close the open cell (or row), then open the row and body a cell needs; the elements made."""
    made = 0
    if name == "tr":
        stack.close("tr", _IN_TABLE)
    else:
        cell = max(stack.top("td"), stack.top("th"))
        if cell >= 0 and not stack.blocked(cell, _IN_TABLE):
            stack.pop_to(cell)
    top = stack.names[-1] if stack.names else ""
    if top not in _TABLE_PARTS:
        # Content inside a table but outside a cell (`<table><div><td>`) is fostered out before
        # the table, and the cell still opens inside it: count the parts it needs there. The
        # fostered element stays on this stack, so the depth can only come out larger.
        top = _open_table_part(stack)
    if top == "table":
        stack.push("tbody", HTML)
        made += 1
        top = "tbody"
    if name != "tr" and top in ("tbody", "thead", "tfoot"):
        stack.push("tr", HTML)
        made += 1
    return made


_TABLE_PARTS = ("table", "tbody", "thead", "tfoot", "tr")
# Where a table part may be more than an ignored tag (SVG and MathML: maybe a foreign element).
_TABLE_CONTEXTS = ("table", "template", "svg", "math")
_TABLE_ONLY = frozenset({"caption", "col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"})
# What opens a new context inside a table: a table part before it is not the cell's.
_TABLE_CLOSED_OFF = ("td", "th", "caption", "template")


def _html_select_open(stack: _Stack) -> bool:
    """Whether the topmost open `select` is HTML's (not a MathML annotation's maybe-select)."""
    position = stack.top("select")
    return position >= 0 and stack.spaces[position] == HTML


def _open_table_part(stack: _Stack) -> str:
    """The innermost open table part when no cell, caption or template stands between it and the
    top of the stack ("" otherwise)."""
    part = max(_TABLE_PARTS, key=stack.top)
    position = stack.top(part)
    if position < 0 or any(stack.top(name) > position for name in _TABLE_CLOSED_OFF):
        return ""
    return part


def _formatting_end(stack: _Stack, name: str) -> int:
    """`</b>` and its kin (and `<a>` inside an open `<a>`): pop to the element, or when a block
    stands inside it, leave the stack as it is (the real algorithm only shortens it) and count
    the clones it may make."""
    position = stack.top(name)
    if position < 0:
        if stack.pending.get(name):
            stack.pending[name] -= 1
            if not stack.pending[name]:
                del stack.pending[name]
        return 0
    if stack.blocked(position, _IN_SCOPE):
        return 0
    if stack.blocked(position, _IN_SPECIAL):
        return ADOPTION_CLONES
    stack.pop_to(position, closed=name)
    return 0


def _end_tag(stack: _Stack, name: str) -> int:
    """Apply one end tag; return the elements it made."""
    if name in FORMATTING:
        return _formatting_end(stack, name)
    if name == "br":
        return 1
    if name == "p":
        return 0 if stack.close("p", _IN_BUTTON) else 1
    if name in ("body", "html"):
        return 0
    if name == "li":
        stack.close("li", _IN_LIST)
    elif name in HEADINGS:
        heading = max(stack.top(h) for h in HEADINGS)
        if heading >= 0 and not stack.blocked(heading, _IN_SCOPE):
            stack.pop_to(heading)
    elif name in TABLE_PARTS:
        stack.close(name, _IN_TABLE)
    elif name == "form":
        if stack.names and stack.names[-1] == "form":
            stack.pop_to(len(stack.names) - 1)
    elif name in SCOPED_END or name in ("head", "template"):
        stack.close(name, _IN_SCOPE)
    else:
        stack.close(name, _IN_SPECIAL)
    return 0


# The start and end tags that can make the builder's tree deeper or larger than the tags
# themselves (formatting elements, markers, tags that imply table parts) and the void elements that
# never nest (those that stay void inside SVG too), matched on the lower-cased page, as `name` or
# `/name`; any other end tag's `<` matches as `/`, so one scan also counts every end tag.
_BOUND_TAGS = re.compile(
    (
        r"<(/?(?:a(?:pplet)?|b(?:ig|r)?|c(?:ode|aption|ol)|e(?:m|mbed)|font|hr|i(?:mg)?|meta"
        rf"|marquee|nobr|object|s(?:mall|trike|trong)?|t(?:t|d|h|r|emplate)|u)(?=[{_WS}/>])|/)"
    ).encode()
)
# The start tag of a formatting element written as a pair (`<b>text</b>`); only its name is
# consumed, so what its attribute values hold is counted too.
_FORMATTING_PAIR = re.compile(
    (
        "<(" + "|".join(sorted(FORMATTING, key=len, reverse=True)) + ")"
        rf"(?=[{_WS}/>])(?={_ATTRIBUTES}>[^<]*+</\1>)"
    ).encode()
)
# A start tag, text without tags, and the end tag of the same name (`<li class="x">text</li>`),
# on the ASCII-lower-cased page (the tokenizer's own lower-casing) and for names whose element
# its own end tag surely pops there (see `tree_bound`).
_PAIR = re.compile(rf"<(?P<name>[a-z][^{_WS}/>]*+){_ATTRIBUTES}>[^<]*+</(?P=name)>".encode())
# Names a pair may not have: void elements and those whose end tag may leave the element open
# or leave elements it implied (table parts, forms, selects, templates, plaintext, and the
# MathML and SVG integration points, whose text may reopen formatting its end tag stops at).
_UNPAIRED = (
    VOID
    | TABLE_PARTS
    | HTML_INSIDE
    | frozenset(["annotation-xml", "col", "image", "plaintext", "form", "select", "option"])
    | frozenset(["optgroup", "template", "html", "head", "body", "frameset"])
)
_MARKERS = frozenset(["applet", "caption", "marquee", "object", "template", "td", "th"])
_IMPLYING = frozenset(["td", "th", "tr", "col"])
_NEVER_NEST = frozenset(["br", "embed", "hr", "img", "meta"])


def tree_bound(
    html: str | bytes, max_depth: int, max_elements: int = 0, *, tags: int | None = None
) -> TreeShape:
    """A bound, from counts alone, on what `tree_shape` measures: most pages are well within
    it, and then need no scan. `tags` is the page's count of `<`, when the caller has it; pairs
    are counted only when the bound would pass `max_depth` or `max_elements` otherwise.

    Every `<` but those of end tags counts as a start tag (comments and text too). Each pushes
    at most one element, and a cell, row or column at most two more (the `tbody`, `tr` or
    `colgroup` it implies); a formatting element rebuilt inside later text or tags takes the place
    of the one it stands for, so the depth stays within that. Each rebuild (after any tag or text) makes at most one element per
    formatting element that can be pending: every one but `a`, which a new `<a>` always closes
    (one per marker level), and but those written as a pair (`<b>text</b>`: when its start tag
    is a real one, its end tag finds it the current node and the last of its name in the list of
    formatting elements, so pops it and takes it off the list; when it is not, it never was a
    formatting element); each formatting end tag (and `<a>`) clones at most ADOPTION_CLONES.

    A pair (`_pairs`: a start tag, text without tags, the end tag of the same name) counts once
    for all its pairs but one: when its start tag is a real one, the element it pushes is popped
    by its end tag (no tag stands between them; text may reopen formatting on top, which the end
    tag pops too, and which counts for its own start tag) and two pairs are never open at once;
    when it is not (its `<` is in a comment, an attribute value or raw text), its `<` was never a
    start tag. Its end tag's `<` is one of the end tags (no element, no depth).
    """
    page = html if isinstance(html, bytes) else html.encode("utf-8", "surrogatepass")
    if tags is None:
        tags = page.count(b"<")
    lower = page.lower()
    found = {tag.decode(): n for tag, n in Counter(_BOUND_TAGS.findall(lower)).items()}
    pending = 1
    adoptions = implied = voids = ends = 0
    for tag, count in found.items():
        closing = tag.startswith("/")
        name = tag[1:] if closing else tag
        ends += count if closing else 0
        if name in FORMATTING:
            adoptions += count
            pending += count if not closing and name != "a" else 0
        elif not closing:
            pending += count if name in _MARKERS else 0
            implied += 2 * count if name in _IMPLYING else 0
            voids += count if name in _NEVER_NEST else 0
    depth = 2 + tags - voids + implied - ends
    if depth > max_depth:  # only then is it worth telling pairs from the rest
        depth -= max(_pairs(page) - 1, 0)
    # Each start tag makes an element, and so do `</p>` and `</br>` (counted among the tags).
    elements = 3 + tags + implied + ADOPTION_CLONES * adoptions
    rebuilt = (2 * tags + 1) * pending
    if elements + rebuilt > max_elements:  # only then is it worth telling pairs from the rest
        paired = sum(1 for name in _FORMATTING_PAIR.findall(lower) if name != b"a")
        rebuilt = (2 * tags + 1) * (pending - paired)
    return TreeShape(max(depth, 2), elements + rebuilt)


def _pairs(page: bytes) -> int:
    """How many pairs the page holds whose name can pair (`tree_bound`), its tag names lower-cased
    as the tokenizer does (ASCII letters only, as `bytes.lower` does)."""
    names = [name.decode("latin-1") for name in _PAIR.findall(page.lower())]
    return sum(1 for name in names if name not in _UNPAIRED)
