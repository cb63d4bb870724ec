"""One validated settings object, read from the environment (every variable in docs/settings.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DATABASE_FILE = "backcoach.db"


def data_folder() -> Path:
    """The per-user data folder: $XDG_DATA_HOME/backcoach, by default ~/.local/share/backcoach.

    The XDG base directory rules: an unset, empty or relative XDG_DATA_HOME is ignored.
    """
    base = os.environ.get("XDG_DATA_HOME", "")
    if not base or not os.path.isabs(base):
        base = str(Path.home() / ".local" / "share")
    return Path(base) / "backcoach"


def default_database_url() -> str:
    """The embedded SQLite database in the data folder, wherever a command is started from."""
    return f"sqlite:///{data_folder() / DATABASE_FILE}"


def make_data_folder(database_url: str) -> None:
    """Create the data folder, and any missing folder above it, owner-only (0700), when the
    database is the default one; a DATABASE_URL of one's own names a folder that must exist."""
    if database_url != default_database_url():
        return
    folder = data_folder()
    for path in [*reversed(folder.parents), folder]:
        if not path.exists():
            # It holds health data; the XDG rules ask for 0700 on folders made for it.
            path.mkdir(mode=0o700, exist_ok=True)


def checked_base_url(value: str) -> str:
    """An address links start with: http(s)://host, without the slash at its end."""
    value = value.rstrip("/")
    if not value.startswith(("https://", "http://")) or any(c in value for c in "?# "):
        raise ValueError("must start with https:// (or http://), e.g. https://example.org")
    return value


class Settings(BaseSettings):
    """Settings for the server and the command line; a bad value stops the start with its name."""

    model_config = SettingsConfigDict(env_prefix="BACKCOACH_", extra="ignore", frozen=True)

    database_url: str = Field(
        default_factory=default_database_url,
        validation_alias=AliasChoices("DATABASE_URL", "BACKCOACH_DATABASE_URL"),
        description="SQLAlchemy URL: sqlite:///path.db (default: backcoach.db in the per-user "
        "data folder, embedded) or postgresql+psycopg://user:password@host/db.",
    )
    secret_key: str | None = Field(
        default=None,
        min_length=32,
        description="Signs cookies and CSRF tokens. Unset: one is made on first start and kept "
        "in the database, so every app server sharing it agrees.",
    )
    host: str = Field(default="127.0.0.1", description="Address `backcoach serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `backcoach serve` uses.")
    secure_cookies: bool = Field(
        default=False, description="Mark cookies Secure; set true when served over HTTPS."
    )
    session_days: int = Field(default=30, ge=1, le=365, description="Days a login lasts.")
    draw_pictures_at_start: bool = Field(
        default=True,
        description="Draw every exercise picture in the background when the server starts, so "
        "the first pages after a start do not wait for them.",
    )
    login_attempts: int = Field(
        default=5,
        ge=1,
        le=100,
        description="Failed logins allowed per account in the window from unknown browsers, "
        "and apart from each browser that has logged in to it (its device cookie).",
    )
    login_address_attempts: int = Field(
        default=20,
        ge=1,
        le=1000,
        description="Failed logins allowed per client address (an IPv6 one by its /64) in the "
        "window; a browser the account knows waits only on its own count.",
    )
    login_window_minutes: int = Field(
        default=15, ge=1, le=1440, description="Window for counting failed logins."
    )
    timezone: str = Field(
        default="UTC",
        description="IANA time zone that decides what 'today' is, e.g. Europe/London.",
    )
    migrate_on_start: bool = Field(
        default=True, description="Apply database migrations when the server starts."
    )
    coach_signup: bool = Field(
        default=False,
        description="Offer a tick box on sign-up to make a coach account (else only "
        "`backcoach coach add` makes coaches).",
    )
    api_token_requests_per_minute: int = Field(
        default=600,
        ge=1,
        le=1_000_000,
        description="Requests a minute one API token may send, in bursts of up to as many "
        "(per server process).",
    )
    api_address_requests_per_minute: int = Field(
        default=1200,
        ge=1,
        le=1_000_000,
        description="Requests a minute to the API from one client address, whatever its tokens "
        "(per server process).",
    )
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto",
        description="Server log lines: json, text, or auto (text on a terminal, json otherwise).",
    )

    # Email (password reset links, reminders): off while smtp_host is unset (docs/settings.md).
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for password reset links and reminders; unset, no email is "
        "sent (`backcoach user reset-link EMAIL` gives a reset link instead).",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="The SMTP server's port.")
    smtp_user: str | None = Field(default=None, description="SMTP login name, if it needs one.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP login password.")
    smtp_from: str | None = Field(
        default=None,
        description="The sender of backcoach's emails, e.g. backcoach@example.org (needed "
        "with smtp_host).",
    )
    smtp_tls: Literal["starttls", "ssl", "none"] = Field(
        default="starttls",
        description="starttls (upgrade, usually port 587), ssl (TLS from the start, port 465) "
        "or none (only for a relay on this machine).",
    )
    base_url: str | None = Field(
        default=None,
        description="The address people reach backcoach at, e.g. https://backcoach.example.org: "
        "the links in emails and from `backcoach user reset-link` start with it (needed with "
        "smtp_host).",
    )

    @field_validator("smtp_from")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        if value is not None and ("@" not in value or any(c in value for c in "\r\n")):
            raise ValueError("must be an email address like backcoach@example.org")
        return value

    @field_validator("base_url")
    @classmethod
    def _an_origin(cls, value: str | None) -> str | None:
        return None if value is None else checked_base_url(value)

    @model_validator(mode="after")
    def _email_settings_agree(self) -> Settings:
        if self.smtp_host and not self.smtp_from:
            raise ValueError("BACKCOACH_SMTP_FROM is needed with BACKCOACH_SMTP_HOST")
        if self.smtp_host and not self.base_url:
            # Emailed links never start with the address a request came to: its Host header is
            # the sender's to choose, and a reset link to their site would reach the owner.
            raise ValueError("BACKCOACH_BASE_URL is needed with BACKCOACH_SMTP_HOST")
        if (self.smtp_user is None) != (self.smtp_password is None):
            raise ValueError("BACKCOACH_SMTP_USER and BACKCOACH_SMTP_PASSWORD go together")
        if self.smtp_password is not None and self.smtp_tls == "none":
            # A password sent in the clear is a password given away.
            raise ValueError("BACKCOACH_SMTP_PASSWORD needs BACKCOACH_SMTP_TLS starttls or ssl")
        return self

    @property
    def sends_email(self) -> bool:
        """Whether an SMTP server is set: reset links and reminders go by email."""
        return bool(self.smtp_host)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        if value.startswith("postgresql://"):
            # Plain postgresql:// would pick psycopg2, which backcoach does not install.
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value
