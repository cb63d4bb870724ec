"""The person's own resources in the API (/me): onboarding with a token alone, the referral
gate through the API, refusals naming their field, and no one else's data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from backcoach.engine.screening import RED_FLAGS
from tests.integration.api_steps import api_client, token_for
from tests.integration.coaching_steps import accept, coach, invite, person
from tests.integration.test_query_counts import statements_run
from tests.training_app import App, onboard

DATABASES = ("sqlite",)
PROBLEM = "application/problem+json"
ALL_NO: dict[str, Any] = {flag.id: False for flag in RED_FLAGS} | {
    "age": 44,
    "pregnancy": "none",
}
FIRST_MEASURES: dict[str, Any] = {
    "nprs": 5,
    "activities": [{"name": "Putting on socks", "score": 4}],
    "startback": {"score": 2, "psychosocial": 1},
    "odi_sections": [2, 2, 1, 1, 2, 1, 1, 2, None, 1],
}
PROFILE = {"level": "beginner", "days_per_week": 3, "equipment": ["band", "mat"]}


def new_person(app: App, email: str) -> TestClient:
    person(app, email)
    return api_client(app, token_for(app, email))


def step(client: TestClient) -> str:
    found: str = client.get("/api/v1/me").json()["journey"]["step"]
    return found


def test_a_person_onboards_through_the_api_and_reads_each_resource(app: App) -> None:
    client = new_person(app, "ana@example.com")
    assert step(client) == "screening"

    answered = client.post("/api/v1/me/screening", json=ALL_NO)
    assert answered.status_code == 200, answered.text
    assert answered.json()["outcome"]["status"] == "ok"
    assert answered.json()["outcome"]["red_flags"] == []
    assert answered.json()["journey"]["step"] == "measures"

    measured = client.post("/api/v1/me/measures", json=FIRST_MEASURES)
    assert measured.status_code == 201, measured.text
    scores = {m["instrument"]: m for m in measured.json()["measures"]}
    assert set(scores) == {"nprs", "psfs", "startback", "odi"}
    assert scores["startback"]["risk"] == "low" and scores["startback"]["risk_text"]
    assert scores["odi"]["band"] == "moderate" and scores["odi"]["band_text"]
    assert measured.json()["journey"]["step"] == "profile"

    started = client.post("/api/v1/me/program", json=PROFILE)
    assert started.status_code == 201, started.text
    assert started.json()["exercise_ids"] and started.json()["journey"]["step"] == "ready"

    me = client.get("/api/v1/me").json()
    assert me["email"] == "ana@example.com" and me["role"] == "person"
    assert me["time_zone"] is None and me["time_zone_in_effect"] == "UTC"
    assert me["profile"]["level"] == "beginner" and me["profile"]["days_per_week"] == 3
    assert sorted(me["profile"]["equipment"]) == ["band", "mat"]
    assert me["journey"] == {"step": "ready", "plan_id": started.json()["plan_id"]}
    screening = client.get("/api/v1/me/screening").json()
    assert screening["latest"]["answers"]["age"] == 44
    assert screening["latest"]["outcome"]["status"] == "ok"
    assert screening["open_referral"] is None

    # Two weeks on, the two-weekly check: pain down by 3 is a change large enough to matter.
    app.clock.at += dt.timedelta(days=14)
    assert client.get("/api/v1/me/outcomes").json()["reassessment"]["due"] is True
    again = {"nprs": 2, "activities": [{"name": "Putting on socks", "score": 7}]}
    reassessed = client.post("/api/v1/me/measures", json=again)
    assert reassessed.status_code == 201, reassessed.text
    pain = next(m for m in reassessed.json()["measures"] if m["instrument"] == "nprs")
    assert pain["change"]["mcid_reached"] is True and pain["change"]["difference"] == 3
    assert "large enough to matter" in pain["change"]["words"]

    first_page = client.get("/api/v1/me/measures?limit=2").json()
    assert first_page["total"] == 6 and first_page["next_offset"] == 2
    assert [m["day"] for m in first_page["items"]] == ["2026-12-07"] * 2
    rest = client.get("/api/v1/me/measures?limit=10&offset=2").json()
    assert len(rest["items"]) == 4 and rest["next_offset"] is None
    assert all(m["change"] is None for m in rest["items"])  # the first answers: the baseline

    outcomes = client.get("/api/v1/me/outcomes").json()
    assert outcomes["has_program"] is True and outcomes["sessions_done"] == 0
    assert outcomes["changes"]["nprs"]["mcid_reached"] is True
    assert outcomes["changes"]["psfs"]["difference"] == 3
    assert outcomes["reassessment"]["due"] is False
    assert outcomes["startback"]["risk"] == "low"


def test_a_red_flag_refers_and_no_program_starts_until_a_clearance(app: App) -> None:
    client = new_person(app, "ben@example.com")
    answered = client.post("/api/v1/me/screening", json=ALL_NO | {"saddle_numbness": True})
    outcome = answered.json()["outcome"]
    assert outcome["refer"] is True and outcome["urgency"] == "emergency"
    [sign] = outcome["red_flags"]
    assert sign["code"] == "saddle_numbness" and sign["label"] == "Feeling between the legs"
    assert sign["reason"]["code"] == "flag.saddle_numbness.reason"
    assert "cauda equina" in sign["reason"]["words"]
    assert outcome["advice"][0]["code"] == "screening.refer.emergency"
    assert "emergency" in outcome["message"]
    assert answered.json()["journey"]["step"] == "referred"

    refused = client.post("/api/v1/me/program", json=PROFILE)
    assert refused.status_code == 409
    assert refused.headers["content-type"] == PROBLEM
    assert refused.json()["code"] == "program.referred"
    assert client.get("/api/v1/me").json()["profile"] is None
    state = client.get("/api/v1/me/screening").json()
    assert state["open_referral"]["red_flags"][0]["code"] == "saddle_numbness"
    assert state["clearance_by_coach"] is False

    cleared = client.post("/api/v1/me/clearance", json={"confirm": True, "note": "GP, 1 Dec"})
    assert cleared.json() == {"recorded": True, "journey": {"step": "measures", "plan_id": None}}
    again = client.post("/api/v1/me/clearance", json={"confirm": True})
    assert again.json()["recorded"] is False  # nothing left to clear: nothing changes
    assert client.post("/api/v1/me/program", json=PROFILE).status_code == 201


def test_a_coached_person_cannot_clear_themselves_through_the_api(app: App) -> None:
    cleo = person(app, "cleo@example.com")
    client = api_client(app, token_for(app, "cleo@example.com"))
    their_coach = coach(app, "coach@example.com")
    accept(app, cleo, invite(app, their_coach))
    coach_me = api_client(app, token_for(app, "coach@example.com")).get("/api/v1/me").json()
    assert (coach_me["role"], coach_me["journey"]) == ("coach", None)  # no program of their own
    client.post("/api/v1/me/screening", json=ALL_NO | {"trauma": True})
    refused = client.post("/api/v1/me/clearance", json={"confirm": True})
    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["field"]) == ("clearance.by_coach", "confirm")
    assert client.get("/api/v1/me/screening").json()["clearance_by_coach"] is True
    assert client.post("/api/v1/me/program", json=PROFILE).json()["code"] == "program.referred"


def test_bad_input_is_a_422_problem_naming_the_field(app: App) -> None:
    client = new_person(app, "dan@example.com")
    bad_measures = FIRST_MEASURES | {"activities": [{"name": "Running", "score": 11}]}
    cases: list[tuple[str, str, dict[str, Any], str, str]] = [
        ("PUT", "/me/time-zone", {"time_zone": "Mars/Olympus"}, "time_zone.unknown", "time_zone"),
        ("PUT", "/me/name", {"display_name": "x" * 100}, "display_name.too_long", "display_name"),
        ("PUT", "/me/name", {"name": "Dan"}, "api.extra_forbidden", "name"),
        ("POST", "/me/screening", ALL_NO | {"age": 9}, "screening.age_out_of_range", "age"),
        ("POST", "/me/screening", {"age": 44}, "screening.pregnancy_unanswered", "pregnancy"),
        ("POST", "/me/screening", ALL_NO | {"trauma": "yes"}, "api.bool_type", "trauma"),
        ("POST", "/me/clearance", {"confirm": False}, "api.literal_error", "confirm"),
        ("POST", "/me/measures", bad_measures, "psfs.rating_out_of_range", "activities.0.score"),
        (
            "POST",
            "/me/measures",
            {"nprs": 3, "activities": []},
            "psfs.no_activity",
            "activities.0.name",
        ),
        # The first measures ask for STarT Back: totals, or "none" said on purpose.
        (
            "POST",
            "/me/measures",
            {"nprs": 3, "activities": [{"name": "Sitting", "score": 5}]},
            "startback.missing",
            "startback.score",
        ),
        (
            "POST",
            "/me/program",
            PROFILE | {"days_per_week": 9},
            "api.less_than_equal",
            "days_per_week",
        ),
    ]
    for method, path, body, code, field in cases:
        answer = client.request(method, f"/api/v1{path}", json=body)
        assert answer.status_code == 422, (path, body, answer.text)
        assert answer.headers["content-type"] == PROBLEM
        problem = answer.json()
        assert problem["code"] in (code, "api.invalid_input"), (path, problem)
        codes = {(p["code"], p["field"]) for p in problem["errors"]} or {
            (problem["code"], problem["field"])
        }
        assert (code, field) in codes, (path, problem)
    # The measures' problems all come at once, each at its place in the body.
    many = {"nprs": 12, "activities": [{"score": 4}], "startback": {"none": True, "score": 3}}
    answer = client.post("/api/v1/me/measures", json=many)
    fields = {p["field"] for p in answer.json()["errors"]}
    assert fields == {"nprs", "activities.0.name", "startback.none"}
    assert client.get("/api/v1/me/measures").json()["total"] == 0  # nothing kept


def test_another_persons_token_never_sees_this_persons_data(app: App) -> None:
    ana = new_person(app, "ana@example.com")
    ana.post("/api/v1/me/screening", json=ALL_NO | {"night_pain": True})
    ana.put("/api/v1/me/name", json={"display_name": "Ana K"})
    ana.put("/api/v1/me/time-zone", json={"time_zone": "europe/lisbon"})
    ana.post("/api/v1/me/measures", json=FIRST_MEASURES)
    ben = new_person(app, "ben@example.com")

    mine = ana.get("/api/v1/me").json()
    assert (mine["display_name"], mine["time_zone"]) == ("Ana K", "Europe/Lisbon")
    theirs = ben.get("/api/v1/me").json()
    assert theirs["email"] == "ben@example.com" and theirs["id"] != mine["id"]
    assert (theirs["display_name"], theirs["time_zone"]) == ("", None)
    assert ben.get("/api/v1/me/screening").json() == {
        "latest": None,
        "open_referral": None,
        "clearance_by_coach": False,
    }
    assert ben.get("/api/v1/me/measures").json()["total"] == 0
    assert ben.get("/api/v1/me/outcomes").json()["changes"] == {}
    # Ben's clearance does not clear Ana's referral.
    assert ben.post("/api/v1/me/clearance", json={"confirm": True}).json()["recorded"] is False
    assert step(ana) == "referred"


def test_a_read_token_reads_but_may_not_answer(app: App) -> None:
    person(app, "eve@example.com")
    reader = api_client(app, token_for(app, "eve@example.com", ("read",)))
    assert reader.get("/api/v1/me").status_code == 200
    refused = reader.post("/api/v1/me/screening", json=ALL_NO)
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    assert reader.get("/api/v1/me/screening").json()["latest"] is None


def test_reading_the_measures_costs_the_same_however_many_there_are(app: App) -> None:
    client = new_person(app, "fay@example.com")
    client.post("/api/v1/me/screening", json=ALL_NO)
    client.post("/api/v1/me/measures", json=FIRST_MEASURES)
    counts = [read_measures_and_me(app, client)]
    for _ in range(4):  # four two-weekly checks more
        app.clock.at += dt.timedelta(days=14)
        again = {"nprs": 3, "activities": [{"name": "Putting on socks", "score": 6}]}
        assert client.post("/api/v1/me/measures", json=again).status_code == 201
    counts.append(read_measures_and_me(app, client))
    assert client.get("/api/v1/me/measures").json()["total"] == 12
    assert counts[0] == counts[1]


def read_measures_and_me(app: App, client: TestClient) -> int:
    """The statements run to read every measure and the account."""
    with statements_run(app.database.engine) as sent:
        assert client.get("/api/v1/me/measures?limit=100").status_code == 200
        assert client.get("/api/v1/me").status_code == 200
    return len(sent)


def test_the_export_through_the_api_is_the_account_pages_download(app: App) -> None:
    page = onboard(app, "exports@example.com")
    api = api_client(app, token_for(app, "exports@example.com", ("read",)))
    through_api = api.get("/api/v1/me/export")
    from_page = page.get("/account/export.json")
    assert through_api.status_code == 200
    assert through_api.headers["content-type"].startswith("application/json")
    assert through_api.json() == from_page.json()  # one clock: even the export's time agrees
    account = page.get("/account").text
    assert account.count("downloaded all the data") == 2  # each download is in the audit log


def test_typed_text_with_a_control_character_is_refused_naming_the_field(app: App) -> None:
    # PostgreSQL cannot keep a NUL: the API refuses what the pages' forms refuse.
    onboard(app, "typed@example.com")
    api = api_client(app, token_for(app, "typed@example.com"))
    answer = api.put("/api/v1/me/name", json={"display_name": "Ana\u0000"})
    assert answer.status_code == 422
    assert answer.json()["field"] == "display_name"
    rated = {"nprs": 3, "activities": [{"name": "Socks\u0007", "score": 5}]}
    answer = api.post("/api/v1/me/measures", json=rated)
    assert answer.status_code == 422
    assert answer.json()["field"] == "activities.0.name"
