"""`serve --workers N` shares one socket that hands TCP_NODELAY on to every connection, so a
keep-alive answer does not wait about 40 ms for the client's delayed ACK (uvicorn issue #3149)."""

from __future__ import annotations

import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from backcoach.web.workers import listening_socket
from tests.support.ports import free_port


def _nodelay_of_an_accepted_connection(sock: socket.socket) -> int:
    """Serve once on ``sock`` with asyncio, as a worker does: TCP_NODELAY of the connection."""

    async def main() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                conn = transport.get_extra_info("socket")
                accepted.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            return await asyncio.wait_for(accepted, 5)
        finally:
            writer.close()
            server.close()

    # In a thread of its own: a browser test may keep an event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()


def test_the_shared_socket_hands_tcp_nodelay_to_each_connection() -> None:
    ours = listening_socket("127.0.0.1", 0)
    assert ours.proto == socket.IPPROTO_TCP
    assert _nodelay_of_an_accepted_connection(ours) == 1
    # What uvicorn binds for its workers: protocol 0, and asyncio leaves the delay on.
    theirs = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    theirs.bind(("127.0.0.1", 0))
    assert _nodelay_of_an_accepted_connection(theirs) == 0


@pytest.mark.serial
def test_two_workers_answer_keep_alive_requests_without_waiting_for_a_delayed_ack(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {**os.environ, "BACKCOACH_PORT": str(port), "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "backcoach.cli", "serve", "--workers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    client.get("/login")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "the workers did not start in 60 s"
                    time.sleep(0.2)
            took = []
            for _ in range(20):  # one connection, kept alive
                start = time.perf_counter()
                assert client.get("/static/app.css").status_code == 200
                took.append(time.perf_counter() - start)
    finally:
        process.terminate()
        process.wait(timeout=30)
    # With the delay each answer took 40-50 ms; without it a few ms.
    assert statistics.median(took) < 0.025, f"median {statistics.median(took) * 1000:.0f} ms"
