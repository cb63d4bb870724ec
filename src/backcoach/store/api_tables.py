"""The tables of the JSON API: personal access tokens, and the operations a client sent under an
id of its own (so that sending one twice does it once). Registered on the same metadata as
backcoach.store.tables."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backcoach.store.tables import Base, UtcDateTime


class ApiToken(Base):
    """A personal access token. Only its SHA-256 is kept: the token itself is shown once, when it
    is made (32 random bytes, so a fast hash is enough: nothing to guess from)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: The name its owner gave it ("my watch", "clinic export script").
    name: Mapped[str] = mapped_column(String(80))
    #: The token's first characters, shown on the account page to tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: "read" or "read,write".
    scopes: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class ClientOperation(Base):
    """An operation a client sent with an id it made (a UUID): a set put, or one item of a sync.

    The answer is kept with a digest of what was asked, so the same request again gets the same
    answer and changes nothing, and the same id with other content is a conflict. ``client_at``
    is when the person did it on their device; ``received_at`` when this server got it.
    """

    __tablename__ = "client_operations"
    __table_args__ = (
        UniqueConstraint("user_id", "client_id"),
        Index("ix_client_operations_user_id_received_at", "user_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Whose data the operation changed (the subject, not necessarily who sent it).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(36))
    #: What it was: "set", "finish", "checkin", "tight", "start".
    kind: Mapped[str] = mapped_column(String(20))
    #: SHA-256 of the operation's kind, address and content, in a canonical JSON form.
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    #: The JSON answer given the first time, given again to a replay.
    response: Mapped[str] = mapped_column(Text)
    client_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
