"""Steps of the API's tests: a token for someone, and a client that sends it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from backcoach.services import tokens
from backcoach.services.access import principal_of
from backcoach.store.tables import User
from tests.training_app import App


def token_for(app: App, email: str, scopes: tuple[str, ...] = ("read", "write")) -> str:
    """A new personal access token of the account with ``email`` (made through the service)."""
    with app.database.unit_of_work() as uow:
        user = uow.session.scalars(select(User).where(User.email == email)).one()
        made = tokens.create_token(
            uow=uow,
            principal=principal_of(user),
            person_id=user.id,
            name="a script",
            scopes=scopes,
            expires_in_days=None,
            now=app.clock.at,
        )
    return made.secret


def api_client(app: App, secret: str) -> TestClient:
    """A client with no cookies that sends ``secret`` as its bearer token."""
    client = TestClient(app.asgi)
    client.headers["authorization"] = f"Bearer {secret}"
    return client


def user_id(app: App, email: str) -> int:
    with app.database.unit_of_work() as uow:
        found: int = uow.session.scalars(select(User.id).where(User.email == email)).one()
        return found
