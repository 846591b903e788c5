"""`newsflow outlets`: the outlets newsflow can read (`sources/outlets.toml`), one line each; no
warehouse, no Prefect."""

from __future__ import annotations

from sources.outlets import Outlet
from sources.outlets import outlets as configured


def outlet_line(outlet: Outlet) -> str:
    """One outlet as `outlets` prints it: name, reader, site, how its articles are found."""
    found = [
        *(f"feed {a}" for a in outlet.feeds),
        *(f"sitemap {a}" for a in outlet.sitemaps),
        *(f"news sitemap {a}" for a in outlet.news_sitemaps),
        *(["robots.txt sitemaps"] if outlet.robots_sitemaps else []),
    ]
    if outlet.reader == "espreso":
        found.insert(0, "News feed pages")
    mark = "" if outlet.confirmed else "  (feeds not confirmed)"
    return (
        f"{outlet.name:<18} {outlet.reader:<8} {outlet.base_url:<28} {outlet.title}; "
        f"{', '.join(found) or 'no discovery'}{mark}"
    )


def outlets() -> None:
    """List the outlets (`newsflow run --outlet NAME` reads one)."""
    for outlet in configured().values():
        print(outlet_line(outlet))
