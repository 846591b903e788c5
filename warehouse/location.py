"""Where the warehouse lives when no one says otherwise (a module without imports: the settings
read it at every command's start)."""

from pathlib import Path

DEFAULT_WAREHOUSE = Path("warehouse/newsflow.duckdb")
