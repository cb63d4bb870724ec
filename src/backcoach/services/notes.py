"""A coach's private notes about a client: written and read by the coaches who look after the
client (an open link to them or to a colleague of their practice, `access.authorize`), never by
the client (not on any page, not in their export).

Which notes a coach reads: those written since the client's current link opened, and their own
and their practice's from before (a client who comes back, or moves within the practice, keeps
their notes); a coach of another practice the client moves to starts a fresh page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from backcoach.services.access import Action, Principal, Role, authorize
from backcoach.services.errors import Forbidden, Invalid
from backcoach.store.care_tables import CoachNote
from backcoach.store.db import UnitOfWork
from backcoach.store.tables import CoachLink, User

#: The longest note, in characters.
MAX_CHARS = 4000
#: Notes a page shows at once; older ones a page further back.
PAGE = 50
#: Control characters other than tab and line breaks: never typed, and NUL breaks PostgreSQL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class NoteView:
    id: int
    at: dt.datetime
    text: str
    #: Whose account wrote it (None when that account is gone).
    author_id: int | None
    #: Who wrote it (their display name, else email); None when that account is gone.
    author: str | None


@dataclass(frozen=True, slots=True)
class Notes:
    """A client's notes as their coach reads them, newest first (at most `PAGE`)."""

    client_id: int
    client_name: str
    notes: tuple[NoteView, ...]
    #: The id to ask for older notes with (`before`); None when these are the oldest.
    older: int | None


def add_note(
    *, uow: UnitOfWork, principal: Principal, client_id: int, text: str, now: dt.datetime
) -> NoteView:
    """Keep a private note about the client (a coach who looks after them)."""
    authorize(uow, principal, Action.WRITE, client_id, what="notes", now=now)
    _coach_only(principal, client_id)
    kept, problem = plain_text(text, MAX_CHARS)
    if problem == "blank":
        raise Invalid("note.blank", field="text")
    if problem == "bad_characters":
        raise Invalid("note.bad_characters", field="text")
    if problem == "too_long":
        raise Invalid("note.too_long", field="text", max=MAX_CHARS, length=len(kept))
    note = CoachNote(client_id=client_id, author_id=principal.user_id, at=now, text=kept)
    uow.session.add(note)
    uow.commit()
    return NoteView(note.id, now, kept, principal.user_id, None)


def list_notes(
    *,
    uow: UnitOfWork,
    principal: Principal,
    client_id: int,
    now: dt.datetime,
    before: int | None = None,
) -> Notes:
    """The client's notes this coach reads, newest first, with who wrote each."""
    authorize(uow, principal, Action.READ, client_id, what="notes", now=now)
    _coach_only(principal, client_id)
    author = aliased(User)
    my_practice = select(User.practice_id).where(User.id == principal.user_id).scalar_subquery()
    since = (
        select(CoachLink.started_at)
        .where(CoachLink.client_id == client_id, CoachLink.ended_at.is_(None))
        .scalar_subquery()
    )
    query = (
        select(CoachNote, author.display_name, author.email)
        .outerjoin(author, author.id == CoachNote.author_id)
        .where(
            CoachNote.client_id == client_id,
            or_(
                CoachNote.at >= since,
                CoachNote.author_id == principal.user_id,
                and_(author.practice_id.is_not(None), author.practice_id == my_practice),
            ),
        )
        .order_by(CoachNote.at.desc(), CoachNote.id.desc())
        .limit(PAGE + 1)
    )
    if before is not None:
        query = query.where(CoachNote.id < before)
    rows = uow.session.execute(query).all()
    shown = rows[:PAGE]
    client = uow.session.get_one(User, client_id)
    return Notes(
        client_id,
        name_of(client.display_name, client.email) or "",
        tuple(
            NoteView(note.id, note.at, note.text, note.author_id, name_of(display_name, email))
            for note, display_name, email in shown
        ),
        shown[-1][0].id if len(rows) > PAGE else None,
    )


def plain_text(text: str, limit: int) -> tuple[str, str | None]:
    """Plain text as kept (line breaks as ``\\n``, blank lines around it trimmed) and what is
    wrong with it: None, ``blank``, ``bad_characters`` or ``too_long``."""
    kept = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not kept:
        return kept, "blank"
    if _CONTROL.search(kept) or not _encodable(kept):
        return kept, "bad_characters"
    if len(kept) > limit:
        return kept, "too_long"
    return kept, None


def name_of(display_name: str | None, email: str | None) -> str | None:
    """How a person is named to the other side: the name they gave, else their email."""
    return display_name or email


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")  # a lone surrogate cannot be stored
    except UnicodeEncodeError:
        return False
    return True


def _coach_only(principal: Principal, client_id: int) -> None:
    if principal.role is not Role.COACH or principal.user_id == client_id:
        raise Forbidden("note.coach_only")
