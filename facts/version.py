"""Which rules draw the facts: a fingerprint of their code and data, so facts drawn by other rules
(an upgrade, an edited rule or gazetteer) are known to be out of date."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

# The rules and their data (this package), and the shaping of their statements into rows.
FACTS_DIR = Path(__file__).resolve().parent
SHAPING = FACTS_DIR.parent / "transforms" / "facts.py"


@functools.cache
def rules_fingerprint(rules: Path = FACTS_DIR, shaping: Path = SHAPING) -> str:
    """16 hex digits of the SHA-256 of every file of `rules` (by its path inside it; compiled
    files left out) and of `shaping`: the same rules give the same fingerprint wherever they are.
    Read once per process, as its rules are imported once: files changed under a running process
    are not the rules it draws with."""
    digest = hashlib.sha256()
    files = sorted(
        (path.relative_to(rules).as_posix(), path)
        for path in rules.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    )
    for name, path in [*files, ("shaping", shaping)]:
        content = path.read_bytes()
        digest.update(f"{name}\0{len(content)}\0".encode())
        digest.update(content)
    return digest.hexdigest()[:16]
