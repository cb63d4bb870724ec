"""The account page over HTTP: password, data export, deleting everything; SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from backcoach.engine.screening import all_clear
from backcoach.engine.vocabulary import Felt
from backcoach.services import accounts, onboarding, training
from backcoach.services.access import Principal, principal_of
from backcoach.services.export import CSV_FILES
from backcoach.services.measure_input import ActivityInput, MeasuresInput, StartBackInput
from backcoach.services.sets import SetInput
from backcoach.settings import Settings
from backcoach.store.api_tables import ApiToken, ClientOperation
from backcoach.store.care_tables import (
    AttentionAck,
    ClientAttention,
    CoachNote,
    CoachOverride,
    Message,
)
from backcoach.store.tables import (
    Base,
    CoachInvite,
    CoachLink,
    ExerciseStop,
    PasswordReset,
    PlanRecord,
    ProfileChange,
    ProgramPause,
    ReminderSent,
    ReminderSetting,
    SetRecord,
    TightMoment,
    TrainingSession,
    User,
)
from backcoach.web.app import create_app
from backcoach.web.deps import SESSION_COOKIE
from tests.integration.onboarded import Onboarded
from tests.training_app import PASSWORD
from tests.web import post, screen, sign_up, with_db

# Pages and forms behave alike on both databases: they run on SQLite; the services and the
# store under them run on PostgreSQL too (tests/integration/test_services*.py and others).
DATABASES = ("sqlite",)

NEW_PASSWORD = "another long password"
#: The person of the ``ana`` fixture (onboarded through the pages once per worker), whose
#: database each test gets a copy of: onboarding through the pages again took most of a test.
ANA = "ana@example.com"
#: Tables that hold no one's rows: the server's key, and failed logins kept by email for a while.
NOT_PERSONAL = {"app_secrets", "login_attempts", "known_device_failures", "practices"}


@pytest.fixture
def app(database_url: str) -> Iterator[Any]:
    built: Any = create_app(Settings(database_url=database_url))  # its state is reachable
    yield built
    built.state.database.dispose()


def _url(ana: Onboarded) -> str:
    return ana.app.database.url


def onboard_by_services(
    database_url: str, email: str, measures: MeasuresInput, *, to_a_program: bool
) -> None:
    """Someone else, signed up, screened and measured (and given a program) by the services
    the onboarding pages call: a person whose data must stay out of Ana's."""
    now = dt.datetime.now(dt.UTC)

    def work(uow: Any) -> None:
        accounts.sign_up(uow=uow, email=email, password=PASSWORD, now=now)
        me = Principal(uow.session.scalars(select(User.id).where(User.email == email)).one())
        mine = {"uow": uow, "principal": me, "person_id": me.user_id, "now": now}
        onboarding.record_screening(**mine, answers=all_clear(age=44), today=now.date())
        onboarding.record_measures(**mine, answers=measures, today=now.date())
        if to_a_program:
            profile = {"pain": 4, "level": "beginner", "days_per_week": 4, "equipment": ["band"]}
            onboarding.start_program(**mine, profile=profile, today=now.date())

    with_db(database_url, work)


def log_in(client: TestClient, email: str) -> None:
    post(client, "/login", {"email": email, "password": PASSWORD}, page="/login")


def _user_id(database_url: str, email: str) -> int:
    found: int = with_db(
        database_url, lambda uow: uow.session.scalar(select(User.id).where(User.email == email))
    )
    return found


def train_and_feel_tight(database_url: str, email: str) -> None:
    """One finished session with sets, and one tight moment, for the person with ``email``."""

    def work(uow: Any) -> None:
        user = uow.session.scalars(select(User).where(User.email == email)).one()
        now = dt.datetime.now(dt.UTC)
        session = training.start_session(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            pain_before=5,
            today=now.date(),
            now=now,
        )
        plan = uow.session.get(PlanRecord, session.plan_id)
        item = plan.data["exercises"][0]
        for number in (1, 2):
            entry = SetInput(item["id"], number, 10, Felt.TARGET)
            training.log_set(
                uow=uow,
                principal=principal_of(user),
                person_id=user.id,
                session_id=session.id,
                entry=entry,
                now=now,
            )
        training.finish_session(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            session_id=session.id,
            pain_during=3,
            pain_after=2,
            today=now.date(),
            now=now,
        )
        uow.session.add(TightMoment(user_id=user.id, at=now, drills=["cat_camel"]))
        # An exercise stopped in the player ("this hurts"), kept with why.
        uow.session.add(
            ExerciseStop(
                user_id=user.id, session_id=session.id, exercise_id=item["id"], reason="pain",
                action="skip", at=now,
            )
        )  # fmt: skip
        # A pause, and a change of profile (the account's own settings).
        uow.session.add(ProgramPause(user_id=user.id, starts_on=now.date(), made_at=now))
        uow.session.add(ProfileChange(user_id=user.id, at=now, plan_id=plan.id, changes=[]))
        # A reset link, and the reminders chosen and sent.
        uow.session.add_all(
            [
                PasswordReset(
                    user_id=user.id, token_hash=f"{user.id:064}", password_digest="2" * 64,
                    created_at=now, expires_at=now,
                ),
                ReminderSetting(
                    user_id=user.id, enabled=True, minute_of_day=480, by_email=True,
                    updated_at=now,
                ),
                ReminderSent(user_id=user.id, day=now.date(), sent_at=now),
            ]
        )  # fmt: skip
        # A row of each coaching table too (as a client, and as a coach who invited someone);
        # one account in both roles is only rows here: what is checked is that they go.
        uow.session.add(CoachLink(coach_id=user.id, client_id=user.id, started_at=now, shared=[]))
        uow.session.add(
            CoachInvite(
                coach_id=user.id, token_hash=f"{user.id:064}", created_at=now, expires_at=now
            )
        )
        # And of each care table: what a coach keeps about this person as their client.
        uow.session.add_all(
            [
                ClientAttention(
                    client_id=user.id,
                    rank=99,
                    since=None,
                    items=[],
                    computed_at=now,
                    computed_on=now.date(),
                    fresh_until=None,
                ),
                AttentionAck(
                    client_id=user.id,
                    coach_id=user.id,
                    code="attention.flare",
                    seen=now.date(),
                    at=now,
                ),
                CoachNote(client_id=user.id, author_id=user.id, at=now, text="A note"),
                Message(client_id=user.id, sender_id=user.id, from_client=True, at=now, body="Hi"),
                CoachOverride(
                    client_id=user.id, coach_id=user.id, at=now, kind="hold", data={}, note=None
                ),
                # And of each API table: a token, and an operation a phone sent.
                ApiToken(
                    user_id=user.id,
                    name="a script",
                    prefix="bc_abc",
                    token_hash=f"{user.id:064}",
                    scopes="read",
                    created_at=now,
                ),
                ClientOperation(
                    user_id=user.id,
                    client_id=f"{user.id:036}",
                    kind="set",
                    request_hash="0" * 64,
                    status=200,
                    response="{}",
                    received_at=now,
                ),
            ]
        )
        uow.commit()

    with_db(database_url, work)


def rows_of(database_url: str, user_id: int) -> dict[str, int]:
    """Rows belonging to one person, in every table of the schema."""

    def work(uow: Any) -> dict[str, int]:
        counts: dict[str, int] = {}
        sessions = select(TrainingSession.id).where(TrainingSession.user_id == user_id)
        for name, table in Base.metadata.tables.items():
            if name in NOT_PERSONAL:
                continue
            query = select(func.count()).select_from(table)
            if name == "users":
                query = query.where(table.c.id == user_id)
            elif "user_id" in table.c:
                query = query.where(table.c.user_id == user_id)
            elif "subject_id" in table.c:  # the audit log: about this person
                query = query.where(table.c.subject_id == user_id)
            elif "client_id" in table.c:  # a coach's link to this person
                query = query.where(table.c.client_id == user_id)
            elif "coach_id" in table.c:  # invitations this person sent as a coach
                query = query.where(table.c.coach_id == user_id)
            elif name == SetRecord.__tablename__:
                query = query.where(table.c.session_id.in_(sessions.scalar_subquery()))
            else:
                raise AssertionError(f"{name}: say whose rows these are")
            counts[name] = uow.session.scalar(query) or 0
        return counts

    result: dict[str, int] = with_db(database_url, work)
    return result


# --- password ------------------------------------------------------------------------------------


def test_changing_the_password_keeps_this_login_and_ends_the_others(ana: Onboarded) -> None:
    client, elsewhere = ana.client, ana.app.client()
    log_in(elsewhere, ANA)
    changed = post(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )
    assert changed.status_code == 200 and "Your password is changed" in changed.text
    assert client.get("/account").url.path == "/account"
    assert elsewhere.get("/account").url.path == "/login"
    fresh = ana.app.client()
    old = post(fresh, "/login", {"email": ANA, "password": PASSWORD}, page="/login")
    assert old.status_code == 422
    new = post(fresh, "/login", {"email": ANA, "password": NEW_PASSWORD}, page="/login")
    assert new.url.path != "/login"


def test_a_wrong_current_password_or_a_short_new_one_gets_a_field_message(
    ana: Onboarded,
) -> None:
    client = ana.client
    wrong = post(
        client,
        "/account/password",
        {"current_password": "not my password", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    assert 'id="current_password-error">Your current password is not right.' in wrong.text
    short = post(
        client, "/account/password", {"current_password": PASSWORD, "new_password": "short"}
    )
    assert short.status_code == 422 and 'id="new_password-error">Use at least 10' in short.text
    empty = post(client, "/account/password", {})
    assert empty.status_code == 422 and "Please fill this in." in empty.text
    assert PASSWORD not in wrong.text + short.text  # passwords are never shown back


# --- export ------------------------------------------------------------------------------------


def test_the_json_export_holds_my_data_and_no_one_elses(ana: Onboarded) -> None:
    train_and_feel_tight(_url(ana), ANA)
    grandchild = (ActivityInput("Lifting my grandchild", "2"),)
    kim = MeasuresInput("8", grandchild, StartBackInput("8", "4"))
    onboard_by_services(_url(ana), "kim@example.com", kim, to_a_program=False)
    download = ana.client.get("/account/export.json")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("application/json")
    assert download.headers["content-disposition"].startswith("attachment;")
    data = json.loads(download.content)
    assert data["account"]["email"] == ANA and data["account"]["created_at"]
    assert {m["instrument"] for m in data["measures"]} == {"nprs", "psfs", "startback"}
    assert len(data["screenings"]) == 1 and len(data["profiles"]) == 1
    assert len(data["plans"]) == 2  # the first plan and the one decided after the session
    (session,) = data["training_sessions"]
    assert session["pain_before"] == 5 and len(session["sets"]) == 2
    assert len(data["tight_moments"]) == 1
    text = download.text
    assert "kim@example.com" not in text and "Lifting my grandchild" not in text
    assert "password" not in text and "$argon2" not in text and "calendar_token" not in text


def test_the_csv_export_is_a_zip_of_one_file_per_table(ana: Onboarded) -> None:
    train_and_feel_tight(_url(ana), ANA)
    download = ana.client.get("/account/export.zip")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert archive.testzip() is None
        assert sorted(archive.namelist()) == sorted(f"{name}.csv" for name in CSV_FILES)
        tables = {
            name.removesuffix(".csv"): list(
                csv.DictReader(io.StringIO(archive.read(name).decode()))
            )
            for name in archive.namelist()
        }
    assert tables["account"][0]["email"] == ANA
    assert {row["instrument"] for row in tables["measures"]} == {"nprs", "psfs", "startback"}
    assert json.loads(tables["measures"][1]["answers"])["activities"][0]["name"] == (
        "Putting on socks"
    )
    assert len(tables["training_sessions"]) == 1 and len(tables["sets"]) == 2
    assert tables["sets"][0]["session_id"] == tables["training_sessions"][0]["id"]
    assert len(tables["tight_moments"]) == 1 and len(tables["plans"]) == 2


def test_text_that_a_spreadsheet_would_run_is_made_plain(app: Any) -> None:
    client = TestClient(app)
    sign_up(client)
    screen(client, saddle_numbness=True)
    post(client, "/onboarding/cleared", {"confirm": "yes", "note": '=HYPERLINK("x")'})
    download = client.get("/account/export.zip")
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        (account,) = csv.DictReader(io.StringIO(archive.read("account.csv").decode()))
    assert account["cleared_note"] == '\'=HYPERLINK("x")'
    exact = json.loads(client.get("/account/export.json").content)
    assert exact["account"]["cleared_note"] == '=HYPERLINK("x")'


def test_the_export_needs_a_login(app: Any) -> None:
    for path in ("/account/export.json", "/account/export.zip"):
        response = TestClient(app).get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login"


# --- delete ------------------------------------------------------------------------------------


def test_deleting_the_account_removes_every_row_and_the_login(ana: Onboarded) -> None:
    database_url, me, other = _url(ana), ana.client, ana.app.client()
    train_and_feel_tight(database_url, ANA)
    socks = MeasuresInput("4", (ActivityInput("Putting on socks", "4"),), StartBackInput("2", "1"))
    onboard_by_services(database_url, "kim@example.com", socks, to_a_program=True)
    log_in(other, "kim@example.com")  # before the made-up coaching rows, which Today can't show
    train_and_feel_tight(database_url, "kim@example.com")
    mine, theirs = _user_id(database_url, ANA), _user_id(database_url, "kim@example.com")
    for client in (me, other):  # an export is written to the audit log
        assert client.get("/account/export.json").status_code == 200
    before = rows_of(database_url, mine)
    assert all(before.values()), f"every table should hold a row of mine first: {before}"
    kept = rows_of(database_url, theirs)
    cookie = me.cookies[SESSION_COOKIE]

    gone = post(me, "/account/delete", {"delete_password": PASSWORD, "confirm": "yes"})
    assert gone.url.path == "/goodbye" and "Your account is deleted" in gone.text
    assert rows_of(database_url, mine) == dict.fromkeys(before, 0)
    assert rows_of(database_url, theirs) == kept
    assert me.get("/account").url.path == "/login"
    replay = ana.app.client(**{SESSION_COOKIE: cookie})
    assert replay.get("/progress").url.path == "/login"
    assert replay.get("/account/export.json").url.path == "/login"


def test_deleting_needs_the_password_and_the_tick(ana: Onboarded) -> None:
    client, database_url = ana.client, _url(ana)
    mine = _user_id(database_url, ANA)
    before = rows_of(database_url, mine)
    unticked = post(client, "/account/delete", {"delete_password": PASSWORD})
    assert unticked.status_code == 422 and "Tick the box" in unticked.text
    wrong = post(client, "/account/delete", {"delete_password": "not it", "confirm": "yes"})
    assert wrong.status_code == 422 and "Your password is not right." in wrong.text
    odd = post(client, "/account/delete", {"delete_password": PASSWORD, "confirm": "maybe"})
    assert odd.status_code == 422
    assert rows_of(database_url, mine) == before
    assert client.get("/account").status_code == 200


def test_bad_account_input_gets_a_message_never_a_server_error(ana: Onboarded) -> None:
    client = ana.client
    huge = "x" * 5000
    for path, data in (
        ("/account/password", {"current_password": huge, "new_password": huge}),
        ("/account/password", {"current_password": ["a", "b"]}),
        ("/account/delete", {"delete_password": huge, "confirm": huge}),
        ("/account/delete", {"confirm": "yes"}),
    ):
        response = post(client, path, data)
        assert response.status_code == 422, (path, data)
        assert 'class="error-summary"' in response.text


def test_logging_out_from_the_account_page(ana: Onboarded) -> None:
    client = ana.client
    assert 'action="/logout"' in client.get("/account").text
    post(client, "/logout", {})
    assert client.get("/account").url.path == "/login"
    assert client.get("/goodbye").status_code == 200


def test_every_name_the_services_audit_has_words_on_the_account_page() -> None:
    """A coach's read or change is said to the person in words, never as a code: each `what=`
    the services write to the audit log is named on the account page."""
    import re
    from pathlib import Path

    import backcoach.services as services
    from backcoach.services.access import Action
    from backcoach.wording.activity_words import activity_words

    folder = Path(services.__file__).parent
    audited = {
        name
        for path in folder.glob("*.py")
        for name in re.findall(r'what="([a-z_.]+)"', path.read_text())
    }
    assert {"program", "notes", "messages", "report", "cohort", "override"} <= audited
    unsaid = {
        name
        for name in audited
        for action in (Action.READ, Action.WRITE)
        if activity_words(action.value, name) == name
    }
    assert not unsaid, f"audited with no words on the account page: {sorted(unsaid)}"


def test_the_account_page_says_when_it_shows_only_the_newest_audit_lines(
    ana: Onboarded,
) -> None:
    from backcoach.store.tables import AuditEvent
    from backcoach.web.routes.account import ACTIVITY_SHOWN

    client, database_url = ana.client, _url(ana)
    me = _user_id(database_url, ANA)
    notice = f"The newest {ACTIVITY_SHOWN} are shown here; the older ones are kept."
    assert notice not in client.get("/account").text

    def many(uow: Any) -> None:
        at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        uow.session.add_all(
            AuditEvent(
                at=at + dt.timedelta(minutes=n),
                actor_id=None,
                subject_id=me,
                action="read",
                what="program",
                channel="cli",
                allowed=True,
            )
            for n in range(ACTIVITY_SHOWN + 1)
        )
        uow.commit()

    with_db(database_url, many)
    page = client.get("/account").text
    assert notice in page
    assert page.count("looked at your program") == ACTIVITY_SHOWN
