"""docs/architecture.md tells a newcomer where each thing lives: it must name real files and
every package."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
PACKAGES = ("sources", "facts", "transforms", "expectations", "warehouse", "flows", "bench")


def _named_modules() -> set[Path]:
    """Every module the doc names, resolved against the folder paragraph it appears in."""
    named: set[Path] = set()
    folder = ""
    for line in DOC.splitlines():
        heading = re.match(r"\*\*`([\w/]+)/`", line)
        if heading:
            folder = heading.group(1)
        for name in re.findall(r"`([\w/]+\.(?:py|toml|sql))`", line):
            if "<" in name or "NNN" in name:
                continue
            path = ROOT / folder / name
            if not path.exists():
                # A path from the repository's root, a site's module within its stage's
                # paragraph, or a file named in the section on where new things go.
                found = [ROOT / name]
                for package in (folder, *PACKAGES):
                    found.extend(sorted((ROOT / package).glob(f"**/{name}")))
                path = next((f for f in found if f.exists()), path)
            named.add(path)
    return named


def test_every_module_the_doc_names_exists() -> None:
    named = _named_modules()
    assert len(named) > 60
    assert sorted(str(p.relative_to(ROOT)) for p in named if not p.exists()) == []


def test_every_package_has_its_paragraph_and_the_readme_links_the_doc() -> None:
    assert [p for p in PACKAGES if f"**`{p}/`" not in DOC] == []
    assert "(docs/architecture.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
