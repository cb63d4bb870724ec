"""An access token as the API shows it to its owner: what it is called, its first characters,
its scopes and dates, and whether it still works. Never the token itself."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from backcoach.services.tokens import MAX_NAME, TokenView


class AccessToken(BaseModel):
    """One of your personal access tokens."""

    id: int = Field(ge=1)
    name: str = Field(max_length=MAX_NAME)
    #: The token's first characters, to tell it from the others.
    prefix: str = Field(max_length=16)
    scopes: list[Literal["read", "write"]]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    #: ``active`` works; ``revoked`` and ``expired`` are refused.
    state: Literal["active", "revoked", "expired"]

    @classmethod
    def of(cls, view: TokenView, now: dt.datetime) -> AccessToken:
        if view.revoked_at is not None:
            state: Literal["active", "revoked", "expired"] = "revoked"
        else:
            state = "active" if view.live(now) else "expired"
        return cls(
            id=view.id,
            name=view.name,
            prefix=view.prefix,
            scopes=[scope for scope in view.scopes if scope in ("read", "write")],
            created_at=view.created_at,
            expires_at=view.expires_at,
            last_used_at=view.last_used_at,
            revoked_at=view.revoked_at,
            state=state,
        )
