"""Coaching's rules, driven through the services: single-use expiring invitations the client
agrees to, either side ending a link (after which the coach reaches nothing), practice
colleagues, an admin who moves clients but reads no health data, and every coach's read in the
client's audit log. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from backcoach.services import access, coaching, training
from backcoach.services.access import Principal, Role
from backcoach.services.coaching import INVITE_DAYS, OPERATOR, SHARED
from backcoach.services.errors import Conflict, Forbidden, NotFound, ServiceError
from backcoach.store.tables import AuditEvent, CoachLink, Practice
from tests.integration.coaching_steps import Cast, accept, cast, client, coach, invite, person
from tests.training_app import App


def _reads_program(app: App, who: Principal, of: Principal) -> bool:
    with app.database.unit_of_work() as uow:
        try:
            training.current_program(uow=uow, principal=who, person_id=of.user_id, now=app.clock.at)
        except Forbidden:
            return False
    return True


def _refused(code: str, error: pytest.ExceptionInfo[ServiceError]) -> None:
    assert error.value.code == code


def _end(app: App, who: Principal, link_id: int) -> None:
    with app.database.unit_of_work() as uow:
        coaching.end_link(uow=uow, principal=who, link_id=link_id, now=app.clock.at)


def test_an_invitation_opens_one_link_and_is_used_up(app: App) -> None:
    mine, ana, bo = coach(app, "coach@example.com"), client(app, "a@x.org"), client(app, "b@x.org")
    token = invite(app, mine)
    assert not _reads_program(app, mine, ana)
    link = accept(app, ana, token)
    assert (link.coach_email, link.client_email, link.shared) == (
        "coach@example.com",
        "a@x.org",
        SHARED,
    )
    assert _reads_program(app, mine, ana)
    with pytest.raises(Conflict) as used:
        accept(app, bo, token)
    _refused("invite.used", used)
    assert not _reads_program(app, mine, bo)


def test_an_invitation_expires_after_seven_days(app: App) -> None:
    mine, ana = coach(app, "coach@example.com"), client(app, "a@x.org")
    token, late = invite(app, mine), invite(app, mine)
    app.clock.at += dt.timedelta(days=INVITE_DAYS) - dt.timedelta(seconds=1)
    accept(app, ana, token)
    _end(app, ana, _open_link(app, ana))
    app.clock.at += dt.timedelta(seconds=1)
    with pytest.raises(Conflict) as expired:
        accept(app, ana, late)
    _refused("invite.expired", expired)


def test_unknown_own_and_not_a_clients_invitations_are_refused(app: App) -> None:
    mine, other = coach(app, "coach@example.com"), coach(app, "other@example.com")
    admin = person(app, "admin@example.com", Role.ADMIN)
    token = invite(app, mine)
    for who, code in (
        (mine, "invite.own"),
        (other, "invite.not_a_client"),
        (admin, "invite.not_a_client"),
    ):
        with pytest.raises(Conflict) as refused:
            accept(app, who, token)
        _refused(code, refused)
    ana = client(app, "a@x.org")
    with pytest.raises(NotFound) as unknown:
        accept(app, ana, "not-a-token")
    _refused("invite.unknown", unknown)
    with app.database.unit_of_work() as uow:
        preview = coaching.preview_invite(uow=uow, principal=ana, token=token, now=app.clock.at)
    assert (preview.coach_email, preview.practice_name, preview.shared) == (
        "coach@example.com",
        None,
        SHARED,
    )
    assert preview.current_coach_email is None


def test_a_client_with_a_coach_stops_sharing_before_accepting_another(app: App) -> None:
    people = cast(app)
    token = invite(app, people.other_coach)
    with app.database.unit_of_work() as uow:
        preview = coaching.preview_invite(
            uow=uow, principal=people.client_a, token=token, now=app.clock.at
        )
    assert preview.current_coach_email == "coach@example.com"
    with pytest.raises(Conflict) as open_already:
        accept(app, people.client_a, token)
    _refused("link.already_open", open_already)
    _end(app, people.client_a, people.link_id)
    accept(app, people.client_a, token)  # the invitation was not used up by the refusal
    assert _reads_program(app, people.other_coach, people.client_a)
    assert not _reads_program(app, people.coach, people.client_a)


@pytest.mark.parametrize("ended_by", ["client", "coach"])
def test_after_a_link_ends_the_coach_and_the_practice_reach_nothing(
    app: App, ended_by: str
) -> None:
    people = cast(app)
    assert _reads_program(app, people.coach, people.client_a)
    assert _reads_program(app, people.colleague, people.client_a)
    _end(app, people.client_a if ended_by == "client" else people.coach, people.link_id)
    assert not _reads_program(app, people.coach, people.client_a)
    assert not _reads_program(app, people.colleague, people.client_a)
    with app.database.unit_of_work() as uow:
        assert (
            coaching.my_coach(
                uow=uow,
                principal=people.client_a,
                person_id=people.client_a.user_id,
                now=app.clock.at,
            )
            is None
        )
        assert coaching.list_clients(uow=uow, principal=people.coach, now=app.clock.at).mine == ()


def test_only_the_two_sides_or_an_admin_end_a_link(app: App) -> None:
    people = cast(app)
    for stranger in (people.client_b, people.other_coach, people.colleague):
        with pytest.raises(NotFound) as refused:
            _end(app, stranger, people.link_id)
        _refused("link.not_found", refused)
    _end(app, people.admin, people.link_id)
    assert not _reads_program(app, people.coach, people.client_a)


def test_a_colleague_of_the_practice_reaches_the_client_and_another_coach_does_not(
    app: App,
) -> None:
    people = cast(app)
    assert _reads_program(app, people.colleague, people.client_a)
    assert not _reads_program(app, people.other_coach, people.client_a)
    assert not _reads_program(app, people.coach, people.client_b)
    with app.database.unit_of_work() as uow:
        colleague = coaching.list_clients(uow=uow, principal=people.colleague, now=app.clock.at)
        other = coaching.list_clients(uow=uow, principal=people.other_coach, now=app.clock.at)
        mine = coaching.list_clients(uow=uow, principal=people.coach, now=app.clock.at)
    assert colleague.mine == () and [link.client_email for link in colleague.practice] == [
        "ana@example.com"
    ]
    assert other == coaching.Clients((), ())
    assert [link.client_email for link in mine.mine] == ["ana@example.com"]


def test_an_admin_reads_no_health_data_and_moves_a_client(app: App) -> None:
    people = cast(app)
    assert not _reads_program(app, people.admin, people.client_a)
    with app.database.unit_of_work() as uow:
        moved = coaching.move_client(
            uow=uow,
            principal=people.admin,
            client_email="ana@example.com",
            coach_email="other@example.com",
            now=app.clock.at,
        )
    assert moved.coach_email == "other@example.com"
    assert _reads_program(app, people.other_coach, people.client_a)
    assert not _reads_program(app, people.coach, people.client_a)
    assert not _reads_program(app, people.admin, people.client_a)
    with app.database.unit_of_work() as uow:
        links = uow.session.scalars(select(CoachLink).order_by(CoachLink.id)).all()
        assert [(link.coach_id, link.ended_at is None) for link in links] == [
            (people.coach.user_id, False),
            (people.other_coach.user_id, True),
        ]
        moves = uow.session.scalars(
            select(AuditEvent).where(
                AuditEvent.what == "coach_link", AuditEvent.actor_id == people.admin.user_id
            )
        ).all()
        assert [(e.subject_id, e.allowed) for e in moves] == [(people.client_a.user_id, True)]
        with pytest.raises(Conflict) as same:
            coaching.move_client(
                uow=uow,
                principal=OPERATOR,
                client_email="ana@example.com",
                coach_email="other@example.com",
                now=app.clock.at,
            )
        _refused("link.same_coach", same)
        with pytest.raises(Forbidden) as not_admin:
            coaching.move_client(
                uow=uow,
                principal=people.coach,
                client_email="ana@example.com",
                coach_email="coach@example.com",
                now=app.clock.at,
            )
        _refused("coaching.admin_only", not_admin)


def test_every_read_by_a_coach_is_in_the_clients_audit_log_with_their_email(app: App) -> None:
    people = cast(app)
    assert _reads_program(app, people.coach, people.client_a)
    assert not _reads_program(app, people.other_coach, people.client_a)
    with app.database.unit_of_work() as uow:
        entries = access.audit_log(
            uow=uow, principal=people.client_a, subject_id=people.client_a.user_id
        )
    assert [(e.actor_email, e.what, e.allowed) for e in entries[:2]] == [
        ("other@example.com", "program", False),
        ("coach@example.com", "program", True),
    ]


def test_a_client_sees_their_coach_and_what_is_shared(app: App) -> None:
    people = cast(app)
    with app.database.unit_of_work() as uow:
        link = coaching.my_coach(
            uow=uow, principal=people.client_a, person_id=people.client_a.user_id, now=app.clock.at
        )
    assert link is not None
    assert (link.coach_email, link.started_at, link.shared) == (
        "coach@example.com",
        app.clock.at,
        SHARED,
    )


def test_coaches_are_made_by_an_admin_only(app: App) -> None:
    ana = person(app, "ana@example.com")
    admin = person(app, "admin@example.com", Role.ADMIN)
    with app.database.unit_of_work() as uow:
        with pytest.raises(Forbidden) as refused:
            coaching.add_coach(
                uow=uow,
                principal=ana,
                email="ana@example.com",
                password_hash=None,
                now=app.clock.at,
            )
        _refused("coaching.admin_only", refused)
        with pytest.raises(NotFound) as unknown:
            coaching.add_coach(
                uow=uow,
                principal=OPERATOR,
                email="new@example.com",
                password_hash=None,
                now=app.clock.at,
            )
        _refused("account.unknown", unknown)
        with pytest.raises(Conflict) as is_admin:
            coaching.add_coach(
                uow=uow,
                principal=OPERATOR,
                email="admin@example.com",
                password_hash=None,
                now=app.clock.at,
            )
        _refused("coach.is_admin", is_admin)
        assert not coaching.add_coach(
            uow=uow, principal=admin, email=" ANA@example.com", password_hash=None, now=app.clock.at
        )
    token = invite(app, Principal(ana.user_id, Role.COACH))
    assert token


def test_a_coach_joins_a_practice_by_its_code_and_the_names_are_unique(app: App) -> None:
    mine = coach(app, "coach@example.com")
    with app.database.unit_of_work() as uow:
        practice = coaching.create_practice(
            uow=uow, principal=OPERATOR, name="  Back   Clinic ", now=app.clock.at
        )
        assert practice.name == "Back Clinic"
        with pytest.raises(Conflict) as taken:
            coaching.create_practice(
                uow=uow, principal=OPERATOR, name="Back Clinic", now=app.clock.at
            )
        _refused("practice.name_taken", taken)
        with pytest.raises(NotFound) as by_name:  # a name is for an admin; a coach uses the code
            coaching.join_practice(
                uow=uow,
                principal=mine,
                coach_email="coach@example.com",
                code_or_name="Back Clinic",
                now=app.clock.at,
            )
        _refused("practice.unknown", by_name)
        joined = coaching.join_practice(
            uow=uow,
            principal=mine,
            coach_email="coach@example.com",
            code_or_name=practice.join_code.lower(),
            now=app.clock.at,
        )
        assert joined == practice


def _open_link(app: App, who: Principal) -> int:
    return int(
        app.query(
            select(CoachLink.id).where(
                CoachLink.client_id == who.user_id, CoachLink.ended_at.is_(None)
            )
        )
    )


def test_the_cast_is_what_the_other_tests_assume(app: App) -> None:
    people: Cast = cast(app)
    assert _open_link(app, people.client_a) == people.link_id
    assert len({p.user_id for p in people.everyone().values()}) == 6


def test_a_client_joins_a_coach_of_the_practice_whose_code_they_enter(app: App) -> None:
    people = cast(app)
    with app.database.unit_of_work() as uow:
        code = uow.session.scalars(select(Practice.join_code)).one()
        preview = coaching.preview_practice(
            uow=uow, principal=people.client_b, code=f" {code.lower()} ", now=app.clock.at
        )
        assert (preview.name, preview.coach_emails, preview.shared) == (
            "Back Clinic",
            ("coach@example.com", "colleague@example.com"),
            SHARED,
        )
        with pytest.raises(NotFound) as outside:  # a coach of another practice is no choice
            coaching.join_by_code(
                uow=uow,
                principal=people.client_b,
                person_id=people.client_b.user_id,
                code=code,
                coach_email="other@example.com",
                now=app.clock.at,
            )
        _refused("coach.unknown", outside)
        with pytest.raises(NotFound) as wrong:
            coaching.preview_practice(uow=uow, principal=people.client_b, code="", now=app.clock.at)
        _refused("practice.unknown", wrong)
        with pytest.raises(Conflict) as linked:
            coaching.join_by_code(
                uow=uow,
                principal=people.client_a,
                person_id=people.client_a.user_id,
                code=code,
                coach_email="colleague@example.com",
                now=app.clock.at,
            )
        _refused("link.already_open", linked)
        link = coaching.join_by_code(
            uow=uow,
            principal=people.client_b,
            person_id=people.client_b.user_id,
            code=code,
            coach_email="colleague@example.com",
            now=app.clock.at,
        )
    assert link.coach_email == "colleague@example.com"
    assert _reads_program(app, people.colleague, people.client_b)
    assert _reads_program(app, people.coach, people.client_b)  # the practice shares its clients
    assert not _reads_program(app, people.other_coach, people.client_b)
