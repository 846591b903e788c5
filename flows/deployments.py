"""The deployments newsflow serves, with their schedules in Kyiv time. `prefect.yaml` describes the
same ones for work pools and workers; a test keeps the two in step."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KYIV_TZ = "Europe/Kyiv"


@dataclass(frozen=True, slots=True)
class DeploymentSpec:
    """One deployment: which flow, how often (an interval in seconds or a cron line), with what."""

    name: str
    entrypoint: str
    description: str
    interval_s: int | None = None
    cron: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def schedule(self) -> str:
        """When it runs, in words: `every 10 min`, `30 3 * * * Kyiv`, `on demand`."""
        if self.interval_s is not None:
            minutes = self.interval_s // 60
            return f"every {minutes // 60} h" if minutes % 60 == 0 else f"every {minutes} min"
        return f"cron {self.cron} Kyiv" if self.cron else "on demand"


DEPLOYMENTS = (
    DeploymentSpec("ingest", "flows/ingest.py:ingest", "The feed, RSS and recent sitemap entries, every 10 minutes.", interval_s=600),
    DeploymentSpec(
        "outlets", "flows/outlets_ingest.py:ingest_outlets",
        "Every configured outlet in turn, each on its own (one failing never stops the others), hourly.",
        interval_s=3600,
    ),
    DeploymentSpec(
        "backfill-nightly", "flows/backfill.py:backfill", "The last two days again, nightly, to catch late edits.",
        cron="30 3 * * *", parameters={"days_back": 2},
    ),
    DeploymentSpec("reparse", "flows/reparse.py:reparse", "Rebuild every table from the raw archive, on demand."),
    DeploymentSpec("facts", "flows/news_facts.py:facts", "Facts from the news (losses, strikes, combat, exchanges, places), hourly.", interval_s=3600),
    DeploymentSpec(
        "official-losses", "flows/news_facts.py:official_losses", "The General Staff's daily loss series, each day at 11:00.",
        cron="0 11 * * *",
    ),
    DeploymentSpec(
        "maintenance", "flows/maintenance.py:maintenance",
        "Small-file care: inlined rows flushed, small files merged, old snapshots expired, nightly at 04:15.",
        cron="15 4 * * *",
    ),
)  # fmt: skip


def to_deployments(overrides: dict[str, Any] | None = None) -> list[Any]:
    """The specs as Prefect runner deployments (`overrides` are parameters given to every one)."""
    from prefect import Flow
    from prefect.schedules import Cron, Interval

    from flows.backfill import backfill
    from flows.ingest import ingest
    from flows.maintenance import maintenance
    from flows.news_facts import facts, official_losses
    from flows.outlets_ingest import ingest_outlets
    from flows.reparse import reparse

    flows: dict[str, Flow[..., Any]] = {
        "ingest": ingest,
        "ingest_outlets": ingest_outlets,
        "backfill": backfill,
        "reparse": reparse,
        "facts": facts,
        "official_losses": official_losses,
        "maintenance": maintenance,
    }
    deployments = []
    for spec in DEPLOYMENTS:
        flow = flows[spec.entrypoint.rsplit(":", 1)[1]]
        schedule = None
        if spec.interval_s is not None:
            schedule = Interval(spec.interval_s, timezone=KYIV_TZ)
        elif spec.cron is not None:
            schedule = Cron(spec.cron, timezone=KYIV_TZ)
        parameters = {
            **spec.parameters,
            **{k: v for k, v in (overrides or {}).items() if k in flow.parameters.properties},
        }
        deployments.append(
            flow.to_deployment(
                name=spec.name,
                description=spec.description,
                schedules=[schedule] if schedule else None,
                parameters=parameters,
                tags=["newsflow"],
            )
        )
    return deployments
