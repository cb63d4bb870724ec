"""The camera coach in the session player: the player's pages may run the camera (and only
they), offer it for the exercises it can count, and each set keeps the reps the camera counted
beside the reps the person confirmed, through the pages, the API and the export."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import replace

import pytest
from sqlalchemy import select

from backcoach.catalogue import default_catalogue
from backcoach.engine.decisions import switch
from backcoach.engine.reasons import Reason
from backcoach.engine.vocabulary import Decision
from backcoach.services.errors import Invalid
from backcoach.services.sets import SetInput, checked
from backcoach.services.stop_log import SWAPPED_IN
from backcoach.store.tables import SetRecord
from backcoach.web.camera_view import camera_view
from tests.integration.api_steps import api_client, token_for
from tests.integration.onboarded import Onboarded
from tests.training_app import save, start

DATABASES = ("sqlite",)
DAY = dt.date(2026, 11, 23)


def _counted(ana: Onboarded) -> list[str]:
    """The planned exercises (a beginner's: every one is counted in reps)."""
    return [item.exercise.id for item in ana.app.program("ana@example.com").plan.exercises]


def test_only_the_players_pages_may_run_the_camera_and_compile_its_runtime(ana: Onboarded) -> None:
    client = ana.client
    for address in ("/session/planned", f"/session/{start(client)}"):
        page = client.get(address)
        assert page.status_code == 200
        assert "script-src 'self' 'wasm-unsafe-eval'" in page.headers["content-security-policy"]
        assert "camera=(self)" in page.headers["permissions-policy"]
    today = client.get("/today")
    assert "wasm-unsafe-eval" not in today.headers["content-security-policy"]
    assert "camera=()" in today.headers["permissions-policy"]


def test_the_player_offers_the_camera_where_it_counts_with_the_files_it_needs(
    ana: Onboarded,
) -> None:
    planned = _counted(ana)
    page = ana.client.get(f"/session/{start(ana.client)}").text
    sections = dict(re.findall(r'data-exercise="([a-z_]+)"(.*?)</section>', page, re.S))
    assert planned and all("data-camera-reference" in sections[e] for e in planned)
    reference = re.search(r"<script[^>]*data-camera-reference>(.*?)</script>", page)
    assert reference and '"count"' in reference.group(1) and '"rep.half"' in reference.group(1)
    files = re.search(r'<script type="application/json" id="camera-files">(.*?)</script>', page)
    assert files and "pose_landmarker_lite.task?v=" in files.group(1)
    # A hold is timed, a spine-only drill cannot be seen, a walk is counted in steps: no camera.
    assert [camera_view(e) for e in ("knee_plank", "cat_camel", "lateral_band_walk")] == [None] * 3


def test_a_set_the_camera_counted_keeps_its_count_beside_the_confirmed_reps(
    ana: Onboarded,
) -> None:
    counted = _counted(ana)[0]
    session_id = start(ana.client)
    answer = save(ana.client, session_id, counted, 1, 9, camera_reps="8")
    assert answer.status_code == 303
    first = SetRecord.number == 1
    amount = ana.app.query(select(SetRecord.amount).where(first))
    assert (amount, ana.app.query(select(SetRecord.camera_reps).where(first))) == (9, 8)
    # Counted 8, and the person corrected it to 9: both are kept.
    page = ana.client.get(f"/session/{session_id}").text
    assert "The camera counted 8 reps." in page
    typed = save(ana.client, session_id, counted, 2, 10)
    assert typed.status_code == 303
    second = ana.app.query(select(SetRecord.camera_reps).where(SetRecord.number == 2))
    assert second is None  # typed by the person: no camera count


def test_a_camera_count_is_refused_naming_its_field_when_it_cannot_be_one(
    ana: Onboarded,
) -> None:
    counted = _counted(ana)[0]
    session_id = start(ana.client)
    bad = save(ana.client, session_id, counted, 1, 9, as_json=True, camera_reps="lots")
    assert bad.status_code == 422 and "camera_reps" in bad.json()["errors"]
    assert ana.app.query(select(SetRecord.id)) is None  # nothing half-kept
    # A hold's seconds are never a camera's count (no planned hold here: the rule itself).
    plan = ana.app.program("ana@example.com").plan
    hold = default_catalogue().get("knee_plank")
    why = Reason(SWAPPED_IN, (("to_exercise", hold.id),))
    swapped = replace(
        plan, exercises=(switch(plan.exercises[0], hold, Decision.REGRESS, why, DAY),)
    )
    with pytest.raises(Invalid) as refused:
        checked(SetInput(hold.id, 1, 20, "target", camera_reps=3), swapped)
    assert [(p.code, p.field) for p in refused.value.problems] == [
        ("set.camera_reps_not_reps", "camera_reps")
    ]


def test_the_api_and_the_export_carry_the_camera_count(ana: Onboarded) -> None:
    counted = _counted(ana)[0]
    api = api_client(ana.app, token_for(ana.app, "ana@example.com"))
    session_id = api.post("/api/v1/sessions", json={"pain_before": 3}).json()["id"]
    body = {"exercise_id": counted, "number": 1, "reps": 7, "felt": "target", "camera_reps": 7}
    put = api.put(f"/api/v1/sessions/{session_id}/sets/{uuid.uuid4()}", json=body)
    assert put.status_code in (200, 201), put.text
    assert put.json()["camera_reps"] == 7
    shown = api.get(f"/api/v1/sessions/{session_id}").json()
    assert [s["camera_reps"] for s in shown["sets"]] == [7]
    too_many = {**body, "number": 2, "camera_reps": 201}
    refused = api.put(f"/api/v1/sessions/{session_id}/sets/{uuid.uuid4()}", json=too_many)
    assert refused.status_code == 422 and "camera_reps" in refused.text
    exported = ana.client.get("/account/export.json").json()
    sets = [s for session in exported["training_sessions"] for s in session["sets"]]
    assert [(s["amount"], s["camera_reps"]) for s in sets] == [(7, 7)]
