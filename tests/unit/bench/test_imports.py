"""The benchmarks import the packages and never the tests (the tests may import the bench)."""

from __future__ import annotations

import ast
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench"


def imported_modules(path: Path) -> set[str]:
    """The modules a file imports, by their full names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_no_bench_module_imports_the_tests() -> None:
    files = sorted(BENCH.rglob("*.py"))
    assert len(files) >= 15
    offending = {
        str(path.relative_to(BENCH)): sorted(
            m for m in imported_modules(path) if m.split(".")[0] == "tests"
        )
        for path in files
    }
    assert {name: found for name, found in offending.items() if found} == {}
    assert "sources.snapshot_expected" in imported_modules(BENCH / "parse.py")
