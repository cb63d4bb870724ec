"""The API's program, history, schedule and catalogue: the same program and decisions as the
pages show, each stored plan kept with its decisions, the catalogue's filters and pages with
pictures that answer, and each person's own program only."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.catalogue import default_catalogue
from backcoach.engine.vocabulary import Category
from backcoach.services import override_choices
from backcoach.services.access import Principal
from backcoach.store.tables import PlanRecord
from backcoach.web.routes.pictures import picture_url
from backcoach.wording.reasons import say
from tests.integration.api_steps import api_client, token_for, user_id
from tests.integration.coaching_steps import accept, coach, invite
from tests.integration.override_steps import override
from tests.integration.test_query_counts import statements_run
from tests.training_app import MONDAY, App, checkin, do_every_set, finish, onboard, sign_up, start

DATABASES = ("sqlite",)
ANA = "ana@example.com"
PROBLEM = "application/problem+json"


def _trained_twice(app: App, client: TestClient | None = None) -> TestClient:
    """Ana onboarded over the pages, then two sessions at the top, each checked in on."""
    client = client or onboard(app, ANA)
    for day in (0, 2):
        app.clock.at = MONDAY + dt.timedelta(days=day)
        session_id = start(client)
        do_every_set(app, client, session_id)
        finish(client, session_id)
        app.clock.at = MONDAY + dt.timedelta(days=day + 1)
        checkin(client, session_id, morning=2)
    return client


def _statements(app: App, client: TestClient) -> dict[str, int]:
    counts = {}
    for address in ("/program", "/program/history", "/schedule"):
        with statements_run(app.database.engine) as sent:
            _get(client, address)
        counts[address] = len(sent)
    return counts


def _get(client: TestClient, address: str) -> Any:
    answer = client.get(f"/api/v1{address}")
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_program_has_the_exercises_and_decisions_today_shows(app: App) -> None:
    pages = _trained_twice(app)
    program = _get(api_client(app, token_for(app, ANA, ("read",))), "/program")
    shown = app.program(ANA)
    assert program["plan_id"] == shown.plan_id
    assert [item["id"] for item in program["exercises"]] == [
        item.exercise.id for item in shown.plan.exercises
    ]
    today = pages.get("/today").text
    for item in program["exercises"]:
        step = shown.next_steps[item["id"]]
        decision = item["decision"]
        assert (decision["decision"], decision["reason"]["code"]) == (step.decision, step.code)
        assert decision["reason"]["words"] == say(step.reason)
        assert html.escape(decision["reason"]["words"], quote=False) in today
        assert decision["decided_by"] == {"kind": "engine", "coach_id": None, "coach_name": None}
        assert f"<strong>{decision['decision_words']}.</strong>" in today
        assert item["dose"]["words"] in today
    assert {item["decision"]["reason"]["code"] for item in program["exercises"]} == {
        "progress.add_set"
    }
    assert program["constraints"] == {
        "level": "beginner",
        "equipment": ["band"],
        "days_per_week": 4,
        "weekdays": [],
        "avoid": [],
    }


def test_the_history_keeps_each_plan_with_its_decisions_newest_first(app: App) -> None:
    pages = onboard(app, ANA)
    client = api_client(app, token_for(app, ANA, ("read",)))
    before = _statements(app, client)
    _trained_twice(app, pages)
    # Each read costs the same statements with one plan stored or five (and two sessions).
    assert _statements(app, client) == before
    stored = app.query(select(func.count()).select_from(PlanRecord))
    first = _get(client, "/program/history?limit=2")
    assert (first["total"], first["next_offset"], len(first["items"])) == (stored, 2, 2)
    plans = first["items"] + _get(client, "/program/history?limit=100&offset=2")["items"]
    assert len(plans) == stored == 5  # onboarding, then a finish and a check-in for each session
    assert [plan["made_at"] for plan in plans] == sorted(
        (plan["made_at"] for plan in plans), reverse=True
    )
    assert [plan["active"] for plan in plans] == [True] + [False] * 4
    assert plans[0]["plan_id"] == _get(client, "/program")["plan_id"]
    codes = [{item["decision"]["reason"]["code"] for item in plan["exercises"]} for plan in plans]
    assert codes[0] == {"progress.add_set"}
    assert codes[-2] == {"hold.morning_missing"}  # the first finish, before its check-in
    assert all(code.startswith("start.") for code in codes[-1])
    oldest = plans[-1]
    assert (oldest["decided_on"], oldest["decided_from_session_id"]) == (None, None)
    assert oldest["decided_by"] == [{"kind": "engine", "coach_id": None, "coach_name": None}]
    assert all(item["decision"]["reason"]["words"] for plan in plans for item in plan["exercises"])


def test_a_coachs_swap_says_who_decided_with_the_change_and_the_note(app: App) -> None:
    onboard(app, ANA)
    mine, ana = coach(app, "coach@example.com"), Principal(user_id(app, ANA))
    accept(app, ana, invite(app, mine))
    choice = override_choices.swap_choices(app.program(ANA).plan)[0]
    out, put_in = choice.replaces[0], choice.exercise.id
    override(app, mine, ana, "swap", "Kinder on your knee", exercise=out, to_exercise=put_in)
    client = api_client(app, token_for(app, ANA, ("read",)))
    swapped = next(item for item in _get(client, "/program")["exercises"] if item["id"] == put_in)
    assert swapped["decision"]["reason"]["code"] == "coach.swapped"
    assert swapped["decision"]["decided_by"] == {
        "kind": "coach",
        "coach_id": mine.user_id,
        "coach_name": "coach@example.com",
    }
    assert swapped["coach"]["notes"] == ["Kinder on your knee"]
    [change] = swapped["coach"]["overrides"]
    assert (change["kind"], change["values"]["exercise"], change["note"]) == (
        "swap",
        out,
        "Kinder on your knee",
    )
    newest = _get(client, "/program/history?limit=1")["items"][0]
    assert [who["kind"] for who in newest["decided_by"]] == ["engine", "coach"]


def test_the_schedule_has_the_days_ahead_and_a_calendar_address_that_answers(app: App) -> None:
    _trained_twice(app)
    client = api_client(app, token_for(app, ANA, ("read",)))
    schedule = _get(client, "/schedule")
    today = app.clock.today()
    ahead = [day for day in app.program(ANA).plan.schedule if day >= today]
    assert [dt.date.fromisoformat(day["day"]) for day in schedule["days"]] == ahead
    assert schedule["next_session"] == ahead[0].isoformat()
    assert all(day["exercises"] for day in schedule["days"])
    feed = app.client().get(schedule["calendar_address"])
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert schedule["webcal_address"].startswith("webcal://")


def test_the_catalogue_filters_and_pages_and_every_picture_answers(app: App) -> None:
    sign_up(app, "reader@example.com")
    client = api_client(app, token_for(app, "reader@example.com", ("read",)))
    everything: list[dict[str, Any]] = []
    offset: int | None = 0
    while offset is not None:
        page = _get(client, f"/exercises?limit=20&offset={offset}")
        everything += page["items"]
        offset = page["next_offset"]
    assert [item["id"] for item in everything] == [e.id for e in default_catalogue().exercises]
    core = _get(client, "/exercises?category=core&level=1&limit=100")
    assert core["items"] and all(
        (item["category"], item["level"]) == (Category.CORE, 1) for item in core["items"]
    )
    body_weight = _get(client, "/exercises?kit=none&position=supine&limit=100")["items"]
    assert body_weight and all(
        not item["kit"] and item["position"] == "supine" for item in body_weight
    )
    banded = _get(client, "/exercises?kit=band&limit=100")["items"]
    assert any(item["kit"] == ["band"] for item in banded) and len(banded) > len(
        _get(client, "/exercises?kit=none&limit=100")["items"]
    )
    # Every address is the one the pages show (drawing all 124 pictures costs 20 s of the
    # suite); one of each kind is fetched.
    for item in everything:
        pages_show = picture_url(item["id"]), picture_url(item["id"], strip=True)
        given = item["pictures"] or {"animated": None, "still": None}
        assert (given["animated"], given["still"]) == pages_show
    images = app.client()
    for address in everything[0]["pictures"].values():
        answer = images.get(address)
        assert answer.status_code == 200, address
        assert answer.headers["content-type"].startswith("image/svg+xml")
    refused = client.get("/api/v1/exercises?level=9")
    assert (refused.status_code, refused.json()["field"]) == (422, "level")


def test_one_exercise_has_how_to_do_it_and_an_unknown_one_is_a_404_problem(app: App) -> None:
    sign_up(app, "reader@example.com")
    client = api_client(app, token_for(app, "reader@example.com", ("read",)))
    bridge = default_catalogue().exercises[0]
    detail = _get(client, f"/exercises/{bridge.id}")
    assert (detail["name"], detail["cues"]) == (bridge.name, list(bridge.cues))
    assert detail["faults"] and detail["dose"]["words"]
    missing = client.get("/api/v1/exercises/no_such_exercise")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert missing.json()["code"] == "exercise.not_found"
    assert missing.json()["detail"] == "There is no exercise by that name."
    assert app.client().get(f"/api/v1/exercises/{bridge.id}").status_code == 401


def test_each_token_sees_its_own_program_only(app: App) -> None:
    _trained_twice(app)
    onboard(app, "bo@example.com")
    sign_up(app, "new@example.com")
    ana = _get(api_client(app, token_for(app, ANA, ("read",))), "/program/history")
    bo = api_client(app, token_for(app, "bo@example.com", ("read",)))
    theirs = _get(bo, "/program/history")
    assert theirs["total"] == 1 and ana["total"] == 5
    assert _get(bo, "/program")["plan_id"] == theirs["items"][0]["plan_id"]
    assert theirs["items"][0]["plan_id"] not in {plan["plan_id"] for plan in ana["items"]}
    nothing = api_client(app, token_for(app, "new@example.com", ("read",))).get("/api/v1/program")
    assert nothing.status_code == 409
    assert nothing.json()["code"] == "program.screening"
    assert (
        _get(api_client(app, token_for(app, "new@example.com")), "/program/history")["items"] == []
    )
