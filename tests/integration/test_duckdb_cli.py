"""The README's `duckdb` CLI on a real warehouse: it opens the file and, with the README's `LOAD`,
searches with the FTS extension the project ships (no download)."""

from __future__ import annotations

import csv
import io
import re
import shlex
import subprocess
from pathlib import Path

import duckdb

from tests.integration.test_analyst_warehouse import MINERALS
from warehouse.lake import search_index_path
from warehouse.location import DEFAULT_WAREHOUSE

REPO = Path(__file__).resolve().parents[2]
CLI = REPO / ".venv" / "bin" / "duckdb"
README = (REPO / "README.md").read_text(encoding="utf-8")


def _readme_search() -> tuple[list[str], str]:
    """The README's CLI search: the shell command's arguments (after the binary) and the SQL."""
    found = re.search(
        r"```sh\n(\.venv/bin/duckdb -readonly "
        + re.escape(str(search_index_path(DEFAULT_WAREHOUSE)))
        + r" \\\n\s+-cmd \"LOAD [^\n]+)\n```\n\n"
        r"```sql\n(SELECT [^\n]+search_articles[^\n]+)\n```",
        README,
    )
    assert found, "the README shows the CLI's FTS LOAD and a search_articles query"
    command = shlex.split(found.group(1).replace("\\\n", " "))
    assert command[:3] == [
        ".venv/bin/duckdb",
        "-readonly",
        str(search_index_path(DEFAULT_WAREHOUSE)),
    ]
    return command[3:], found.group(2)


def _cli(*args: str, sql: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args], input=sql, capture_output=True, text=True, cwd=REPO, timeout=60
    )


def test_the_cli_is_the_library_version() -> None:
    version = _cli("-noheader", "-list", "-c", "SELECT version()", sql="")
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"v{duckdb.__version__}" == "v1.5.5"


def test_the_readme_cli_search_loads_fts_and_finds_the_known_hit(
    snapshot_run: tuple[str, Path],
) -> None:
    base, warehouse = snapshot_run
    args, sql = _readme_search()
    assert sql == "SELECT title, url FROM search_articles('minerals deal') LIMIT 3;"
    # The README's command on this warehouse, its output as CSV to read it exactly.
    index = str(search_index_path(warehouse))
    done = _cli("-readonly", index, *args, "-csv", sql=sql)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["title", "url"]
    assert rows[1] == [
        "Ukraine and US resume talks on minerals deal after new draft from Washington",
        f"{base}/{MINERALS}",
    ]
    assert len(rows) == 4
    loaded = _cli(
        "-readonly",
        index,
        *args,
        "-noheader",
        "-list",
        sql="SELECT loaded FROM duckdb_extensions() WHERE extension_name = 'fts';",
    )
    assert loaded.stdout.strip() == "true", loaded.stderr


def test_newsflow_sql_searches_the_lake_with_the_readme_macro(
    snapshot_run: tuple[str, Path],
) -> None:
    base, warehouse = snapshot_run
    done = subprocess.run(
        [str(REPO / ".venv" / "bin" / "newsflow"), "sql", "--warehouse", str(warehouse),
         "-csv", "-noheader"],
        input="SELECT url FROM search_articles('minerals deal') LIMIT 1;",
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{base}/{MINERALS}\n"
