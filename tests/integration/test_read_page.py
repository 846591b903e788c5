"""`newsflow read FILE --url URL [--reader …]`, run as a process: one saved page in, one JSON
object out; a wrong file or reader is one line on stderr and exit code 2, no traceback; Prefect
is never imported."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from sources.snapshot_expected import ARTICLES, LIVE, page_bytes

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NEWSFLOW = BIN / "newsflow"
# Runs the command in-process and says on stderr whether Prefect was imported.
PROBE = "import sys; from flows.cli import main; code = main(sys.argv[1:]); print('prefect' in sys.modules, file=sys.stderr); sys.exit(code)"


def _read(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NEWSFLOW), "read", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_a_saved_espreso_page_prints_its_record(tmp_path: Path) -> None:
    known = ARTICLES[0]
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(page_bytes(known["slug"])))
    url = f"{LIVE}/{known['slug']}"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "read", str(page), "--url", url, "--reader", "espreso"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "False"  # no Prefect
    record = json.loads(done.stdout)
    assert record["url"] == url and record["title"] == known["title"]
    assert record["author"] == known["author"] and record["authors"] == [known["author"]]
    assert record["paragraphs"][0] == known["first_paragraph"]
    assert record["body_text"] == "\n\n".join(record["paragraphs"])
    assert record["published_at"].endswith("+00:00") and record["zone_stated"] is True
    assert record["problems"] == []
    assert list(record)[:15] == [
        "url", "slug", "section", "badge", "title", "lead", "author", "author_url",
        "published_at", "modified_at", "body_text", "word_count", "image_url", "language",
        "content_hash",
    ]  # fmt: skip


def test_the_generic_reader_reads_any_page(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        '<html lang="en"><head><meta property="og:title" content="A headline">'
        '<meta property="article:published_time" content="2024-04-28T10:00:00-04:00"></head>'
        "<body><article><p>One paragraph.</p><p>Two paragraphs.</p></article></body></html>"
    )
    done = _read(str(page), "--url", "https://example.com/news/a-headline")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert (record["title"], record["published_at"], record["slug"]) == (
        "A headline", "2024-04-28T14:00:00+00:00", "a-headline",
    )  # fmt: skip
    assert record["paragraphs"] == ["One paragraph.", "Two paragraphs."]
    assert (record["published_local"], record["zone_stated"]) == (None, True)


def test_an_unreadable_page_is_a_record_with_its_problems(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_bytes(b"")
    done = _read(str(page), "--url", "https://example.com/a")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert (record["title"], record["paragraphs"], record["problems"]) == (None, [], ["empty page"])


def test_a_missing_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.html"
    done = _read(str(missing), "--url", "https://example.com/a")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"newsflow read: cannot read {missing}: No such file or directory\n"


def test_a_bad_reader_is_one_line_and_exit_2(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("<p>x</p>")
    done = _read(str(page), "--url", "https://example.com/a", "--reader", "fancy")
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    assert "'fancy' is not one of 'generic', 'espreso'" in done.stderr


def test_the_console_script_reads_a_saved_page_with_its_kyiv_time(tmp_path: Path) -> None:
    known = ARTICLES[1]  # 10:55 Kyiv on 27 October 2025, the day after the clocks went back
    page = tmp_path / "page.html"
    page.write_bytes(page_bytes(known["slug"]))
    done = subprocess.run(
        [BIN / "newsflow", "read", str(page), "--url", f"{LIVE}/{known['slug']}"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    assert (record["title"], record["badge"], record["published_at"]) == (
        known["title"],
        "Exclusive",
        "2025-10-27T08:55:00+00:00",
    )
