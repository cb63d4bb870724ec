"""`backcoach serve --workers N`: each process builds its app from the environment, and all of
them share one listening socket that the supervisor binds here."""

from __future__ import annotations

import socket
from typing import Any

from starlette.types import ASGIApp

from backcoach.settings import Settings
from backcoach.web.app import create_app


def app_from_environment() -> ASGIApp:
    """One worker's app: its own engine and pools, on the database every worker shares."""
    return create_app(Settings())


def serve_workers(*, host: str, port: int, workers: int, log_config: dict[str, Any]) -> None:
    """Run ``workers`` processes of `app_from_environment` behind one socket, until stopped."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "backcoach.web.workers:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        log_config=log_config,
        access_log=False,  # the request log replaces uvicorn's, which shows raw paths
    )
    Multiprocess(config, sockets=[listening_socket(host, port)]).run()


def listening_socket(host: str, port: int) -> socket.socket:
    """The shared socket, bound with TCP named as its protocol.

    uvicorn binds it with protocol 0, so the connections it accepts carry protocol 0 too, and
    asyncio then leaves TCP_NODELAY off for them: every answer written in two parts waits for the
    client's delayed ACK, about 40 ms per keep-alive request (uvicorn issue #3149). A socket made
    with IPPROTO_TCP passes it on to each accepted connection, and asyncio sets TCP_NODELAY.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock
