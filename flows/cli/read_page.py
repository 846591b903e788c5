"""`newsflow read`: one saved page read as a run would read it, printed as one JSON object. No
network, no Prefect: only the reader runs."""

from __future__ import annotations

import gzip
import json
import sys
import zlib
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from sources.records import ArticleParse


class Reader(StrEnum):
    """Which reader reads the page."""

    generic = "generic"
    espreso = "espreso"


def read(
    file: Annotated[
        Path, typer.Argument(help="A saved page: .html, or .html.gz.", show_default=False)
    ],
    url: Annotated[
        str, typer.Option("--url", help="The page's URL (links and the slug are read against it).")
    ],
    reader: Annotated[
        Reader | None,
        typer.Option(
            "--reader",
            help="generic (any outlet) or espreso; by default the reader of the outlet whose "
            "site the URL is on (sources/outlets.toml), else generic.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Read one saved article page and print its record as one JSON object: the articles
    table's fields, instants in ISO 8601 with their offset (or null), `paragraphs`, `problems`."""
    try:
        body = page_bytes(file)
    except (OSError, EOFError, zlib.error) as error:
        print(
            f"newsflow read: cannot read {file}: {getattr(error, 'strerror', None) or error}",
            file=sys.stderr,
        )
        raise typer.Exit(2) from None
    print(json.dumps(record(parse(body, url, reader or reader_for(url))), ensure_ascii=False))


def reader_for(url: str) -> Reader:
    """The reader of the bundled outlet whose site `url` is on, else the generic one."""
    from urllib.parse import urlsplit

    from sources.outlets import outlets

    host = urlsplit(url).hostname
    for site in outlets().values():
        if urlsplit(site.base_url).hostname == host:
            return Reader(site.reader)
    return Reader.generic


def page_bytes(file: Path) -> bytes:
    """The page's bytes, ungzipped when the file is gzip (by its magic bytes, whatever its name)."""
    data = file.read_bytes()
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def parse(body: bytes, url: str, reader: Reader) -> ArticleParse:
    """The page read by the chosen reader."""
    if reader is Reader.espreso:
        from sources.espreso.article import parse_article

        return parse_article(body, url)
    from sources.generic.read import read_generic

    return read_generic(body, url)


def record(parsed: ArticleParse) -> dict[str, Any]:
    """The record as the articles table names its fields, plus what the generic reader adds."""
    a = parsed.article
    fields: dict[str, Any] = {
        "url": parsed.url, "slug": None, "section": None, "badge": None, "title": None,
        "lead": None, "author": None, "author_url": None, "published_at": None,
        "modified_at": None, "body_text": None, "word_count": None, "image_url": None,
        "language": None, "content_hash": None, "authors": [], "paragraphs": [],
        "published_local": None, "zone_stated": None, "tags": [], "related": [],
    }  # fmt: skip
    if a is not None:
        fields.update(
            slug=a.slug, section=a.section, badge=a.badge, title=a.title, lead=a.lead,
            author=a.author, author_url=a.author_url, published_at=_iso(a.published_at),
            modified_at=_iso(a.modified_at), body_text=a.body_text, word_count=a.word_count,
            image_url=a.image_url, language=a.language, content_hash=a.content_hash,
            authors=list(a.authors), paragraphs=list(a.paragraphs),
            published_local=_iso(a.published_local), zone_stated=a.zone_stated,
            tags=[{"tag": t.name, "tag_url": t.url} for t in a.tags],
            related=[{"related_url": r.url, "related_title": r.title} for r in a.related],
        )  # fmt: skip
    fields["problems"] = list(parsed.problems)
    return fields


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
