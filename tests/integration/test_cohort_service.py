"""Cohort outcomes read by services/cohort.py from the store: the figures of a coach's clients
(or their practice's) with open links, built here straight into the tables, on SQLite and
PostgreSQL (the service reads JSON fields and compares dates in SQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import event, func, select

from backcoach.services import cohort as service
from backcoach.services.access import Principal, Role
from backcoach.services.cohort_figures import figure_rows
from backcoach.services.errors import Forbidden
from backcoach.store.db import Database
from backcoach.store.tables import AuditEvent, CoachLink, PlanRecord
from tests.integration.cohort_steps import NOW, START, TODAY
from tests.integration.cohort_steps import client as _client
from tests.integration.cohort_steps import coaches as _coaches
from tests.integration.cohort_steps import user as _user


def _cohort(db: Database, who: Principal, scope: service.Scope = "mine") -> service.CohortView:
    with db.unit_of_work() as uow:
        return service.cohort(uow=uow, principal=who, scope=scope, today=TODAY, now=NOW)


def test_the_figures_of_a_coachs_clients(database: Database) -> None:
    cast = _coaches(database)
    # Five clients answered at 6 and 12 weeks: 3 (6 weeks) and 4 (12 weeks) improved by 2+.
    nprs = [(6, 3, 2), (6, 4, 3), (6, 5, 4), (6, 3, 5), (6, 6, 6)]
    for index, scores in enumerate(nprs):
        _client(
            database,
            cast.coach.user_id,
            f"c{index}@example.com",
            nprs=scores,
            sessions=(24, 20, 12, 10, 6)[index],  # of 24 planned in weeks 1-12
            pain_by_week={1: 6, 2: 5, 3: 4},
            low_back_sets=2,
        )
    view = _cohort(database, cast.coach)
    figures = view.outcomes
    assert figures.clients == 5 and figures.active == 1  # the first's last session: 11 days ago
    assert figures.median_adherence == pytest.approx(0.5)
    at_6, at_12 = figures.share("nprs", 6), figures.share("nprs", 12)
    assert (at_6.answered, at_6.reached) == (5, 3)
    assert (at_12.answered, at_12.reached) == (5, 3)
    assert view.enough(at_6.answered)
    assert [w.median for w in figures.pain[:3]] == [6, 5, 4]
    assert view.pain_slope_per_week is not None and view.pain_slope_per_week < 0
    week_one = figures.low_back[0]
    assert (week_one.felt_in_low_back, week_one.logged, week_one.clients) == (10, 20, 5)
    rows = {(row[0], row[1], row[2]): row for row in figure_rows(view)}
    assert rows[("mcid_reached", "nprs", 6)][3:] == [5, 3, 5, 0.6, ""]
    assert rows[("median_adherence", "", None)][6] == pytest.approx(0.5)
    assert rows[("pain_before_sessions_median", "", 1)][3:] == [5, None, None, 6, ""]


def test_a_figure_of_too_few_clients_is_not_a_figure(database: Database) -> None:
    cast = _coaches(database)
    for index in range(2):
        _client(database, cast.coach.user_id, f"c{index}@example.com", nprs=(6, 3, 3), sessions=6)
    view = _cohort(database, cast.coach)
    share = view.outcomes.share("nprs", 6)
    assert (share.answered, share.reached, share.share) == (2, 2, 1.0)
    assert not view.enough(share.answered)
    assert view.pain_weeks == () and view.pain_slope_per_week is None


def test_a_client_short_of_the_time_point_is_not_counted_then(database: Database) -> None:
    cast = _coaches(database)
    _client(database, cast.coach.user_id, "early@example.com", start=TODAY - dt.timedelta(weeks=8))
    _client(database, cast.coach.user_id, "late@example.com", nprs=(6, 2, 2))
    figures = _cohort(database, cast.coach).outcomes
    assert figures.share("nprs", 6).answered == 1  # "early" answered nothing at week 6
    assert figures.share("nprs", 12).answered == 1  # and is not at week 12 yet


def test_a_practice_sees_its_coaches_clients_and_no_one_elses(database: Database) -> None:
    cast = _coaches(database)
    _client(database, cast.coach.user_id, "mine@example.com")
    _client(database, cast.colleague.user_id, "colleagues@example.com")
    _client(database, cast.other.user_id, "elsewhere@example.com")
    ended = _client(database, cast.coach.user_id, "ended@example.com")
    with database.unit_of_work() as uow:
        link = uow.session.scalars(select(CoachLink).where(CoachLink.client_id == ended)).one()
        link.ended_at = NOW
        uow.commit()
    assert _cohort(database, cast.coach).outcomes.clients == 1
    practice = _cohort(database, cast.coach, "practice")
    assert (practice.scope, practice.outcomes.clients) == ("practice", 2)
    alone = _cohort(database, cast.other, "practice")  # no practice: their own clients
    assert (alone.scope, alone.has_practice, alone.outcomes.clients) == ("mine", False, 1)
    with database.unit_of_work() as uow:
        audited = uow.session.scalar(
            select(func.count()).where(AuditEvent.what == "cohort", AuditEvent.allowed)
        )
    assert audited == 1 + 2 + 1  # one line per client read


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_person_or_an_admin_is_refused(database: Database) -> None:
    person = Principal(_user(database, "ana@example.com"), Role.PERSON)
    for who in (person, Principal(person.user_id, Role.ADMIN)):
        with pytest.raises(Forbidden):
            _cohort(database, who)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_statements_do_not_grow_with_clients_or_their_history(database: Database) -> None:
    cast = _coaches(database)
    _client(database, cast.coach.user_id, "c0@example.com", sessions=2)
    few = _statements(database, cast.coach)
    for index in range(1, 8):
        _client(database, cast.coach.user_id, f"c{index}@example.com", sessions=24)
    assert _statements(database, cast.coach) == few


def _statements(database: Database, who: Principal) -> int:
    counted = 0

    def count(*_: object) -> None:
        nonlocal counted
        counted += 1

    engine = database.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        _cohort(database, who)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return counted


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_planned_sessions_follow_each_plan_until_a_newer_one_replaced_it(
    database: Database,
) -> None:
    cast = _coaches(database)
    client_id = _client(database, cast.coach.user_id, "ana@example.com")  # 2 days a week
    changed = START + dt.timedelta(weeks=3)  # from week 4: 3 days a week
    with database.unit_of_work() as uow:
        first = uow.session.scalars(select(PlanRecord).where(PlanRecord.user_id == client_id)).one()
        first.active = False
        days = [changed + dt.timedelta(days=7 * w + d) for w in range(10) for d in (0, 2, 4)]
        uow.session.add(
            PlanRecord(
                user_id=client_id,
                at=dt.datetime.combine(changed, dt.time(7), dt.UTC),
                active=True,
                data={**first.data, "schedule": [d.isoformat() for d in days]},
            )
        )
        uow.commit()
    with database.unit_of_work() as uow:
        (outcome,) = service.client_outcomes(uow, {client_id: None}, today=TODAY, zone=dt.UTC)
    # Weeks 1-3 and the day of the change from the first plan (7 days), then 3 a week to day 83.
    assert outcome.start == START
    assert outcome.sessions_planned == 7 + 27 - 1
