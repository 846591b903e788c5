"""`newsflow serve` and `prefect.yaml` describe the same deployments: flows, entrypoints, schedules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from flows.deployments import DEPLOYMENTS, KYIV_TZ, to_deployments

REPO = Path(__file__).resolve().parents[3]


def _yaml_deployments() -> list[dict[str, Any]]:
    document = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    deployments: list[dict[str, Any]] = document["deployments"]
    return deployments


def test_prefect_yaml_matches_the_served_deployments() -> None:
    described = [
        (
            d["name"],
            d["entrypoint"],
            d["parameters"],
            [(s.get("interval"), s.get("cron"), s["timezone"]) for s in d["schedules"]],
        )
        for d in _yaml_deployments()
    ]
    served = [
        (
            s.name,
            s.entrypoint,
            s.parameters,
            [(s.interval_s, s.cron, KYIV_TZ)] if (s.interval_s or s.cron) else [],
        )
        for s in DEPLOYMENTS
    ]
    assert described == served
    assert served == [
        ("ingest", "flows/ingest.py:ingest", {}, [(600, None, "Europe/Kyiv")]),
        (
            "outlets",
            "flows/outlets_ingest.py:ingest_outlets",
            {},
            [(3600, None, "Europe/Kyiv")],
        ),
        (
            "backfill-nightly",
            "flows/backfill.py:backfill",
            {"days_back": 2},
            [(None, "30 3 * * *", "Europe/Kyiv")],
        ),
        ("reparse", "flows/reparse.py:reparse", {}, []),
        ("facts", "flows/news_facts.py:facts", {}, [(3600, None, "Europe/Kyiv")]),
        (
            "official-losses",
            "flows/news_facts.py:official_losses",
            {},
            [(None, "0 11 * * *", "Europe/Kyiv")],
        ),
        (
            "maintenance",
            "flows/maintenance.py:maintenance",
            {},
            [(None, "15 4 * * *", "Europe/Kyiv")],
        ),
    ]


def test_runner_deployments_carry_the_schedules_and_parameters() -> None:
    deployments = {
        d.name: d
        for d in to_deployments({"base_url": "http://127.0.0.1:9", "warehouse": "/tmp/w.duckdb"})
    }
    assert sorted(deployments) == [
        "backfill-nightly",
        "facts",
        "ingest",
        "maintenance",
        "official-losses",
        "outlets",
        "reparse",
    ]
    ingest = deployments["ingest"]
    assert ingest.parameters == {"base_url": "http://127.0.0.1:9", "warehouse": "/tmp/w.duckdb"}
    (schedule,) = ingest.schedules
    assert (schedule.schedule.interval.total_seconds(), schedule.schedule.timezone) == (
        600,
        "Europe/Kyiv",
    )
    backfill = deployments["backfill-nightly"]
    assert backfill.parameters == {
        "days_back": 2,
        "base_url": "http://127.0.0.1:9",
        "warehouse": "/tmp/w.duckdb",
    }
    assert (backfill.schedules[0].schedule.cron, backfill.schedules[0].schedule.timezone) == (
        "30 3 * * *",
        "Europe/Kyiv",
    )
    # reparse reads no site: only the warehouse is passed on.
    assert deployments["reparse"].parameters == {"warehouse": "/tmp/w.duckdb"}
    assert deployments["reparse"].schedules == []
    # Facts and the official series read only the warehouse (and the data set's own address).
    assert deployments["facts"].parameters == {"warehouse": "/tmp/w.duckdb"}
    assert deployments["official-losses"].parameters == {"warehouse": "/tmp/w.duckdb"}
    maintenance = deployments["maintenance"]
    assert maintenance.parameters == {"warehouse": "/tmp/w.duckdb"}
    assert (maintenance.schedules[0].schedule.cron, maintenance.schedules[0].schedule.timezone) == (
        "15 4 * * *",
        "Europe/Kyiv",
    )
    # The outlets' loop takes each outlet's own site: only the warehouse is passed on.
    assert deployments["outlets"].parameters == {"warehouse": "/tmp/w.duckdb"}
    # The UI form describes every parameter.
    for deployment in deployments.values():
        properties = deployment._parameter_openapi_schema.properties
        assert all(p.get("description") for p in properties.values()), deployment.name


def test_serve_help_names_every_deployment() -> None:
    import subprocess
    import sys

    from flows.deployments import DEPLOYMENTS

    done = subprocess.run(
        [Path(sys.executable).parent / "newsflow", "serve", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    text = " ".join(done.stdout.split())
    for spec in DEPLOYMENTS:
        assert f"{spec.name} ({spec.schedule})" in text
    assert [spec.schedule for spec in DEPLOYMENTS] == [
        "every 10 min", "every 1 h", "cron 30 3 * * * Kyiv", "on demand", "every 1 h", "cron 0 11 * * * Kyiv",
        "cron 15 4 * * * Kyiv",
    ]  # fmt: skip
