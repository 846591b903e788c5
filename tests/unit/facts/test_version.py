"""The rules' fingerprint: the same files give the same one wherever they are; any change to a
rule, the gazetteer or the shaping of the rows gives another."""

from __future__ import annotations

import shutil
from pathlib import Path

from facts.version import FACTS_DIR, SHAPING, rules_fingerprint


def _copy(tmp_path: Path, name: str) -> tuple[Path, Path]:
    rules = tmp_path / name / "facts"
    shutil.copytree(FACTS_DIR, rules, ignore=shutil.ignore_patterns("__pycache__"))
    shaping = tmp_path / name / "facts.py"
    shutil.copy(SHAPING, shaping)
    return rules, shaping


def test_the_same_rules_elsewhere_have_the_same_fingerprint(tmp_path: Path) -> None:
    here = rules_fingerprint()
    assert len(here) == 16 and int(here, 16) >= 0
    rules, shaping = _copy(tmp_path, "copy")
    (rules / "__pycache__").mkdir()
    (rules / "__pycache__" / "losses.cpython-311.pyc").write_bytes(b"compiled")
    assert rules_fingerprint(rules, shaping) == here


def test_an_edited_rule_gazetteer_or_shaping_changes_the_fingerprint(tmp_path: Path) -> None:
    here = rules_fingerprint()
    seen = {here}
    for edited in ("facts/losses.py", "facts/data/places.toml", "facts.py"):
        rules, shaping = _copy(tmp_path, edited.replace("/", "-"))
        path = rules.parent / edited
        path.write_bytes(path.read_bytes() + b"\n# edited\n")
        seen.add(rules_fingerprint(rules, shaping))
    # A rule file added (a new kind of fact).
    rules, shaping = _copy(tmp_path, "added")
    (rules / "sanctions.py").write_text('"""Sanctions."""\n')
    seen.add(rules_fingerprint(rules, shaping))
    assert len(seen) == 5
