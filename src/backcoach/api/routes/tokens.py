"""API routes: your personal access tokens, listed and revoked (see docs/api.md).

A token is made only on the account page or with `backcoach token create`, never through the
API: a token that leaks can then not make more of itself, and revoking it ends the leak.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from backcoach.api.deps import CallerDep, NowDep, UowDep
from backcoach.api.pagination import Page, WindowDep
from backcoach.api.problems import PROBLEM_RESPONSES
from backcoach.api.tokens_models import AccessToken
from backcoach.services import tokens

router = APIRouter(responses=PROBLEM_RESPONSES)


@router.get("/tokens", summary="Your access tokens")
def list_tokens(
    uow: UowDep, caller: CallerDep, window: WindowDep, now: NowDep
) -> Page[AccessToken]:
    """The tokens of the account that calls, newest first, revoked and expired ones included
    (see ``state``); never the tokens themselves, which are shown once when made. New tokens
    are made on the account page or with `backcoach token create`, not through the API."""
    shown = tokens.list_tokens(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        limit=window.limit,
        offset=window.offset,
    )
    total = tokens.count_tokens(uow=uow, principal=caller.principal, person_id=caller.user_id)
    return window.page([AccessToken.of(view, now) for view in shown], total)


@router.delete("/tokens/{token_id}", summary="Revoke one of your access tokens")
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    uow: UowDep,
    caller: CallerDep,
    now: NowDep,
) -> AccessToken:
    """Revoke a token of the calling account at once (the write scope): its next request is
    refused with 401. Revoking one already revoked changes nothing; another account's token is
    not found."""
    revoked = tokens.revoke_token(
        uow=uow,
        principal=caller.principal,
        person_id=caller.user_id,
        token_id=token_id,
        now=now,
    )
    return AccessToken.of(revoked, now)
