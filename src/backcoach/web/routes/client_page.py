"""A client's page for their coach (/coach/clients/{client_id}): an open referral first, then
the current program with its reasons, the changes in the questionnaires, the timeline (paged
back with ?before=YYYY-MM-DD), how the program came to be, and the charts the client sees on
their own Progress page. Everything shown is services/client_record.py's; this page says it.

Its days are the client's (their time zone, else the server's: services/client_day.py), and
so are its times, each said with its zone: a check-in under the client's 25 November reads
"07:10 NZDT", not the coach's evening before.

Whoever is not the client's coach or a colleague of that coach's practice gets the same
"not found" as for an account that does not exist, or an address that is not a client's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from backcoach.catalogue import default_catalogue
from backcoach.engine.reasons import Reason
from backcoach.engine.vocabulary import Decision
from backcoach.services.client_day import client_zone
from backcoach.services.client_record import (
    WEEKS,
    ClientRecord,
    client_record,
)
from backcoach.services.errors import Forbidden, NotFound
from backcoach.web.charts import progress_charts
from backcoach.web.client_refusal import no_such_client
from backcoach.web.deps import CurrentPrincipal, PagesDep, PersonClockDep, ServerZoneDep, UowDep
from backcoach.web.training_view import AMOUNT_LABELS
from backcoach.wording import DECISION_WORDS, EASES_OFF, dose_words
from backcoach.wording.change_words import say_change
from backcoach.wording.client_words import (
    change_words,
    felt_words,
    instrument_words,
    leg_words,
    override_words,
    screening_words,
    sign_label,
    urgency_words,
)
from backcoach.wording.i18n import gettext
from backcoach.wording.reasons import say, say_note
from backcoach.wording.screening_words import say_reasons

router = APIRouter()
#: Account ids are 32-bit integers in the database; a larger number names no one.
LARGEST_ID = 2**31 - 1
#: The oldest day the timeline pages back to (older is no one's history, and the date
#: arithmetic of a window must stay in range).
OLDEST_DAY = dt.date(1970, 1, 1)


def _client_number(client_id: str) -> int:
    if not client_id.isascii() or not client_id.isdigit() or len(client_id) > 10:
        raise no_such_client()
    number = int(client_id)
    if not 1 <= number <= LARGEST_ID:
        raise no_such_client()
    return number


def _before(given: str | None, today: dt.date) -> dt.date | None:
    if not given:
        return None
    try:
        day = dt.date.fromisoformat(given)
    except ValueError:
        day = None
    if day is None or len(given) != 10 or not OLDEST_DAY <= day <= today + dt.timedelta(days=1):
        raise HTTPException(
            status_code=400,
            detail=gettext(
                "before: give a day as YYYY-MM-DD, from {oldest} up to tomorrow."
            ).format(oldest=OLDEST_DAY.isoformat()),
        )
    return day


@router.get("/coach/clients/{client_id}")
def client_page(
    request: Request,
    client_id: str,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    server_zone: ServerZoneDep,
    pages: PagesDep,
) -> Response:
    number = _client_number(client_id)
    now = clock.now()
    # The client's day, not the coach's: the window ends on the client's today.
    zone = client_zone(uow, principal, number, server_zone)
    today = now.astimezone(zone).date()
    before = _before(request.query_params.get("before"), today)
    try:
        record = client_record(
            uow=uow,
            principal=principal,
            client_id=number,
            today=today,
            zone=zone,
            now=now,
            weeks=WEEKS,
            before=before,
        )
    except (NotFound, Forbidden):
        raise no_such_client() from None
    return pages.render(request, "client.html", _context(record, zone))


def _context(record: ClientRecord, zone: dt.tzinfo) -> dict[str, Any]:
    catalogue = default_catalogue()

    def exercise_name(exercise_id: str) -> str:
        try:
            return catalogue.get(exercise_id).name
        except KeyError:
            return exercise_id

    def amount_label(exercise_id: str) -> str:
        try:
            return gettext(AMOUNT_LABELS[catalogue.get(exercise_id).dose]).lower()
        except KeyError:
            return ""

    def local(at: dt.datetime) -> str:
        # In the client's zone, and said (the coach may be in another one).
        return at.astimezone(zone).strftime("%-d %b %Y, %H:%M %Z")

    progress = record.progress
    return {
        "title": record.name,
        "nav": "coach",
        "record": record,
        "base": f"/coach/clients/{record.client_id}",
        "charts": progress_charts(progress),
        "statements": {key: say_change(change) for key, change in progress.changes.items()},
        "referral_reasons": say_reasons(record.referral) if record.referral else [],
        "say": say,
        "say_note": say_note,
        "decision_words": decision_words,
        "dose_words": dose_words,
        "exercise_name": exercise_name,
        "amount_label": amount_label,
        "felt_words": felt_words,
        "leg_words": leg_words,
        "instrument_words": instrument_words,
        "change_words": change_words,
        "urgency_words": urgency_words,
        "screening_words": screening_words,
        "override_words": override_words,
        "sign_label": sign_label,
        "local": local,
    }


def decision_words(decision: Decision, reason: Reason) -> str:
    """A decision in words; a hold with fewer sets while pain settles is said as easing off."""
    if decision is Decision.HOLD and reason.code.startswith("ease_off."):
        return gettext(EASES_OFF)
    return DECISION_WORDS[decision]
