"""A client's record as their coach reads it (services/client_record.py): what it holds after
sessions, a check-in, a flare, a tight moment and measures reaching the MCID; the timeline's
window and its paging; one audit line a view, which the client sees on their account page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from backcoach.engine.change import MCID_REACHED
from backcoach.engine.log import FLARE_DURING
from backcoach.engine.vocabulary import Felt, LegSymptoms
from backcoach.services.client_record import (
    MeasureEntry,
    ScreeningEntry,
    SessionEntry,
    TightEntry,
)
from backcoach.store.tables import AuditEvent, User
from tests.integration.client_record_steps import (
    feel_tight,
    log_in,
    on_day,
    rate_pain,
    read_record,
    train,
)
from tests.integration.coaching_steps import cast
from tests.integration.test_query_counts import statements_run
from tests.training_app import MONDAY, App

#: Database behaviour is the matrix's (test_client_page_access.py); these read content.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
START = MONDAY.date()


def days(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def test_the_record_holds_sessions_check_ins_a_flare_tight_moments_and_the_mcid(app: App) -> None:
    people = cast(app)
    a = people.client_a
    train(app, a, days(1), felt="low_back")
    train(app, a, days(3), during=8, after=7, morning=6)  # a flare
    feel_tight(app, a, days(4))
    rate_pain(app, a, days(14), 1)  # 4 at the start -> 1: the MCID (2 points) reached
    on_day(app, days(15))

    with app.database.unit_of_work() as uow:  # the name a client gives their coach
        uow.session.get_one(User, a.user_id).display_name = "Ana Lima"
        uow.commit()
    record = read_record(app, people.coach, a.user_id)

    assert (record.name, record.email) == ("Ana Lima", "ana@example.com")
    assert record.linked_since == MONDAY
    assert record.referral is None
    kinds = [type(entry) for entry in record.timeline.entries]
    assert kinds == [
        MeasureEntry,  # day 14
        TightEntry,  # day 4
        ScreeningEntry,  # day 4: the morning after the flare
        SessionEntry,  # day 3
        ScreeningEntry,  # day 2
        SessionEntry,  # day 1
        ScreeningEntry,  # day 0: the first answers, all at one moment
        MeasureEntry,
        MeasureEntry,
    ]
    flare, first = [e for e in record.timeline.entries if isinstance(e, SessionEntry)]
    assert (flare.log.pain_during, flare.log.pain_after, flare.log.pain_next_morning) == (8, 7, 6)
    assert FLARE_DURING in {part.code for part in flare.flare}
    assert record.latest_flare == flare
    assert first.felt_in_low_back and not flare.felt_in_low_back
    assert first.log.leg_symptoms is None or first.log.leg_symptoms is LegSymptoms.NONE
    assert all(s.felt is Felt.LOW_BACK for e in first.exercises for s in e.sets)
    assert len(first.exercises) == len(record.program.plan.exercises)  # type: ignore[union-attr]
    check_in = record.timeline.entries[2]
    assert isinstance(check_in, ScreeningEntry)
    assert check_in.context == "check_in" and not check_in.raised and not check_in.refer
    pain = record.timeline.entries[0]
    assert isinstance(pain, MeasureEntry) and pain.change is not None
    assert pain.change.mcid_reached and pain.change.codes[0] == MCID_REACHED
    assert record.progress.changes["nprs"].mcid_reached
    assert record.program is not None and not record.program_closed
    assert record.versions[0].active and record.versions[0].id == record.program.plan_id
    assert record.versions[0].from_session_day == days(3)  # the engine, after the flare
    assert record.versions[-1].from_session_day is None  # the first program
    assert record.timeline.total == len(record.timeline.entries)
    assert record.timeline.older_before is None


def test_a_referral_at_a_check_in_is_open_on_the_record(app: App) -> None:
    people = cast(app)
    train(app, people.client_a, days(1), saddle_numbness=True)
    record = read_record(app, people.colleague, people.client_a.user_id)
    assert record.referral is not None and record.referral.refer
    assert record.referral_at == dt.datetime.combine(days(2), dt.time(8), dt.UTC)
    check_in = record.timeline.entries[0]
    assert isinstance(check_in, ScreeningEntry)
    assert check_in.refer and check_in.raised == ("saddle_numbness",)
    # The referral closed the program; the coach still reads the one it closed.
    assert record.program is not None and record.program_closed
    assert not any(version.active for version in record.versions)


def test_the_timeline_shows_its_weeks_and_pages_to_older_ones(app: App) -> None:
    people = cast(app)
    a = people.client_a
    for week in range(6):
        train(app, a, days(7 * week + 1), morning=None)
    on_day(app, days(40))

    newest = read_record(app, people.coach, a.user_id, weeks=2)
    sessions = [e.day for e in newest.timeline.entries if isinstance(e, SessionEntry)]
    assert sessions == [days(36), days(29)]
    assert newest.timeline.total == 6 + 3  # six sessions; the screening and two measures
    assert newest.timeline.older_before == days(23)  # the day after the newest older entry
    assert not newest.timeline.paged

    older = read_record(app, people.coach, a.user_id, weeks=2, before=days(23))
    sessions = [e.day for e in older.timeline.entries if isinstance(e, SessionEntry)]
    assert sessions == [days(22), days(15)]
    assert older.timeline.paged
    oldest = read_record(app, people.coach, a.user_id, weeks=2, before=older.timeline.since)
    assert oldest.timeline.older_before is None
    assert [type(e) for e in oldest.timeline.entries].count(SessionEntry) == 2


def test_a_long_history_costs_the_statements_of_a_short_one(app: App) -> None:
    people = cast(app)
    a = people.client_a

    def statements() -> tuple[int, int]:
        coach = log_in(app, "coach@example.com")  # a login lasts less than these weeks
        with statements_run(app.database.engine) as read:
            read_record(app, people.coach, a.user_id, weeks=2)
        with statements_run(app.database.engine) as page:
            assert coach.get(f"/coach/clients/{a.user_id}").status_code == 200
        return len(read), len(page)

    train(app, a, days(1), morning=None)
    on_day(app, days(2))
    short = statements()
    for week in range(1, 8):
        train(app, a, days(7 * week + 1), morning=None)
    feel_tight(app, a, days(50))
    on_day(app, days(58))
    assert statements() == short


def test_each_view_is_written_once_to_the_audit_log(app: App) -> None:
    people = cast(app)
    a = people.client_a.user_id

    def reads() -> int:
        return int(
            app.query(
                select(func.count(AuditEvent.id)).where(
                    AuditEvent.subject_id == a, AuditEvent.actor_id == people.coach.user_id
                )
            )
        )

    before = reads()
    read_record(app, people.coach, a)
    assert reads() == before + 1
    row = app.query(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert (row.what, row.action, row.allowed) == ("client_record", "read", True)


def test_leg_symptoms_spreading_stand_at_the_top_of_the_page_before_a_flare(app: App) -> None:
    """Rule 2 ranks spreading leg symptoms above a flare: the client's page says it first,
    as a warning in words."""
    people = cast(app)
    a = people.client_a
    train(app, a, days(1), during=8, after=7, legs=LegSymptoms.FURTHER_DOWN, morning=None)
    on_day(app, days(2))
    record = read_record(app, people.coach, a.user_id)
    assert record.latest_legs_spreading is not None and record.latest_flare is not None
    page = log_in(app, "coach@example.com").get(f"/coach/clients/{a.user_id}").text
    warning = page.index("Warning: leg symptoms spreading after the session of")
    assert warning < page.index("Flare after the session of")
    train(app, a, days(3), legs=LegSymptoms.LESS_FAR, morning=None)  # better since: no warning
    assert read_record(app, people.coach, a.user_id).latest_legs_spreading is None
