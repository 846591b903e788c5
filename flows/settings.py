"""Settings from one place, in one order: the defaults here < `NEWSFLOW_*` environment variables <
an explicit CLI option or flow parameter. A flow parameter or CLI option left empty means "from the
settings"; the CLI's options (flag, help, shown default) and the README's table of settings are made
from the fields below."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

from expectations.data_docs import KEEP_RUNS
from sources.limits import FETCH_BUDGET_S, MAX_CRAWL_DELAY_S, MAX_NEW_URLS, REQUEST_DEADLINE_S
from sources.outlets import DEFAULT_OUTLET, Outlet, OutletsError, UnknownOutlet, outlet
from warehouse.catalog import CatalogError, check_postgres, link_shared_catalog
from warehouse.location import DEFAULT_WAREHOUSE

DEFAULT_SITE = "https://global.espreso.tv"
# PetroIvaniuk/2022-Ukraine-Russia-War-Dataset, path data/ (MIT): see ../shared/realdata/general-staff.
OFFICIAL_PUBLIC_URL = (
    "https://raw.githubusercontent.com/PetroIvaniuk/2022-Ukraine-Russia-War-Dataset/main/data"
)
# The copy of that data set that travels beside the repository (never in it: real data stays in
# ../shared).
OFFICIAL_BUNDLED_DIR = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "general-staff"
ENV_PREFIX = "NEWSFLOW_"
REPO = Path(__file__).resolve().parents[1]


def _option(flag: str) -> dict[str, Any]:
    """A field's `json_schema_extra`: the command-line option that sets it."""
    return {"option": flag}


class Settings(BaseSettings):
    """Everything a run needs to know; built when a command or flow starts, never at import."""

    # A refused value may hold a password: errors never repeat their input (the CLI shows it, or
    # its redacted form, itself).
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="forbid", hide_input_in_errors=True
    )

    outlets_file: Path | None = Field(
        None,
        description="The outlets file to read outlets from (the keys of `sources/outlets.toml`); "
        "unset: the one shipped in `sources/`.",
    )
    outlet: str = Field(
        DEFAULT_OUTLET,
        description="The outlet to read (`newsflow outlets` lists them): its site, discovery, "
        "reader, politeness and the gate's site rules.",
        json_schema_extra=_option("--outlet"),
    )
    base_url: str = Field(
        DEFAULT_SITE,
        description="Site to crawl (scheme and host); unset: the outlet's.",
        json_schema_extra=_option("--base-url"),
    )
    warehouse: Path = Field(
        DEFAULT_WAREHOUSE,
        description="The warehouse: a DuckLake whose catalog is this SQLite file (its Parquet "
        "files beside it), or with a shared catalog the link to it.",
        json_schema_extra=_option("--warehouse"),
    )
    catalog: str | None = Field(
        None,
        description="A PostgreSQL catalog shared by several machines, as "
        "`postgres:dbname=… host=… user=…` (a password in ~/.pgpass): the warehouse path "
        "becomes a link to it. Unset: the warehouse is its own SQLite catalog.",
    )
    lake_data: Path | None = Field(
        None,
        description="With a shared catalog: the folder (or mount) all machines share for the "
        "lake's Parquet files.",
    )
    contact_url: str = Field(
        "https://github.com/newsflow/newsflow", description="Where a site operator can reach us."
    )
    pages: int = Field(
        3,
        ge=1,
        description="Feed pages to read at most per run.",
        json_schema_extra=_option("--pages"),
    )
    lookback_days: int = Field(
        2,
        ge=0,
        description="Sitemap entries modified this many days back.",
        json_schema_extra=_option("--lookback-days"),
    )
    timeout_s: float = Field(20.0, gt=0, description="Per-request timeout in seconds.")
    max_concurrency: int = Field(2, ge=1, description="Requests in flight at once.")
    min_interval_s: float = Field(
        1.0,
        ge=0,
        description="Seconds between request starts.",
        json_schema_extra=_option("--min-interval"),
    )
    max_bytes: int = Field(
        5_000_000, gt=0, description="Response bodies are cut off past this size."
    )
    warc_max_bytes: int = Field(
        100_000_000, gt=0, description="A WARC file rotates past this size."
    )
    attempts: int = Field(4, ge=1, description="Tries per request (timeouts, resets, 429, 5xx).")
    backoff_s: float = Field(
        1.0, ge=0, description="First retry delay; doubles, with jitter, to 60 s."
    )
    batch_size: int = Field(
        50,
        ge=1,
        description="Backfill: articles fetched and loaded per batch.",
        json_schema_extra=_option("--batch-size"),
    )
    pages_per_batch: int = Field(
        20,
        ge=1,
        description="Backfill: feed pages walked per batch.",
        json_schema_extra=_option("--pages-per-batch"),
    )
    days_back: int = Field(
        2, ge=0, description="Backfill without a start date: days back from today."
    )
    batch_pages: int = Field(
        1000,
        ge=1,
        description="Reparse: article pages parsed together (checked and loaded a few batches at a time).",
        json_schema_extra=_option("--batch-pages"),
    )
    workers: int = Field(
        1,
        ge=1,
        description="Reparse: processes that index the archive, parse and shape, and draw facts.",
        json_schema_extra=_option("--workers"),
    )
    official_url: str = Field(
        OFFICIAL_PUBLIC_URL,
        description="The General Staff data set's folder address; empty: the bundled copy only.",
        json_schema_extra=_option("--url"),
    )
    official_bundled: Path = Field(
        OFFICIAL_BUNDLED_DIR,
        description="The bundled copy of the General Staff data set.",
        json_schema_extra=_option("--bundled"),
    )
    data_docs_keep_runs: int = Field(
        KEEP_RUNS, ge=1, description="Data Docs keep the validation pages of this many newest runs."
    )
    prefect_server: str = Field(
        "http://127.0.0.1:4200",
        description="A Prefect server whose UI shows runs started from the CLI when it is up "
        "(empty: never look); PREFECT_API_URL, when set, wins.",
    )
    request_deadline_s: float = Field(
        REQUEST_DEADLINE_S,
        gt=0,
        description="Longest one request may take, headers and body together, in seconds.",
    )
    fetch_budget_s: float = Field(
        FETCH_BUDGET_S,
        gt=0,
        description="Seconds the requests of a run (or backfill batch) may take in all; what came "
        "by then is loaded, the rest is asked again by the next run.",
    )
    max_new_urls: int = Field(
        MAX_NEW_URLS,
        ge=1,
        description="New article URLs taken from RSS and sitemaps per run, the newest; the next "
        "runs take the rest.",
    )
    max_crawl_delay_s: float = Field(
        MAX_CRAWL_DELAY_S,
        ge=0,
        description="Longest robots.txt Crawl-delay obeyed, in seconds; a longer one is cut to "
        "this, with a warning.",
    )

    snapshot_retention_days: int = Field(
        30,
        ge=0,
        description="Maintenance expires the warehouse's snapshots older than this many days, so "
        "time travel reaches this far back (0: the current state only).",
        json_schema_extra=_option("--snapshot-retention-days"),
    )

    @classmethod
    def build(
        cls, overrides: Mapping[str, Any] | None = None, profile: Mapping[str, Any] | None = None
    ) -> Settings:
        """The settings of one command or flow run: `profile` (the demo's own defaults) in place of
        the defaults above, then the environment, then `overrides` that are not None."""
        given = {k: v for k, v in (overrides or {}).items() if v is not None}
        settings = cls(**given)
        kept = {k: v for k, v in (profile or {}).items() if k not in settings.model_fields_set}
        return settings.model_copy(update=kept) if kept else settings

    @model_validator(mode="before")
    @classmethod
    def _outlet_defaults(cls, given: Any) -> Any:
        """The outlet's site and politeness in place of the defaults: an environment variable or
        option still wins."""
        if not isinstance(given, dict):
            return given
        try:
            file = given.get("outlets_file")
            chosen = outlet(str(given.get("outlet", DEFAULT_OUTLET)), Path(file) if file else None)
        except (UnknownOutlet, OutletsError, OSError):
            return given  # refused by name below
        return {"base_url": chosen.base_url, **chosen.politeness(), **given}

    @field_validator("outlet")
    @classmethod
    def _known_outlet(cls, value: str, info: ValidationInfo) -> str:
        try:
            return outlet(value, info.data.get("outlets_file")).name
        except (UnknownOutlet, OutletsError) as error:
            raise PydanticCustomError("unknown_outlet", str(error)) from None
        except OSError as error:
            raise PydanticCustomError(
                "outlets_file", f"cannot read the outlets file: {error.strerror}"
            ) from None

    @field_validator("base_url")
    @classmethod
    def _site_address(cls, value: str) -> str:
        return site_address(value)

    @field_validator("catalog")
    @classmethod
    def _shared_catalog(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            return check_postgres(value)
        except CatalogError as error:
            raise PydanticCustomError("shared_catalog", str(error)) from None

    @model_validator(mode="after")
    def _linked(self) -> Settings:
        """With a shared catalog, the warehouse path is made (or kept) a link to it."""
        if self.catalog is None:
            return self
        if self.lake_data is None:
            raise PydanticCustomError(
                "lake_data",
                "a shared catalog needs the shared folder of its files: set $NEWSFLOW_LAKE_DATA",
            )
        try:
            link_shared_catalog(self.warehouse, self.catalog, self.lake_data)
        except CatalogError as error:
            raise PydanticCustomError("shared_catalog", str(error)) from None
        except OSError as error:
            raise PydanticCustomError(
                "shared_catalog",
                f"cannot write the warehouse's link at {self.warehouse} ({error.strerror}): "
                "choose a writable --warehouse PATH",
            ) from None
        return self

    @staticmethod
    def env_name(field: str) -> str:
        """The environment variable of a setting: `pages` → `NEWSFLOW_PAGES`."""
        return f"{ENV_PREFIX}{field.upper()}"

    @classmethod
    def option(cls, field: str) -> str | None:
        """The command-line option of a setting (`pages` → `--pages`); None: environment only."""
        extra = cls.model_fields[field].json_schema_extra
        flag = extra.get("option") if isinstance(extra, dict) else None
        return str(flag) if flag else None

    @property
    def site(self) -> Outlet:
        """The outlet this run reads."""
        return outlet(self.outlet, self.outlets_file)

    @property
    def user_agent(self) -> str:
        """A User-Agent that says who we are and where to reach us."""
        return f"newsflow/0.1 (+{self.contact_url})"

    @property
    def data_docs_dir(self) -> Path:
        """Where the quality gate writes its Great Expectations Data Docs, beside the warehouse
        (absolute: Great Expectations refuses a relative folder)."""
        return self.warehouse.parent.resolve() / "data_docs"

    @property
    def raw_dir(self) -> Path:
        """The WARC archive of every answer, beside the warehouse."""
        return self.warehouse.parent / "raw"


def settings_table() -> str:
    """The README's table of settings, made from `Settings` (a test keeps the README equal to it)."""
    lines = ["| variable | option | default | what |", "|---|---|---|---|"]
    for field, info in Settings.model_fields.items():
        default = info.default
        if isinstance(default, Path) and default.is_absolute():
            default = os.path.relpath(default, REPO)  # the repo's own path is not the reader's
        flag = Settings.option(field)
        option = f"`{flag}`" if flag else ""
        lines.append(
            f"| `{Settings.env_name(field)}` | {option} | `{default}` | {info.description} |"
        )
    return "\n".join(lines)


def site_address(value: str) -> str:
    """A site's address as crawled: http or https with a host, scheme and host in lower case;
    refused (`PydanticCustomError`) otherwise, and when it holds a user name or password: those
    would be sent to the site as Basic auth and stored with every request."""
    parts = urlsplit(value.strip())
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = parts._replace(scheme="")
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise PydanticCustomError(
            "site_address",
            "not the address of a site: give http:// or https:// and a host name, like "
            "https://global.espreso.tv",
        )
    if "@" in parts.netloc:
        raise PydanticCustomError(
            "site_credentials",
            "holds a user name or password, which would be sent to the site and stored with "
            "every request: give the address alone",
            {"shown": urlunsplit(parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))},
        )
    return urlunsplit(parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower()))
