"""The coaching pages over HTTP: a coach invites, a client reads exactly what is shared and
agrees, either side ends the link; who may open which page (anonymous, client, coach); and the
sign-up tick box the setting offers. SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from backcoach.services import coaching, training
from backcoach.services.access import Principal, Role
from backcoach.store.tables import User
from backcoach.wording.coaching_words import SHARED_WORDS
from tests.integration.coaching_steps import person
from tests.integration.test_query_counts import statements_run
from tests.training_app import PASSWORD, App, onboard, sign_up, token


def _coach(app: App, email: str = "coach@example.com") -> TestClient:
    client = sign_up(app, email)
    with app.database.unit_of_work() as uow:
        coaching.add_coach(
            uow=uow, principal=coaching.OPERATOR, email=email, password_hash=None, now=app.clock.at
        )
    return client


def _invite_link(coach: TestClient) -> str:
    page = coach.get("/coach")
    made = coach.post("/coach/invite", data={"csrftoken": token(page.text)})
    assert made.status_code == 200
    found = re.search(
        r'id="invite-link" type="text" readonly value="http://testserver(/join/[^"]+)"', made.text
    )
    assert found, made.text
    return found.group(1)


def _id(app: App, email: str) -> int:
    return int(app.query(select(User.id).where(User.email == email)))


#: Coaching pages over the services, on SQLite (the coaching services and the authorization
#: matrix run on PostgreSQL too).
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_a_coach_invites_and_the_client_agrees_then_stops_sharing(app: App) -> None:
    coach = _coach(app)
    page = coach.get("/coach")
    assert "No client is linked to you yet." in page.text
    assert '<a href="/coach" aria-current="page">Clients</a>' in page.text
    link = _invite_link(coach)
    ana = onboard(app)
    invitation = ana.get(link)
    assert "coach@example.com" in invitation.text
    for words in SHARED_WORDS.values():
        assert words.replace('"', "&#34;") in invitation.text
    agreed = ana.post(link, data={"csrftoken": token(invitation.text)})
    assert agreed.url.path == "/account"
    assert "You share with <strong>coach@example.com</strong>" in agreed.text
    assert "ana@example.com" in coach.get("/coach").text
    with app.database.unit_of_work() as uow:  # the coach reads, and the client sees who did
        training.current_program(
            uow=uow,
            principal=Principal(_id(app, "coach@example.com"), Role.COACH),
            person_id=_id(app, "ana@example.com"),
            now=app.clock.at,
        )
    account = ana.get("/account")
    assert "<td>coach@example.com</td><td>looked at your program</td>" in account.text
    stop = re.search(r'action="(/links/\d+/end)"', account.text)
    assert stop
    stopped = ana.post(stop.group(1), data={"csrftoken": token(account.text)})
    assert "You stopped sharing" in stopped.text
    assert "No client is linked to you yet." in coach.get("/coach").text
    used = ana.get(link)
    assert used.status_code == 409 and "has been used already" in used.text


def test_a_coach_ends_a_link_from_their_list(app: App) -> None:
    coach = _coach(app)
    link = _invite_link(coach)
    ana = onboard(app)
    ana.post(link, data={"csrftoken": token(ana.get(link).text)})
    page = coach.get("/coach")
    end = re.search(r'action="(/links/\d+/end)"', page.text)
    assert end
    ended = coach.post(end.group(1), data={"csrftoken": token(page.text)})
    assert "The link is ended" in ended.text and "ana@example.com" not in ended.text
    assert "You share your training with no coach." in ana.get("/account").text


def test_who_may_open_the_coaching_pages(app: App) -> None:
    coach = _coach(app)
    link = _invite_link(coach)
    anonymous = app.client()
    assert anonymous.get("/coach", follow_redirects=False).headers["location"] == "/login"
    assert "Log in, or create an account" in anonymous.get(link).text
    assert anonymous.post(link, follow_redirects=False).status_code == 403  # no CSRF token
    ana = onboard(app)
    assert ana.get("/coach").status_code == 403
    assert (
        ana.post("/coach/invite", data={"csrftoken": token(ana.get("/today").text)}).status_code
        == 403
    )
    assert "Clients" not in ana.get("/today").text
    other = _coach(app, "other@example.com")
    assert other.get(link).status_code == 409  # a coach cannot be a client
    assert "Only a client" in other.get(link).text
    ana.post(link, data={"csrftoken": token(ana.get(link).text)})
    end = re.search(r'action="(/links/\d+/end)"', ana.get("/account").text)
    assert end
    for stranger in (other, onboard(app, "bo@example.com")):
        refused = stranger.post(
            end.group(1), data={"csrftoken": token(stranger.get("/account").text)}
        )
        assert refused.status_code == 404
    assert ana.get("/join/not-a-token").status_code == 404


def test_signing_up_as_a_coach_only_where_the_setting_allows(app: App) -> None:
    client = app.client()
    page = client.get("/signup")
    assert 'name="as_coach"' not in page.text
    form = {"email": "c@example.com", "password": PASSWORD, "as_coach": "yes"}
    client.post("/signup", data={**form, "csrftoken": token(page.text)})
    app.state.settings = app.state.settings.model_copy(update={"coach_signup": True})
    page = client.get("/signup")
    assert 'name="as_coach"' in page.text
    client.post("/signup", data={**form, "email": "d@example.com", "csrftoken": token(page.text)})
    with app.database.unit_of_work() as uow:
        roles = dict(uow.session.execute(select(User.email, User.role)).all())
    assert roles == {"c@example.com": "person", "d@example.com": "coach"}


def test_the_clients_page_costs_the_same_statements_for_one_client_or_four(app: App) -> None:
    coach = _coach(app)

    def statements() -> int:
        with statements_run(app.database.engine) as sent:
            assert coach.get("/coach").status_code == 200
        return len(sent)

    counts = []
    for number in range(1, 5):
        client = person(app, f"client{number}@example.com")
        with app.database.unit_of_work() as uow:
            coach_id = _id(app, "coach@example.com")
            made = coaching.create_invite(
                uow=uow, principal=Principal(coach_id, Role.COACH), now=app.clock.at
            )
            coaching.accept_invite(
                uow=uow,
                principal=client,
                person_id=client.user_id,
                token=made.token,
                now=app.clock.at,
            )
        counts.append(statements())
    assert counts[0] == counts[-1], counts


def test_a_coach_starts_from_their_clients(app: App) -> None:
    coach = _coach(app)
    assert coach.get("/start", follow_redirects=False).headers["location"] == "/coach"


def test_a_client_enters_a_practices_code_and_chooses_a_coach(app: App) -> None:
    _coach(app)
    with app.database.unit_of_work() as uow:
        code = coaching.create_practice(
            uow=uow, principal=coaching.OPERATOR, name="Back Clinic", now=app.clock.at
        ).join_code
    ana = onboard(app)
    wrong = ana.get("/practice-code", params={"code": "nope"})
    assert wrong.status_code == 422 and "No practice has that code" in wrong.text
    assert 'value="nope"' in wrong.text  # what was typed stays, to be corrected
    empty = ana.get("/practice-code", params={"code": code})
    assert "That practice has no coach yet." in empty.text
    with app.database.unit_of_work() as uow:
        coaching.join_practice(
            uow=uow,
            principal=coaching.OPERATOR,
            coach_email="coach@example.com",
            code_or_name=code,
            now=app.clock.at,
        )
    page = ana.get("/practice-code", params={"code": code.lower()})
    assert "Back Clinic" in page.text and 'value="coach@example.com"' in page.text
    unchosen = ana.post("/practice-code", data={"code": code, "csrftoken": token(page.text)})
    assert unchosen.status_code == 422 and "Please choose a coach." in unchosen.text
    form = {"code": code, "coach_email": "coach@example.com", "csrftoken": token(page.text)}
    joined = ana.post("/practice-code", data=form)
    assert "You share with <strong>coach@example.com</strong>" in joined.text
    coach_page = _coach(app, "other@example.com").get("/practice-code", params={"code": code})
    assert coach_page.status_code == 422 and "Only a client" in coach_page.text


def test_every_coaching_form_carries_the_pages_token(app: App) -> None:
    # The token helper falls back to the page's meta tag: this checks the forms' own field.
    coach = _coach(app)
    link = _invite_link(coach)
    ana = onboard(app)
    pages = {"clients": coach.get("/coach").text, "invitation": ana.get(link).text}
    ana.post(link, data={"csrftoken": token(pages["invitation"])})
    pages["account"] = ana.get("/account").text
    pages["clients with one"] = coach.get("/coach").text
    for name, html in pages.items():
        fields = re.findall(r'name="csrftoken" value="([^"]*)"', html)
        assert fields and all(fields), name
