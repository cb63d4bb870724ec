"""Per-route body limits: small for every form, yet above the largest form a page can send."""

from __future__ import annotations

import importlib
import pkgutil
from urllib.parse import urlencode

import pytest
from fastapi.routing import APIRoute

from backcoach.services.accounts import MAX_PASSWORD
from backcoach.web.body_limits import ACCOUNT, SMALL, TEXT, body_limit, named_limit
from backcoach.web.forms import MAX_BODY_BYTES, MAX_FIELD_CHARS

TOKEN = {"csrftoken": "t" * 43}
#: A character that url-encoding sends as 12 bytes (4 UTF-8 bytes, each %XX): the worst case.
WIDE = "\U0001f600"


def _size(fields: dict[str, str]) -> int:
    return len(urlencode({**TOKEN, **fields}).encode("ascii"))


def test_every_form_route_has_a_limit_chosen_for_it() -> None:
    import backcoach.web.routes as package

    routers = [
        module.router
        for info in pkgutil.iter_modules(package.__path__)
        if hasattr(module := importlib.import_module(f"{package.__name__}.{info.name}"), "router")
    ]
    posts = [
        route.path
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and "POST" in (route.methods or ())
    ]
    assert "/session/{session_id}/sets" in posts
    for path in posts:
        concrete = path.replace("{session_id}", "12")
        assert named_limit(concrete) is not None, f"choose a body limit for {path}"
        assert body_limit(concrete) <= MAX_BODY_BYTES


@pytest.mark.parametrize("path", ["/session/7/sets", "/session/7/finish", "/session/7/checkin"])
def test_the_training_forms_have_the_smallest_limit(path: str) -> None:
    # The requests a person repeats most, in the training lane: a worker never reads much.
    assert body_limit(path) == SMALL <= 4 * 1024


def test_an_unknown_route_gets_a_small_limit() -> None:
    assert body_limit("/nowhere") <= ACCOUNT


def test_the_largest_set_fits() -> None:
    form = {"exercise_id": "x" * 80, "number": "99", "reps": "200", "load_kg": "999.5"}
    form |= {"rir": "5", "felt": "low_back"}
    assert _size(form) < SMALL / 4


def test_the_largest_account_form_fits() -> None:
    password = WIDE * MAX_PASSWORD
    form = {"email": "e" * 254, "current": password, "password": password, "confirm": password}
    assert _size(form) <= ACCOUNT


def test_the_longest_field_a_person_may_type_fits_a_text_form() -> None:
    # Longer than a field keeps, a field gets its own message (what else was typed is shown
    # back); the body limit must not come first, even for characters that encode widest.
    assert _size({"note": WIDE * (MAX_FIELD_CHARS + 1)}) <= TEXT
    for path in ("/onboarding/cleared", "/onboarding/measures", "/progress/reassess"):
        assert body_limit(path) == TEXT
