"""Bad form input over HTTP, on SQLite and PostgreSQL: a message naming the field, never a 5xx."""

from __future__ import annotations

from backcoach.engine.screening import RED_FLAG_IDS
from tests.integration.onboarded import Onboarded
from tests.training_app import App, sign_up, token

# Pages and forms behave alike on both databases: they run on SQLite; the services and the
# store under them run on PostgreSQL too (tests/integration/test_services*.py and others).
DATABASES = ("sqlite",)


def test_a_nul_byte_in_an_email_is_a_message_not_a_server_error(app: App) -> None:
    client = app.client()
    page = client.get("/signup")
    data = {
        "email": "a\x00b@example.com",
        "password": "long enough pass",
        "csrftoken": token(page.text),
    }
    response = client.post("/signup", data=data)
    assert response.status_code == 422
    assert "characters that cannot be saved" in response.text


def test_a_nul_byte_in_a_clearance_note_is_a_message(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    page = client.get("/onboarding/screening")
    answers = {"age": "40", "pregnancy": "none", "csrftoken": token(page.text)}
    answers |= dict.fromkeys(RED_FLAG_IDS, "no") | {"fever_unwell": "yes"}
    client.post("/onboarding/screening", data=answers)
    page = client.get("/onboarding/referral")
    data = {"confirm": "yes", "note": "seen\x00", "csrftoken": token(page.text)}
    response = client.post("/onboarding/cleared", data=data)
    assert response.status_code == 422
    assert "characters that cannot be saved" in response.text


def test_a_field_sent_as_a_value_and_a_list_is_a_message(ana: Onboarded) -> None:
    client = ana.client
    page = client.get("/onboarding/profile")
    data = [
        ("level", "beginner"),
        ("days_per_week", "3"),
        ("equipment", "band"),
        ("equipment[]", "mat"),
        ("csrftoken", token(page.text)),
    ]
    response = client.post(
        "/onboarding/profile",
        content="&".join(f"{k}={v}" for k, v in data),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 422
    assert "sent more than once" in response.text
