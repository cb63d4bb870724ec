"""`backcoach serve --workers N`: each process builds its app from the environment, and all of
them share one listening socket that the supervisor binds here."""

from __future__ import annotations

import socket
import ssl
from pathlib import Path
from typing import Any, NamedTuple

from starlette.types import ASGIApp

from backcoach.settings import Settings
from backcoach.web.app import create_app


def app_from_environment() -> ASGIApp:
    """One worker's app: its own engine and pools, on the database every worker shares."""
    return create_app(Settings())


class TlsFiles(NamedTuple):
    """A certificate (PEM, with its chain) and its private key: `backcoach serve` speaks HTTPS."""

    certfile: str
    keyfile: str


def serve_workers(
    *, host: str, port: int, workers: int, log_config: dict[str, Any], tls: TlsFiles | None
) -> None:
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
        ssl_certfile=tls.certfile if tls else None,
        ssl_keyfile=tls.keyfile if tls else None,
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


def tls_files(certfile: Path | None, keyfile: Path | None) -> TlsFiles | None:
    """The certificate and key to serve HTTPS with (None: plain HTTP), checked before any start.

    Raises ValueError with one line naming the file and what is wrong with it."""
    if certfile is None and keyfile is None:
        return None
    if certfile is None or keyfile is None:
        raise ValueError("--ssl-certfile and --ssl-keyfile go together: give both, or neither")
    for option, path in (("--ssl-certfile", certfile), ("--ssl-keyfile", keyfile)):
        try:
            path.read_bytes()
        except OSError as error:
            raise ValueError(f"{option} {path}: {error.strerror or error}") from None
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(certfile, keyfile)
    except ssl.SSLError as error:
        raise ValueError(
            f"--ssl-certfile {certfile} and --ssl-keyfile {keyfile} are not a certificate (PEM) "
            f"and its own private key: {error.reason or error}"
        ) from None
    return TlsFiles(str(certfile), str(keyfile))
