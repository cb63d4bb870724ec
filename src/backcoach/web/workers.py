"""The app of each process of `backcoach serve --workers N`, built from the environment."""

from __future__ import annotations

from starlette.types import ASGIApp

from backcoach.settings import Settings
from backcoach.web.app import create_app


def app_from_environment() -> ASGIApp:
    """One worker's app: its own engine and pools, on the database every worker shares."""
    return create_app(Settings())
