"""`newsflow outlets` and `newsflow run --outlet`, as processes."""

from __future__ import annotations

import subprocess
from pathlib import Path

BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"


def test_outlets_lists_every_outlet_one_line_each(tmp_path: Path) -> None:
    done = subprocess.run(
        [BIN / "newsflow", "outlets"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, "")
    lines = done.stdout.splitlines()
    assert len(lines) == 10
    assert lines[0] == (
        "espreso            espreso  https://global.espreso.tv    Espreso Global; News feed "
        "pages, feed /rss, sitemap /sitemap.xml"
    )
    assert lines[-1] == (
        "unn                generic  https://unn.ua               UNN (English); feed "
        "/rss/news_en.xml, robots.txt sitemaps  (feeds not confirmed)"
    )
    assert list(tmp_path.iterdir()) == []


def test_run_with_an_unknown_outlet_is_one_line_naming_the_outlets(tmp_path: Path) -> None:
    done = subprocess.run(
        [BIN / "newsflow", "run", "--outlet", "nope", "--warehouse", tmp_path / "w.ducklake"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "newsflow run: invalid setting: outlet: no outlet named 'nope'; the outlets are: espreso, "
        "kyiv-independent, ukrainska-pravda, ukrinform, kyiv-post, euromaidan-press, new-voice, "
        "unian, interfax-ukraine, unn (got 'nope'; set by its option or $NEWSFLOW_OUTLET)\n"
    )
    assert list(tmp_path.iterdir()) == []
