"""What a run's requests amount to: which failed, grouped by kind, and the one sentence that says a
run reached nothing useful (it then ends Failed; with some pages failed it ends Completed, warning)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sources.records import LoggedFetch
from sources.robots import robots_unreachable

# The parts of a discovery that count as reaching the site: an answer, even an unchanged one.
_REACHING = ("feed", "rss", "sitemap", "article")


def failure_kind(request: LoggedFetch) -> str:
    """Why a request failed, in short (`timeout`, `HTTP 500`, `refused`, `too large`, `blocked`,
    `bad header`, `capped`, `connection`, `parse problem`, `other`), from the kinds its records carry."""
    return request.failure or "none"


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a run's requests went: failures by kind, and why the run was useless (None if it was not)."""

    requests: int
    failed: int
    by_kind: dict[str, int]
    useless: str | None

    def summary(self) -> str:
        """`3 of 24 requests failed: timeout 2, HTTP 500 1`."""
        kinds = ", ".join(f"{kind} {n}" for kind, n in self.by_kind.items())
        return f"{self.failed} of {self.requests} requests failed" + (f": {kinds}" if kinds else "")


def run_outcome(site_url: str, requests: Sequence[LoggedFetch]) -> Outcome:
    """The outcome of a run's requests (robots.txt, discovery and article pages).

    Useless when robots.txt could not be read, when no listing page nor article answered, or when
    every article page that was asked for failed."""
    failed = [r for r in requests if r.error]
    by_kind = dict(Counter(failure_kind(r) for r in failed).most_common())
    robots = [r for r in requests if r.kind == "robots"]
    reached = [r for r in requests if r.kind in _REACHING and _answered(r)]
    articles = [r for r in requests if r.kind == "article"]
    useless = None
    if robots and robots_unreachable(robots[-1].fetched):
        useless = (
            f"robots.txt of {site_url} could not be read ({robots[-1].error}), so nothing may be "
            "fetched; the next run tries again."
        )
    elif requests and not reached:
        first = next((r.error for r in failed), "no answer")
        useless = f"Nothing reached at {site_url}: every request failed (first: {first})."
    elif articles and not any(_answered(r) for r in articles):
        kinds = Counter(failure_kind(r) for r in articles).most_common()
        useless = f"Every article page failed: {len(articles)} of {len(articles)} ({', '.join(f'{k} {n}' for k, n in kinds)})."
    return Outcome(len(requests), len(failed), by_kind, useless)


def _answered(request: LoggedFetch) -> bool:
    # An answer from the site: a page, an unchanged one, or one that is normally absent (past the
    # last feed page, no RSS).
    fetched = request.fetched
    return (
        fetched.ok
        or fetched.not_modified
        or (request.expected_absent and fetched.status is not None)
    )
