"""One authorization check and the audit log: a person reaches only their own data; whoever
else asks is refused and written down; exports and account changes are written down; a
person's everyday reads and writes are not. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backcoach.services import calendar, export
from backcoach.services.access import (
    Action,
    Channel,
    Principal,
    Role,
    audit_log,
    authorize,
    can,
)
from backcoach.services.errors import Forbidden
from backcoach.store.tables import AuditEvent, User
from tests.integration.by_services import onboarded, onboarded_and_logged_in
from tests.training_app import PASSWORD, App, save, start, token


def _id(app: App, email: str) -> int:
    return int(app.query(select(User.id).where(User.email == email)))


def _events(app: App) -> list[tuple[int | None, int, str, str, bool]]:
    with app.database.unit_of_work() as uow:
        rows = uow.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(r.actor_id, r.subject_id, r.action, r.what, r.allowed) for r in rows]


def test_a_person_reaches_their_own_data_and_nobody_elses(app: App) -> None:
    ana, sam = onboarded(app), onboarded(app, "sam@example.com")
    with app.database.unit_of_work() as uow:
        for action in Action:
            assert can(uow, Principal(ana), action, ana)
            assert not can(uow, Principal(ana), action, sam)
        # Without a link to the client (tests/integration/test_authorization_matrix.py has the
        # linked cases), no role reaches anyone else's data: an admin manages accounts only.
        for role in (Role.COACH, Role.ADMIN):
            assert not can(uow, Principal(sam, role), Action.READ, ana)


def test_someone_else_asking_is_refused_and_written_down_even_when_rolled_back(
    app: App,
) -> None:
    ana, sam = onboarded(app), onboarded(app, "sam@example.com")
    with app.database.unit_of_work() as uow, pytest.raises(Forbidden) as refused:
        export.export_json(
            uow=uow, principal=Principal(sam, channel=Channel.API), person_id=ana, now=app.clock.at
        )
    assert refused.value.code == "access.forbidden"
    assert _events(app) == [(sam, ana, "export", "export", False)]
    with app.database.unit_of_work() as uow, pytest.raises(Forbidden):
        audit_log(uow=uow, principal=Principal(sam), subject_id=ana)


def test_exports_and_account_changes_are_written_down_and_shown_to_the_person(
    app: App,
) -> None:
    client = onboarded_and_logged_in(app)
    assert client.get("/account/export.json").status_code == 200
    assert client.get("/account/export.zip").status_code == 200
    page = client.get("/schedule")
    client.post("/schedule/calendar-address", data={"csrftoken": token(page.text)})
    page = client.get("/account")
    form = {"current_password": PASSWORD, "new_password": "a new long password"}
    changed = client.post("/account/password", data={**form, "csrftoken": token(page.text)})
    assert changed.status_code == 200
    ana = _id(app, "ana@example.com")
    assert [(what, allowed) for _, _, _, what, allowed in _events(app)] == [
        ("export", True),
        ("export", True),
        ("calendar_address", True),
        ("password", True),
    ]
    shown = client.get("/account").text
    assert "Who has seen or changed your data" in shown
    for words in ("downloaded all the data", "made a new calendar address", "changed the password"):
        assert words in shown
    with app.database.unit_of_work() as uow:
        entries = audit_log(uow=uow, principal=Principal(ana), subject_id=ana)
    assert entries[0].what == "password"  # newest first


def test_a_persons_everyday_reads_and_writes_are_not_logged(app: App) -> None:
    client = onboarded_and_logged_in(app)
    session_id = start(client)
    save(client, session_id, "clam", 1, 10)
    for page in ("/today", "/progress", "/schedule", f"/session/{session_id}"):
        assert client.get(page).status_code == 200
    assert _events(app) == []
    assert "Nothing yet: nobody else has seen your data." in client.get("/account").text


def test_the_audit_log_goes_with_the_account(app: App) -> None:
    ana = onboarded(app)
    with app.database.unit_of_work() as uow:
        calendar.rotate_token(uow=uow, principal=Principal(ana), person_id=ana, now=app.clock.at)
        authorize(uow, Principal(ana), Action.EXPORT, ana, what="export", now=app.clock.at)
        uow.commit()
        uow.session.delete(uow.session.get_one(User, ana))
        uow.commit()
    assert app.query(select(func.count(AuditEvent.id))) == 0
