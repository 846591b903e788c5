"""The quality gate: every batch passes a Great Expectations suite per table before it is loaded.

This is the one place that converts Polars to pandas and talks to Great Expectations. Each
expectation in `suites/<table>.json` says in `meta.on_failure` what its failure means:

- `block`: the whole batch is refused (`GateBlocked`), nothing is loaded;
- `quarantine`: the rows Great Expectations lists as unexpected go to `quarantine`, the rest load;
- `warn`: counted and reported; the rows load.
"""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import polars as pl

from expectations.data_docs import (
    KEEP_RUNS,
    Validation,
    checked_keep_runs,
    one_writer,
    private_folder,
    write_site,
)
from sources.espreso.dates import KYIV
from sources.espreso.template import SITE_RULES
from sources.outlets import DEFAULT_OUTLET, Outlet, outlet
from transforms.quarantine import quarantine

if TYPE_CHECKING:
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )

SUITES_DIR = Path(__file__).parent / "suites"
# How a suite names a list of the site's patterns instead of copying them (see `site_rule`).
SITE_RULE = "$SITE_RULE"
SUITES = (
    "articles",
    "article_pages",
    "article_tags",
    "article_related",
    "feed_items",
    "feed_observations",
    "headline_sources",
)
# The suites of the facts drawn from the news (the `facts` flow) and of the official series.
FACT_SUITES = (
    "loss_reports",
    "strike_events",
    "combat_reports",
    "prisoner_exchanges",
    "places",
)
OFFICIAL_SUITES = ("official_losses",)
# Operations tables record what happened; they are not checked.
UNCHECKED = ("fetch_log", "quarantine")
# Children whose rows only make sense beside their article row.
CHILDREN = ("article_tags", "article_related")
SITE_LAUNCH = datetime.fromisoformat("2013-11-24T00:00:00+02:00")  # Espreso TV's founding date
ON_FAILURE = ("block", "quarantine", "warn")
# What a failed check did to the batch, by its `on_failure`; a suite's result is its worst check's.
FAILED_RESULT = {"block": "blocked", "quarantine": "quarantined", "warn": "warned"}
RESULTS = ("blocked", "quarantined", "warned", "passed")
# The result formats of a suite's run: every expectation BASIC, then COMPLETE (with the indexes of
# the unexpected rows) for those that found something (see `Gate._suite_result`).
SCREEN = {"result_format": "BASIC"}
COMPLETE = {"result_format": "COMPLETE"}


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one expectation on one table's batch."""

    table: str
    name: str
    expectation: str
    on_failure: str
    success: bool
    unexpected: int
    rows: int

    @property
    def label(self) -> str:
        """`table.name`, as quarantine reasons and messages name a check."""
        return f"{self.table}.{self.name}"

    @property
    def result(self) -> str:
        """`passed`, or what its failure did: `blocked`, `quarantined` or `warned`."""
        return "passed" if self.success else FAILED_RESULT[self.on_failure]


def suite_result(checks: list[Check]) -> str:
    """The worst result among a suite's checks."""
    found = {c.result for c in checks}
    return next((r for r in RESULTS if r in found), "passed")


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A row kept out of its table, with the checks it broke."""

    table: str
    record: dict[str, Any]
    reasons: tuple[str, ...]


@dataclass(slots=True)
class GateReport:
    """What passed, what was quarantined, and every check's outcome."""

    passed: dict[str, pl.DataFrame]
    quarantined: list[Quarantined] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)  # when Data Docs were written

    def loadable(
        self, quarantined_before: pl.DataFrame, run_id: str, now: datetime
    ) -> dict[str, pl.DataFrame]:
        """The frames that passed, their `quarantine` the records held before the gate
        (`quarantined_before`) and those the gate held, as run `run_id` at `now` loads them."""
        held = [(q.table, q.record, q.reasons) for q in self.quarantined]
        return {
            **self.passed,
            "quarantine": pl.concat([quarantined_before, quarantine(run_id, now, held)]),
        }

    @property
    def blocking(self) -> list[Check]:
        """Failed checks that refuse the batch."""
        return [c for c in self.checks if c.on_failure == "block" and not c.success]

    @property
    def warnings(self) -> list[Check]:
        """Failed checks that only warn."""
        return [c for c in self.checks if c.on_failure == "warn" and not c.success]

    def summary_rows(self) -> list[dict[str, object]]:
        """One row per check, for logs and the run's table artifact."""
        return [
            {
                "suite": c.table,
                "check": c.name,
                "expectation": c.expectation,
                "on_failure": c.on_failure,
                "result": c.result,
                "unexpected_rows": c.unexpected,
                "rows": c.rows,
            }
            for c in self.checks
        ]

    def summary_markdown(self, docs_dir: Path | None) -> str:
        """Per suite: its result, checks passed, each failed check with its counts, and its Data
        Docs page (as a path: a browser will not open a `file://` link from another page)."""
        pages = {v.suite: v.page for v in self.validations}
        lines = []
        for table in dict.fromkeys(c.table for c in self.checks):
            checks = [c for c in self.checks if c.table == table]
            passed = sum(c.success for c in checks)
            line = f"- **{table}**: {suite_result(checks)}, {passed} of {len(checks)} checks passed"
            if table in pages:
                line += f"; page `{pages[table]}`"
            lines.append(line)
            lines.extend(
                f"  - `{c.name}` ({c.expectation}): {c.result}, {c.unexpected} of {c.rows} rows"
                for c in checks
                if not c.success
            )
        if docs_dir is not None:
            lines.append(
                f"\nData Docs, on the machine that ran the flow: `{docs_dir / 'index.html'}`"
            )
        return "\n".join(lines)


class GateBlocked(RuntimeError):
    """A critical check failed: the batch is not loaded."""

    def __init__(self, report: GateReport) -> None:
        self.report = report
        failed = "; ".join(
            f"{c.label} ({c.expectation}) failed on {c.unexpected} of {c.rows} rows"
            for c in report.blocking
        )
        super().__init__(f"quality gate blocked the batch, nothing was loaded: {failed}")


def site_rule(table: str, name: str, value: object) -> object:
    """A suite's argument with a site rule filled in: `{"$SITE_RULE": "template_junk"}` becomes
    the patterns `SITE_RULES["template_junk"]` (`sources/espreso/template.py`); any other value
    stays as it is."""
    if not (isinstance(value, dict) and set(value) == {SITE_RULE}):
        return value
    rule = value[SITE_RULE]
    if rule not in SITE_RULES:
        raise ValueError(
            f"suite {table}: {name} names site rule {rule!r}; known rules: {sorted(SITE_RULES)}"
        )
    return list(SITE_RULES[rule])


def suite_json(table: str) -> dict[str, Any]:
    """The stored suite of a table, as Great Expectations' own JSON, with its site rules filled in."""
    suite: dict[str, Any] = json.loads((SUITES_DIR / f"{table}.json").read_text(encoding="utf-8"))
    for expectation in suite["expectations"]:
        meta = expectation.get("meta", {})
        if meta.get("on_failure") not in ON_FAILURE or not meta.get("name"):
            raise ValueError(
                f"suite {table}: expectation {expectation['type']} needs meta.name and meta.on_failure in {ON_FAILURE}"
            )
        expectation["kwargs"] = {
            key: site_rule(table, meta["name"], value)
            for key, value in expectation.get("kwargs", {}).items()
        }
    return suite


def _naive_utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC).replace(tzinfo=None)


def instant_bounds(now: datetime, launch: datetime = SITE_LAUNCH) -> dict[str, Any]:
    """The bounds of every instant and day a site states (`site_launch`, `latest_plausible`):
    from the site's launch to one hour after the run's time."""
    return {
        "site_launch": _naive_utc(launch),
        "latest_plausible": _naive_utc(now + timedelta(hours=1)),
    }


def gate_parameters(
    site_url: str, now: datetime, feed_pages_read: int, site: Outlet | None = None
) -> dict[str, Any]:
    """The run-time values the suites refer to as `$PARAMETER`s: the outlet's site rules (its
    article URLs' form, badges, languages, launch; Espreso's by default) on the site crawled."""
    rules = site or outlet(DEFAULT_OUTLET)
    at = re.escape(site_url.rstrip("/"))
    return {
        "article_url_regex": rf"^{at}{rules.article_path}$",
        "site_url_regex": rf"^{at}/",
        **instant_bounds(now, datetime.combine(rules.launched, time(), KYIV)),
        "feed_rows_min": 1 if feed_pages_read else 0,
        "badges": list(rules.badges),
        "languages": list(rules.languages),
    }


# What may differ between runs checked together (see `joint_parameters`): the upper bound of
# their instants, and the least row count of their feed tables (checked per run: `row_counts_hold`).
PER_RUN_BOUND = "latest_plausible"
PER_RUN_ROW_COUNT = "feed_rows_min"
ROW_COUNT = "expect_table_row_count_to_be_between"


def joint_parameters(parameters: Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The parameters to check several runs' frames under at once: the earliest run's instant
    bound (a row within it is within its own run's) and no least row count; None when the runs'
    parameters differ in anything else (another site, outlet or launch)."""
    shared = [
        {k: v for k, v in p.items() if k not in (PER_RUN_BOUND, PER_RUN_ROW_COUNT)}
        for p in parameters
    ]
    if not parameters or any(p != shared[0] for p in shared[1:]):
        return None
    return {
        **shared[0],
        PER_RUN_BOUND: min(p[PER_RUN_BOUND] for p in parameters),
        PER_RUN_ROW_COUNT: 0,
    }


def most_rows(table: str) -> int | None:
    """The most rows one check of the table may hold: its suite's row count's upper bound when
    the suite states one as a number (None otherwise)."""
    for expectation in suite_json(table)["expectations"]:
        most = expectation["kwargs"].get("max_value") if expectation["type"] == ROW_COUNT else None
        if isinstance(most, int):
            return most
    return None


def _bound(value: object, parameters: Mapping[str, Any]) -> int | None:
    if isinstance(value, dict) and set(value) == {"$PARAMETER"}:
        value = parameters[value["$PARAMETER"]]
    return None if value is None else int(value)  # type: ignore[call-overload]


def row_counts_hold(
    suites: Mapping[str, Mapping[str, Any]],
    rows: Mapping[str, int],
    parameters: Mapping[str, Any],
) -> bool:
    """Whether every table's row count (`rows`, by table) is within its suite's `row_count`
    bounds under these parameters (as `expect_table_row_count_to_be_between` judges it: a
    missing bound is none)."""
    for table, suite in suites.items():
        for expectation in suite["expectations"]:
            if expectation["type"] != ROW_COUNT:
                continue
            low = _bound(expectation["kwargs"].get("min_value"), parameters)
            high = _bound(expectation["kwargs"].get("max_value"), parameters)
            count = rows[table]
            if (low is not None and count < low) or (high is not None and count > high):
                return False
    return True


def heights(frames: Mapping[str, pl.DataFrame]) -> dict[str, int]:
    """Rows per table."""
    return {table: frame.height for table, frame in frames.items()}


def joint_groups(
    suites: Mapping[str, Mapping[str, Any]],
    runs: Sequence[tuple[Mapping[str, int], Mapping[str, Any]]],
) -> list[range]:
    """The runs, given as (rows per table, parameters), cut into consecutive groups to check
    together (`Gate.run_together`): each group's runs share their parameters but for the
    per-run ones (`joint_parameters`), and their rows together are within every suite's row
    counts. A joint check over more rows than a suite allows would fail and send every run of
    the group back to be checked alone."""
    groups: list[range] = []
    start = 0
    joint: Mapping[str, Any] = {}
    together: dict[str, int] = {}
    for n, (rows, parameters) in enumerate(runs):
        if n > start:
            # Joint parameters compose: a group's and a run's are those of all its runs.
            widened = joint_parameters([joint, parameters])
            summed = {table: together[table] + rows[table] for table in suites}
            if widened is not None and row_counts_hold(suites, summed, widened):
                joint, together = widened, summed
                continue
            groups.append(range(start, n))
            start = n
        joint, together = parameters, {table: rows[table] for table in suites}
    if start < len(runs):
        groups.append(range(start, len(runs)))
    return groups


def validation_frame(table: str, frame: pl.DataFrame) -> pd.DataFrame:
    """The pandas frame the suites see: instants as naive UTC (pandas deprecates handing out
    tz-aware values as numpy, which some expectations do), lists of strings as their items joined
    by "," (its set checks compare scalars: ["title", "lead"] is "title,lead"), plus recomputed
    inputs to compare with."""
    frame = frame.with_columns(
        pl.col(name).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None
    ).with_columns(
        pl.col(name).list.join(",")
        for name, dtype in frame.schema.items()
        if dtype == pl.List(pl.String)
    )
    if table == "articles":
        frame = frame.with_columns(
            pl.col("body_text")
            .str.extract_all(r"\S+")
            .list.len()
            .cast(pl.Int32)
            .alias("body_word_count"),
            pl.coalesce("published_at", "published_local").alias("published_stated"),
        )
    return frame.to_pandas()


def found_nothing(result: ExpectationValidationResult) -> bool:
    """Whether an expectation passed without counting a row unexpected: its COMPLETE result then
    lists no row either, so its BASIC one gives the same check."""
    return bool(result.success) and not result.result.get("unexpected_count")


def _exception_message(info: Mapping[str, Any] | None) -> str | None:
    """Great Expectations reports a failed evaluation either flat or per metric; find it in both."""
    if not info:
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, Mapping) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


class Gate:
    """Great Expectations set up once per process (its import and context cost ~3 s); with a
    `docs_dir`, each run writes Data Docs there, keeping the pages of the newest `keep_runs` runs.
    `screen=False` runs every expectation COMPLETE (the reference the screened runs must equal)."""

    def __init__(
        self,
        docs_dir: Path | None = None,
        suites: tuple[str, ...] = SUITES,
        *,
        keep_runs: int = KEEP_RUNS,
        screen: bool = True,
    ) -> None:
        self.screen = screen
        self.keep_runs = checked_keep_runs(keep_runs)
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        # In memory, no progress bars on stderr, and no temporary docs site of its own.
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
            progress_bars=ProgressBarsConfig(globally=False),
        )
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        self.docs_dir = docs_dir
        self._suite_pages_written = False
        if docs_dir is not None:
            private_folder(docs_dir)
            from great_expectations.render.renderer.site_builder import SiteBuilder

            # Held for the gate's life: its page renderers and their compiled templates are reused.
            self._site = SiteBuilder(
                data_context=self.context,
                store_backend={
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                site_name="newsflow",
                site_index_builder={"class_name": "DefaultSiteIndexBuilder"},
            )
        asset = self.context.data_sources.add_pandas("newsflow").add_dataframe_asset("batch")
        batch_definition = asset.add_batch_definition_whole_dataframe("whole")
        self.suites = suites
        self._validations = {}
        self._suites = {table: suite_json(table) for table in suites}
        for table in suites:
            suite = self.context.suites.add(gx.ExpectationSuite(**self._suites[table]))
            self._validations[table] = self.context.validation_definitions.add(
                gx.ValidationDefinition(name=table, data=batch_definition, suite=suite)
            )

    def check_table(
        self, table: str, frame: pl.DataFrame, parameters: Mapping[str, Any]
    ) -> tuple[list[Check], dict[int, list[str]]]:
        """Validate one frame; return every check and, per failing row index, its quarantine reasons."""
        result = self._suite_result(table, validation_frame(table, frame), parameters)
        order = {e["meta"]["name"]: i for i, e in enumerate(self._suites[table]["expectations"])}
        found: list[tuple[Check, list[int]]] = []
        for outcome in result.results:
            config = outcome.expectation_config
            assert config is not None, f"suite {table}: a result without its expectation"
            meta = config.meta or {}
            error = _exception_message(outcome.exception_info)
            if error is not None:
                raise RuntimeError(
                    f"suite {table}: {meta.get('name')} ({config.type}) could not run: {error}"
                )
            indexes = [int(i) for i in outcome.result.get("unexpected_index_list") or []]
            check = Check(
                table=table,
                name=meta["name"],
                expectation=config.type,
                on_failure=meta["on_failure"],
                success=bool(outcome.success)
                and not (meta["on_failure"] == "quarantine" and indexes),
                unexpected=int(
                    outcome.result.get("unexpected_count")
                    or len(indexes)
                    or (0 if outcome.success else frame.height)
                ),
                rows=frame.height,
            )
            found.append((check, indexes))
        found.sort(key=lambda pair: order[pair[0].name])
        reasons: dict[int, list[str]] = {}
        for check, indexes in found:
            if check.on_failure == "quarantine":
                for index in indexes:
                    reasons.setdefault(index, []).append(check.label)
        return [check for check, _ in found], reasons

    def _suite_result(
        self, table: str, data: pd.DataFrame, parameters: Mapping[str, Any]
    ) -> ExpectationSuiteValidationResult:
        """The suite's result on `data`, each expectation's as COMPLETE gives it. COMPLETE costs
        about 1.5× BASIC (unexpected indexes, lists and counts for every expectation), and for an
        expectation that found nothing unexpected both say the same: so the suite runs BASIC and
        only the expectations that failed or counted unexpected rows run again COMPLETE, their
        results taking the BASIC ones' places. With docs, the result is kept for its page."""
        from great_expectations.validator.v1_validator import Validator

        definition = self._validations[table]
        batch = {"dataframe": data}
        result = Validator(
            definition.batch_definition, SCREEN if self.screen else COMPLETE, batch
        ).validate_expectation_suite(definition.suite, dict(parameters))
        again = [i for i, r in enumerate(result.results) if self.screen and not found_nothing(r)]
        if again:
            complete = Validator(definition.batch_definition, COMPLETE, batch)
            expectations = {e.meta["name"]: e for e in definition.suite.expectations if e.meta}
            for i in again:
                config = result.results[i].expectation_config
                assert config is not None and config.meta, (
                    f"suite {table}: a result without its expectation"
                )
                result.results[i] = complete.validate_expectation(
                    expectations[config.meta["name"]], dict(parameters)
                )
        if self.docs_dir is not None:
            self._keep_for_docs(table, result)
        return result

    def _keep_for_docs(self, table: str, result: ExpectationSuiteValidationResult) -> None:
        """Store the result as `ValidationDefinition.run` does, for `_write_data_docs` to render."""
        from great_expectations.constants import DATAFRAME_REPLACEMENT_STR
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        run_id = RunIdentifier(run_time=datetime.now(UTC))
        result.meta["validation_id"] = self._validations[table].id
        result.meta["checkpoint_id"] = None
        result.meta["run_id"] = run_id
        result.meta["validation_time"] = run_id.run_time
        result.meta["batch_parameters"] = {"dataframe": DATAFRAME_REPLACEMENT_STR}
        suite = ExpectationSuiteIdentifier(name=table)
        self.context.validation_results_store.store_validation_results(
            suite_validation_result=result,
            suite_validation_result_identifier=ValidationResultIdentifier(
                batch_identifier=result.batch_id, expectation_suite_identifier=suite, run_id=run_id
            ),
            expectation_suite_identifier=suite,
        )

    def run(self, frames: Mapping[str, pl.DataFrame], parameters: Mapping[str, Any]) -> GateReport:
        """Check every table of the batch; raise `GateBlocked` if a blocking check failed."""
        unchecked = set(frames) - set(self.suites) - set(UNCHECKED)
        if unchecked:
            raise ValueError(
                f"quality gate: no suite for {sorted(unchecked)}; add expectations/suites/<table>.json"
            )
        if "latest_plausible" not in parameters:
            # A caller that passes no run time (the facts flow) is checking now.
            parameters = {**instant_bounds(datetime.now(UTC)), **parameters}
        report = GateReport(passed=dict(frames))
        dropped_articles: set[str] = set()
        for table in self.suites:
            frame = frames[table]
            checks, reasons = self.check_table(table, frame, parameters)
            report.checks.extend(checks)
            if table == "article_pages":
                continue
            bad = sorted(reasons)
            for index in bad:
                report.quarantined.append(
                    Quarantined(table, frame.row(index, named=True), tuple(reasons[index]))
                )
            keep = frame.with_row_index("_row").filter(~pl.col("_row").is_in(bad)).drop("_row")
            if table == "articles":
                dropped_articles = {frame["url"][i] for i in bad}
            if table in CHILDREN and dropped_articles:
                orphaned = keep.filter(pl.col("url").is_in(dropped_articles))
                for record in orphaned.iter_rows(named=True):
                    report.quarantined.append(
                        Quarantined(table, record, ("articles.row_quarantined",))
                    )
                keep = keep.filter(~pl.col("url").is_in(dropped_articles))
            report.passed[table] = keep
        if self.docs_dir is not None:
            report.validations = self._write_data_docs(self.docs_dir, report.checks)
            self._forget_results()
        if report.blocking:
            raise GateBlocked(report)
        return report

    def joint_groups(
        self, runs: Sequence[tuple[Mapping[str, int], Mapping[str, Any]]]
    ) -> list[range]:
        """`joint_groups` under this gate's suites."""
        return joint_groups(self._suites, runs)

    def run_together(
        self, runs: Sequence[tuple[Mapping[str, pl.DataFrame], Mapping[str, Any]]]
    ) -> tuple[list[Check], list[GateReport | GateBlocked]]:
        """Each run's outcome as `run` gives it (its report, or the `GateBlocked` that refuses
        it), for runs given as (frames, parameters); with the checks of the runs checked together.

        Each suite runs once over all the runs' frames under `joint_parameters`: Great
        Expectations' cost is mostly per suite run, not per row. A run none of whose rows a
        quarantine check names, within its own row counts, passes whole, as it would alone: its
        rows pass every row's check under a stricter instant bound, and share no key with
        another run's. The runs whose rows were named are checked again alone. When a blocking
        check finds anything (it judges the runs as a whole), when the runs' parameters differ
        otherwise, or with Data Docs (a page per run), every run is checked alone."""
        joint = joint_parameters([parameters for _, parameters in runs])
        if len(runs) < 2 or joint is None or self.docs_dir is not None:
            return [], [self._outcome(frames, parameters) for frames, parameters in runs]
        checks: list[Check] = []
        named: set[int] = set()
        for table in self.suites:
            parts = [frames[table] for frames, _ in runs]
            table_checks, reasons = self.check_table(table, pl.concat(parts), joint)
            checks.extend(table_checks)
            if any(
                c.on_failure == "block" and (c.unexpected or not c.success) for c in table_checks
            ):
                return checks, [self._outcome(frames, parameters) for frames, parameters in runs]
            ends = list(accumulate(part.height for part in parts))
            named.update(bisect_right(ends, index) for index in reasons)
        outcomes: list[GateReport | GateBlocked] = [
            self._outcome(frames, parameters)
            if n in named or not row_counts_hold(self._suites, heights(frames), parameters)
            else GateReport(passed=dict(frames))
            for n, (frames, parameters) in enumerate(runs)
        ]
        return checks, outcomes

    def _outcome(
        self, frames: Mapping[str, pl.DataFrame], parameters: Mapping[str, Any]
    ) -> GateReport | GateBlocked:
        try:
            return self.run(frames, parameters)
        except GateBlocked as blocked:
            return blocked

    def _write_data_docs(self, docs_dir: Path, checks: list[Check]) -> list[Validation]:
        """GX writes this batch's validation pages (not its index, which lists only the results
        it holds and deletes the pages of the others); `write_site` does the rest. The suite pages
        do not change while the process lives: GX renders them (about half of its Data Docs time),
        and copies its static files, on the gate's first run and again only when one has gone
        missing."""
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        with one_writer(docs_dir):
            store = self.context.validation_results_store
            keys: list[ValidationResultIdentifier] = []
            for key in store.list_keys():
                assert isinstance(key, ValidationResultIdentifier)
                keys.append(key)
            self._site.site_section_builders["validations"].build(resource_identifiers=keys)
            pages = [docs_dir / "expectations" / f"{t}.html" for t in self.suites]
            if (
                self._suite_pages_written
                and all(page.is_file() for page in pages)
                and (docs_dir / "static").is_dir()
            ):
                pages = []
            else:  # the suite pages, and the static files GX's pages use
                self._site.build(
                    build_index=False,
                    resource_identifiers=[ExpectationSuiteIdentifier(name=t) for t in self.suites],
                )
            validations: list[Validation] = []
            for key in keys:
                *folders, batch = key.to_tuple()  # type: ignore[no-untyped-call]  # untyped in GX 1.24
                page = Path("validations", *folders, f"{batch}.html")
                result = store.get(key)
                assert result is not None, f"no validation result for {key}"
                suite = key.expectation_suite_identifier.name
                validations.append(
                    Validation(
                        suite=suite,
                        run_time=key.run_id.run_time,
                        success=bool(result.success),
                        evaluated=int(result.statistics["evaluated_expectations"]),
                        successful=int(result.statistics["successful_expectations"]),
                        gate=suite_result([c for c in checks if c.table == suite]),
                        page=page.as_posix(),
                    )
                )
                pages.append(docs_dir / page)
            write_site(docs_dir, self.suites, pages, validations, keep_runs=self.keep_runs)
            self._suite_pages_written = True
        return validations

    def _forget_results(self) -> None:
        """Drop the validation results held in memory once their Data Docs pages are written:
        otherwise every later run re-renders all of them (a long-lived process, such as
        `newsflow serve`, would check each batch slower than the one before and hold them all)."""
        store = self.context.validation_results_store
        for key in store.list_keys():
            store.remove_key(key)  # type: ignore[no-untyped-call]  # untyped in GX 1.24


def shared_gate(
    docs_dir: Path | None, suites: tuple[str, ...] = SUITES, *, keep_runs: int = KEEP_RUNS
) -> Gate:
    """One `Gate` per process, Data Docs folder, set of suites and retention (`keep_runs`: the
    gate runs whose Data Docs pages are kept)."""
    return _gate(docs_dir, suites, keep_runs)


@cache
def _gate(docs_dir: Path | None, suites: tuple[str, ...], keep_runs: int) -> Gate:
    # One cache key however the caller spells the arguments (`cache` keys on them as passed).
    return Gate(docs_dir, suites, keep_runs=keep_runs)
