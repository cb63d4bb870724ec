"""Coaches and their clients: coach accounts, practices, invitations and the links they open.

A client shares their data with a coach only through an open `CoachLink`, which they open
themselves by accepting a coach's invitation (single use, expiring after `INVITE_DAYS`) and
either side can end. `access.can` reads the links: a coach reaches the clients linked to them or
to a colleague of their practice, and nothing once a link has ended. An admin (the server's
operator at the command line: `OPERATOR`) makes coaches and practices and moves a client from
one coach to another, but reads no health data.

A client may also enter a practice's code and choose one of its coaches (`join_by_code`): the
practice's coaches share their clients, so the code stands for them all.

A client already linked to a coach who accepts another invitation is refused
(``link.already_open``): they stop sharing first (on their account page), so that moving on
from a coach is always a choice they make, never a side effect of a link someone sent them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from backcoach.services import attention, overrides
from backcoach.services.access import (
    MAX_ID,
    Action,
    Channel,
    Principal,
    Role,
    authorize,
    record,
)
from backcoach.services.errors import Conflict, Forbidden, Invalid, NotFound
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import CoachInvite, CoachLink, Practice, User

#: Days an invitation can be accepted in.
INVITE_DAYS = 7
#: What a client shares with a linked coach, as codes (wording/coaching_words.py says them):
#: everything of their health data; never the account itself (password, exports, deleting).
SHARED = (
    "program",
    "sessions",
    "check_ins",
    "measures",
    "screenings",
    "tight_moments",
    "progress",
    "schedule",
)
#: Who acts for an admin command run on the server (no account: whoever holds the machine).
OPERATOR = Principal(0, Role.ADMIN, Channel.CLI)


@dataclass(frozen=True, slots=True)
class PracticeView:
    id: int
    name: str
    join_code: str


@dataclass(frozen=True, slots=True)
class Invite:
    """An invitation just made: its token is shown this once (only its hash is kept)."""

    token: str
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class InvitePreview:
    """What a client is asked to agree to: who the coach is, and exactly what is shared."""

    coach_email: str
    practice_name: str | None
    shared: tuple[str, ...]
    expires_at: dt.datetime
    #: The email of the coach the client shares with now, who must be let go of first.
    current_coach_email: str | None


@dataclass(frozen=True, slots=True)
class Link:
    """A coach and a client sharing: since when, what, and when it ended (None: still open)."""

    id: int
    coach_id: int
    coach_email: str
    client_id: int
    client_email: str
    started_at: dt.datetime
    shared: tuple[str, ...]
    ended_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Clients:
    """A coach's open links, and those of the colleagues of their practice."""

    mine: tuple[Link, ...]
    practice: tuple[Link, ...]


# --- accounts and practices (an admin) ------------------------------------------------------


def add_coach(
    *,
    uow: UnitOfWork,
    principal: Principal,
    email: str,
    password_hash: str | None,
    now: dt.datetime,
) -> bool:
    """Make ``email`` a coach: a new account with ``password_hash``, or an existing person's
    promoted. True when the account is new."""
    _require(principal, Role.ADMIN)
    email = email.strip().lower()
    user = uow.session.scalar(select(User).where(User.email == email))
    if user is None:
        if password_hash is None:
            raise NotFound("account.unknown", field="email")
        uow.session.add(
            User(
                email=email,
                password_hash=password_hash,
                created_at=now,
                calendar_token=secrets.token_urlsafe(32),
                role=Role.COACH.value,
            )
        )
        uow.commit()
        return True
    if user.role == Role.ADMIN.value:
        raise Conflict("coach.is_admin", field="email")
    if uow.session.scalar(_open_link_of(user.id)) is not None:
        raise Conflict("coach.is_client", field="email")  # end their own coaching first
    user.role = Role.COACH.value
    uow.commit()
    return False


def account_exists(*, uow: UnitOfWork, principal: Principal, email: str) -> bool:
    """Whether an account has this email (for the admin command, to ask for a password)."""
    _require(principal, Role.ADMIN)
    found = uow.session.scalar(select(User.id).where(User.email == email.strip().lower()))
    return found is not None


def create_practice(
    *, uow: UnitOfWork, principal: Principal, name: str, now: dt.datetime
) -> PracticeView:
    """A new practice, with the code its coaches join it by."""
    _require(principal, Role.ADMIN)
    name = " ".join(name.split())
    if not name:
        raise Invalid("practice.name_missing", field="name")
    if len(name) > 120:
        raise Invalid("practice.name_too_long", field="name", max=120)
    practice = Practice(name=name, join_code=secrets.token_hex(4).upper(), created_at=now)
    uow.session.add(practice)
    try:
        uow.commit()
    except IntegrityError:
        uow.session.rollback()
        raise Conflict("practice.name_taken", field="name") from None
    return PracticeView(practice.id, practice.name, practice.join_code)


def join_practice(
    *, uow: UnitOfWork, principal: Principal, coach_email: str, code_or_name: str, now: dt.datetime
) -> PracticeView:
    """Put a coach in a practice found by its code (or, for an admin, its name)."""
    coach = _coach_by_email(uow, coach_email)
    if principal.role is not Role.ADMIN and principal.user_id != coach.id:
        raise Forbidden("coaching.admin_only")
    wanted = code_or_name.strip()
    found_by = [Practice.join_code == wanted.upper()]
    if principal.role is Role.ADMIN:  # a coach joins by the code they were given, not a name
        found_by.append(Practice.name == wanted)
    practice = uow.session.scalar(select(Practice).where(or_(*found_by)).limit(1))
    if practice is None:
        raise NotFound("practice.unknown", field="code")
    coach.practice_id = practice.id
    uow.commit()
    return PracticeView(practice.id, practice.name, practice.join_code)


# --- invitations (a coach asks, a client agrees) --------------------------------------------


def create_invite(*, uow: UnitOfWork, principal: Principal, now: dt.datetime) -> Invite:
    """A single-use invitation from this coach, valid for `INVITE_DAYS`."""
    _require(principal, Role.COACH)
    token = secrets.token_urlsafe(24)
    expires_at = now + dt.timedelta(days=INVITE_DAYS)
    uow.session.add(
        CoachInvite(
            coach_id=principal.user_id,
            token_hash=_token_hash(token),
            created_at=now,
            expires_at=expires_at,
        )
    )
    uow.commit()
    return Invite(token, expires_at)


def preview_invite(
    *, uow: UnitOfWork, principal: Principal, token: str, now: dt.datetime
) -> InvitePreview:
    """Who invites and what would be shared, before the client agrees (refused as `accept`)."""
    invite = _usable_invite(uow, principal, token, now)
    coach = uow.session.get_one(User, invite.coach_id)
    practice = uow.session.get(Practice, coach.practice_id) if coach.practice_id else None
    current = uow.session.scalar(_open_link_of(principal.user_id))
    current_email = uow.session.get_one(User, current.coach_id).email if current else None
    return InvitePreview(
        coach.email, practice.name if practice else None, SHARED, invite.expires_at, current_email
    )


def accept_invite(
    *, uow: UnitOfWork, principal: Principal, person_id: int, token: str, now: dt.datetime
) -> Link:
    """The client agrees: the invitation is used up and their link to the coach opens."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="coach_link", now=now)
    invite = _usable_invite(uow, principal, token, now)
    if uow.session.scalar(_open_link_of(person_id)) is not None:
        raise Conflict("link.already_open")
    invite.used_at, invite.used_by_id = now, person_id
    link = CoachLink(
        coach_id=invite.coach_id, client_id=person_id, started_at=now, shared=list(SHARED)
    )
    uow.session.add(link)
    try:
        attention.refresh_if_coached(uow, person_id=person_id, today=None, now=now)
        uow.commit()
    except IntegrityError:  # the same client accepting twice at the same moment: one link
        uow.session.rollback()
        raise Conflict("link.already_open") from None
    return _link_view(uow, link)


# --- a practice's code (a client joins a practice's coach) -----------------------------------


@dataclass(frozen=True, slots=True)
class PracticePreview:
    """What a client entering a practice's code is asked to agree to: the practice, the coaches
    to choose from, and exactly what is shared."""

    name: str
    coach_emails: tuple[str, ...]
    shared: tuple[str, ...]
    current_coach_email: str | None


def preview_practice(
    *, uow: UnitOfWork, principal: Principal, code: str, now: dt.datetime
) -> PracticePreview:
    """The practice a code names and its coaches (refused as `join_by_code`)."""
    practice = _practice_for_client(uow, principal, code)
    coaches = uow.session.scalars(
        select(User.email)
        .where(User.practice_id == practice.id, User.role == Role.COACH.value)
        .order_by(User.email)
    ).all()
    if not coaches:
        raise Conflict("practice.no_coach", field="code")
    current = uow.session.scalar(_open_link_of(principal.user_id))
    current_email = uow.session.get_one(User, current.coach_id).email if current else None
    return PracticePreview(practice.name, tuple(coaches), SHARED, current_email)


def join_by_code(
    *,
    uow: UnitOfWork,
    principal: Principal,
    person_id: int,
    code: str,
    coach_email: str,
    now: dt.datetime,
) -> Link:
    """The client agrees to share with a coach of the practice whose code they entered."""
    authorize(uow, principal, Action.ACCOUNT, person_id, what="coach_link", now=now)
    practice = _practice_for_client(uow, principal, code)
    coach = uow.session.scalar(select(User).where(User.email == coach_email.strip().lower()))
    if coach is None or coach.role != Role.COACH.value or coach.practice_id != practice.id:
        raise NotFound("coach.unknown", field="coach_email")
    if uow.session.scalar(_open_link_of(person_id)) is not None:
        raise Conflict("link.already_open")
    link = CoachLink(coach_id=coach.id, client_id=person_id, started_at=now, shared=list(SHARED))
    uow.session.add(link)
    try:
        attention.refresh_if_coached(uow, person_id=person_id, today=None, now=now)
        uow.commit()
    except IntegrityError:  # the same client agreeing twice at the same moment: one link
        uow.session.rollback()
        raise Conflict("link.already_open") from None
    return _link_view(uow, link)


def _practice_for_client(uow: UnitOfWork, principal: Principal, code: str) -> Practice:
    if principal.role is not Role.PERSON:
        raise Conflict("invite.not_a_client")
    wanted = code.strip().upper()
    practice = uow.session.scalar(select(Practice).where(Practice.join_code == wanted))
    if not wanted or practice is None:
        raise NotFound("practice.unknown", field="code")
    return practice


# --- links: ending, moving, listing ---------------------------------------------------------


def end_link(*, uow: UnitOfWork, principal: Principal, link_id: int, now: dt.datetime) -> None:
    """End a link: its client, its coach or an admin may; the coach sees nothing after."""
    link = uow.session.get(CoachLink, link_id) if 0 < link_id < MAX_ID else None
    may = link is not None and (
        principal.user_id in (link.client_id, link.coach_id) or principal.role is Role.ADMIN
    )
    if link is None or not may:
        raise NotFound("link.not_found")
    if link.ended_at is not None:
        return  # already ended: ending it again changes nothing
    link.ended_at, link.ended_by_id = now, principal.user_id or None
    # The coach's overrides end with the link: the program is the engine's again at once.
    overrides.release_overrides(uow=uow, client_id=link.client_id, since=link.started_at, now=now)
    record(uow, principal, Action.ACCOUNT, link.client_id, what="coach_link", now=now)
    uow.commit()


def move_client(
    *, uow: UnitOfWork, principal: Principal, client_email: str, coach_email: str, now: dt.datetime
) -> Link:
    """An admin moves a client to another coach: the open link ends, a new one opens with what
    the client agreed to share (all of `SHARED` if they had no coach), and both are audited."""
    _require(principal, Role.ADMIN)
    coach = _coach_by_email(uow, coach_email)
    client = uow.session.scalar(select(User).where(User.email == client_email.strip().lower()))
    if client is None or client.role != Role.PERSON.value:
        raise NotFound("account.unknown", field="client_email")
    old = uow.session.scalar(_open_link_of(client.id))
    if old is not None and old.coach_id == coach.id:
        raise Conflict("link.same_coach", field="coach_email")
    shared = list(old.shared) if old is not None else list(SHARED)
    if old is not None:
        old.ended_at, old.ended_by_id = now, principal.user_id or None
        uow.session.flush()  # the old link closes before the new one opens (one open each)
        overrides.release_overrides(uow=uow, client_id=client.id, since=old.started_at, now=now)
    link = CoachLink(coach_id=coach.id, client_id=client.id, started_at=now, shared=shared)
    uow.session.add(link)
    record(uow, principal, Action.ACCOUNT, client.id, what="coach_link", now=now)
    attention.refresh_if_coached(uow, person_id=client.id, today=None, now=now)
    uow.commit()
    return _link_view(uow, link)


def list_clients(*, uow: UnitOfWork, principal: Principal, now: dt.datetime) -> Clients:
    """A coach's open links, and their practice colleagues' (oldest first)."""
    _require(principal, Role.COACH)
    coach, client = aliased(User), aliased(User)
    my_practice = select(User.practice_id).where(User.id == principal.user_id).scalar_subquery()
    rows = uow.session.execute(
        select(CoachLink, coach.email, client.email)
        .join(coach, coach.id == CoachLink.coach_id)
        .join(client, client.id == CoachLink.client_id)
        .where(
            CoachLink.ended_at.is_(None),
            or_(CoachLink.coach_id == principal.user_id, coach.practice_id == my_practice),
        )
        .order_by(CoachLink.started_at, CoachLink.id)
    ).all()
    links = [_view(link, coach_email, client_email) for link, coach_email, client_email in rows]
    return Clients(
        tuple(link for link in links if link.coach_id == principal.user_id),
        tuple(link for link in links if link.coach_id != principal.user_id),
    )


def my_coach(
    *, uow: UnitOfWork, principal: Principal, person_id: int, now: dt.datetime
) -> Link | None:
    """The client's open link: who, since when, what is shared (None: no coach)."""
    authorize(uow, principal, Action.READ, person_id, what="coach_link", now=now)
    link = uow.session.scalar(_open_link_of(person_id))
    return _link_view(uow, link) if link is not None else None


# --- helpers ------------------------------------------------------------------------------


def _require(principal: Principal, role: Role) -> None:
    if principal.role is not role:
        raise Forbidden("coaching.admin_only" if role is Role.ADMIN else "coaching.coach_only")


def _coach_by_email(uow: UnitOfWork, email: str) -> User:
    coach = uow.session.scalar(select(User).where(User.email == email.strip().lower()))
    if coach is None or coach.role != Role.COACH.value:
        raise NotFound("coach.unknown", field="coach_email")
    return coach


def _usable_invite(
    uow: UnitOfWork, principal: Principal, token: str, now: dt.datetime
) -> CoachInvite:
    """The invitation this token opens, if this principal can accept it now."""
    invite = uow.session.scalar(
        select(CoachInvite).where(CoachInvite.token_hash == _token_hash(token))
    )
    if invite is None:
        raise NotFound("invite.unknown")
    if invite.used_at is not None:
        raise Conflict("invite.used")
    if invite.expires_at <= now:
        raise Conflict("invite.expired")
    if invite.coach_id == principal.user_id:
        raise Conflict("invite.own")
    if principal.role is not Role.PERSON:
        raise Conflict("invite.not_a_client")
    coach_role = uow.session.scalar(select(User.role).where(User.id == invite.coach_id))
    if coach_role != Role.COACH.value:  # the coach is no longer one
        raise Conflict("invite.expired")
    return invite


def _open_link_of(client_id: int) -> Select[CoachLink]:
    return select(CoachLink).where(CoachLink.client_id == client_id, CoachLink.ended_at.is_(None))


def _link_view(uow: UnitOfWork, link: CoachLink) -> Link:
    coach = uow.session.get_one(User, link.coach_id)
    client = uow.session.get_one(User, link.client_id)
    return _view(link, coach.email, client.email)


def _view(link: CoachLink, coach_email: str, client_email: str) -> Link:
    return Link(
        link.id,
        link.coach_id,
        coach_email,
        link.client_id,
        client_email,
        link.started_at,
        tuple(str(code) for code in link.shared),
        link.ended_at,
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
