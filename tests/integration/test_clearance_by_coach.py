"""A clinician's clearance while a coach is linked: the coach records who cleared, when and what
they said (kept on the person, with the coach's id); the person's own "I have been cleared" is
refused and their referral page says their coach records it; without a coach it stays theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from backcoach.services import clearance, onboarding, safety
from backcoach.services.access import Principal
from backcoach.services.errors import Conflict, Invalid
from backcoach.services.safety import Gate
from backcoach.store.tables import Screening, User
from tests.integration.coaching_steps import Cast, cast
from tests.integration.override_steps import log_in, refer
from tests.training_app import App, token

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _gate(app: App, who: Principal) -> Gate:
    with app.database.unit_of_work() as uow:
        return safety.gate(uow=uow, person_id=who.user_id)


def _record(app: App, by: Principal, of: Principal, **given: str) -> clearance.Clearance:
    fields = {"clinician": "Dr Lee, GP", "cleared_on": app.clock.today().isoformat(), "note": ""}
    fields |= given
    with app.database.unit_of_work() as uow:
        return clearance.record_by_coach(
            uow=uow,
            principal=by,
            client_id=of.user_id,
            clinician=fields["clinician"],
            cleared_on=fields["cleared_on"],
            note=fields["note"],
            today=app.clock.today(),
            now=app.clock.at,
        )


@pytest.fixture
def people(app: App) -> Cast:
    found = cast(app)
    refer(app, found.client_a)
    return found


def test_the_coach_records_the_clinicians_clearance_and_the_program_opens(
    app: App, people: Cast
) -> None:
    assert _gate(app, people.client_a) is Gate.REFERRED
    app.clock.at += dt.timedelta(days=2)
    kept = _record(app, people.coach, people.client_a, note="Weakness was old; fine to train")
    assert _gate(app, people.client_a) is not Gate.REFERRED
    assert kept.by_coach_id == people.coach.user_id
    assert (
        kept.note
        == f"Dr Lee, GP ({app.clock.today().isoformat()}): Weakness was old; fine to train"
    )
    person = app.query(select(User).where(User.id == people.client_a.user_id))
    referral = app.query(select(Screening.id).where(Screening.refer))
    assert (person.cleared_by_id, person.cleared_screening_id) == (people.coach.user_id, referral)


def test_a_linked_persons_own_clearance_is_refused(app: App, people: Cast) -> None:
    with app.database.unit_of_work() as uow, pytest.raises(Conflict) as refused:
        onboarding.confirm_cleared(
            uow=uow,
            principal=people.client_a,
            person_id=people.client_a.user_id,
            note="GP said fine",
            now=app.clock.at,
        )
    assert (refused.value.code, refused.value.field) == ("clearance.by_coach", "confirm")
    assert _gate(app, people.client_a) is Gate.REFERRED


def test_the_linked_persons_referral_page_says_their_coach_records_it(
    app: App, people: Cast
) -> None:
    client = log_in(app, "ana@example.com")
    page = client.get("/onboarding/referral")
    assert "Your coach records a clinician's clearance" in page.text
    assert 'action="/onboarding/cleared"' not in page.text
    tried = client.post(
        "/onboarding/cleared", data={"confirm": "yes", "csrftoken": token(page.text)}
    )
    assert tried.status_code == 409
    assert _gate(app, people.client_a) is Gate.REFERRED


def test_without_a_coach_the_person_still_clears_themselves(app: App, people: Cast) -> None:
    refer(app, people.client_b)
    with app.database.unit_of_work() as uow:
        onboarding.confirm_cleared(
            uow=uow,
            principal=people.client_b,
            person_id=people.client_b.user_id,
            note="",
            now=app.clock.at,
        )
    assert _gate(app, people.client_b) is not Gate.REFERRED


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"clinician": "  "}, "clinician", "clearance.clinician_missing"),
        ({"cleared_on": "yesterday"}, "cleared_on", "clearance.day_invalid"),
        ({"cleared_on": "2026-11-24"}, "cleared_on", "clearance.day_in_future"),
        ({"cleared_on": "2026-11-01"}, "cleared_on", "clearance.day_before_referral"),
    ],
)
def test_a_clearance_with_a_bad_field_is_refused_naming_it(
    app: App, people: Cast, given: dict[str, str], field: str, code: str
) -> None:
    with pytest.raises(Invalid) as refused:
        _record(app, people.coach, people.client_a, **given)
    assert (refused.value.field, refused.value.code) == (field, code)
    assert _gate(app, people.client_a) is Gate.REFERRED


def test_with_no_open_referral_there_is_nothing_to_clear(app: App, people: Cast) -> None:
    _record(app, people.coach, people.client_a)
    with pytest.raises(Conflict) as refused:
        _record(app, people.colleague, people.client_a)
    assert refused.value.code == "clearance.nothing_to_clear"


def test_the_persons_own_report_says_their_coach_recorded_the_clearance(
    app: App, people: Cast
) -> None:
    """The person's report names who recorded it; once that coach's account is gone it says
    "their coach", never that the person confirmed it themselves."""
    from backcoach.services.report import report_data

    app.clock.at += dt.timedelta(days=2)
    _record(app, people.coach, people.client_a)

    def recorded_by() -> str | None:
        with app.database.unit_of_work() as uow:
            data = report_data(
                uow=uow,
                principal=people.client_a,
                person_id=people.client_a.user_id,
                today=app.clock.today(),
                zone=dt.UTC,
                now=app.clock.at,
            )
        return data.safety.cleared_by

    with app.database.unit_of_work() as uow:
        coach = uow.session.get_one(User, people.coach.user_id)
        named = coach.display_name or coach.email
    assert recorded_by() == named
    with app.database.unit_of_work() as uow:
        uow.session.delete(uow.session.get_one(User, people.coach.user_id))
        uow.commit()
    assert recorded_by() == ""
