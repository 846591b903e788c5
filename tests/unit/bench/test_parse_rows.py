"""The parse stage's headline rows: each target against the figures the stage measured, with its
verdict, for each page set."""

from __future__ import annotations

from typing import Any

from bench.__main__ import parse_rows


def _figures(newsflow: float, floor: float, trafilatura: float) -> dict[str, Any]:
    accuracy = {"title": 1.0, "published_at": 1.0, "author": 1.0, "badge": 1.0, "body": 1.0}
    return {
        "newsflow_pages_per_s": newsflow, "floor_pages_per_s": floor,
        "trafilatura_pages_per_s": trafilatura, "ratio": round(newsflow / trafilatura, 1),
        "floor_ratio": round(floor / newsflow, 2), "newsflow_accuracy": accuracy,
        "trafilatura_accuracy": {**accuracy, "badge": 0.0},
    }  # fmt: skip


def test_each_set_gets_its_speed_trafilatura_floor_and_accuracy_rows() -> None:
    rows = parse_rows(
        {"real": _figures(600.0, 1200.0, 10.0), "snapshot": _figures(400.0, 1200.0, 10.0)}
    )
    assert [(r["what"], r["value"], r["target"], r["verdict"]) for r in rows] == [
        ("real pages/s (1 core)", 600.0, "≥ 500", "OK"),
        ("real: × trafilatura", 60.0, "≥ 50×", "OK"),
        ("real: ÷ floor", 2.0, "≤ 2.5×", "OK"),
        ("real: fields as accurate or better", 5, "5 of 5", "OK"),
        ("snapshot pages/s (1 core)", 400.0, "≥ 500", "MISSED"),
        ("snapshot: × trafilatura", 40.0, "≥ 50×", "MISSED"),
        ("snapshot: ÷ floor", 3.0, "≤ 2.5×", "MISSED"),
        ("snapshot: fields as accurate or better", 5, "5 of 5", "OK"),
    ]
    assert rows[2]["reference"] == 1200.0


def test_a_floor_ratio_of_exactly_two_and_a_half_is_on_target() -> None:
    rows = parse_rows({"real": _figures(500.0, 1250.0, 10.0)})
    assert [(r["what"], r["verdict"]) for r in rows if "floor" in r["what"]] == [
        ("real: ÷ floor", "OK")
    ]
