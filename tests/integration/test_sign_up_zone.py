"""The device's time zone is kept at sign-up, so a person's days never shift when they set it
later (the page's script sends it; a zone this machine does not know leaves the server's)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backcoach.store.tables import User
from tests.training_app import PASSWORD, App, token

DATABASES = ("sqlite",)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("Pacific/Auckland", "Pacific/Auckland"),
        ("pacific/auckland", "Pacific/Auckland"),
        ("Mars/Olympus_Mons", None),
        ("", None),
        ("x" * 500, None),
    ],
)
def test_the_zone_sent_with_the_sign_up_is_kept_when_known(
    app: App, sent: str, kept: str | None
) -> None:
    client = app.client()
    page = client.get("/signup")
    assert "data-device-zone" in page.text
    form = {"email": "ana@example.com", "password": PASSWORD, "time_zone": sent}
    answer = client.post("/signup", data=form | {"csrftoken": token(page.text)})

    assert answer.url.path == "/login"
    assert app.query(select(User.time_zone).where(User.email == "ana@example.com")) == kept
