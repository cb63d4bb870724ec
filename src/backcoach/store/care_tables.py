"""The tables of a coach's care of their clients: what needs attention (kept up to date when a
client's data changes), acknowledgements, private notes, the message thread and the coach's
program overrides. Registered on the same metadata as backcoach.store.tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backcoach.store.tables import Base, UtcDateTime


def _client() -> Mapped[int]:
    # Deleting the client deletes what was kept about them, in the database itself.
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


def _actor() -> Mapped[int | None]:
    # The coach who wrote or decided it; kept (as none) when that account goes.
    return mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ClientAttention(Base):
    """What about a client needs their coach (engine/attention.py), worked out when the
    client's data changed, so that a caseload reads one row per client and scans no history."""

    __tablename__ = "client_attention"
    __table_args__ = (Index("ix_client_attention_rank_since", "rank", "since"),)

    client_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: The most urgent item's rank (engine/attention.RANK); attention.NOTHING when none.
    rank: Mapped[int] = mapped_column(Integer)
    #: The day that item began (the longest waiting first); None when nothing.
    since: Mapped[dt.date | None]
    #: Every item, most urgent first: {"code", "params", "rank", "since", "happened"}.
    items: Mapped[list[Any]]
    computed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: The client's day it was worked out for.
    computed_on: Mapped[dt.date]
    #: The first day on which time alone (no new data) may change the items; None: never.
    fresh_until: Mapped[dt.date | None]


class AttentionAck(Base):
    """A coach saw an item (its code and the day it last happened) and may say why."""

    __tablename__ = "attention_acks"
    __table_args__ = (Index("ix_attention_acks_client_id_code", "client_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client()
    coach_id: Mapped[int | None] = _actor()
    code: Mapped[str] = mapped_column(String(60))
    #: The day the item had last happened when it was acknowledged (engine Acknowledgement.seen).
    seen: Mapped[dt.date]
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(Text)


class CoachNote(Base):
    """A coach's private note about a client: the coaches who look after the client read it,
    the client does not."""

    __tablename__ = "coach_notes"
    __table_args__ = (Index("ix_coach_notes_client_id_at", "client_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client()
    author_id: Mapped[int | None] = _actor()
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    text: Mapped[str] = mapped_column(Text)


class Message(Base):
    """One plain-text message of the thread between a client and the coaches looking after
    them. Never a red-flag decision: red flags keep their own path (docs/coaching.md)."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_client_id_at", "client_id", "at"),
        # Unread counts: a side's unread are the other side's messages with no read_at.
        Index("ix_messages_client_id_from_client_read_at", "client_id", "from_client", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The thread: one per client.
    client_id: Mapped[int] = _client()
    sender_id: Mapped[int | None] = _actor()
    #: Written by the client (else by a coach).
    from_client: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    body: Mapped[str] = mapped_column(Text)
    #: When the other side first read it.
    read_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class CoachOverride(Base):
    """A coach's change to a client's program (engine/overrides.py): kept with who and when,
    applied by the engine as a constraint until undone."""

    __tablename__ = "coach_overrides"
    __table_args__ = (Index("ix_coach_overrides_client_id_undone_at", "client_id", "undone_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = _client()
    coach_id: Mapped[int | None] = _actor()
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    #: swap, dose, hold, add or schedule (engine/overrides.py).
    kind: Mapped[str] = mapped_column(String(20))
    #: The override's parameters, as engine/overrides.py reads them.
    data: Mapped[dict[str, Any]]
    note: Mapped[str | None] = mapped_column(Text)
    undone_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    #: Who undid it (an id, kept if that account goes).
    undone_by_id: Mapped[int | None] = mapped_column(Integer)
