"""Great Expectations Data Docs that work offline: one index row per validation, every asset local.

GX 1.24 renders its pages with stylesheets and scripts from CDNs, and fills its index with JavaScript
(bootstrap-table, also from a CDN) from the validation results it still holds, deleting the pages of
results it no longer holds. Here GX writes the validation and suite pages only; then

- each page's CDN tags are replaced by the same libraries shipped in Python packages (Bootstrap 4
  from `xstatic-bootstrap`, jQuery from `xstatic-jquery`, Font Awesome 6.6 from `fontawesomefree`),
  copied once under `static/vendor/`, and its logo comes from GX's own `static/images/`;
- each validation adds a line to the ledger `validations.rows` (its gate run, numbered from 1 in this
  folder, its page and its index row, in the order written), and `index.html` is a plain HTML table
  of those rows, newest first, with no script and no result kept in memory;
- only the newest `keep_runs` gate runs (a run is one `write_site` call: one batch's validations,
  ~220 KB of pages) keep their pages and ledger lines: older pages are deleted with the folders they
  leave empty, and the index says how many runs were pruned. Kept pages are never rendered again.

Everything under the Data Docs folder is owner-only (files 0600, folders 0700).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from html import escape
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo

KYIV = ZoneInfo("Europe/Kyiv")
LEDGER = "validations.rows"
INDEX = "index.html"
VENDOR = "static/vendor"
VALIDATIONS = "validations"
LOCK = ".lock"
# Gate runs whose validation pages are kept (~220 KB a run): with `newsflow serve` ingesting every
# 10 minutes, the last ~16 hours in ~22 MB.
KEEP_RUNS = 100


def vendor_files() -> dict[str, Path]:
    """The local copy (path under `static/vendor/`) of each library file the pages use, and its
    source in an installed package."""
    bootstrap = files("xstatic.pkg.bootstrap") / "data"
    jquery = files("xstatic.pkg.jquery") / "data"
    awesome = files("fontawesomefree") / "static" / "fontawesomefree"
    sources = {
        "bootstrap/bootstrap.min.css": bootstrap / "css" / "bootstrap.min.css",
        "bootstrap/bootstrap.bundle.min.js": bootstrap / "js" / "bootstrap.bundle.min.js",
        "jquery/jquery.min.js": jquery / "jquery.min.js",
        "fontawesome/css/all.min.css": awesome / "css" / "all.min.css",
    }
    for font in (awesome / "webfonts").iterdir():
        if font.name.endswith(".woff2"):
            sources[f"fontawesome/webfonts/{font.name}"] = font
    return {name: Path(str(source)) for name, source in sources.items()}


def local_head(root: str) -> tuple[str, str]:
    """The stylesheet tags and the script tags of a page whose folder is `root` below the docs."""
    vendor = f"{root}{VENDOR}"
    styles = (
        f'<link rel="stylesheet" href="{vendor}/bootstrap/bootstrap.min.css"/>\n'
        f'<link rel="stylesheet" href="{vendor}/fontawesome/css/all.min.css"/>'
    )
    scripts = (
        f'<script src="{vendor}/jquery/jquery.min.js"></script>\n'
        f'<script src="{vendor}/bootstrap/bootstrap.bundle.min.js"></script>'
    )
    return styles, scripts


_CDN_STYLESHEET = re.compile(r'<link [^>]*href="https?://[^"]*"[^>]*>\n?')
_CDN_SCRIPT = re.compile(r'<script [^>]*src="https?://[^"]*"[^>]*></script>\n?')
_GX_ASSETS = re.compile(r"https://great-expectations-web-assets\.[^/]+/[\w.-]+(?:\?[^\"')]*)?")
_REMOTE_LOAD = re.compile(r"""(?:src="|href="|url\(['"]?)https?://""")


def offline_page(html: str, root: str) -> str:
    """A GX page with its CDN stylesheets and scripts replaced by the vendored copies (at the first
    of each, so the page's own styles still come after Bootstrap) and its logo made local; `root` is
    the relative path from the page's folder to the docs folder ("" or "../../")."""
    styles, scripts = local_head(root)
    html = _replace_all(_CDN_STYLESHEET, styles + "\n", html)
    html = _replace_all(_CDN_SCRIPT, scripts + "\n", html)
    html = _GX_ASSETS.sub(f"{root}static/images/logo-long.png", html)
    for tag in re.finditer(r"<(?:link|script|img)\b[^>]*>", html):
        if _REMOTE_LOAD.search(tag.group()):
            raise RuntimeError(f"Data Docs page still loads from the network: {tag.group()}")
    return html


def _replace_all(pattern: re.Pattern[str], first: str, html: str) -> str:
    """Every match removed, the first one replaced by `first`."""
    found = pattern.search(html)
    if found is None:
        raise RuntimeError(f"Data Docs page has no tag matching {pattern.pattern}")
    rest = pattern.sub("", html[found.end() :])
    return html[: found.start()] + first + rest


@dataclass(frozen=True, slots=True)
class Validation:
    """One suite run on one batch, as the index lists it."""

    suite: str
    run_time: datetime
    success: bool
    evaluated: int
    successful: int
    gate: str
    page: str


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One validation's line of the ledger: its gate run, its page and its index row."""

    run: int
    page: str
    row: str


def ledger_line(entry: LedgerEntry) -> str:
    """The entry as one line of the ledger: run, page and row, tab-separated."""
    if "\t" in entry.page or "\n" in entry.page or "\n" in entry.row:
        raise ValueError(f"Data Docs ledger: a page or row with a tab or line break: {entry!r}")
    return f"{entry.run}\t{entry.page}\t{entry.row}"


def ledger_entries(text: str) -> list[LedgerEntry]:
    """The entries of a ledger's text (`ledger_line` per line)."""
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split("\t", 2)
        if len(fields) != 3 or not fields[0].isdigit() or not fields[2].startswith("<tr>"):
            raise ValueError(
                f"Data Docs ledger {LEDGER}, line {number}: expected run<TAB>page<TAB><tr>…</tr>, "
                f"found {line[:80]!r} (delete the Data Docs folder to start it afresh)"
            )
        entries.append(LedgerEntry(int(fields[0]), fields[1], fields[2]))
    return entries


def newest_runs(
    entries: list[LedgerEntry], keep_runs: int
) -> tuple[list[LedgerEntry], list[LedgerEntry]]:
    """The entries of the newest `keep_runs` runs, and those of the older runs (the ledger's order)."""
    if not entries:
        return [], []
    oldest_kept = entries[-1].run - keep_runs + 1
    return (
        [e for e in entries if e.run >= oldest_kept],
        [e for e in entries if e.run < oldest_kept],
    )


def pruned_runs(kept: list[LedgerEntry]) -> int:
    """How many runs were pruned before the kept ones: runs are numbered 1, 2, … in a folder."""
    return kept[0].run - 1 if kept else 0


def checked_keep_runs(keep_runs: int) -> int:
    """`keep_runs`, if it keeps at least the run being written."""
    if keep_runs < 1:
        raise ValueError(
            f"Data Docs keep_runs must be at least 1 (the run just written), got {keep_runs}"
        )
    return keep_runs


def _runs(count: int) -> str:
    return f"{count} run" if count == 1 else f"{count} runs"


def index_html(
    suites: Iterable[str], rows: Iterable[str], pruned: int = 0, keep_runs: int = KEEP_RUNS
) -> str:
    """The index page: a link to each suite's page, then the validations' rows (`index_row`) in the
    order given, styled by the vendored Bootstrap; if `pruned` runs were, a line says so."""
    links = " · ".join(f'<a href="expectations/{escape(s)}.html">{escape(s)}</a>' for s in suites)
    rows = "\n".join(rows)
    retention = (
        f'\n<p id="pruned">Older validations pruned: {_runs(pruned)}; '
        f"keeps the newest {_runs(keep_runs)}.</p>"
        if pruned
        else ""
    )
    styles, _ = local_head("")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Data Docs: newsflow quality gate</title>
{styles}
<link rel="shortcut icon" href="static/images/favicon.ico" type="image/x-icon"/>
</head>
<body>
<nav class="navbar border-bottom"><img src="static/images/logo-long.png" alt="Great Expectations" style="height: 50px"></nav>
<main class="container-fluid pt-4 pl-5 pr-5">
<h1 class="h3">Validation results</h1>
<p>Suites: {links}</p>
<p>Times are Kyiv wall time.</p>{retention}
<table id="validations" class="table table-sm table-hover">
<thead><tr><th>Run (Kyiv)</th><th>Suite</th><th>Status</th><th>Expectations met</th><th>Gate</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</main>
</body>
</html>
"""


def index_row(v: Validation) -> str:
    """A validation's row of the index, on one line."""
    icon, status = (
        ("fas fa-check-circle text-success", "Succeeded")
        if v.success
        else ("fas fa-times text-danger", "Failed")
    )
    kyiv = v.run_time.astimezone(KYIV).strftime("%Y-%m-%d %H:%M:%S")
    return (
        f'<tr><td><time datetime="{v.run_time.isoformat()}">{kyiv}</time></td>'
        f'<td><a href="{escape(v.page)}">{escape(v.suite)}</a></td>'
        f'<td><i class="{icon}" aria-hidden="true"></i> {status}</td>'
        f"<td>{v.successful} of {v.evaluated}</td><td>{escape(v.gate)}</td></tr>"
    )


def write_site(
    docs_dir: Path,
    suites: Iterable[str],
    pages: Iterable[Path],
    validations: Iterable[Validation],
    *,
    keep_runs: int = KEEP_RUNS,
) -> None:
    """Make the pages GX just wrote offline, add the rows of `validations` to the ledger as a new
    run, keep the newest `keep_runs` runs (deleting the pages of older ones), rewrite the index and
    keep the folder owner-only. Only this batch's pages are touched and only its rows rendered: the
    index is the kept ledger rows, newest first, and pruning only deletes files. The caller holds
    `one_writer(docs_dir)` from before GX writes the pages until this returns."""
    checked_keep_runs(keep_runs)
    pages = list(pages)
    for page in pages:
        depth = len(page.relative_to(docs_dir).parts) - 1
        page.write_text(offline_page(page.read_text(encoding="utf-8"), "../" * depth), "utf-8")
    copied = _copy_vendor(docs_dir)
    ledger = docs_dir / LEDGER
    entries = ledger_entries(ledger.read_text(encoding="utf-8")) if ledger.exists() else []
    run = entries[-1].run + 1 if entries else 1
    entries.extend(LedgerEntry(run, v.page, index_row(v)) for v in validations)
    kept, old = newest_runs(entries, keep_runs)
    _write_atomically(ledger, "".join(ledger_line(e) + "\n" for e in kept))
    rows = [e.row for e in reversed(kept)]
    _write_atomically(docs_dir / INDEX, index_html(suites, rows, pruned_runs(kept), keep_runs))
    _delete_pages(docs_dir, {e.page for e in old} - {e.page for e in kept})
    _owner_only(docs_dir, [*pages, *copied, ledger, docs_dir / LOCK])


def private_folder(docs_dir: Path) -> None:
    """Create the Data Docs folder owner-only (before GX writes in it with the process umask)."""
    docs_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    _chmod(docs_dir, 0o700)


@contextmanager
def one_writer(docs_dir: Path) -> Iterator[None]:
    """Hold the folder's lock while GX writes pages and `write_site` finishes them: runs of other
    processes (overlapping `newsflow serve` runs, concurrent commands) write the same suite pages
    and rewrite the same ledger; without it one run reads a page another is rewriting, or an append
    between one's read and rewrite of the ledger is lost."""
    fd = os.open(docs_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _delete_pages(docs_dir: Path, pages: Iterable[str]) -> None:
    """Each page (one already gone is fine) and the folders it leaves empty, up to `validations/`."""
    top = docs_dir / VALIDATIONS
    for page in sorted(pages):
        parts = Path(page).parts
        if len(parts) < 2 or parts[0] != VALIDATIONS or ".." in parts:
            raise ValueError(f"Data Docs ledger: page {page!r} is not under {VALIDATIONS}/")
        path = docs_dir / page
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == top:
                break
            try:
                folder.rmdir()
            except FileNotFoundError:
                continue
            except OSError:
                break  # not empty: nor is any folder above it


def _copy_vendor(docs_dir: Path) -> list[Path]:
    copied = []
    for name, source in vendor_files().items():
        target = docs_dir / VENDOR / name
        if not target.is_file() or target.stat().st_size != source.stat().st_size:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copied.append(target)
    return copied


def _write_atomically(path: Path, text: str) -> None:
    """Readers (a browser, another run) see the old index or the new one, never half of one."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)


def _owner_only(docs_dir: Path, touched: Iterable[Path]) -> None:
    """Files 0600 and folders 0700: GX creates files with the process umask (rewriting one keeps
    its mode), so the folders GX fills each run (of fixed size) and this run's new files are set."""
    paths = [docs_dir / INDEX, *touched]
    for fixed in ("static", "expectations"):
        for parent, _, names in os.walk(docs_dir / fixed):
            paths.extend(Path(parent, name) for name in names)
    folders = {docs_dir}
    for path in paths:
        _chmod(path, 0o600)
        folders.update(p for p in path.parents if docs_dir in p.parents)
    for folder in folders:
        _chmod(folder, 0o700)


def _chmod(path: Path, mode: int) -> None:
    if path.stat().st_mode & 0o777 != mode:
        path.chmod(mode)
