"""The coach's program page in HTTP: a swap from the filtered catalogue, the history with Undo,
a bad dose answered next to its field with what was typed shown back, and the clearance form."""

from __future__ import annotations

import html

import pytest

from backcoach.services import override_choices, overrides
from backcoach.services.access import Principal
from tests.integration.coaching_steps import cast
from tests.integration.override_steps import log_in, refer
from tests.training_app import App, token

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

ANA = "ana@example.com"


def test_a_coach_swaps_from_the_page_and_undoes_it(app: App) -> None:
    people = cast(app)
    coach = log_in(app, "coach@example.com")
    address = f"/coach/clients/{people.client_a.user_id}/program"
    before = app.program(ANA)
    choice = override_choices.swap_choices(before.plan)[0]
    category = choice.exercise.category.value
    page = coach.get(f"{address}?category={category}")
    assert page.status_code == 200
    assert f'value="{choice.exercise.id}"' in page.text
    form = {
        "kind": "swap",
        "exercise": choice.replaces[0],
        "to_exercise": choice.exercise.id,
        "note": "Kinder on the knee",
        "csrftoken": token(page.text),
    }
    done = coach.post(f"/coach/clients/{people.client_a.user_id}/overrides", data=form)
    assert done.status_code == 200 and "the change is in the program now" in done.text
    assert choice.exercise.id in [i.exercise.id for i in app.program(ANA).plan.exercises]
    assert "Kinder on the knee" in done.text and "Undo" in done.text
    (made,) = [view.id for view in _history(app, people.coach, people.client_a.user_id)]
    undone = coach.post(
        f"/coach/clients/{people.client_a.user_id}/overrides/{made}/undo",
        data={"csrftoken": token(done.text)},
    )
    assert "Undone by coach@example.com" in undone.text
    assert [i.exercise.id for i in app.program(ANA).plan.exercises] == [
        i.exercise.id for i in before.plan.exercises
    ]


def _history(app: App, who: Principal, client_id: int) -> tuple[overrides.OverrideView, ...]:
    with app.database.unit_of_work() as uow:
        return overrides.overrides(uow=uow, principal=who, client_id=client_id, now=app.clock.at)


def test_a_bad_dose_is_named_and_what_was_typed_stays(app: App) -> None:
    people = cast(app)
    coach = log_in(app, "coach@example.com")
    address = f"/coach/clients/{people.client_a.user_id}"
    page = coach.get(f"{address}/program")
    exercise = app.program(ANA).plan.exercises[0].exercise
    form = {
        "kind": "dose",
        "exercise": exercise.id,
        "sets": "5",
        "dose_min": "1",
        "dose_max": "3000",
        "load_kg": "",
        "note": "Keep it steady",
        "csrftoken": token(page.text),
    }
    refused = coach.post(f"{address}/overrides", data=form)
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert 'id="dose-sets-error"' in text
    assert "Sets: please enter a whole number from 2 to 3" in text
    assert 'id="dose-dose_min-error"' in text and exercise.name in text
    assert 'value="5"' in text and "Keep it steady</textarea>" in text
    assert _history(app, people.coach, people.client_a.user_id) == ()


def test_the_clearance_form_names_a_bad_day_and_keeps_the_clinician(app: App) -> None:
    people = cast(app)
    refer(app, people.client_a)
    coach = log_in(app, "coach@example.com")
    address = f"/coach/clients/{people.client_a.user_id}"
    page = coach.get(f"{address}/program")
    assert "Record a clinician&#39;s clearance" in page.text or "Record a clinician's" in page.text
    form = {
        "clinician": "Dr Lee, GP",
        "cleared_on": "2030-01-01",
        "note": "Fine",
        "csrftoken": token(page.text),
    }
    refused = coach.post(f"{address}/clearance", data=form)
    assert refused.status_code == 422
    assert 'id="clearance-cleared_on-error"' in refused.text
    assert 'value="Dr Lee, GP"' in refused.text
    form["cleared_on"] = app.clock.today().isoformat()
    cleared = coach.post(f"{address}/clearance", data=form)
    assert "The clearance is recorded" in cleared.text
