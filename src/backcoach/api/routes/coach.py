"""API routes: the coach's resources (issue 12, item 4), over the same services as the coach's
pages (web/routes/coaching.py, client_page.py, overrides.py, cohort.py): the caseload sorted by
attention, acknowledging an item, a client's record, overrides and a clinician's clearance,
invitations and ending a link, and the cohort's figures as JSON and CSV. Notes and messages are
in routes/messages.py.

Only a coach's token reaches these (`CoachDep`: anyone else gets a 403 problem). A client the
coach may not read (no open link to them or their practice), one that does not exist and an id
no account can have all get one answer, ``client.not_found`` (404), as on the pages
(web/client_refusal.py): an id tells nothing about whose it is. Every read of a client is
written to the audit log by the services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response, status

from backcoach.api.coach_models import (
    TYPED,
    Acknowledgement,
    AttentionReason,
    CaseloadClient,
    ClientAttention,
    ClientRecordOut,
    CohortFigure,
    CohortOut,
    InvitationOut,
)
from backcoach.api.deps import CallerDayDep, CoachDep, ServerZoneDep, UowDep
from backcoach.api.override_models import (
    ClearanceIn,
    ClearanceOut,
    OverrideIn,
    OverrideOut,
    ProgramOverrides,
)
from backcoach.api.pagination import Page, Window, WindowDep
from backcoach.api.problems import PROBLEM_RESPONSES
from backcoach.engine.vocabulary import Category, Equipment
from backcoach.services import caseload, clearance, coaching, cohort, messages, overrides
from backcoach.services.access import MAX_ID
from backcoach.services.client_day import client_today, client_zone
from backcoach.services.client_program import SwapFilter, client_program
from backcoach.services.client_record import WEEKS, client_record
from backcoach.services.cohort_figures import COLUMNS, csv_text, figure_rows
from backcoach.services.errors import Forbidden, NotFound

router = APIRouter(responses=PROBLEM_RESPONSES, tags=["coach"])
#: The oldest day the timeline pages back to (the window's date arithmetic stays in range).
OLDEST_DAY = dt.date(1970, 1, 1)


def _client_id(
    caller: CoachDep, client_id: Annotated[int, Path(description="The client's account id.")]
) -> int:
    """The client an address names: an id no account has, or the coach's own, names no client."""
    if not 0 < client_id < MAX_ID or client_id == caller.user_id:
        raise NotFound("client.not_found", field="client_id")
    return client_id


ClientId = Annotated[int, Depends(_client_id)]


@contextmanager
def one_answer() -> Iterator[None]:
    """Someone else's client is answered as no client at all (the pages' one answer)."""
    try:
        yield
    except Forbidden:
        raise NotFound("client.not_found", field="client_id") from None


# --- the caseload -------------------------------------------------------------------------------


@router.get("/coach/clients", summary="The caseload, most in need of attention first")
def list_caseload(
    caller: CoachDep,
    uow: UowDep,
    day: CallerDayDep,
    server_zone: ServerZoneDep,
    window: WindowDep,
    scope: Annotated[caseload.Scope, Query(description="`practice`: their clients too.")] = "mine",
    show: Annotated[caseload.Show, Query(description="`attention`: only those to see.")] = "all",
    q: Annotated[
        str, Query(max_length=caseload.MAX_QUERY, pattern=TYPED, description="Part of a name.")
    ] = "",
) -> Page[CaseloadClient]:
    """The coach's clients (``scope=practice``: their practice's too) sorted by attention, then
    the day it began, then name; each with its reasons as codes, parameters and words, and the
    client's messages the coach has not read. The service pages by whole pages, so ``offset``
    is taken down to a multiple of ``limit``."""
    number = window.offset // window.limit + 1
    found = caseload.caseload(
        uow=uow,
        principal=caller.principal,
        now=day.now,
        today=day.today,
        scope=scope,
        query=q,
        show=show,
        page=number,
        per_page=window.limit,
        server_zone=server_zone,
    )
    # The service shows its last page for one past the end; a window past the end is empty.
    rows = found.rows if found.page == number else ()
    unread = messages.unread_by_client(
        uow=uow, principal=caller.principal, client_ids=tuple(row.client_id for row in rows)
    )
    items = [CaseloadClient.of(row, caller.user_id, unread.get(row.client_id, 0)) for row in rows]
    return Window(window.limit, (number - 1) * window.limit).page(items, found.total)


@router.post(
    "/coach/clients/{client_id}/attention/{code}/acknowledge",
    summary="Acknowledge an attention item",
)
def acknowledge(
    client_id: ClientId,
    code: Annotated[str, Path(max_length=64, description="The item's code: attention.flare")],
    caller: CoachDep,
    uow: UowDep,
    day: CallerDayDep,
    server_zone: ServerZoneDep,
    body: Acknowledgement | None = None,
) -> ClientAttention:
    """The coach saw the item (with an optional note): it drops until it happens again on a
    later day. A red flag cannot be acknowledged (409): only a clinician's clearance closes it.
    Answers what still needs attention."""
    with one_answer():
        left = caseload.acknowledge(
            uow=uow,
            principal=caller.principal,
            client_id=client_id,
            code=code,
            note=body.note if body else "",
            now=day.now,
            server_zone=server_zone,
        )
    return ClientAttention(
        client_id=client_id, reasons=[AttentionReason.of_item(item) for item in left]
    )


# --- a client's record ---------------------------------------------------------------------------


@router.get("/coach/clients/{client_id}", summary="A client's record and timeline")
def client(
    client_id: ClientId,
    caller: CoachDep,
    uow: UowDep,
    day: CallerDayDep,
    server_zone: ServerZoneDep,
    before: Annotated[
        dt.date | None,
        Query(ge=OLDEST_DAY, description="Older entries: the `older_before` of a newer window."),
    ] = None,
) -> ClientRecordOut:
    """Who the client is, an open referral, the current program with each decision and its
    reason (and who decided), the latest program versions, and one window of the timeline
    (twelve weeks, newest first: sessions with their sets, pains and leg symptoms, check-ins,
    tight moments, measures with their changes and MCIDs). Days are the client's own."""
    zone = client_zone(uow, caller.principal, client_id, server_zone)
    with one_answer():
        record = client_record(
            uow=uow,
            principal=caller.principal,
            client_id=client_id,
            today=day.now.astimezone(zone).date(),
            zone=zone,
            now=day.now,
            weeks=WEEKS,
            before=before,
        )
    return ClientRecordOut.of(record)


# --- overrides and clearance --------------------------------------------------------------------


@router.get("/coach/clients/{client_id}/overrides", summary="A client's overrides and choices")
def list_overrides(
    client_id: ClientId,
    caller: CoachDep,
    uow: UowDep,
    day: CallerDayDep,
    category: Annotated[Category | None, Query(description="Swaps of this category.")] = None,
    kit: Annotated[Equipment | None, Query(description="Swaps that use this kit.")] = None,
    no_kit: Annotated[bool, Query(description="Swaps that need no kit.")] = False,
    level: Annotated[int | None, Query(ge=0, le=9)] = None,
    position: Annotated[str | None, Query(max_length=20, pattern=r"^[a-z_]+$")] = None,
) -> ProgramOverrides:
    """The overrides (the newest 200, active and undone, with who and when), what may be
    swapped in (filtered by category, kit, level, position) or added, and the clearance kept."""
    swap_filter = SwapFilter(
        category=category,
        kit="none" if no_kit else kit.value if kit else None,
        level=level,
        position=position,
    )
    with one_answer():
        found = client_program(
            uow=uow,
            principal=caller.principal,
            client_id=client_id,
            now=day.now,
            swap_filter=swap_filter,
        )
    return ProgramOverrides.of(found)


@router.post(
    "/coach/clients/{client_id}/overrides",
    status_code=status.HTTP_201_CREATED,
    summary="Override the client's program",
)
def add_override(
    client_id: ClientId,
    body: Annotated[OverrideIn, Body(discriminator="kind")],
    caller: CoachDep,
    uow: UowDep,
    day: CallerDayDep,
    server_zone: ServerZoneDep,
) -> OverrideOut:
    """Swap an exercise, set or lock a dose, hold progression (one exercise or all), add an
    exercise, or change the days. It applies at once; the engine keeps it, never above what
    easing off after a flare holds; the client reads the note. What the engine finds impossible
    is a 422 naming each field; a closed program (a referral) is a 409."""
    values: dict[str, Any] = body.model_dump(exclude={"kind", "note"})
    with one_answer():
        made = overrides.add_override(
            uow=uow,
            principal=caller.principal,
            client_id=client_id,
            kind=body.kind,
            values=values,
            note=body.note,
            today=client_today(uow, caller.principal, client_id, day.now, server_zone),
            now=day.now,
        )
    return OverrideOut.of(made)


@router.post("/coach/clients/{client_id}/overrides/{override_id}/undo", summary="Undo an override")
def undo_override(
    client_id: ClientId,
    override_id: int,
    caller: CoachDep,
    uow: UowDep,
    day: CallerDayDep,
    server_zone: ServerZoneDep,
) -> OverrideOut:
    """Mark it undone (who, when) and give back what it changed, never above what easing off
    holds now. Undoing one already undone changes nothing."""
    with one_answer():
        undone = overrides.undo_override(
            uow=uow,
            principal=caller.principal,
            client_id=client_id,
            override_id=override_id,
            today=client_today(uow, caller.principal, client_id, day.now, server_zone),
            now=day.now,
        )
    return OverrideOut.of(undone)


@router.post("/coach/clients/{client_id}/clearance", summary="Record a clinician's clearance")
def record_clearance(
    client_id: ClientId,
    body: ClearanceIn,
    caller: CoachDep,
    uow: UowDep,
    day: CallerDayDep,
    server_zone: ServerZoneDep,
) -> ClearanceOut:
    """A clinician cleared the client's red flag (who, on which day of the client's, a note):
    the program opens again. Nothing to clear is a 409."""
    with one_answer():
        kept = clearance.record_by_coach(
            uow=uow,
            principal=caller.principal,
            client_id=client_id,
            clinician=body.clinician,
            cleared_on=body.cleared_on,
            note=body.note,
            today=client_today(uow, caller.principal, client_id, day.now, server_zone),
            now=day.now,
            server_zone=server_zone,
        )
    return ClearanceOut(cleared_at=kept.cleared_at, note=kept.note)


# --- invitations and links ----------------------------------------------------------------------


@router.post("/coach/invitations", status_code=status.HTTP_201_CREATED, summary="Invite a client")
def invite(request: Request, caller: CoachDep, uow: UowDep, day: CallerDayDep) -> InvitationOut:
    """A single-use invitation link, valid for a few days; the client opens it, sees what will
    be shared and agrees. Shown this once."""
    made = coaching.create_invite(uow=uow, principal=caller.principal, now=day.now)
    # The join page is the web app's, outside the API's mount.
    site = str(request.base_url).rstrip("/").removesuffix(request.scope.get("root_path", ""))
    return InvitationOut(
        token=made.token, link=f"{site}/join/{made.token}", expires_at=made.expires_at
    )


@router.post(
    "/coach/links/{link_id}/end",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="End the link to a client",
)
def end_link(link_id: int, caller: CoachDep, uow: UowDep, day: CallerDayDep) -> Response:
    """The coach (or the client) ends a link: the coach sees nothing new after, and the coach's
    overrides leave the program. Ending it again changes nothing."""
    coaching.end_link(uow=uow, principal=caller.principal, link_id=link_id, now=day.now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- cohort outcomes ----------------------------------------------------------------------------


ScopeQuery = Annotated[cohort.Scope, Query(description="`practice`: the practice's clients.")]


def _cohort(
    caller: CoachDep, uow: UowDep, day: CallerDayDep, scope: ScopeQuery = "mine"
) -> cohort.CohortView:
    return cohort.cohort(
        uow=uow,
        principal=caller.principal,
        scope=scope,
        today=day.today,
        now=day.now,
        zone=day.zone,
    )


CohortDep = Annotated[cohort.CohortView, Depends(_cohort)]


@router.get("/coach/cohort", summary="Cohort outcomes")
def cohort_figures(view: CohortDep) -> CohortOut:
    """Active clients, median adherence, the share reaching the MCID on NPRS, ODI/RMDQ and PSFS
    at 6 and 12 weeks, pain before sessions by program week and its trend, sets felt in the low
    back: figures only, never a row per client."""
    return CohortOut(
        scope=view.scope,
        has_practice=view.has_practice,
        min_clients=view.min_clients,
        figures=[CohortFigure(**dict(zip(COLUMNS, row, strict=True))) for row in figure_rows(view)],
    )


@router.get(
    "/coach/cohort.csv",
    summary="Cohort outcomes as CSV",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One row per figure."}},
)
def cohort_csv(view: CohortDep, day: CallerDayDep) -> Response:
    """The same figures as the Outcomes page's CSV, with its column headings."""
    filename = f"backcoach-outcomes-{view.scope}-{day.today.isoformat()}.csv"
    return Response(
        csv_text(view),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
