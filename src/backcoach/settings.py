"""One validated settings object, read from the environment (every variable in docs/settings.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, field_validator
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
    login_attempts: int = Field(
        default=5, ge=1, le=100, description="Failed logins allowed per email in the window."
    )
    login_address_attempts: int = Field(
        default=20,
        ge=1,
        le=1000,
        description="Failed logins allowed per client address in the window.",
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
