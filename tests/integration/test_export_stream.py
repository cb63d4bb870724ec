"""The JSON export is streamed as it is read, and is the same document, byte for byte, as the
one built whole (which the import reads back): more rows than a batch, every section, and the
audit line written before the first byte."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from backcoach.services import export
from backcoach.services.access import Principal
from backcoach.store.tables import AuditEvent, User
from tests.training_app import PASSWORD, App, checkin, do_every_set, finish, onboard, start, token

EMAIL = "ana@example.com"


@pytest.fixture
def trained(app: App, monkeypatch: pytest.MonkeyPatch) -> App:
    # Batches of 2 rows and chunks of 500 characters, so a short history crosses many of both.
    monkeypatch.setattr(export, "_BATCH", 2)
    monkeypatch.setattr(export, "_CHUNK", 500)
    client = onboard(app, EMAIL)
    for _ in range(3):
        app.clock.at += dt.timedelta(days=2)
        session = start(client)
        do_every_set(app, client, session)
        finish(client, session)
        checkin(client, session, morning=2)
    return app


def test_the_streamed_export_is_the_whole_document_byte_for_byte(trained: App) -> None:
    app = trained
    person = app.query(select(User.id).where(User.email == EMAIL))
    with app.database.unit_of_work() as uow:
        whole = export.export_json(
            uow=uow, principal=Principal(person), person_id=person, now=app.clock.at
        )
    with app.database.unit_of_work() as uow:
        chunks = list(
            export.export_json_stream(
                uow=uow, principal=Principal(person), person_id=person, now=app.clock.at
            )
        )
    assert len(chunks) > 3
    assert b"".join(chunks) == whole
    assert app.query(select(func.count(AuditEvent.id)).where(AuditEvent.what == "export")) == 2


# The response's streaming is the web's, the same on both databases.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_download_streams_the_same_document(trained: App) -> None:
    app = trained
    client = app.client()
    page = client.get("/login")

    client.post(
        "/login", data={"email": EMAIL, "password": PASSWORD, "csrftoken": token(page.text)}
    )
    person = app.query(select(User.id).where(User.email == EMAIL))
    download = client.get("/account/export.json")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "content-length" not in download.headers  # sent as it is read
    with app.database.unit_of_work() as uow:
        whole = export.export_json(
            uow=uow, principal=Principal(person), person_id=person, now=app.clock.at
        )
    assert download.content == whole
