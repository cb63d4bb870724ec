"""`backcoach user` and `backcoach token`: accounts and API tokens made from the command line, so
that a script can set up without a browser (an admin's commands, run by whoever holds the server).

Only Typer is imported here at start (tests/integration/test_cli_startup.py).
"""

from __future__ import annotations

import typer

user_app = typer.Typer(help="Accounts (an admin's commands).")
token_app = typer.Typer(help="Personal access tokens for the JSON API (an admin's commands).")
