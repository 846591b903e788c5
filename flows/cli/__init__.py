"""`newsflow`, the command line: `app` holds the commands, `main` is the console script."""

from flows.cli.app import app, main

__all__ = ["app", "main"]
