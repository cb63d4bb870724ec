"""The account's forms over HTTP: the program's settings (kit, level, days, weekdays) with the
before/after list, a pause and resuming, a new email; and two form bugs of issue 13 (many kit
values; the clearance forms dropping what was entered). Pages behave alike on both databases:
SQLite only."""

from __future__ import annotations

import datetime as dt
import gettext
import re
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from backcoach.engine.screening import RED_FLAGS
from backcoach.store.tables import User
from backcoach.wording.i18n import translations_in
from tests.integration.coaching_steps import accept, coach, invite
from tests.integration.onboarded import Onboarded
from tests.integration.override_steps import log_in, refer
from tests.training_app import PASSWORD, App, onboard, sign_up, token

DATABASES = ("sqlite",)
PAGE = "/account/program"


def _post(client: TestClient, path: str, data: dict[str, Any], page: str = PAGE) -> Any:
    return client.post(path, data={**data, "csrftoken": token(client.get(page).text)})


def _errors(html: str) -> list[str]:
    return re.findall(r'<p class="error"[^>]*>([^<]*)</p>', html)


def test_the_settings_page_changes_the_program_and_says_what_changed(ana: Onboarded) -> None:
    app, client = ana.app, ana.client  # a beginner with a band, four days
    page = client.get(PAGE)
    assert page.status_code == 200
    assert 'value="band" checked' in page.text and 'value="4"' in page.text

    changed = _post(
        client,
        PAGE,
        {"level": "intermediate", "days_per_week": "3", "equipment[]": ["band", "band"]}
        | {"weekdays[]": ["mon", "wed", "fri"]},
    )

    assert changed.status_code == 200 and changed.url.path == PAGE
    assert "Saved: what changed in your program" in changed.text
    assert "→" in changed.text and "a harder start that fits your experience" in changed.text
    assert "You train on Monday, Wednesday, Friday from now on." in changed.text
    assert 'value="intermediate" checked' in changed.text
    program = app.program("ana@example.com").plan
    assert (program.profile.days_per_week, program.profile.weekdays) == (3, (0, 2, 4))
    assert {day.weekday() for day in program.schedule} <= {0, 2, 4}


def test_unknown_kit_or_days_are_field_messages_and_keep_what_was_ticked(ana: Onboarded) -> None:
    client = ana.client
    refused = _post(
        client,
        PAGE,
        {"level": "beginner", "days_per_week": "2"}
        | {"equipment[]": ["band", "rowing_machine"], "weekdays[]": ["mon", "wed", "fri"]},
    )
    assert refused.status_code == 422
    assert "Please tick only the kit listed here." in _errors(refused.text)
    refused = _post(
        client,
        PAGE,
        {"level": "beginner", "days_per_week": "2", "weekdays[]": ["mon", "wed", "fri"]},
    )
    assert refused.status_code == 422
    assert "Weekdays ticked: 3; days a week: 2." in refused.text
    assert 'value="fri" checked' in refused.text
    # Fewer weekdays than days would plan fewer sessions than asked: refused too.
    fewer = _post(client, PAGE, {"level": "beginner", "days_per_week": "3", "weekdays[]": ["tue"]})
    assert fewer.status_code == 422
    assert "Weekdays ticked: 1; days a week: 3." in fewer.text


def test_more_than_twenty_kit_values_at_onboarding_are_no_server_error(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    page = client.get("/onboarding/screening")
    answers = {flag.id: "no" for flag in RED_FLAGS} | {"age": "44", "pregnancy": "none"}
    page = client.post("/onboarding/screening", data={**answers, "csrftoken": token(page.text)})
    measures = {"nprs": "4", "psfs_name_1": "Socks", "psfs_score_1": "4", "startback_none": "yes"}
    page = client.post("/onboarding/measures", data={**measures, "csrftoken": token(page.text)})
    page = client.get("/onboarding/profile")
    base = {"level": "beginner", "days_per_week": "4", "csrftoken": token(page.text)}

    unknown = client.post("/onboarding/profile", data={**base, "equipment[]": ["x"] * 21})
    assert unknown.status_code == 422
    assert _errors(unknown.text) == ["Please tick only the kit listed here."]

    repeated = client.post("/onboarding/profile", data={**base, "equipment[]": ["band"] * 21})
    assert repeated.url.path == "/today"
    assert app.program("ana@example.com").plan.profile.equipment == frozenset({"band"})


def test_a_pause_is_kept_shown_and_resumed(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    today = app.clock.today().isoformat()
    refused = _post(client, "/account/pause", {"starts_on": today, "ends_on": "2026-11-01"})
    assert refused.status_code == 422
    assert "The last day of the pause cannot be before its first day." in _errors(refused.text)
    assert 'value="2026-11-01"' in refused.text  # what was typed stays to be corrected
    assert 'href="#pause-ends_on">Last day of the pause: The last day' in refused.text

    paused = _post(client, "/account/pause", {"starts_on": today, "ends_on": ""})
    assert "Your pause is saved" in paused.text
    assert "Your program is paused until you resume it." in paused.text
    assert app.program("ana@example.com").plan.schedule == ()
    for page in ("/today", "/schedule", "/progress"):  # a program with no day ahead reads fine
        assert client.get(page).status_code == 200, page
    today_page = client.get("/today").text
    assert "Your program is paused" in today_page and "A paused day is not a missed" in today_page
    assert "Train today anyway (this ends the pause)" in today_page
    feed = app.query(select(User.calendar_token).where(User.email == "ana@example.com"))
    events = client.get(f"/calendar/{feed}.ics").text
    assert f"DTSTART;VALUE=DATE:{app.clock.today():%Y%m%d}" not in events  # today is paused

    resumed = _post(client, "/account/resume", {})
    assert "Welcome back" in resumed.text and "Resume my program now" not in resumed.text
    assert app.program("ana@example.com").plan.schedule[0] == app.clock.today()
    again = _post(client, "/account/resume", {})
    assert again.status_code == 409 and "Your program is not paused." in again.text


def test_every_date_that_cannot_be_is_a_message_naming_its_field_keeping_what_was_typed(
    ana: Onboarded,
) -> None:
    app, client = ana.app, ana.client
    today = app.clock.today().isoformat()
    first_day = "Please enter the first day of the pause as a date like 2026-12-24."
    for typed, said in (
        ({"starts_on": today, "ends_on": "2026-12-3"}, "Please enter the last day of the pause"),
        ({"starts_on": "2026-12-3", "ends_on": ""}, first_day),
        ({"starts_on": "2026-02-30", "ends_on": ""}, first_day),  # the shape, but no day
        ({"starts_on": "20261224", "ends_on": ""}, first_day),  # fromisoformat takes it
        ({"starts_on": "", "ends_on": ""}, "Please enter the first day of the pause."),
        (  # the last days a date holds: no overflow, a field message
            {"starts_on": "9999-12-30", "ends_on": "9999-12-31"},
            "A pause can start at most 365 days from today: choose an earlier first day.",
        ),
    ):
        refused = _post(client, "/account/pause", typed)
        assert refused.status_code == 422, typed
        assert [error for error in _errors(refused.text) if said in error], typed
        for name, value in typed.items():
            assert f'name="{name}" type="date" min="{today}" value="{value}"' in refused.text
    assert "Resume my program now" not in client.get(PAGE).text  # no pause was kept


class _French(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return {"November": "novembre", "December": "décembre"}.get(message, message)


def test_the_pause_and_the_changes_are_dated_on_the_persons_day_in_their_language(
    ana: Onboarded,
) -> None:
    app, client = ana.app, ana.client
    zone = _post(client, "/account/time-zone", {"time_zone": "Pacific/Auckland"}, "/account")
    assert zone.status_code == 200
    app.clock.at = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)  # 1 a.m. on the 24th for Ana
    for level in ("intermediate", "beginner"):
        _post(client, PAGE, {"level": level, "days_per_week": "4", "equipment[]": ["band"]})
    _post(client, "/account/pause", {"starts_on": "2026-11-24", "ends_on": "2026-12-01"})

    with translations_in(_French()):
        page = client.get(PAGE).text

    assert "<h3>24 novembre 2026</h3>" in page  # the earlier change, on Ana's day
    assert "paused from 24 novembre 2026 to 1 décembre 2026" in page


def test_a_new_email_needs_the_current_password_and_a_free_address(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    sign_up(app, "bo@example.com")
    wrong = _post(
        client,
        "/account/email",
        {"email": "new@example.com", "current_password": "nope"},
        "/account",
    )
    assert wrong.status_code == 422
    assert "Your current password is not right." in _errors(wrong.text)
    assert 'value="new@example.com"' in wrong.text and "nope" not in wrong.text
    assert "Your current password: Your current password is not right." not in wrong.text
    for several in ("new@example.com, eve@example.org", "Eve <eve@example.org>"):
        refused = _post(
            client, "/account/email", {"email": several, "current_password": PASSWORD}, "/account"
        )
        assert refused.status_code == 422, several
        assert "Please enter an email address like name@example.com." in _errors(refused.text)
    taken = _post(
        client,
        "/account/email",
        {"email": "Bo@example.com", "current_password": PASSWORD},
        "/account",
    )
    assert "That email cannot be used for this account." in taken.text

    changed = _post(
        client,
        "/account/email",
        {"email": "New@Example.com", "current_password": PASSWORD},
        "/account",
    )
    assert "Your email is changed" in changed.text and "new@example.com" in changed.text
    assert "changed the email address" in changed.text  # the account's activity list
    assert log_in(app, "new@example.com").get("/account").status_code == 200


def test_the_persons_clearance_form_keeps_the_tick_and_note_and_names_the_real_problem(
    app: App,
) -> None:
    client = sign_up(app, "ana@example.com")
    page = client.get("/onboarding/screening")
    answers = {flag.id: "no" for flag in RED_FLAGS} | {"age": "44", "pregnancy": "none"}
    answers[RED_FLAGS[0].id] = "yes"
    page = client.post("/onboarding/screening", data={**answers, "csrftoken": token(page.text)})
    assert page.url.path == "/onboarding/referral"
    note = "Seen by Dr Lee. " * 40  # 640 characters: over the 500 kept

    too_long = client.post(
        "/onboarding/cleared",
        data={"confirm": "yes", "note": note, "csrftoken": token(page.text)},
    )

    assert too_long.status_code == 422
    assert "Tick the box" not in too_long.text
    assert _errors(too_long.text) == ["This is too long."]
    assert re.search(r'id="confirm" name="confirm" value="yes" checked', too_long.text)
    assert note.strip() in too_long.text
    unticked = client.post(
        "/onboarding/cleared", data={"note": "Seen", "csrftoken": token(page.text)}
    )
    assert "Tick the box only when a clinician has cleared you." in unticked.text
    assert ">Seen</textarea>" in unticked.text


def test_the_coachs_clearance_form_keeps_every_value_on_an_error(app: App) -> None:
    mine = coach(app, "coach@example.com")
    onboard(app)
    from sqlalchemy import select

    from backcoach.services.access import Principal, Role
    from backcoach.store.tables import User

    ana_id = app.query(select(User.id).where(User.email == "ana@example.com"))
    ana = Principal(ana_id, Role.PERSON)
    accept(app, ana, invite(app, mine))
    refer(app, ana)
    client = log_in(app, "coach@example.com")
    page = f"/coach/clients/{ana_id}/program"
    typed = {"clinician": "Dr Lee, GP", "cleared_on": "2030-01-01", "note": "Fine to train"}

    refused = _post(client, f"/coach/clients/{ana_id}/clearance", typed, page)

    assert refused.status_code == 422
    assert 'value="Dr Lee, GP"' in refused.text and 'value="2030-01-01"' in refused.text
    assert ">Fine to train</textarea>" in refused.text
    assert len(_errors(refused.text)) == 1 and "Tick" not in refused.text


def test_the_training_form_starts_from_the_choices_made_before(ana: Onboarded) -> None:
    """Back at onboarding's training form (after a clearance closed the program), nothing the
    person chose before has to be typed again."""
    client = ana.client  # a beginner with a band, four days
    page = client.get("/onboarding/profile").text
    assert 'value="band" checked' in page and 'value="4"' in page
    assert 'value="beginner" checked' in page
