"""Password reset links: asked for on the login page ("Forgot your password?") and sent by
email, or made by an admin (`backcoach user reset-link EMAIL`) where no email is sent.

A link is single-use, lasts `LINK_LIFETIME`, and is kept only as the hash of its token. It also
stops working once the password changes by any means (the row keeps a digest of the password
hash it was made under). Asking for a link answers the same whether or not the email has an
account; the caller sends the email after answering, so the time taken says nothing either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update

from backcoach.services import accounts
from backcoach.services.access import Principal, Role
from backcoach.services.errors import Forbidden, Invalid, NotFound
from backcoach.services.mail import Email
from backcoach.store.api_tables import ApiToken
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import AuthSession, LoginAttempt, PasswordReset, User
from backcoach.wording.i18n import gettext
from backcoach.wording.sign_in_words import RESET_BODY, RESET_SUBJECT

LINK_LIFETIME = dt.timedelta(hours=1)
#: Links of one account that may be live at once: asking again and again mails no one more.
LIVE_LINKS = 3
#: The path of the page a link opens (the token follows it).
RESET_PATH = "/reset/"


@dataclass(frozen=True, slots=True)
class ResetLink:
    """A link just made: its token is shown (or mailed) once and kept nowhere."""

    email: str
    token: str
    expires_at: dt.datetime

    def address(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}{RESET_PATH}{self.token}"

    def email_to_send(self, base_url: str) -> Email:
        body = gettext(RESET_BODY).format(link=self.address(base_url))
        return Email(to=self.email, subject=gettext(RESET_SUBJECT), body=body)


def request_link(*, uow: UnitOfWork, email: str, now: dt.datetime) -> ResetLink | None:
    """A new link for the account with ``email``; None when there is none (or it already has
    `LIVE_LINKS` live ones). The caller answers the same either way."""
    token = secrets.token_urlsafe(32)  # made either way, so both answers do the same work
    user = uow.session.scalar(select(User).where(User.email == accounts.normalise_email(email)))
    if user is None:
        return None
    live = uow.session.scalar(
        select(func.count(PasswordReset.id)).where(
            PasswordReset.user_id == user.id,
            PasswordReset.used_at.is_(None),
            PasswordReset.expires_at > now,
            PasswordReset.password_digest == _hash(user.password_hash),
        )
    )
    if live is not None and live >= LIVE_LINKS:
        return None
    return _new_link(uow, user, token, now)


def make_link(*, uow: UnitOfWork, principal: Principal, email: str, now: dt.datetime) -> ResetLink:
    """A link for the account with ``email``, made by the server's operator (the command line):
    they may learn whether an account exists."""
    if principal.role is not Role.ADMIN:
        raise Forbidden("access.forbidden", what="account")
    user = uow.session.scalar(select(User).where(User.email == accounts.normalise_email(email)))
    if user is None:
        raise NotFound("password_reset.not_found", field="email")
    return _new_link(uow, user, secrets.token_urlsafe(32), now)


def link_works(*, uow: UnitOfWork, token: str, now: dt.datetime) -> bool:
    """Whether the reset page may offer a new password for this link."""
    return _live(uow, token, now) is not None


def reset_password(*, uow: UnitOfWork, token: str, new_password: str, now: dt.datetime) -> str:
    """Set the new password through a live link; returns the account's email.

    As a password change does (accounts.change_password), every login of the person ends, their
    API tokens are revoked and their calendar address changes: whoever knew the old password
    may have made or shared any of them. Every link of theirs stops working.
    """
    found = _live(uow, token, now)
    if found is None:
        raise Invalid("password_reset.bad_link", field="form")
    link, user = found
    accounts.check_password_rules(new_password, "new_password")
    # Claimed in one statement before anything changes: of two requests sent at once with the
    # same link, only the one whose update finds it still unused goes on.
    claimed = uow.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == link.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        uow.session.rollback()
        raise Invalid("password_reset.bad_link", field="form")
    user.password_hash = accounts.hash_password(new_password)
    user.calendar_token = secrets.token_urlsafe(32)
    void_links(uow, user_id=user.id, now=now)
    uow.session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))
    uow.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    # Whoever reads the mailbox is the owner: the strangers' failures no longer slow them.
    uow.session.execute(delete(LoginAttempt).where(LoginAttempt.email == user.email))
    uow.commit()
    return user.email


def void_links(uow: UnitOfWork, *, user_id: int, now: dt.datetime) -> None:
    """Every live link of the person stops working (the caller commits): their password or the
    email the links were sent to has changed."""
    uow.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )


def _new_link(uow: UnitOfWork, user: User, token: str, now: dt.datetime) -> ResetLink:
    # Used, expired and voided links of this person are of no more use: keep the table small.
    digest = _hash(user.password_hash)
    uow.session.execute(
        delete(PasswordReset).where(
            PasswordReset.user_id == user.id,
            PasswordReset.used_at.is_not(None)
            | (PasswordReset.expires_at <= now)
            | (PasswordReset.password_digest != digest),
        )
    )
    expires_at = now + LINK_LIFETIME
    uow.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=_hash(token),
            password_digest=digest,
            created_at=now,
            expires_at=expires_at,
        )
    )
    uow.commit()
    return ResetLink(user.email, token, expires_at)


def _live(uow: UnitOfWork, token: str, now: dt.datetime) -> tuple[PasswordReset, User] | None:
    if not 16 <= len(token) <= 64:
        return None
    found = uow.session.execute(
        select(PasswordReset, User)
        .join(User, User.id == PasswordReset.user_id)
        .where(PasswordReset.token_hash == _hash(token))
    ).first()
    if found is None:
        return None
    link, user = found
    if link.used_at is not None or link.expires_at <= now:
        return None
    if link.password_digest != _hash(user.password_hash):  # changed since the link was made
        return None
    return link, user


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
