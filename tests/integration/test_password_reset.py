"""A forgotten password (issue 13, item 4): a reset link by email when SMTP is set, by an admin's
command when it is not; single-use, expiring, kept hashed, saying nothing of who has an account;
a reset ends every login and revokes the API tokens, as a password change does."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import select
from typer.testing import CliRunner

from backcoach.cli import app as cli
from backcoach.services import accounts, coaching, password_reset, tokens
from backcoach.services.access import Principal
from backcoach.services.errors import Invalid
from backcoach.settings import Settings
from backcoach.store.db import Database
from backcoach.store.tables import PasswordReset, User
from tests.support.smtp_stub import smtp_stub
from tests.web import PASSWORD, post, sign_up

DATABASES = ("sqlite",)
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
NEW = "a brand new long password"
Client = Callable[..., TestClient]


@pytest.fixture
def sam(database: Database) -> int:
    with database.unit_of_work() as uow:
        accounts.sign_up(uow=uow, email="sam@example.com", password=PASSWORD, now=T0)
        user_id = uow.session.scalar(select(User.id).where(User.email == "sam@example.com"))
    assert user_id is not None
    return user_id


def _link(database: Database, at: dt.datetime = T0) -> password_reset.ResetLink:
    with database.unit_of_work() as uow:
        link = password_reset.request_link(uow=uow, email=" Sam@Example.com", now=at)
    assert link is not None
    return link


def _reset(database: Database, token: str, at: dt.datetime) -> str:
    with database.unit_of_work() as uow:
        try:
            return password_reset.reset_password(uow=uow, token=token, new_password=NEW, now=at)
        except Invalid as refused:
            return refused.code


def test_a_link_works_once_and_only_its_hash_is_kept(database: Database, sam: int) -> None:
    link = _link(database)
    with database.unit_of_work() as uow:
        row = uow.session.scalars(select(PasswordReset)).one()
        assert link.token not in (row.token_hash, row.password_digest)
        assert re.fullmatch(r"[0-9a-f]{64}", row.token_hash)
    assert _reset(database, link.token, T0 + dt.timedelta(minutes=5)) == "sam@example.com"
    assert _reset(database, link.token, T0 + dt.timedelta(minutes=6)) == "password_reset.bad_link"


def test_a_link_lasts_an_hour(database: Database, sam: int) -> None:
    link = _link(database)
    with database.unit_of_work() as uow:
        assert password_reset.link_works(
            uow=uow, token=link.token, now=T0 + dt.timedelta(minutes=59)
        )
        assert not password_reset.link_works(
            uow=uow, token=link.token, now=T0 + dt.timedelta(hours=1)
        )
    assert _reset(database, link.token, T0 + dt.timedelta(hours=1)) == "password_reset.bad_link"


def test_a_password_change_or_another_reset_voids_every_link(database: Database, sam: int) -> None:
    first, second, third = _link(database), _link(database), _link(database)
    with database.unit_of_work() as uow:
        accounts.change_password(
            uow=uow, principal=Principal(sam), person_id=sam, current=PASSWORD, new=NEW,
            keep_token="", now=T0,
        )  # fmt: skip
    assert _reset(database, first.token, T0) == "password_reset.bad_link"
    fresh, later = _link(database, T0 + dt.timedelta(minutes=1)), T0 + dt.timedelta(minutes=2)
    other = _link(database, later)
    assert _reset(database, fresh.token, later) == "sam@example.com"
    for used in (second, third, other):
        assert _reset(database, used.token, later) == "password_reset.bad_link"


def test_of_two_resets_at_once_with_one_link_only_one_goes_on(
    database: Database, sam: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    link, seen_live = _link(database), password_reset._live

    def live_then_another_request_resets(*args: object) -> object:
        found = seen_live(*args)  # type: ignore[arg-type]
        # The other request, between this one's check of the link and its use of it.
        monkeypatch.setattr(password_reset, "_live", seen_live)
        with database.unit_of_work() as uow:
            password_reset.reset_password(
                uow=uow, token=link.token, new_password="the other request's password", now=T0
            )
        return found

    monkeypatch.setattr(password_reset, "_live", live_then_another_request_resets)
    assert _reset(database, link.token, T0) == "password_reset.bad_link"
    with database.unit_of_work() as uow:  # the first to claim the link set the password
        assert accounts.log_in(
            uow=uow, email="sam@example.com", password="the other request's password", now=T0,
            attempts_allowed=5, window=dt.timedelta(minutes=15),
            session_length=dt.timedelta(days=1),
        )  # fmt: skip


def test_a_reset_ends_every_login_revokes_tokens_and_changes_the_calendar_address(
    database: Database, sam: int
) -> None:
    with database.unit_of_work() as uow:
        login = accounts.log_in(
            uow=uow, email="sam@example.com", password=PASSWORD, now=T0, attempts_allowed=5,
            window=dt.timedelta(minutes=15), session_length=dt.timedelta(days=30),
        )  # fmt: skip
        made = tokens.create_token(
            uow=uow, principal=Principal(sam), person_id=sam, name="phone", scopes=["read"],
            expires_in_days=None, now=T0,
        )  # fmt: skip
        calendar = uow.session.get_one(User, sam).calendar_token
    _reset(database, _link(database).token, T0)
    with database.unit_of_work() as uow:
        assert accounts.user_for_token(uow=uow, token=login, now=T0) is None
        assert tokens.holder_of(uow=uow, secret=made.secret, now=T0) is None
        assert uow.session.get_one(User, sam).calendar_token != calendar


def test_asking_for_someone_who_has_no_account_makes_nothing(database: Database, sam: int) -> None:
    with database.unit_of_work() as uow:
        assert password_reset.request_link(uow=uow, email="kim@example.com", now=T0) is None
    links = [_link(database) for _ in range(password_reset.LIVE_LINKS)]
    with database.unit_of_work() as uow:
        # Asking again and again mails no one more than three live links.
        assert password_reset.request_link(uow=uow, email="sam@example.com", now=T0) is None
        assert len(uow.session.scalars(select(PasswordReset)).all()) == len(links)


def _page_text(answer: object) -> str:
    text = str(getattr(answer, "text", ""))
    return re.sub(r'(csrf-token" content|name="csrftoken" value)="[^"]*"', "", text)


def test_forgot_password_by_email_from_asking_to_logging_in(make_client: Client) -> None:
    with smtp_stub() as (port, mailbox):
        owner = make_client(
            smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none", smtp_from="bc@example.org",
            base_url="http://testserver",
        )  # fmt: skip
        sign_up(owner, "sam@example.com")
        assert 'href="/forgot"' in owner.get("/login").text
        # The stranger's requests say another host: the link mailed to the owner ignores it.
        stranger = TestClient(owner.app, base_url="http://evil.example", follow_redirects=True)
        asked = post(stranger, "/forgot", {"email": "SAM@example.com"}, page="/forgot")
        unknown = post(stranger, "/forgot", {"email": "kim@example.com"}, page="/forgot")
        assert asked.status_code == unknown.status_code == 200
        assert _page_text(asked) == _page_text(unknown)
        assert "If an account has this email" in asked.text
    assert [message["To"] for message in mailbox] == ["sam@example.com"]
    assert mailbox[0]["From"] == "bc@example.org"
    assert "evil.example" not in mailbox[0].get_content()
    found = re.search(r"http://testserver(/reset/[A-Za-z0-9_-]+)", mailbox[0].get_content())
    assert found, mailbox[0].get_content()
    reset_page = found.group(1)

    assert "Choose a new password" in stranger.get(reset_page).text
    differ = {"new_password": NEW, "repeat_password": NEW + "!"}
    assert post(stranger, reset_page, differ, page=reset_page).status_code == 422
    done = post(
        stranger, reset_page, {"new_password": NEW, "repeat_password": NEW}, page=reset_page
    )
    assert done.url.path == "/login" and "Your password is changed" in done.text
    assert owner.get("/account").url.path == "/login"  # the owner's other login has ended
    assert stranger.get(reset_page).status_code == 404  # used
    logged_in = post(owner, "/login", {"email": "sam@example.com", "password": NEW}, page="/login")
    assert logged_in.url.path != "/login"


def test_without_email_the_page_says_to_ask_whoever_runs_backcoach(make_client: Client) -> None:
    client = make_client()
    page = client.get("/forgot")
    assert "This backcoach sends no email" in page.text
    assert 'action="/forgot"' not in page.text
    assert client.get("/reset/" + "x" * 43).status_code == 404


def test_the_admin_command_prints_a_working_link(
    make_client: Client, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = make_client()
    sign_up(client, "sam@example.com")
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("BACKCOACH_BASE_URL", raising=False)
    runner = CliRunner()
    printed = runner.invoke(
        cli, ["user", "reset-link", "sam@example.com", "--base-url", "https://bc.example.org/"]
    )
    assert printed.exit_code == 0, printed.stderr
    link = printed.stdout.strip()
    assert re.fullmatch(r"https://bc\.example\.org/reset/[A-Za-z0-9_-]{43}", link)
    assert "Choose a new password" in client.get(link.removeprefix("https://bc.example.org")).text
    unknown = runner.invoke(
        cli, ["user", "reset-link", "kim@example.com", "--base-url", "https://x.org"]
    )
    assert unknown.exit_code == 2 and "No account has this email" in unknown.stderr
    nowhere = runner.invoke(cli, ["user", "reset-link", "sam@example.com"])
    assert nowhere.exit_code == 2 and "BACKCOACH_BASE_URL" in nowhere.stderr


@pytest.mark.parametrize(
    "settings",
    [
        {"smtp_host": "mail.example.org"},  # no sender
        # No address for the links: they would start with whatever Host a request names.
        {"smtp_host": "mail.example.org", "smtp_from": "bc@example.org"},
        {"smtp_host": "m", "smtp_from": "a@b.org", "smtp_user": "u",
         "base_url": "https://b.org"},  # a user without password
        {"smtp_host": "m", "smtp_from": "a@b.org", "smtp_user": "u", "smtp_password": "p",
         "smtp_tls": "none", "base_url": "https://b.org"},  # a password in the clear
        {"smtp_from": "not an address"},
        {"smtp_tls": "maybe"},
        {"base_url": "backcoach.example.org"},
        {"base_url": "https://example.org/?next=1"},
    ],
)  # fmt: skip
def test_email_settings_that_cannot_work_stop_the_start(settings: dict[str, str]) -> None:
    with pytest.raises(ValidationError):
        Settings(**settings)  # type: ignore[arg-type]


def test_email_settings_that_work() -> None:
    settings = Settings(
        smtp_host="mail.example.org", smtp_from="bc@example.org", smtp_user="bc",
        smtp_password="hunter2hunter2", base_url="https://bc.example.org/",
    )  # fmt: skip
    assert settings.sends_email and settings.base_url == "https://bc.example.org"
    assert "hunter2" not in repr(settings)
    assert not Settings().sends_email


def test_without_a_base_url_the_server_with_email_does_not_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BACKCOACH_SMTP_HOST", "mail.example.org")
    monkeypatch.setenv("BACKCOACH_SMTP_FROM", "bc@example.org")
    monkeypatch.delenv("BACKCOACH_BASE_URL", raising=False)
    # `serve` reads these settings first and stops with the message (test_settings.py).
    with pytest.raises(ValidationError, match="BACKCOACH_BASE_URL"):
        Settings()


def test_the_coachs_invite_link_starts_with_the_base_url_when_it_is_set(
    make_client: Client, database: Database
) -> None:
    # Unset: the address the coach's own browser used (shown to the coach, never mailed).
    shown = {"https://bc.example.org": "https://bc.example.org", None: "http://testserver"}
    for number, (base_url, start) in enumerate(shown.items()):
        coach = make_client(base_url=base_url)
        email = f"coach{number}@example.com"
        sign_up(coach, email)
        with database.unit_of_work() as uow:
            coaching.add_coach(
                uow=uow, principal=coaching.OPERATOR, email=email, password_hash=None, now=T0
            )
        page = post(coach, "/coach/invite", {}, page="/coach")
        found = re.search(r'id="invite-link" type="text" readonly value="([^"]+)/join/', page.text)
        assert found, page.text
        assert found.group(1) == start
