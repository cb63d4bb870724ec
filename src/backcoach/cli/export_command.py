"""`backcoach export`: a person's data in formats other software reads (an admin's commands).

Only Typer is imported here at start (tests/integration/test_cli_startup.py): the database and
the services are imported inside each command.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from backcoach.store.db import UnitOfWork

export_app = typer.Typer(help="A person's data for other software (an admin's commands).")


@export_app.command("fhir")
def export_fhir(
    email: Annotated[str, typer.Argument(help="The person's email.")],
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="The server's FHIR base, e.g. https://backcoach.example.org/api/v1/fhir: "
            "each entry's fullUrl is made from it (default: none).",
        ),
    ] = None,
) -> None:
    """Print the person's record as a FHIR R4 Bundle (JSON), the same document as
    GET /api/v1/fhir/Patient/{id}/$everything; it is written to their audit log as an export
    made at the command line (docs/fhir.md)."""
    from backcoach.cli.coach_command import _in_database
    from backcoach.services import fhir_export
    from backcoach.services.coaching import OPERATOR

    def export(uow: UnitOfWork) -> str:
        bundle = fhir_export.patient_everything_by_email(
            uow=uow,
            principal=OPERATOR,
            email=email,
            now=dt.datetime.now(dt.UTC),  # the CLI is an edge: it may read the clock
            base_url=base_url,
        )
        return json.dumps(bundle, indent=2, ensure_ascii=False)

    typer.echo(_in_database(export))
