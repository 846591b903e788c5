"""An article's body as paragraphs: the `<p>`s (and `<div>`s used as paragraphs) of the block
that holds most of the page's paragraph text, without what pages put between them (captions,
asides, embeds, fact boxes, promotions, sharing, calls to action, closing credit lines)."""

from __future__ import annotations

import functools
import itertools
import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sources.html import node_text
from sources.text import clean_text

# The smallest block holding this share of the page's paragraph text is the article's body.
BODY_SHARE = 0.6
# Elements whose paragraphs are never the article's text.
_OUTSIDE = frozenset({"figure", "figcaption", "aside", "nav", "footer", "header", "form", "noscript", "button", "template", "dialog", "video", "audio", "iframe", "object"})  # fmt: skip
# ARIA roles of landmarks and widgets around the text, not the text.
_OUTSIDE_ROLES = frozenset({"complementary", "navigation", "banner", "contentinfo", "dialog", "alertdialog", "search"})  # fmt: skip
# Elements that mark the page's main content, and the text they must hold to be believed.
_MARKED = frozenset({"article", "main"})
_MARKED_TEXT = 500
# Class or id words (split at `-`, `_`, spaces and camelCase humps) of blocks around the text,
# not the text: promotions, sharing, captions and credits, bylines and bios, embedded posts,
# fact boxes, carousels and pull quotes.
_NOISE = frozenset({"related", "newsletter", "promo", "share", "sharing", "social", "caption", "ad", "ads", "advert", "advertisement", "subscribe", "subscription", "comment", "comments", "recommended", "recommendations", "sidebar", "footer", "breadcrumb", "breadcrumbs", "byline", "bio", "author", "tags", "nav", "menu", "cookie", "disclaimer", "outbrain", "taboola", "trending", "popular", "signup", "credit", "copyright", "tweet", "instagram", "tiktok", "embed", "embedded", "factbox", "fact-box", "infobox", "info-box", "carousel", "pullquote", "pull-quote"})  # fmt: skip
# Words of a block that is hidden or locked: its paragraphs are not the text, but a paragraph
# itself may carry them (the body's locked part is often `<p class="paywall">`).
_CONCEALED = frozenset({"paywall", "hidden", "hide", "sr-only"})
# Class words of text that only screen readers get.
_READER_ONLY = frozenset({"sr-only", "visually-hidden", "screen-reader"})
# Elements inside a paragraph whose text is not shown (checked by `_is_unshown`).
_UNSHOWN = "script, style, [hidden], [style*=clip], [class*=sr-only], [class*=visually-hidden], [class*=screen-reader]"
# The attributes that name what an element is.
_NAMING = ("class", "id", "data-test", "data-testid")
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Elements that may sit inside a paragraph's text.
_INLINE = frozenset({"a", "span", "b", "strong", "em", "i", "u", "br", "sup", "sub", "small", "mark", "abbr", "cite", "q", "time", "code", "svg", "s", "-comment"})  # fmt: skip
# A `<div>` used as a paragraph ends like a sentence (not like a label, a credit, a heading).
_SENTENCE_END = re.compile(r"\w\W*[.!?…]['\"’”)]*$")
_SENTENCE_TAIL = 12
# A paragraph with this share of its text in links points elsewhere.
_LINK_SHARE = 0.8
# What a page asks of its reader, not the story: send a story or a tip (to an e-mail address),
# sign up for a newsletter, follow the outlet on a network.
_CALL_TO_ACTION = re.compile(
    r"\b(?:get in touch|story|tips?)\b[^@]*\w@[\w-]+\.\w|"
    r"\b(?:sign(?:ing)? up|subscribe)\b[^.]*\bnewsletters?\b|"
    r"^follow [\w.]+(?: [\w.]+)? on (?:twitter|facebook|google news|instagram|x)\b",
    re.IGNORECASE,
)
# A call to action is a sentence or two.
_CALL_TO_ACTION_LENGTH = 300
# A story's closing lines that credit its reporters and editors, not the story: among its last
# `_CREDIT_LINES` paragraphs.
_CREDIT = re.compile(
    r"^(?:additional )?reporting (?:by|from)\b|^(?:writing|editing) by\b|; editing by\b|"
    r"\bcontributed (?:reporting|to this (?:report|story))",
    re.IGNORECASE,
)
_CREDIT_LINES = 3
# Past this share of the paragraphs found in the JSON-LD articleBody, the others are not body.
_DECLARED_SHARE = 0.6


def body_paragraphs(tree: LexborHTMLParser, declared_body: str = "") -> tuple[str, ...]:
    """The body's paragraphs in page order; `declared_body` (JSON-LD `articleBody`) confirms them."""
    found: list[tuple[str, list[LexborNode]]] = []
    hiding = _holding_unshown(tree)
    for node in tree.css("body p, body div"):
        text = _candidate_text(node, hiding)
        chain = _ancestors(node) if text else None
        if chain is not None and not any(a.tag in _OUTSIDE for a in chain):
            found.append((text, chain))
    # Paragraphs in an <article> or <main> are the candidates when they hold enough text (a
    # consent dialog's may hold more).
    marked = [(text, chain) for text, chain in found if any(a.tag in _MARKED for a in chain)]
    if sum(len(text) for text, _ in marked) >= _MARKED_TEXT:
        found = marked
    if not found:
        return ()
    total = sum(len(text) for text, _ in found)
    weight = _weights(found)
    # A block named like noise is noise only when it does not hold most of the text (a page's
    # main column may be called `has-sidebar`).
    noisy: dict[int, bool] = {}
    kept = [
        (text, chain)
        for text, chain in found
        if not any(weight[a.mem_id] < BODY_SHARE * total and _is_noise(a, noisy) for a in chain)
    ]
    if not kept:
        return ()
    weight, total = _weights(kept), sum(len(text) for text, _ in kept)
    # Ancestors are listed nearest first: the first of a paragraph's that holds enough text.
    block = next(
        (a.mem_id for _, chain in kept for a in chain if weight[a.mem_id] >= BODY_SHARE * total),
        None,
    )
    paragraphs = [
        text for text, chain in kept if block is None or any(a.mem_id == block for a in chain)
    ]
    return tuple(_without_credits(_confirmed(paragraphs, declared_body)))


def _candidate_text(node: LexborNode, hiding: frozenset[int]) -> str:
    """A `<p>`'s or a paragraph-like `<div>`'s text, or "" when it is plainly not the story's."""
    if node.tag == "div" and not _is_text_div(node):
        return ""
    # A paragraph named like noise (a byline, a caption, a credit) is not the text.
    text = "" if _is_named_noise(node) else _paragraph_text(node, hiding)
    if node.tag == "div" and not _SENTENCE_END.search(text[-_SENTENCE_TAIL:]):
        return ""
    if len(text) <= _CALL_TO_ACTION_LENGTH and _asks_the_reader(text):
        return ""
    # A line in capitals that is all link shouts for another page (`CLICK HERE TO ...`).
    if text.isupper() and _link_share(node, text) >= _LINK_SHARE:
        return ""
    return text


def _asks_the_reader(text: str) -> bool:
    """Whether the text is a call to action (the words each kind needs are looked for first)."""
    lower = text.lower()
    if "@" not in text and "newsletter" not in lower and not lower.startswith("follow "):
        return False
    return _CALL_TO_ACTION.search(text) is not None


def _weights(found: list[tuple[str, list[LexborNode]]]) -> dict[int, int]:
    """Each block's paragraph text length."""
    weight: dict[int, int] = {}
    for text, chain in found:
        for a in chain:
            weight[a.mem_id] = weight.get(a.mem_id, 0) + len(text)
    return weight


def _ancestors(node: LexborNode) -> list[LexborNode]:
    chain = []
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        chain.append(parent)
        parent = parent.parent
    return chain


def _is_noise(node: LexborNode, seen: dict[int, bool]) -> bool:
    key = node.mem_id
    if key not in seen:
        attrs = node.attributes
        seen[key] = (
            _is_named_noise(node)
            or not _CONCEALED.isdisjoint(_words(_names(node)))
            or attrs.get("aria-hidden") == "true"
            or "hidden" in attrs
            or (attrs.get("role") or "") in _OUTSIDE_ROLES
        )
    return seen[key]


def _confirmed(paragraphs: list[str], declared_body: str) -> list[str]:
    """Only the paragraphs in the declared body, when it holds most of them (it may be a summary)."""
    if len(declared_body) < 200:
        return paragraphs
    squeezed = "".join(declared_body.split())
    inside = [p for p in paragraphs if "".join(p.split()) in squeezed]
    return inside if len(inside) >= _DECLARED_SHARE * len(paragraphs) else paragraphs


def _without_credits(paragraphs: list[str]) -> list[str]:
    """The paragraphs without the credit lines that close a story."""
    head, tail = paragraphs[:-_CREDIT_LINES], paragraphs[-_CREDIT_LINES:]
    return head + [p for p in tail if not _CREDIT.search(p)]


def _holding_unshown(tree: LexborHTMLParser) -> frozenset[int]:
    """The elements that hold an element whose text is not shown (`_is_unshown`)."""
    holders: set[int] = set()
    for node in tree.css(_UNSHOWN):
        if node.tag == "-text" or not _is_unshown(node):
            continue
        parent = node.parent
        while parent is not None and parent.mem_id not in holders:
            holders.add(parent.mem_id)
            parent = parent.parent
    return frozenset(holders)


def _paragraph_text(node: LexborNode, hiding: frozenset[int]) -> str:
    """The paragraph's text as a browser shows it: without a script's code or text that only
    screen readers get (`, opens new tab` in a clipped `<span>`); `hiding` holds the elements
    that hold such text."""
    if node.mem_id not in hiding:
        return node_text(node)
    unshown = {n.mem_id for n in node.css(_UNSHOWN) if n.tag != "-text" and _is_unshown(n)}
    if not unshown:
        return node_text(node)
    parts = [
        child.text_content or ""
        for child in node.traverse(include_text=True)
        if child.tag == "-text" and not _inside(child, unshown, node)
    ]
    return clean_text("".join(parts))


def _is_unshown(node: LexborNode) -> bool:
    if node.tag in ("script", "style") or "hidden" in node.attributes:
        return True
    if not _READER_ONLY.isdisjoint(_words(_names(node))):
        return True
    style = "".join((node.attributes.get("style") or "").split()).lower()
    return "clip:rect(0" in style or "clip-path:inset(50%)" in style


def _inside(node: LexborNode, ids: set[int], top: LexborNode) -> bool:
    parent = node.parent
    while parent is not None and parent.mem_id != top.mem_id:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _link_share(node: LexborNode, text: str) -> float:
    return sum(len(node_text(a)) for a in node.css("a")) / len(text) if text else 0.0


def _is_text_div(node: LexborNode) -> bool:
    """A `<div>` used as a paragraph: text of its own and only inline elements in it."""
    if not node.text(deep=False).strip():
        return False
    child = node.child
    while child is not None:
        if child.tag not in _INLINE and child.tag != "-text":
            return False
        child = child.next
    return True


def _is_named_noise(node: LexborNode) -> bool:
    return not _NOISE.isdisjoint(_words(_names(node)))


def _names(node: LexborNode) -> str:
    attrs = node.attributes
    return " ".join(attrs.get(name) or "" for name in _NAMING)


@functools.lru_cache(maxsize=4096)
def _words(names: str) -> frozenset[str]:
    """Class or id names as lower-case words: `CarouselSlide-info sr-only` as carousel, slide,
    info, sr, only and sr-only (the joined pairs keep names like `sr-only` whole)."""
    found: set[str] = set()
    for name in names.split():
        parts = [w.lower() for w in _WORD.findall(name)]
        found.update(parts)
        found.update(f"{a}-{b}" for a, b in itertools.pairwise(parts))
    return frozenset(found)
