"""The ceiling of bench/http_load.py: a bare FastAPI app (a page and a one-row upsert) under the
same uvicorn settings as `backcoach serve`, to measure the app against; not a test."""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backcoach.store.db import make_engine

#: The ceiling process finds its database here (its workers are built from the environment).
CEILING_DATABASE = "BENCH_CEILING_DATABASE_URL"

CEILING_PAGE = (
    "<!doctype html><title>Today</title><h1>Today</h1><p>Three exercises, 20 minutes.</p>"
)
ceiling_metadata = MetaData()
ceiling_sets = Table(
    "bench_ceiling_sets",
    ceiling_metadata,
    Column("person", Integer, primary_key=True),
    Column("exercise_id", String(80), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("amount", Integer, nullable=False),
    Column("felt", String(20), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)


async def _form(request: Request) -> dict[str, str]:
    return {key: str(value) for key, value in (await request.form()).items()}


def ceiling_app() -> FastAPI:
    """A page and a one-row upsert: what Today and a set save cost with no app around them."""
    engine = make_engine(os.environ[CEILING_DATABASE])
    upsert = postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/ceiling/page")
    def page() -> HTMLResponse:
        return HTMLResponse(CEILING_PAGE)

    @app.post("/ceiling/write")
    def write(person: int, form: Annotated[dict[str, str], Depends(_form)]) -> JSONResponse:
        amount = next(form[kind] for kind in ("reps", "seconds", "steps") if kind in form)
        values = {"amount": int(amount), "felt": form["felt"], "at": dt.datetime.now(dt.UTC)}
        statement = upsert(ceiling_sets).values(
            person=person, exercise_id=form["exercise_id"], number=int(form["number"]), **values
        )
        with engine.begin() as connection:
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["person", "exercise_id", "number"], set_=values
                )
            )
        return JSONResponse({"saved": True})

    return app


def serve_ceiling(port: int, workers: int) -> None:
    """uvicorn as `backcoach serve` runs it, on this process's port.

    uvicorn's access log stays on: one line a request, as the app writes one (its own request
    log, or uvicorn's in older versions).
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from backcoach.web import access_log
    from backcoach.web.workers import listening_socket

    config = uvicorn.Config(
        ceiling_app,
        factory=True,
        host="127.0.0.1",
        port=port,
        workers=workers,
        log_level="info",
        log_config=access_log.log_config(),
    )
    if workers == 1:
        uvicorn.Server(config).run()
        return
    # What `backcoach serve --workers` does (web/workers.py), which uvicorn.run allows only for an
    # import string: a script is not one (bench/ is no package), and spawn finds the
    # factory in __main__. The same socket as the app's, so neither waits for delayed ACKs.
    Multiprocess(config, sockets=[listening_socket("127.0.0.1", port)]).run()
