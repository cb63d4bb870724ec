"""The camera coach in the session player: the player's pages may run the camera (and only
they), offer it for the exercises it can count, and each set keeps the reps the camera counted
beside the reps the person confirmed, through the pages, the API and the export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
import zipfile
from dataclasses import replace

import pytest
from sqlalchemy import select

from backcoach.api.training_models import SetRequest
from backcoach.catalogue import default_catalogue
from backcoach.engine.decisions import switch
from backcoach.engine.reasons import Reason
from backcoach.engine.vocabulary import Decision
from backcoach.services.errors import Invalid
from backcoach.services.sets import SetInput, checked
from backcoach.services.stop_log import SWAPPED_IN
from backcoach.store.tables import SetRecord
from backcoach.web.camera_view import camera_view, offered_camera
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


def test_a_camera_count_that_cannot_be_one_is_left_out_by_the_page_and_refused_by_the_rule(
    ana: Onboarded,
) -> None:
    counted = _counted(ana)[0]
    session_id = start(ana.client)
    # The player's hidden field: a count that is not one is left out, the set kept (the person
    # cannot see or correct a hidden field, and it is extra to what they typed).
    kept = save(ana.client, session_id, counted, 1, 9, camera_reps="lots")
    assert kept.status_code == 303
    assert ana.app.query(select(SetRecord.amount)) == 9
    assert ana.app.query(select(SetRecord.camera_reps)) is None
    page = ana.client.get(f"/session/{session_id}").text
    first = re.search(rf'id="s-{counted}-1".*?</form>', page, re.S)
    assert first and 'name="camera_reps" value=""' in first.group(0)
    assert "data-camera-counted hidden" in first.group(0)
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


def test_a_set_without_a_camera_count_keeps_the_fingerprint_it_had_before_the_camera() -> None:
    """A set saved before the camera coach and retried after an upgrade is the same operation,
    not a conflict: its content (what the sync's idempotency compares) has no camera_reps."""
    body = {"exercise_id": "glute_bridge", "number": 1, "reps": 8, "felt": "target"}
    assert SetRequest.model_validate(body).content() == {
        "exercise_id": "glute_bridge",
        "number": 1,
        "amount": 8,
        "kind": "reps",
        "felt": "target",
        "load_kg": None,
        "rir": None,
    }
    counted = SetRequest.model_validate({**body, "camera_reps": 8}).content()
    assert counted["camera_reps"] == 8


def test_the_sync_and_the_csv_export_carry_the_camera_count(ana: Onboarded) -> None:
    counted = _counted(ana)[0]
    api = api_client(ana.app, token_for(ana.app, "ana@example.com"))
    begin = {
        "client_id": str(uuid.uuid4()),
        "op": "start",
        "session": None,
        "body": {"pain_before": 2},
    }
    body = {"exercise_id": counted, "number": 1, "reps": 6, "felt": "target", "camera_reps": 5}
    one = {"client_id": str(uuid.uuid4()), "op": "set", "session": begin["client_id"], "body": body}
    answers = api.post("/api/v1/sync", json=[begin, one]).json()
    assert [a["status"] for a in answers] == [200, 200]
    assert answers[1]["body"]["camera_reps"] == 5
    again = api.post("/api/v1/sync", json=[one]).json()
    assert again[0]["status"] == 200  # a replay is the same operation
    archive = zipfile.ZipFile(io.BytesIO(ana.client.get("/account/export.zip").content))
    name = next(n for n in archive.namelist() if "sets" in n)
    rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert [(r["amount"], r["camera_reps"]) for r in rows] == [("6", "5")]


def test_only_a_page_with_an_exercise_the_camera_counts_gets_its_files_and_policy() -> None:
    class Shown:
        def __init__(self, exercise_id: str) -> None:
            self.camera = camera_view(exercise_id)

    assert offered_camera([Shown("knee_plank"), Shown("cat_camel")]) is None
    files = offered_camera([Shown("knee_plank"), Shown("glute_bridge")])
    assert files is not None and files["model"].startswith("/static/camera/")
