"""Today, the session player, the morning check-in and tight moments, through HTTP in process.

Each test gets a fresh database, once on SQLite and once on PostgreSQL (``database_url``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.engine.screening import RED_FLAGS
from backcoach.services import training
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.store.tables import Screening, SetRecord, TightMoment, TrainingSession, User
from backcoach.web.app import create_app
from backcoach.web.deps import Clock

PASSWORD = "correct horse battery"
MONDAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


class FixedClock(Clock):
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        super().__init__("UTC")
        self.at = now

    def now(self) -> dt.datetime:
        return self.at


class App:
    """The app under test, its clock and its database, with small helpers to drive it."""

    def __init__(self, database_url: str) -> None:
        self.asgi = create_app(Settings(database_url=database_url))
        # asgi_csrf wraps the FastAPI app with functools.wraps, so its state is shared.
        self.state = self.asgi.state  # type: ignore[attr-defined]
        self.clock = FixedClock(MONDAY)
        self.state.clock = self.clock
        self.database: Database = self.state.database

    def client(self, **cookies: str) -> TestClient:
        client = TestClient(self.asgi)
        for name, value in cookies.items():
            client.cookies.set(name, value)
        return client

    def query(self, statement: Any) -> Any:
        with self.database.unit_of_work() as uow:
            found = uow.session.scalar(statement)
            uow.session.expunge_all()  # readable after the unit of work rolls back
            return found

    def program(self, email: str) -> training.Program:
        with self.database.unit_of_work() as uow:
            user = uow.session.scalars(select(User).where(User.email == email)).one()
            program = training.current_program(uow=uow, user=user)
            assert program is not None
            uow.session.expunge_all()
            return program


@pytest.fixture
def app(database_url: str) -> Iterator[App]:
    under_test = App(database_url)
    yield under_test
    under_test.database.dispose()


def token(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html
    )
    assert found, "no CSRF token on the page"
    return found.group(1)


def value_of(page: str, input_id: str) -> str | None:
    """The value a set form's text input shows (what was saved, or typed)."""
    found = re.search(
        rf'id="{re.escape(input_id)}" name="\w+" type="text"[^>]* value="([^"]*)"', page
    )
    return found.group(1) if found else None


def sign_up(app: App, email: str) -> TestClient:
    client = app.client()
    page = client.get("/signup")
    client.post(
        "/signup", data={"email": email, "password": PASSWORD, "csrftoken": token(page.text)}
    )
    return client


def onboard(app: App, email: str = "ana@example.com") -> TestClient:
    """A person through screening, measures and profile to a program (beginner, a band)."""
    client = sign_up(app, email)
    page = client.get("/onboarding/screening")
    answers = {flag.id: "no" for flag in RED_FLAGS}
    page = client.post("/onboarding/screening", data={**answers, "csrftoken": token(page.text)})
    measures = {
        "nprs": "4",
        "psfs_name_1": "Putting on socks",
        "psfs_score_1": "4",
        **{f"startback_{n}": "disagree" for n in range(1, 9)},
        "startback_9": "moderately",
    }
    page = client.post("/onboarding/measures", data={**measures, "csrftoken": token(page.text)})
    profile = {"age": "44", "level": "beginner", "days_per_week": "4", "equipment[]": ["band"]}
    page = client.post("/onboarding/profile", data={**profile, "csrftoken": token(page.text)})
    assert page.url.path == "/today", page.text
    return client


def start(client: TestClient, pain_before: int = 3) -> int:
    page = client.get("/today")
    page = client.post(
        "/session", data={"pain_before": str(pain_before), "csrftoken": token(page.text)}
    )
    assert page.status_code == 200, page.text
    found = re.fullmatch(r"/session/(\d+)", page.url.path)
    assert found, page.url
    return int(found.group(1))


def csrf_of(client: TestClient) -> str:
    return token(client.get("/today").text)


def save(
    client: TestClient,
    session_id: int,
    exercise_id: str,
    number: int | str,
    amount: int | str,
    *,
    felt: str | None = "target",
    kind: str = "reps",
    as_json: bool = False,
    **extra: str,
) -> Any:
    data = {"exercise_id": exercise_id, "number": str(number), kind: str(amount), **extra}
    if felt is not None:
        data["felt"] = felt
    csrf = csrf_of(client)
    if as_json:
        headers = {"accept": "application/json", "x-csrftoken": csrf}
        return client.post(f"/session/{session_id}/sets", data=data, headers=headers)
    return client.post(
        f"/session/{session_id}/sets", data={**data, "csrftoken": csrf}, follow_redirects=False
    )


def do_every_set(app: App, client: TestClient, session_id: int, *, felt: str = "target") -> None:
    """Every planned set at the top of its range."""
    for item in app.program("ana@example.com").plan.exercises:
        for number in range(1, item.sets + 1):
            kind = item.exercise.dose.value
            response = save(
                client, session_id, item.exercise.id, number, item.dose_max, kind=kind, felt=felt
            )
            assert response.status_code == 303, response.text


def finish(client: TestClient, session_id: int, during: int = 2, after: int = 2) -> Any:
    data = {"pain_during": str(during), "pain_after": str(after), "csrftoken": csrf_of(client)}
    return client.post(f"/session/{session_id}/finish", data=data)


# --- Today --------------------------------------------------------------------------------------


def test_today_explains_the_program_once_and_offers_a_start(app: App) -> None:
    client = onboard(app)
    welcome = client.get("/today?welcome=1")
    assert "Your program is ready" in welcome.text
    assert "Stretching a tight low back brings relief for a short while" in welcome.text
    for item in app.program("ana@example.com").plan.exercises:
        assert item.exercise.name in welcome.text
        assert item.exercise.summary in welcome.text or item.reason in welcome.text
    assert "Next session: <strong>today</strong>" in welcome.text
    assert 'name="pain_before"' in welcome.text
    later = client.get("/today")
    assert "Your program is ready" not in later.text
    assert "<summary>Why strengthening, not stretching</summary>" in later.text


def test_today_without_a_program_sends_to_start(app: App) -> None:
    client = sign_up(app, "new@example.com")
    response = client.get("/today", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/start"


def test_today_asks_to_log_in(app: App) -> None:
    response = app.client().get("/today", follow_redirects=False)
    assert response.headers["location"] == "/login"


# --- Saving sets --------------------------------------------------------------------------------


def test_sets_are_saved_one_by_one_by_form_and_by_fetch(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    by_form = save(client, session_id, "glute_bridge", 1, 12, load_kg="7,5", rir="2")
    assert by_form.status_code == 303
    assert by_form.headers["location"] == f"/session/{session_id}#exercise-glute_bridge"
    by_fetch = save(client, session_id, "glute_bridge", 2, 11, felt="elsewhere", as_json=True)
    assert by_fetch.status_code == 200
    assert by_fetch.json() == {
        "saved": True,
        "set": {
            "exercise_id": "glute_bridge",
            "number": 2,
            "amount": 11,
            "load_kg": None,
            "rir": None,
            "felt": "elsewhere",
        },
    }
    page = client.get(f"/session/{session_id}").text
    assert value_of(page, "s-glute_bridge-1-reps") == "12"
    assert value_of(page, "s-glute_bridge-1-load_kg") == "7.5"
    assert value_of(page, "s-glute_bridge-1-rir") == "2"
    assert value_of(page, "s-glute_bridge-2-reps") == "11"
    assert page.count(">Saved</span>") == 2


def test_saving_a_set_again_corrects_it(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    save(client, session_id, "clam", 1, 10)
    save(client, session_id, "clam", 1, 14, felt="low_back", as_json=True)
    count = app.query(select(func.count(SetRecord.id)).where(SetRecord.session_id == session_id))
    assert count == 1
    corrected = app.query(select(SetRecord).where(SetRecord.session_id == session_id))
    assert (corrected.amount, corrected.felt) == (14, "low_back")


def test_closing_the_tab_loses_no_saved_set(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    save(client, session_id, "heel_slide", 1, 9)
    save(client, session_id, "heel_slide", 2, 8, as_json=True)
    client.close()
    reopened = app.client(**dict(client.cookies.items()))
    today = reopened.get("/today").text
    assert "Continue your session" in today
    assert f'href="/session/{session_id}"' in today
    player = reopened.get(f"/session/{session_id}").text
    assert value_of(player, "s-heel_slide-1-reps") == "9"
    assert value_of(player, "s-heel_slide-2-reps") == "8"
    assert "2 of 2 sets saved" in player


def test_the_player_shows_cues_set_up_faults_and_the_target(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    page = client.get(f"/session/{session_id}").text
    bridge = next(
        i for i in app.program("ana@example.com").plan.exercises if i.exercise.id == "clam"
    )
    exercise = bridge.exercise
    assert f"{bridge.sets} sets × {bridge.dose_min}-{bridge.dose_max} reps each side" in page
    assert "Reps (each side)" in page
    assert exercise.cues[0] in page and exercise.setup[0] in page
    fault = exercise.low_back_fix
    assert fault is not None
    assert (
        f'<p class="low-back-fix"><strong>Feel it mostly in your low back?</strong> {fault.fix}'
        in page
    )
    assert "In the target muscles" in page and "Mostly in my low back" in page
    assert 'id="rest-timer"' in page and 'aria-live="polite"' in page
    assert '<script src="/static/player.js" defer></script>' in page


# --- Finishing and the decisions ----------------------------------------------------------------


def test_finishing_shows_each_decision_for_next_time_with_its_reason(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    do_every_set(app, client, session_id)
    done = finish(client, session_id)
    assert done.url.path == f"/session/{session_id}/done"
    assert "Session done" in done.text and "Next time" in done.text
    program = app.program("ana@example.com")
    for item in program.plan.exercises:
        assert f"{item.exercise.name}: Stays the same for now" in done.text
        assert item.reason in done.text
        assert "When every set reaches" in item.reason
    assert f'href="/session/{session_id}/checkin"' in done.text
    again = client.get(f"/session/{session_id}", follow_redirects=False)
    assert again.headers["location"] == f"/session/{session_id}/done"


def test_two_sessions_at_the_top_felt_in_the_target_move_up_on_today(app: App) -> None:
    client = onboard(app)
    for day in (0, 2):
        app.clock.at = MONDAY + dt.timedelta(days=day)
        session_id = start(client)
        do_every_set(app, client, session_id)
        finish(client, session_id)
    today = client.get("/today").text
    assert today.count("<strong>Moves up.</strong>") == 4
    assert "Every set reached" in today
    assert "Next session: <strong>Friday 27 November</strong>" in today


def test_a_set_felt_in_the_low_back_holds_the_exercise_with_a_cue(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    save(client, session_id, "glute_bridge", 1, 15, felt="low_back")
    done = finish(client, session_id).text
    fault = app.program("ana@example.com").plan.exercises[2].exercise.low_back_fix
    assert fault is not None
    assert "Glute bridge: Stays the same for now" in done
    assert "You felt it in your low back" in done
    assert f"Cue for next time:</span> {fault.fix}" in done
    today = client.get("/today").text
    assert f'<span class="label">Cue:</span> {fault.fix}' in today


def test_a_second_finish_does_not_decide_again(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    finish(client, session_id)
    plans_before = app.program("ana@example.com").record.id
    again = finish(client, session_id, during=9, after=9)
    assert again.url.path == f"/session/{session_id}/done"
    assert app.program("ana@example.com").record.id == plans_before
    late = save(client, session_id, "clam", 1, 10, as_json=True)
    assert late.status_code == 409
    assert "finished" in late.json()["errors"]["session"]


# --- The morning check-in -----------------------------------------------------------------------


def checkin(client: TestClient, session_id: int, morning: int, **flags: str) -> Any:
    page = client.get(f"/session/{session_id}/checkin")
    answers = {flag.id: flags.get(flag.id, "no") for flag in RED_FLAGS}
    data = {**answers, "pain_next_morning": str(morning), "csrftoken": token(page.text)}
    return client.post(f"/session/{session_id}/checkin", data=data)


def test_today_asks_for_the_check_in_and_the_check_in_can_change_the_decision(app: App) -> None:
    client = onboard(app)
    session_id = start(client, pain_before=2)
    do_every_set(app, client, session_id)
    finish(client, session_id)
    app.clock.at = MONDAY + dt.timedelta(days=1)
    today = client.get("/today").text
    assert "How is your back this morning?" in today
    assert f'href="/session/{session_id}/checkin"' in today
    result = checkin(client, session_id, morning=6)
    assert result.url.path == f"/session/{session_id}/done"
    assert "Thanks for checking in" in result.text
    assert "Pain flared" in result.text and "next-morning pain was 6/10" in result.text
    assert "Check in on your last session" not in client.get("/today").text


def test_a_red_flag_at_check_in_sends_to_the_referral_and_removes_the_program(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    finish(client, session_id)
    result = checkin(client, session_id, morning=3, saddle_numbness="yes")
    assert result.url.path == "/onboarding/referral"
    assert "Get help now" in result.text
    assert app.query(select(func.count(Screening.id)).where(Screening.context == "check_in")) == 1
    response = client.get("/today", follow_redirects=False)
    assert response.headers["location"] == "/start"
    assert client.get("/tight").url.path == "/onboarding/referral"


def test_a_check_in_with_an_unanswered_question_keeps_what_was_given(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    finish(client, session_id)
    page = client.get(f"/session/{session_id}/checkin")
    data = {"pain_next_morning": "4", "both_legs": "no", "csrftoken": token(page.text)}
    result = client.post(f"/session/{session_id}/checkin", data=data)
    assert result.status_code == 422
    assert "Please answer yes or no." in result.text
    assert 'name="pain_next_morning" value="4" checked' in result.text


# --- Bad input ----------------------------------------------------------------------------------

BAD_SETS = [
    pytest.param(
        {"reps": "abc"}, "reps", "Reps: please enter a whole number", id="reps-not-a-number"
    ),
    pytest.param({"reps": "-3"}, "reps", "Reps: please enter a whole number", id="reps-negative"),
    pytest.param({"reps": "201"}, "reps", "from 0 to 200", id="reps-too-many"),
    pytest.param({"felt": None}, "felt", "Where you felt it: please choose", id="felt-missing"),
    pytest.param({"felt": "knees"}, "felt", "Where you felt it: please choose", id="felt-unknown"),
    pytest.param({"load_kg": "heavy"}, "load_kg", "Load: please enter kilograms", id="load-words"),
    pytest.param({"load_kg": "nan"}, "load_kg", "Load: please enter kilograms", id="load-nan"),
    pytest.param({"rir": "11"}, "rir", "Reps in reserve: please enter", id="rir-too-high"),
    pytest.param({"reps": "1" * 100_000}, "reps", "Reps: this is too long", id="reps-100-kB"),
    pytest.param({"number": "9"}, "number", "Set number: please enter", id="set-number"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_SETS)
def test_a_bad_set_is_refused_next_to_its_field_keeping_what_was_typed(
    app: App, change: dict[str, str | None], field: str, message: str
) -> None:
    client = onboard(app)
    session_id = start(client)
    data: dict[str, Any] = {"reps": "12", "felt": "target", "load_kg": "5", "rir": "1"} | change
    felt = data.pop("felt")
    reps = data.pop("reps")
    number = data.pop("number", "1")
    page = save(client, session_id, "clam", number, reps, felt=felt, **data)
    assert page.status_code == 422
    assert message in page.text
    if field != "number":
        assert f'<p class="error" id="s-clam-1-{field}-error"' in page.text or field == "felt"
        for name in ("reps", "load_kg", "rir"):  # what was typed is shown again
            assert value_of(page.text, f"s-clam-1-{name}") == str(data.get(name, reps))[:100]
    fetched = save(client, session_id, "clam", number, reps, felt=felt, as_json=True, **data)
    assert fetched.status_code == 422
    assert message in fetched.json()["errors"][field]
    assert app.query(select(func.count(SetRecord.id))) == 0


def test_a_set_of_an_exercise_not_in_the_program_is_refused(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    page = save(client, session_id, "crunch", 1, 10)
    assert page.status_code == 422
    assert "Exercise: that exercise is not in this session&#39;s program." in page.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            {"pain_before": "11"},
            "Pain right now: please enter a whole number from 0 to 10.",
            id="eleven",
        ),
        pytest.param({}, "Pain right now: please choose a number from 0 to 10.", id="missing"),
        pytest.param(
            {"pain_before": "x" * 100_000}, "Pain right now: this is too long.", id="100-kB"
        ),
    ],
)
def test_a_bad_pain_before_is_refused_with_its_field_named(
    app: App, data: dict[str, str], message: str
) -> None:
    client = onboard(app)
    response = client.post("/session", data={**data, "csrftoken": csrf_of(client)})
    assert response.status_code == 422
    assert message in response.text
    assert app.query(select(func.count(TrainingSession.id))) == 0


def test_a_bad_finish_keeps_the_session_open_and_what_was_typed(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    response = finish(client, session_id, during=4, after=11)
    assert response.status_code == 422
    assert "Pain now, after the session: please enter a whole number from 0 to 10." in response.text
    assert 'name="pain_during" value="4" checked' in response.text
    assert app.query(select(TrainingSession.finished_at)) is None


def test_a_malformed_session_address_is_a_clear_400(app: App) -> None:
    client = onboard(app)
    assert client.get("/session/abc").status_code == 400
    assert client.get("/session/99999999999999999999999").status_code == 404


# --- Privacy and CSRF ---------------------------------------------------------------------------


def test_a_person_cannot_see_or_post_to_another_persons_session(app: App) -> None:
    owner = onboard(app)
    session_id = start(owner)
    save(owner, session_id, "clam", 1, 10)
    other = onboard(app, "ben@example.com")
    csrf = csrf_of(other)
    for path in ("", "/done", "/checkin"):
        assert other.get(f"/session/{session_id}{path}").status_code == 404
    form = {"exercise_id": "clam", "number": "1", "reps": "3", "felt": "target", "csrftoken": csrf}
    assert other.post(f"/session/{session_id}/sets", data=form).status_code == 404
    fetched = other.post(
        f"/session/{session_id}/sets",
        data=form,
        headers={"accept": "application/json", "x-csrftoken": csrf},
    )
    assert fetched.status_code == 404
    pains = {"pain_during": "1", "pain_after": "1", "csrftoken": csrf}
    assert other.post(f"/session/{session_id}/finish", data=pains).status_code == 404
    assert other.post(f"/session/{session_id}/checkin", data=pains).status_code == 404
    kept = app.query(select(SetRecord).where(SetRecord.session_id == session_id))
    assert kept.amount == 10
    assert app.query(select(TrainingSession.finished_at)) is None


def test_a_post_without_its_csrf_token_is_refused(app: App) -> None:
    client = onboard(app)
    session_id = start(client)
    form = {"exercise_id": "clam", "number": "1", "reps": "10", "felt": "target"}
    assert client.post(f"/session/{session_id}/sets", data=form).status_code == 403
    wrong = {"accept": "application/json", "x-csrftoken": "not-the-token"}
    assert client.post(f"/session/{session_id}/sets", data=form, headers=wrong).status_code == 403
    assert client.post("/tight").status_code == 403
    assert client.post("/session", data={"pain_before": "3"}).status_code == 403
    assert app.query(select(func.count(SetRecord.id))) == 0


# --- Tight moments ------------------------------------------------------------------------------


def test_a_tight_moment_is_logged_and_answered_with_mobility_drills(app: App) -> None:
    client = onboard(app)
    page = client.get("/tight")
    assert "No tight moments logged today." in page.text
    result = client.post("/tight", data={"csrftoken": token(page.text)})
    assert result.url.path == "/tight"
    assert "1 tight moment logged today." in result.text
    assert "Do this now" in result.text
    assert "a long stretch brings relief for a little while" in result.text
    drills = app.program("ana@example.com").plan.mobility
    assert drills
    for drill in drills:
        assert drill.exercise.name in result.text
        assert drill.exercise.cues[0] in result.text
    moment = app.query(select(TightMoment))
    assert moment.at == MONDAY
    assert [d["id"] for d in moment.drills] == [d.exercise.id for d in drills]
    client.post("/tight", data={"csrftoken": token(result.text)})
    app.clock.at = MONDAY + dt.timedelta(days=1)
    assert "No tight moments logged today." in client.get("/tight").text
    assert app.query(select(func.count(TightMoment.id))) == 2


def test_tight_moments_need_a_program(app: App) -> None:
    client = sign_up(app, "new@example.com")
    assert client.get("/tight", follow_redirects=False).headers["location"] == "/start"
