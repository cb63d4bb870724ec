"""The `backcoach` command line."""

from backcoach.cli.app import app, main

__all__ = ["app", "main"]
