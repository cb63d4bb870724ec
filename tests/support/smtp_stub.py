"""A tiny SMTP server for tests (aiosmtpd is not installed): it speaks just enough of RFC 5321
for smtplib's plain client, and keeps each message it is given."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    messages: list[EmailMessage]


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        self._say(b"220 stub ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self._say(b"250-stub\r\n250 8BITMIME")
            elif verb == b"DATA":
                self._say(b"354 end with a dot")
                self._take_message()
                self._say(b"250 kept")
            elif verb == b"QUIT":
                self._say(b"221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self._say(b"250 ok")

    def _take_message(self) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)  # undo dot-stuffing
        parsed = message_from_bytes(b"".join(lines), policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.server.messages.append(parsed)

    def _say(self, reply: bytes) -> None:
        self.wfile.write(reply + b"\r\n")


@contextmanager
def smtp_stub() -> Iterator[tuple[int, list[EmailMessage]]]:
    """A server on a free port of 127.0.0.1; yields its port and the messages it kept."""
    server = _Server(("127.0.0.1", 0), _Session)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], server.messages
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
