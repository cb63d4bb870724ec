"""Sending email through the SMTP server of the settings (the standard library's smtplib: one
message at a time needs no other dependency). Callers send from a worker thread or a command,
never from the event loop."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from backcoach.settings import Settings

#: Seconds to wait for the SMTP server at each step before giving up on a message.
SMTP_TIMEOUT = 20


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    body: str


class Sender(Protocol):
    def __call__(self, email: Email) -> None: ...


class SmtpSender:
    """Sends each email in its own SMTP connection, with TLS as BACKCOACH_SMTP_TLS says."""

    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host or not settings.smtp_from:
            raise ValueError("no SMTP server is set (BACKCOACH_SMTP_HOST, BACKCOACH_SMTP_FROM)")
        self.host, self.port, self.tls = settings.smtp_host, settings.smtp_port, settings.smtp_tls
        self.sender = settings.smtp_from
        self.user = settings.smtp_user
        password = settings.smtp_password
        self._password = password.get_secret_value() if password is not None else None

    def __call__(self, email: Email) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.sender, email.to, email.subject
        message["Message-ID"] = make_msgid(domain=self.sender.partition("@")[2] or None)
        message.set_content(email.body)
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if self.tls == "ssl":
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=SMTP_TIMEOUT, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
        with client:
            if self.tls == "starttls":
                client.starttls(context=context)
            if self.user is not None and self._password is not None:
                client.login(self.user, self._password)
            client.send_message(message)
