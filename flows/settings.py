"""Settings from one place: `NEWSFLOW_*` environment variables, overridden by CLI flags."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SITE = "https://global.espreso.tv"


class Settings(BaseSettings):
    """Everything a run needs to know; built when a command starts, never at import."""

    model_config = SettingsConfigDict(env_prefix="NEWSFLOW_", extra="forbid")

    base_url: str = Field(DEFAULT_SITE, description="Site to crawl (scheme and host).")
    warehouse: Path = Field(Path("warehouse/newsflow.duckdb"), description="DuckDB warehouse file.")
    contact_url: str = Field(
        "https://github.com/newsflow/newsflow", description="Where a site operator can reach us."
    )
    pages: int = Field(3, ge=1, description="Feed pages to read at most per run.")
    lookback_days: int = Field(2, ge=0, description="Sitemap entries modified this many days back.")
    timeout_s: float = Field(20.0, gt=0, description="Per-request timeout in seconds.")
    max_concurrency: int = Field(2, ge=1, description="Requests in flight at once.")
    min_interval_s: float = Field(1.0, ge=0, description="Seconds between request starts.")
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
