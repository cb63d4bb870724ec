"""`backcoach serve`: the web app, over HTTP or HTTPS, in one process or several."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from backcoach.formats.documents import InputError


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes sharing the port and the database.")
    ] = 1,
    ssl_certfile: Annotated[
        Path | None,
        typer.Option(help="Serve HTTPS with this certificate (PEM, with its chain)."),
    ] = None,
    ssl_keyfile: Annotated[
        Path | None, typer.Option(help="The certificate's private key (PEM).")
    ] = None,
) -> None:
    """Run the web app (migrates the database first; SQLite by default, or DATABASE_URL)."""
    import uvicorn
    from sqlalchemy.exc import DBAPIError

    from backcoach.cli.app import _clean_errors, _database_problem, _safe_url, _settings
    from backcoach.web import access_log
    from backcoach.web.app import create_app
    from backcoach.web.workers import tls_files

    with _clean_errors():
        try:
            tls = tls_files(ssl_certfile, ssl_keyfile)
        except ValueError as error:
            raise InputError(str(error)) from None
        # Served over HTTPS: cookies marked Secure and HSTS sent, as BACKCOACH_SECURE_COOKIES=true.
        settings = _settings(host=host, port=port, secure_cookies=True if tls else None)
        # Built here even for workers: the database is migrated and the signing key made once,
        # and a bad setting or an unreachable database is one line, before any worker starts.
        try:
            web_app = create_app(settings)
        except (DBAPIError, OSError) as error:
            raise InputError(_database_problem(settings.database_url, error)) from None
    typer.echo(
        f"backcoach on {'https' if tls else 'http'}://{settings.host}:{settings.port} "
        f"(database {_safe_url(settings.database_url)}"
        + (f", {workers} workers)" if workers > 1 else ")")
    )
    if workers == 1:
        uvicorn.run(
            web_app,
            host=settings.host,
            port=settings.port,
            log_level="info",
            log_config=access_log.log_config(settings.log_format),
            access_log=False,  # the request log replaces uvicorn's, which shows raw paths
            ssl_certfile=tls.certfile if tls else None,
            ssl_keyfile=tls.keyfile if tls else None,
        )
        return
    web_app.state.database.dispose()  # type: ignore[attr-defined]
    # Each worker is a new process that builds its own app from the same environment.
    from backcoach.web.workers import serve_workers

    if tls:  # each worker reads its settings from the environment this process passes on
        os.environ["BACKCOACH_SECURE_COOKIES"] = "true"
    with _clean_errors():
        try:
            serve_workers(
                host=settings.host,
                port=settings.port,
                workers=workers,
                log_config=access_log.log_config(settings.log_format),
                tls=tls,
            )
        except OSError as error:  # the port is taken, or the address is not this machine's
            raise InputError(f"cannot listen on {settings.host}:{settings.port}: {error}") from None
