"""What the ``ana`` fixture (tests/integration/conftest.py) gives: Ana onboarded, on a database
of the test's own, copied from one she was onboarded in through the pages once per worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from tests.training_app import App


@dataclass(frozen=True)
class OnboardedFile:
    """A SQLite database in which a person went through onboarding, and their login's cookies."""

    path: Path
    cookies: dict[str, str]


@dataclass(frozen=True)
class Onboarded:
    """The app on this test's own database, with Ana logged in and onboarded on it."""

    app: App
    client: TestClient
