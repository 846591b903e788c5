"""One gate per process: a later run reuses the Great Expectations suites built by the first (and
the suite pages it rendered) and still refuses what it must, row by row."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from expectations.gate import SUITES, gate_parameters, shared_gate
from sources.records import FetchedArticle
from sources.snapshot_expected import LIVE
from tests.unit.expectations.test_gate import GOOD, NOW, _frames, _item, _row


def test_a_second_run_reuses_the_suites_and_still_quarantines_a_bad_row(tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    params = gate_parameters(LIVE, NOW, 1)
    gate = shared_gate(docs)
    first = gate.run(_frames([_item(GOOD[0])], [_row(0, GOOD[0], "Title")]), params)
    assert first.quarantined == []
    suites = {name: gate.context.suites.get(name) for name in SUITES}
    suite_pages = {p.name: p.stat().st_mtime_ns for p in (docs / "expectations").iterdir()}
    assert sorted(suite_pages) == sorted(f"{name}.html" for name in SUITES)

    again = shared_gate(docs)
    base = _item(GOOD[1]).article
    junk = replace(base, url=f"{LIVE}/junk-lead", slug="junk-lead", lead="client/title.list_title")
    second = again.run(
        _frames([_item(GOOD[0]), FetchedArticle(junk, NOW)], [_row(0, GOOD[0], "Title")]), params
    )

    assert again is gate
    assert [s.name for s in gate.context.suites.all()] == list(SUITES)
    assert all(gate.context.suites.get(name) == suites[name] for name in SUITES)
    held = [(q.table, q.record["url"], q.reasons) for q in second.quarantined]
    # The article breaks the check; its 4 tags and 3 related links go with it.
    assert held == [
        ("articles", f"{LIVE}/junk-lead", ("articles.lead_not_template_junk",)),
        *[("article_tags", f"{LIVE}/junk-lead", ("articles.row_quarantined",))] * 4,
        *[("article_related", f"{LIVE}/junk-lead", ("articles.row_quarantined",))] * 3,
    ]
    assert second.passed["articles"]["url"].to_list() == [f"{LIVE}/{GOOD[0]}"]
    failed = [(c.label, c.unexpected, c.rows) for c in second.checks if not c.success]
    assert failed == [("articles.lead_not_template_junk", 1, 2)]
    # The second run wrote its own validation pages and left the suite pages as they were.
    assert [v.suite for v in second.validations] == list(SUITES)
    assert all((docs / v.page).is_file() for v in second.validations)
    assert {p.name: p.stat().st_mtime_ns for p in (docs / "expectations").iterdir()} == suite_pages


def test_a_suite_page_gone_missing_is_rendered_again(tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    gate = shared_gate(docs)
    frames = _frames([_item(GOOD[0])], [_row(0, GOOD[0], "Title")])
    params = gate_parameters(LIVE, NOW, 1)
    gate.run(frames, params)
    page = docs / "expectations" / "articles.html"
    page.unlink()
    gate.run(frames, params)
    html = page.read_text(encoding="utf-8")
    assert "static/vendor/bootstrap/bootstrap.min.css" in html
    assert "https://" not in html.split("<body")[0]
