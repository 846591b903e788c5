"""The `ingest-outlets` flow: one `ingest` run per configured outlet, one after another, each
isolated (an outlet whose run fails or raises never stops the next); the run's summary says per
outlet how its run ended."""

from __future__ import annotations

from typing import Any

from prefect import State, flow, get_run_logger
from prefect.artifacts import create_table_artifact
from prefect.states import Completed

from flows.ingest import ingest
from flows.runs import failed, kyiv_run_name
from flows.settings import Settings
from sources.outlets import outlets as configured
from warehouse.load import LoadResult


def outlet_end(name: str, state: State) -> dict[str, Any]:
    """One outlet's line of the summary: its run's state, and what it loaded or why it failed."""
    row: dict[str, Any] = {"outlet": name, "state": state.type.value, "rows loaded": None}
    if state.is_completed():
        result = state.result(raise_on_failure=False)
        if isinstance(result, LoadResult):
            row["rows loaded"] = result.rows_loaded
    row["message"] = state.message or ""
    return row


def outlets_verdict(ends: list[dict[str, Any]]) -> str | None:
    """One sentence naming the outlets whose runs did not complete; None when all did."""
    failing = [
        f"{e['outlet']} ({e['state'].lower()}: {e['message']})"
        for e in ends
        if e["state"] != "COMPLETED"
    ]
    if not failing:
        return None
    return f"{len(failing)} of {len(ends)} outlets did not complete: " + "; ".join(failing)


@flow(name="ingest-outlets", flow_run_name=kyiv_run_name("ingest-outlets"), log_prints=True)
def ingest_outlets(
    outlets: list[str] | None = None,
    sites: dict[str, str] | None = None,
    warehouse: str | None = None,
    min_interval_s: float | None = None,
) -> list[dict[str, Any]] | State:
    """One incremental `ingest` run per outlet, each on its own: a failing outlet is named in the
    summary and the next one runs. Failed only when no outlet's run completed.

    Args:
        outlets: The outlets to read, in order (default: every outlet of the outlets file).
        sites: An outlet's site address in place of its own (a mirror, a local copy), by name;
            each outlet's own otherwise (`NEWSFLOW_BASE_URL` is not used: it names one site).
        warehouse: The warehouse to load into, its lake catalog (created when missing).
        min_interval_s: Seconds between two requests to a site (default: each outlet's own).
    """
    settings = Settings.build(dict(warehouse=warehouse))
    known = configured(settings.outlets_file)
    names = outlets if outlets is not None else list(known)
    if not names:
        return failed("no outlets to read: give at least one name")
    ends = []
    for name in names:
        state = ingest(
            outlet=name,
            # Each outlet's own site (never NEWSFLOW_BASE_URL, which would send every outlet to
            # one site); an unknown name is refused by its own run.
            base_url=(sites or {}).get(name) or (known[name].base_url if name in known else None),
            warehouse=warehouse,
            min_interval_s=min_interval_s,
            return_state=True,
        )
        ends.append(outlet_end(name, state))
    create_table_artifact(
        key="ingest-outlets",
        table=ends,
        description="How each outlet's ingest run ended (one failing never stops the others).",
    )
    verdict = outlets_verdict(ends)
    if verdict is None:
        return ends
    if all(e["state"] != "COMPLETED" for e in ends):
        return failed(verdict)
    get_run_logger().warning("%s", verdict)
    return Completed(message=verdict)
