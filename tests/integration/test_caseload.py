"""The caseload through its services: sorted by attention (rank, the day it began, then name),
stale rows worked out again when a coach looks, acknowledging (an item drops until it happens
again; never a red flag), search, filters and pages, who may see and acknowledge whom, and
`backcoach attention refresh`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from backcoach.cli import app as cli
from backcoach.engine import attention as rules
from backcoach.engine.attention import AttentionItem
from backcoach.engine.reasons import reason
from backcoach.engine.screening import all_clear
from backcoach.services import attention, caseload, onboarding
from backcoach.services.access import Principal, Role
from backcoach.services.errors import Conflict, Forbidden, Invalid
from backcoach.store.care_tables import AttentionAck, ClientAttention
from backcoach.store.tables import AuditEvent, CoachLink, User
from tests.integration.attention_steps import at, coached, codes, kept, train
from tests.integration.coaching_steps import cast, person
from tests.training_app import App

#: Most rules are the services'; the search's LIKE runs on both databases.
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
FAR = dt.date(2100, 1, 1)


def _page(app: App, who: Principal, **filters: Any) -> caseload.CaseloadPage:
    with app.database.unit_of_work() as uow:
        return caseload.caseload(
            uow=uow, principal=who, now=app.clock.at, today=app.clock.today(), **filters
        )


def _acknowledge(app: App, who: Principal, client: Principal, code: str, note: str = "") -> None:
    with app.database.unit_of_work() as uow:
        caseload.acknowledge(
            uow=uow,
            principal=who,
            client_id=client.user_id,
            code=code,
            note=note,
            now=app.clock.at,
            today=app.clock.today(),
        )


def _item(code: str, rank: int, since: dt.date, **params: str | int) -> AttentionItem:
    return AttentionItem(reason(code, **params), rank, since, since)


def _clients(app: App, coach: Principal, kept_items: dict[str, list[AttentionItem]]) -> None:
    """Clients linked to ``coach`` with these items kept, fresh for ever (none worked out)."""
    with app.database.unit_of_work() as uow:
        for name, items in kept_items.items():
            user = User(
                email=f"{name.lower()}@example.com",
                password_hash="x",
                created_at=app.clock.at,
                calendar_token=name,
                display_name=name,
            )
            uow.session.add(user)
            uow.session.flush()
            uow.session.add(
                CoachLink(
                    coach_id=coach.user_id, client_id=user.id, started_at=app.clock.at, shared=[]
                )
            )
            rank, since = rules.rank_key(items)
            uow.session.add(
                ClientAttention(
                    client_id=user.id,
                    rank=rank,
                    since=dt.date.fromordinal(since) if items else None,
                    items=[attention.item_to_json(item) for item in items],
                    computed_at=app.clock.at,
                    computed_on=app.clock.today(),
                    fresh_until=FAR,
                )
            )
        uow.commit()


@pytest.fixture
def coach(app: App) -> Iterator[Principal]:
    yield person(app, "coach@example.com", Role.COACH)


@SQLITE
def test_clients_are_sorted_by_the_most_urgent_item_then_the_day_it_began_then_name(
    app: App, coach: Principal
) -> None:
    day = app.clock.today()
    early, late = day - dt.timedelta(days=5), day - dt.timedelta(days=1)
    red = rules.RANK[rules.RED_FLAG]
    _clients(
        app,
        coach,
        {
            "Good": [_item(rules.MCID_REACHED, 12, late)],
            "Missed": [_item(rules.SESSIONS_MISSED, 9, late), _item(rules.RECOVERED, 13, late)],
            "Soon": [_item(rules.RED_FLAG, red + 2, late, urgency="soon", day=late.isoformat())],
            "Emergency": [_item(rules.RED_FLAG, red, late, urgency="emergency", day="x")],
            "Legs": [_item(rules.LEGS_SPREADING, 4, late)],
            "Flare waiting": [_item(rules.FLARE, 5, early)],
            "Flare new": [_item(rules.FLARE, 5, late)],
            "Back": [_item(rules.LOW_BACK, 7, late, exercise="x", sessions=2)],
            "Startback": [_item(rules.STARTBACK_HIGH, 8, late)],
            "Mornings": [_item(rules.NO_MORNING_ANSWERS, 10, late)],
            "Reassess": [_item(rules.REASSESS_DUE, 11, late)],
            "b nothing": [],
            "A nothing": [],
        },
    )
    everyone = _page(app, coach, show="all")
    assert [row.name for row in everyone.rows] == [
        "Emergency",
        "Soon",
        "Legs",
        "Flare waiting",
        "Flare new",
        "Back",
        "Startback",
        "Missed",
        "Mornings",
        "Reassess",
        "Good",
        "A nothing",
        "b nothing",
    ]
    assert everyone.rows[0].red_flag and not everyone.rows[2].red_flag
    assert [item.code for item in everyone.rows[7].items] == [
        rules.SESSIONS_MISSED,
        rules.RECOVERED,
    ]
    needing = _page(app, coach)  # show="attention": those with nothing are left out
    assert needing.total == 11 and "A nothing" not in [row.name for row in needing.rows]


def test_search_filters_and_pages(app: App, coach: Principal) -> None:
    day = app.clock.today()
    _clients(
        app,
        coach,
        {
            **{f"Client {n:02}": [_item(rules.FLARE, 5, day)] for n in range(7)},
            "Ann_Lee": [],
            "Ann%Bo": [],
            "Annie": [],
            "Émile Ørsted": [],
        },
    )
    first = _page(app, coach, show="all", per_page=4)
    assert (first.total, first.pages, first.page, len(first.rows)) == (11, 3, 1, 4)
    last = _page(app, coach, show="all", per_page=4, page=3)
    assert [row.name for row in last.rows] == ["Ann_Lee", "Annie", "Émile Ørsted"]
    beyond = _page(app, coach, show="all", per_page=4, page=99)
    assert beyond.page == 3  # a page beyond the last shows the last
    assert [r.name for r in _page(app, coach, show="all", query="ann_").rows] == ["Ann_Lee"]
    assert [r.name for r in _page(app, coach, show="all", query="N%b").rows] == ["Ann%Bo"]
    assert _page(app, coach, show="all", query="ANN").total == 3
    assert _page(app, coach, show="all", query="annie@example").total == 1  # the email too
    assert _page(app, coach, query="ann").total == 0  # nothing needs attention among them
    assert _page(app, coach, query="client 0").total == 7
    # Every letter's case, not only ASCII's (SQLite's own lower() keeps "É").
    for typed in ("émile", "ÉMILE", "ørsted"):
        assert [r.name for r in _page(app, coach, show="all", query=typed).rows] == [
            "Émile Ørsted"
        ], typed


@SQLITE
def test_a_stale_row_is_worked_out_again_when_the_coach_looks(app: App) -> None:
    coach, ana = coached(app)
    today = app.clock.today()
    train(app, ana, today)
    train(app, ana, today + dt.timedelta(days=2))
    row = kept(app, ana)
    assert row is not None and row.fresh_until is not None
    # No morning answered: two days after the second session, two are unanswered.
    assert rules.NO_MORNING_ANSWERS not in codes(app, ana)
    app.clock.at = at(row.fresh_until)
    while rules.NO_MORNING_ANSWERS not in codes(app, ana):
        assert app.clock.today() <= today + dt.timedelta(days=5)
        _page(app, coach)
        row = kept(app, ana)
        assert row is not None and row.computed_on == app.clock.today()
        app.clock.at += dt.timedelta(days=1)
    assert app.clock.today() - dt.timedelta(days=1) == today + dt.timedelta(days=4)


@SQLITE
def test_an_acknowledged_item_drops_until_it_happens_again(app: App) -> None:
    coach, ana = coached(app)
    today = app.clock.today()
    train(app, ana, today, before=3, during=8)
    _acknowledge(app, coach, ana, rules.FLARE, note="Called her: lifted boxes at work")
    assert rules.FLARE not in codes(app, ana)
    assert _page(app, coach).total == 0
    with app.database.unit_of_work() as uow:
        ack = uow.session.scalars(select(AttentionAck)).one()
        assert (ack.seen, ack.note, ack.coach_id) == (
            today,
            "Called her: lifted boxes at work",
            coach.user_id,
        )
    train(app, ana, today + dt.timedelta(days=2), before=3, during=8)
    app.clock.at += dt.timedelta(days=2)
    assert _page(app, coach).rows[0].items[0].code == rules.FLARE


@SQLITE
def test_a_red_flag_cannot_be_acknowledged_nor_an_item_not_there(app: App) -> None:
    coach, ana = coached(app)
    with app.database.unit_of_work() as uow:
        onboarding.record_screening(
            uow=uow,
            principal=ana,
            person_id=ana.user_id,
            answers={**all_clear(age=44), "saddle_numbness": True},
            today=app.clock.today(),
            now=app.clock.at,
        )
    with pytest.raises(Conflict) as refused:
        _acknowledge(app, coach, ana, rules.RED_FLAG)
    assert (refused.value.code, refused.value.field) == ("attention.red_flag_kept", "code")
    with pytest.raises(Conflict) as absent:
        _acknowledge(app, coach, ana, rules.FLARE)
    assert absent.value.code == "attention.not_current"
    with pytest.raises(Invalid) as long:
        _acknowledge(app, coach, ana, rules.FLARE, note="x" * (caseload.MAX_NOTE + 1))
    assert long.value.field == "note"
    assert _page(app, coach).rows[0].red_flag


@SQLITE
def test_who_sees_and_acknowledges_whom(app: App) -> None:
    people = cast(app)
    train(app, people.client_a, app.clock.today(), before=3, during=8)
    train(app, people.client_b, app.clock.today(), before=3, during=8)

    def names(who: Principal, scope: str) -> list[str]:
        return [row.name for row in _page(app, who, scope=scope).rows]

    assert names(people.coach, "mine") == ["ana@example.com"]
    assert names(people.colleague, "mine") == []
    assert names(people.colleague, "practice") == ["ana@example.com"]
    assert names(people.other_coach, "practice") == names(people.other_coach, "mine") == []
    for someone in (people.client_a, people.client_b, people.admin):
        with pytest.raises(Forbidden):
            _page(app, someone)
    for someone in (people.other_coach, people.client_b, people.admin, people.client_a):
        with pytest.raises(Forbidden):
            _acknowledge(app, someone, people.client_a, rules.FLARE)
    _acknowledge(app, people.colleague, people.client_a, rules.FLARE)
    assert rules.FLARE not in codes(app, people.client_a)
    with app.database.unit_of_work() as uow:  # the caseload's reads are in A's audit log
        seen = uow.session.scalars(
            select(AuditEvent.actor_id).where(
                AuditEvent.subject_id == people.client_a.user_id, AuditEvent.what == "caseload"
            )
        ).all()
    assert set(seen) == {people.coach.user_id, people.colleague.user_id}


@SQLITE
def test_an_ended_link_leaves_the_caseload(app: App) -> None:
    people = cast(app)
    from backcoach.services import coaching

    with app.database.unit_of_work() as uow:
        coaching.end_link(
            uow=uow, principal=people.client_a, link_id=people.link_id, now=app.clock.at
        )
    assert _page(app, people.coach, show="all").total == 0


@SQLITE
def test_the_refresh_command_works_out_stale_rows_or_all(
    app: App, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    coach, ana = coached(app)
    monkeypatch.setenv("DATABASE_URL", database_url)
    run = CliRunner()
    with app.database.unit_of_work() as uow:  # as if made before this feature: no row
        uow.session.delete(uow.session.get_one(ClientAttention, ana.user_id))
        uow.commit()
    done = run.invoke(cli, ["attention", "refresh"])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == "1 client worked out again"
    assert kept(app, ana) is not None
    assert run.invoke(cli, ["attention", "refresh", "--all"]).stdout.strip() == (
        "1 client worked out again"
    )
    assert coach


@SQLITE
def test_a_view_works_out_a_bounded_number_of_stale_rows_and_says_how_many_are_left(
    app: App, coach: Principal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a long pause every row may be stale: one view works out at most STALE_PER_VIEW of
    them (the longest stale first), so the page stays quick; the rest follow on the next views."""
    _clients(app, coach, {"Ada": [], "Bea": [], "Cy": []})
    with app.database.unit_of_work() as uow:
        rows = uow.session.scalars(select(ClientAttention)).all()
        for days, row in zip((3, 2, 1), sorted(rows, key=lambda r: r.client_id), strict=True):
            row.fresh_until = app.clock.today() - dt.timedelta(days=days)
        uow.commit()
    monkeypatch.setattr(caseload, "STALE_PER_VIEW", 1)
    assert [_page(app, coach, show="all").stale_left for _ in range(4)] == [2, 1, 0, 0]
    with app.database.unit_of_work() as uow:
        worked_out = uow.session.scalars(select(ClientAttention.computed_on)).all()
    assert set(worked_out) == {app.clock.today()}
