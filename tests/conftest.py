"""Shared fixtures: the shipped catalogue and a fixed day (the engine never reads the clock)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, settings

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Catalogue

settings.register_profile(
    "ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci")

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return default_catalogue()


@pytest.fixture
def today() -> date:
    return TODAY
