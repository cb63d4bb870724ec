"""The person's program as a printable handout (PDF), drawn like the pages (reports/)."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.engine.plan import Plan
from backcoach.reports.program_pdf import handout_filename, program_pdf
from backcoach.services import training
from backcoach.services.programs import ProgramView
from backcoach.web.deps import CurrentPrincipal, PagesDep, PersonClockDep, UowDep
from backcoach.wording.i18n import gettext

router = APIRouter()


@router.get("/program.pdf")
def program_handout(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    program = training.current_program(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    if program is None:
        context = {
            "title": gettext("No program to print yet"),
            "detail": gettext(
                "There is nothing to print until backcoach has made your program. "
                "Answer the questions from the start page first."
            ),
        }
        return pages.render(request, "error.html", context, status_code=404)
    today = clock.today()
    return Response(
        program_pdf(_as_shown(program), today=today),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{handout_filename(today)}"',
            "Cache-Control": "no-store",  # a person's health data: never kept by a proxy
        },
    )


def _as_shown(program: ProgramView) -> Plan:
    """The plan with each exercise's last decision and cue, as Today shows them."""
    items = []
    for item in program.plan.exercises:
        step = program.next_steps.get(item.exercise.id)
        items.append(
            item if step is None else item.with_changes(decision=step.decision, cue=step.cue)
        )
    # The plan read back keeps the day's notes (formats.plan reads their codes).
    return replace(program.plan, exercises=tuple(items))
