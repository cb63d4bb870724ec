"""Printable documents made from a person's program, shared by the web app and the CLI."""
