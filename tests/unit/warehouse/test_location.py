"""The default warehouse path has one source of truth; the prose that names it agrees."""

from __future__ import annotations

import re
from pathlib import Path

from flows.settings import Settings
from warehouse.location import DEFAULT_WAREHOUSE

REPO = Path(__file__).resolve().parents[3]
# A path to a warehouse as the prose writes it (README commands, the Makefile's help), in the lake's
# format or the DuckDB file's before it; not the lake's data folder or search index beside it.
WAREHOUSE_PATH = re.compile(r"\bwarehouse/[\w-]+\.(?:duckdb|ducklake)\b(?![.\w])")


def test_the_settings_default_is_the_constant() -> None:
    assert Settings.model_fields["warehouse"].default == DEFAULT_WAREHOUSE


def test_the_readme_and_the_makefile_name_the_default_warehouse() -> None:
    for name, at_least in (("README.md", 5), ("Makefile", 1)):
        named = WAREHOUSE_PATH.findall((REPO / name).read_text(encoding="utf-8"))
        assert len(named) >= at_least, name
        assert set(named) == {str(DEFAULT_WAREHOUSE)}, name
