"""One validated settings object, read from the environment (every variable in docs/settings.md)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///backcoach.db"


class Settings(BaseSettings):
    """Settings for the server and the command line; a bad value stops the start with its name."""

    model_config = SettingsConfigDict(env_prefix="BACKCOACH_", extra="ignore", frozen=True)

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("DATABASE_URL", "BACKCOACH_DATABASE_URL"),
        description="SQLAlchemy URL: sqlite:///path.db (default, embedded) or "
        "postgresql+psycopg://user:password@host/db.",
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
