"""`backcoach export`: a person's data in formats other software reads (an admin's commands).

Only Typer is imported here at start (tests/integration/test_cli_startup.py).
"""

from __future__ import annotations

import typer

export_app = typer.Typer(help="A person's data for other software (an admin's commands).")
