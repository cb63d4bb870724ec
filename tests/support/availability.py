"""What to do when a test needs a server or browser this machine lacks."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def unavailable(reason: str) -> NoReturn:
    """Skip with the reason on a developer's machine; fail when CI is set, so a CI run can never
    go green without the browser and database tests having run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)
