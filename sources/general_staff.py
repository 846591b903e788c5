"""The General Staff's daily loss figures: a public data set (two JSON files), read from its public
address when a network is there and from the bundled copy otherwise."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sources.http import SiteClient
from sources.records import Fetched, LoggedFetch

PERSONNEL = "russia_losses_personnel.json"
EQUIPMENT = "russia_losses_equipment.json"


@dataclass(frozen=True, slots=True)
class OfficialData:
    """Both files of the data set, parsed, and where they came from."""

    personnel: list[dict[str, Any]]
    equipment: list[dict[str, Any]]
    source: str


def parse_files(personnel: bytes, equipment: bytes, source: str) -> OfficialData:
    """Both files' bytes → their day objects; `ValueError` naming the file when one is not the data
    set's shape (a list of objects, each with a `date`)."""
    parsed = []
    for name, body in ((PERSONNEL, personnel), (EQUIPMENT, equipment)):
        try:
            days = json.loads(body)
        except ValueError as error:
            raise ValueError(f"{source}/{name} is not JSON: {error}") from None
        if not isinstance(days, list) or not all(
            isinstance(d, dict) and isinstance(d.get("date"), str) for d in days
        ):
            raise ValueError(f"{source}/{name} is not a list of days with a date")
        parsed.append(days)
    return OfficialData(parsed[0], parsed[1], source)


def read_bundled(folder: Path) -> OfficialData:
    """The bundled copy; `FileNotFoundError` saying where it was looked for when it is not there."""
    if not (folder / PERSONNEL).is_file() or not (folder / EQUIPMENT).is_file():
        raise FileNotFoundError(
            f"no bundled General Staff data in {folder} ({PERSONNEL}, {EQUIPMENT})"
        )
    return parse_files(
        (folder / PERSONNEL).read_bytes(), (folder / EQUIPMENT).read_bytes(), str(folder)
    )


def data_urls(url: str) -> list[str]:
    """The addresses of both files under the data set's folder address."""
    return [f"{url.rstrip('/')}/{name}" for name in (PERSONNEL, EQUIPMENT)]


async def fetch_files(url: str, user_agent: str, timeout_s: float = 20.0) -> list[LoggedFetch]:
    """Every answer of fetching both files from `url` (a folder address), politely: the host's
    robots.txt (kind `robots`), then the two files (kind `official`); never raises for network or
    HTTP trouble (see `parse_answers`)."""
    parts = urlsplit(url)
    async with SiteClient(
        f"{parts.scheme}://{parts.netloc}",
        user_agent=user_agent,
        timeout_s=timeout_s,
        min_interval_s=0.5,
        attempts=2,
        backoff_s=0.5,
        max_bytes=50_000_000,
    ) as client:
        files = await client.fetch_all(data_urls(url))
        robots = [LoggedFetch(client.robots_fetch, "robots")] if client.robots_fetch else []
    return robots + [LoggedFetch(answer, "official") for answer in files]


def parse_answers(answers: list[Fetched], url: str) -> OfficialData:
    """Both answers as the data set: `OSError` with the reason when either is missing (no network,
    an error status), `ValueError` when one is malformed."""
    for answer in answers:
        if not answer.ok:
            raise OSError(f"{answer.url}: {answer.error or f'HTTP {answer.status}'}")
    return parse_files(answers[0].body, answers[1].body, url)
