"""The bundled snapshot's article pages, cut once at the points a generated page differs: its own
URL (the slug), headline, date line, clock, JSON-LD dates, tag cloud and first paragraph. Only the
part before the "News" feed is cut: the feed stays the site's, as on a real page."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from urllib.parse import quote, quote_plus, urlsplit

from sources.snapshot_expected import LIVE
from sources.snapshot_server import SNAPSHOT_DIR

# Values spliced into a template: one slot kind per split point.
(
    SLUG_SUFFIX,
    TITLE,
    TITLE_PLUS,
    DATE_LINE,
    CLOCK,
    LD_PUBLISHED,
    LD_MODIFIED,
    TAG_BOX,
    BODY_LEAD,
    BODY_EXTRA,
) = range(10)


@dataclass(frozen=True, slots=True)
class Template:
    """A snapshot page cut at the split points: `pieces[0]`, slot `kinds[0]`, `pieces[1]`, …"""

    name: str
    slug: str
    title: str
    pieces: tuple[bytes, ...]
    kinds: tuple[int, ...]


def _splice_points(text: str, name: str) -> tuple[str, str, list[tuple[int, int, int]]]:
    """The template's slug and headline, and the (start, end, kind) spans to fill per page. Only
    the part before the "News" feed is touched: the feed stays the site's, as on a real page."""
    feed = text.index('id="js-newsTapeContent"')
    head = text[:feed]
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', head)
    h1 = re.search(r'<h1 class="text-title">(.*?)</h1>', head, re.DOTALL)
    if canonical is None or h1 is None:
        raise ValueError(f"template {name}: no canonical link or headline")
    slug = urlsplit(canonical.group(1)).path.strip("/")
    shown = h1.group(1).strip()  # as the HTML spells it (`&quot;` and all)
    title = html.unescape(shown)
    spans: list[tuple[int, int, int]] = []
    for match in re.finditer(re.escape(slug) + r"(?![a-z0-9-])", head):
        spans.append((match.end(), match.end(), SLUG_SUFFIX))
    starts = {m.start() for form in {shown, title} for m in re.finditer(re.escape(form), head)}
    spans += [(start, start, TITLE) for start in starts]
    plus = re.escape(quote_plus(title))  # the share link's `?url=` spelling
    spans += [(m.start(), m.start(), TITLE_PLUS) for m in re.finditer(plus, head)]
    for pattern, kind in (
        (r'<div class="news__author_date__date">([^<]*)</div>', DATE_LINE),
        (r'<div class="news__author_date__time">([^<]*)</div>', CLOCK),
        (r'"datePublished"\s*:\s*"([^"]*)"', LD_PUBLISHED),
        (r'"dateModified"\s*:\s*"([^"]*)"', LD_MODIFIED),
    ):
        found = list(re.finditer(pattern, head))
        if len(found) > 1 or (not found and kind in (DATE_LINE, CLOCK)):
            raise ValueError(f"template {name}: expected one {pattern}, found {len(found)}")
        spans += [(m.start(1), m.end(1), kind) for m in found]
    cloud = head.index('<section class="similar_by_tag tags-cloud">')
    box = head.index('<div class="tag-box">', cloud)
    spans.append((box, head.index("</section>", box), TAG_BOX))
    content = head.index('<div class="news-content">')
    content_end = head.rindex("</div>", content, head.index("</section>", content))
    first_p = head.index("<p", content, content_end)
    lead = head.index(">", first_p) + 1
    spans.append((lead, lead, BODY_LEAD))
    spans.append((content_end, content_end, BODY_EXTRA))
    spans.sort()
    for (_, end, _), (start, _, _) in pairwise(spans):
        if start < end:
            raise ValueError(f"template {name}: overlapping splice points")
    return slug, title, spans


@cache
def templates(site_url: str = LIVE) -> tuple[Template, ...]:
    """The snapshot's article pages, cut for splicing, with links on `site_url` (as the snapshot
    server rewrites them); computed once per process."""
    found = []
    for path in sorted((SNAPSHOT_DIR / "articles").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        if site_url != LIVE:
            text = text.replace(LIVE, site_url)
            text = text.replace(quote(LIVE, safe=""), quote(site_url, safe=""))
        slug, title, spans = _splice_points(text, path.name)
        pieces, kinds, at = [], [], 0
        for start, end, kind in spans:
            pieces.append(text[at:start].encode())
            kinds.append(kind)
            at = end
        pieces.append(text[at:].encode())
        found.append(Template(path.stem, slug, title, tuple(pieces), tuple(kinds)))
    return tuple(found)
