"""Where a request's time goes before any page work: the floor under bench/http_load.py's ratios.

Run: .venv/bin/python bench/http_floor.py [--seconds 5] [--connections 1]. Prints a table; it is
not a test. It needs wrk (`apt-get install wrk`).

Two servers under the same uvicorn settings as `backcoach serve` (one worker, the request log on):
the bare FastAPI app of bench/http_ceiling.py, and backcoach itself with a few probe routes added
for this run only. Each row is one step more of what a real page does, the same tiny HTML each
time, so the differences are the cost of that step:

  bare, async handler          no thread hop at all
  bare, plain handler          one thread-pool hop: bench/http_load.py's ceiling (ratio 100%)
  bare, + a plain dependency   three hops (a generator dependency's start and end, the handler)
  app stack, async handler     backcoach's request log, security headers, lanes and CSRF layer
  app stack, plain handler     ... and one hop
  app stack, unit of work      ... and the pages' unit of work (three hops, a database session)
  app stack, + login           ... and the login looked up from the cookie (one statement)
  Today                        the real page of a person with a program and an open session

Issue 10 asks Today for 40% of the ceiling; this shows how much of that the steps before any
page work already take.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from backcoach.web.deps import SESSION_COOKIE
from http_ceiling import CEILING_DATABASE, CEILING_PAGE
from http_load import Served, servers_of
from probe_durability import Phone, Tally

ROWS = (  # label, server, path, cookie needed
    ("bare, async handler", "bare", "/floor/async", False),
    ("bare, plain handler", "bare", "/floor/plain", False),
    ("bare, + a plain dependency", "bare", "/floor/hops", False),
    ("app stack, async handler", "app", "/bench-floor/async", False),
    ("app stack, plain handler", "app", "/bench-floor/plain", False),
    ("app stack, unit of work", "app", "/bench-floor/uow", False),
    ("app stack, + login", "app", "/bench-floor/login", True),
    ("Today", "app", "/today", True),
)
CEILING_ROW = "bare, plain handler"


def bare_app() -> object:
    """The ceiling's bare app with the probe routes (built in the server process)."""
    from collections.abc import Iterator
    from typing import Annotated

    from fastapi import Depends, FastAPI
    from fastapi.responses import HTMLResponse

    def held() -> Iterator[int]:
        yield 1

    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/floor/async")
    async def floor_async() -> HTMLResponse:
        return HTMLResponse(CEILING_PAGE)

    @app.get("/floor/plain")
    def floor_plain() -> HTMLResponse:
        return HTMLResponse(CEILING_PAGE)

    @app.get("/floor/hops")
    def floor_hops(_: Annotated[int, Depends(held)]) -> HTMLResponse:
        return HTMLResponse(CEILING_PAGE)

    @app.get("/ceiling/page")
    def ready() -> HTMLResponse:
        return HTMLResponse(CEILING_PAGE)

    return app


def probed_app() -> object:
    """backcoach with probe routes on one of its routers, added before the app is built."""
    from fastapi.responses import HTMLResponse

    from backcoach.settings import Settings
    from backcoach.web.app import create_app
    from backcoach.web.deps import OptionalUser, UowDep
    from backcoach.web.routes import accounts

    async def floor_async() -> HTMLResponse:
        return HTMLResponse(CEILING_PAGE)

    def floor_plain() -> HTMLResponse:
        return HTMLResponse(CEILING_PAGE)

    def floor_uow(uow: UowDep) -> HTMLResponse:
        return HTMLResponse(CEILING_PAGE)

    def floor_login(uow: UowDep, user: OptionalUser) -> HTMLResponse:
        assert user is not None, "the probe's cookie should log someone in"
        return HTMLResponse(CEILING_PAGE)

    for name, handler in (
        ("async", floor_async),
        ("plain", floor_plain),
        ("uow", floor_uow),
        ("login", floor_login),
    ):
        accounts.router.add_api_route(f"/bench-floor/{name}", handler, methods=["GET"])
    return create_app(Settings())


def serve(kind: str, port: int) -> None:
    import uvicorn

    from backcoach.web import access_log

    factory = bare_app if kind == "bare" else probed_app
    uvicorn.run(
        factory,
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="info",
        log_config=access_log.log_config(),
        access_log=kind == "bare",  # the app writes its own request log, the bare one uvicorn's
    )


def requests_per_second(url: str, seconds: int, connections: int, cookie: str | None) -> float:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {SESSION_COOKIE}={cookie}"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    for line in done.stdout.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(f"wrk said: {done.stdout}{done.stderr}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=1)
    parser.add_argument("--serve", nargs=2, metavar=("KIND", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: install it with `apt-get install wrk` (Debian, Ubuntu).")
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as folder:
        workdir = Path(folder)
        database_url = f"sqlite:///{workdir / 'app.db'}"
        command = [sys.executable, __file__, "--serve", "{kind}", "{port}"]
        bare = Served(
            "bare",
            workdir,
            {CEILING_DATABASE: f"sqlite:///{workdir / 'ceiling.db'}"},
            [part.replace("{kind}", "bare") for part in command],
            "/ceiling/page",
        )
        app = Served(
            "app",
            workdir,
            {"DATABASE_URL": database_url},
            [part.replace("{kind}", "app") for part in command],
            "/login",
        )
        with servers_of([bare, app]):
            phone = Phone([app], Tally())
            phone.onboard("floor@example.com")
            phone.start_session()
            cookie = phone.http.cookies[SESSION_COOKIE]
            servers = {"bare": bare.url, "app": app.url}
            for _, server, path, needs in ROWS:  # warm up: templates, pools, first queries
                requests_per_second(servers[server] + path, 1, 1, cookie if needs else None)
            figures = {
                label: requests_per_second(
                    servers[server] + path,
                    args.seconds,
                    args.connections,
                    cookie if needs else None,
                )
                for label, server, path, needs in ROWS
            }
    ceiling = figures[CEILING_ROW]
    print(
        f"\nthe floor under a page: one worker, wrk {args.seconds} s, {args.connections} "
        f"connection(s), {os.cpu_count()} cores; ratio against '{CEILING_ROW}' "
        "(bench/http_load.py's ceiling)"
    )
    print(f"{'step':<28} {'req/s':>8} {'ms each':>8} {'ratio':>6}")
    for label, *_ in ROWS:
        rate = figures[label]
        print(f"{label:<28} {rate:>8.0f} {1000 / rate:>8.2f} {rate / ceiling:>6.0%}")


if __name__ == "__main__":
    main()
