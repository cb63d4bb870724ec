"""Serve an ASGI app with uvicorn on a free port in a background thread, for real HTTP tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from tests.support.ports import accepts_connections, free_port

START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


@contextmanager
def live_server(app: Any, **config: Any) -> Iterator[str]:
    """Run app on ``http://127.0.0.1:PORT`` until the block ends; yield that base URL.

    Extra keyword arguments go to ``uvicorn.Config``. The server is stopped (and its thread joined)
    when the block exits, so the port refuses connections afterwards.
    """
    port = free_port()
    settings: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": port,
        "log_level": "warning",
        "timeout_graceful_shutdown": 5,
        **config,
    }
    # uvicorn leaves signal handlers alone outside the main thread.
    server = uvicorn.Server(uvicorn.Config(app, **settings))
    failure: list[BaseException] = []

    def serve() -> None:
        try:
            server.run()
        except BaseException as error:  # uvicorn exits with SystemExit when it cannot start
            failure.append(error)

    thread = threading.Thread(target=serve, name=f"live-server-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (server.started and accepts_connections("127.0.0.1", port)):
            if not thread.is_alive():
                raise RuntimeError(f"live server on port {port} stopped while starting: {failure}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"live server on port {port} not up after {START_TIMEOUT_S}s")
            time.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT_S)
        if thread.is_alive():
            server.force_exit = True
            thread.join(STOP_TIMEOUT_S)
    if failure and not isinstance(failure[0], SystemExit):
        raise RuntimeError(f"live server on port {port} crashed") from failure[0]
