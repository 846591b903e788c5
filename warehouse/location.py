"""Where the warehouse lives when no one says otherwise (a module without imports: the settings
read it at every command's start)."""

from pathlib import Path

DEFAULT_WAREHOUSE = Path("warehouse/newsflow.ducklake")
"""The lake's catalog (a SQLite file); its Parquet files are in `warehouse/newsflow.ducklake.files/`
and its search index in `warehouse/newsflow.ducklake.search.duckdb` (see `warehouse.lake`)."""
