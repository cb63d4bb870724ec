"""The session player: each set saved as it is done (form post, or fetch from player.js), then
the finish form and the engine's decision for next time."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from backcoach.engine.log import VERY_HIGH_PAIN_BEFORE
from backcoach.services import safety, stops, training, training_checks
from backcoach.services.errors import Conflict, Invalid, NotFound, ServiceError
from backcoach.services.programs import ProgramView
from backcoach.services.safety import Gate, ProgramClosed
from backcoach.services.sets import SetView
from backcoach.services.today import NextStep, today_view
from backcoach.services.training import SessionFinished, SessionView
from backcoach.web.camera_view import offered_camera
from backcoach.web.deps import CurrentPrincipal, FormDep, PagesDep, PersonClockDep, UowDep
from backcoach.web.routes.accounts import redirect
from backcoach.web.routes.caution import caution_context
from backcoach.web.security import allow_camera
from backcoach.web.training_forms import (
    LEG_SYMPTOM_CHOICES,
    add_problems,
    leg_symptoms,
    name_fields,
    pain,
    set_input,
)
from backcoach.web.training_view import (
    FELT_CHOICES,
    day_note_words,
    exercise_views,
    player_views,
)
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import gettext

router = APIRouter()
#: Rest between sets offered by the player's timer (seconds); the first is the default.
REST_CHOICES = (90, 60)
#: Pain before a session from which the page advises the mobility drills only.
HIGH_PAIN_BEFORE = VERY_HIGH_PAIN_BEFORE  # one threshold with the engine's (engine/log.py)
#: The fields of one set's form that show their own message.
SET_FIELDS = frozenset({"reps", "seconds", "steps", "load_kg", "rir", "felt"})


def own_session(
    uow: UowDep, principal: CurrentPrincipal, clock: PersonClockDep, session_id: int
) -> SessionView:
    """This person's session, or 404: someone else's looks exactly like a missing one."""
    try:
        return training.get_session(
            uow=uow,
            principal=principal,
            person_id=principal.user_id,
            session_id=session_id,
            now=clock.now(),
        )
    except NotFound:
        raise HTTPException(
            status_code=404, detail=gettext("That session does not exist.")
        ) from None


@router.get("/session/planned")
def planned(
    request: Request,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    """Today's session before it starts, the pain question first. Without JavaScript the
    question starts it as Today's form does; with it, the player starts it on the phone
    (a "start" in the outbox, static/player.js), so a session can begin with no signal."""
    view = today_view(
        uow=uow,
        principal=principal,
        person_id=principal.user_id,
        today=clock.today(),
        now=clock.now(),
    )
    if view is None:
        return redirect("/start")
    if view.open_session is not None:  # one session at a time: the one already under way
        return redirect(f"/session/{view.open_session.id}")
    if view.next_step is NextStep.SCREEN_AGAIN:
        return redirect("/onboarding/screening")
    program = view.program
    views = player_views(program, ())
    files = offered_camera(views)
    response = pages.render(
        request,
        "session.html",
        {
            "title": gettext("Your session"),
            "nav": "today",
            "session": None,
            "program": program,
            "exercises": views,
            "felt_choices": FELT_CHOICES,
            "leg_choices": LEG_SYMPTOM_CHOICES,
            "cautions": caution_context(program)["cautions"],
            "high_pain": HIGH_PAIN_BEFORE,
            "rest_choices": REST_CHOICES,
            "summary": {},
            "errors": {},
            "values": {},
            "camera_files": files,
        },
    )
    return allow_camera(response) if files else response


@router.get("/session/{session_id}")
def player(
    request: Request,
    session_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    session = own_session(uow, principal, clock, session_id)
    if session.finished_at is not None:
        return redirect(f"/session/{session.id}/done")
    closed = _closed(uow, principal, clock)
    if closed is not None:  # a red flag since it started, or the questions are due again
        return closed
    return _player_page(request, pages, uow, principal, clock, session)


def _closed(uow: UowDep, principal: CurrentPrincipal, clock: PersonClockDep) -> Response | None:
    """Where to send a person the gate stops: the questions again, or /start (a referral)."""
    state = safety.program_gate(
        uow=uow,
        principal=principal,
        person_id=principal.user_id,
        now=clock.now(),
        today=clock.today(),
    )
    if state is Gate.OPEN:
        return None
    return redirect("/onboarding/screening" if state is Gate.RESCREEN else "/start")


@router.post("/session/{session_id}/sets")
def save_set(
    request: Request,
    form: FormDep,
    session_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    wants_json = "application/json" in request.headers.get("accept", "")
    entry = set_input(form.values, form.errors)
    if entry is not None:
        # The common path: one service call checks the session, the gate and the set's rules.
        try:
            saved = training.log_set(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                session_id=session_id,
                entry=entry,
                now=clock.now(),
                today=clock.today(),
            )
        except NotFound:
            return _no_session(wants_json)
        except SessionFinished:  # finished in another tab a moment ago
            return _finished_at(session_id, wants_json)
        except ProgramClosed as shut:
            if wants_json:
                return _json_errors({"program": error_words(shut.code, shut.params)}, 409)
            return redirect("/onboarding/screening" if shut.gate is Gate.RESCREEN else "/start")
        except Invalid as refused:  # the set's rules: every field with a problem is named
            add_problems(form.errors, refused)
        except ServiceError as error:
            form.errors[error.field or "form"] = error_words(error.code, error.params)
        else:
            if wants_json:
                return JSONResponse({"saved": True, "set": _set_json(saved)})
            return redirect(f"/session/{session_id}#exercise-{saved.exercise_id}")
    # A set with problems: the same checks in the same order before the player shows them.
    try:
        session = training.get_session(
            uow=uow,
            principal=principal,
            person_id=principal.user_id,
            session_id=session_id,
            now=clock.now(),
        )
    except NotFound:
        return _no_session(wants_json)
    if session.finished_at is not None:
        return _finished(session, wants_json)
    closed = _closed(uow, principal, clock)
    if closed is not None:  # checked first: a refused set must not show the program either
        if wants_json:
            return _json_errors({"program": error_words("program.referred", {})}, 409)
        return closed
    errors = name_fields(form.errors)
    if wants_json:
        return _json_errors(errors, 422)
    typed = _typed_set(form.values, errors)
    return _player_page(
        request, pages, uow, principal, clock, session, typed=typed, status_code=422
    )


def _no_session(wants_json: bool) -> Response:
    if wants_json:
        return _json_errors({"session": gettext("That session does not exist.")}, 404)
    raise HTTPException(status_code=404, detail=gettext("That session does not exist."))


@router.post("/session/{session_id}/finish")
def finish(
    request: Request,
    form: FormDep,
    session_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    session = own_session(uow, principal, clock, session_id)
    if session.finished_at is not None:  # a second tap on Finish
        return redirect(f"/session/{session.id}/done")
    during = pain(form.values, "pain_during", form.errors)
    after = pain(form.values, "pain_after", form.errors)
    legs = leg_symptoms(form.values, form.errors)
    if during is not None and after is not None and legs is not None:
        try:
            # A session with no set saved is refused, not counted as done (issue 13).
            result = training_checks.finish_trained(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                session_id=session.id,
                pain_during=during,
                pain_after=after,
                leg_symptoms=legs,
                today=clock.today(),
                now=clock.now(),
            )
        except Invalid as refused:
            add_problems(form.errors, refused)
        except Conflict as refused:  # no set saved: named above the form
            form.errors["finish"] = error_words(refused.code, refused.params)
        else:
            if result is None:  # the gate is shut (a red flag): the log is kept, no program
                return redirect("/start")
            return redirect(f"/session/{session.id}/done")
    gate = safety.program_gate(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    if gate is not Gate.OPEN:
        return redirect("/start")  # no program on show while the gate is shut
    return _player_page(
        request,
        pages,
        uow,
        principal,
        clock,
        session,
        errors=name_fields(form.errors),
        values=form.values,
        status_code=422,
    )


@router.post("/session/{session_id}/stop")
def stop_exercise(
    request: Request,
    form: FormDep,
    session_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
) -> Response:
    """ "This hurts / I can't do it": the easier rung instead, or a skip, kept with why."""
    session = own_session(uow, principal, clock, session_id)
    if session.finished_at is not None:
        return redirect(f"/session/{session.id}/done")
    closed = _closed(uow, principal, clock)
    if closed is not None:
        return closed
    exercise_id = form.values.get("exercise_id")
    exercise_id = exercise_id if isinstance(exercise_id, str) else ""
    undo = form.values.get("undo") == "1"
    problem = ""
    shown = exercise_id  # the exercise the page comes back at: the easier rung after a swap
    try:
        if undo:
            stops.undo_stop(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                session_id=session.id,
                exercise_id=exercise_id,
                now=clock.now(),
            )
        else:
            kept = stops.record_stop(
                uow=uow,
                principal=principal,
                person_id=principal.user_id,
                session_id=session.id,
                exercise_id=exercise_id,
                reason=_text(form.values, "reason"),
                action=_text(form.values, "action"),
                now=clock.now(),
                today=clock.today(),
            )
            shown = kept.to_exercise_id or exercise_id
    except Invalid as refused:
        problem = " ".join(error_words(p.code, p.params) for p in refused.problems)
    except ServiceError as refused:
        problem = error_words(refused.code, refused.params)
    if not problem:
        return redirect(f"/session/{session.id}#exercise-{shown}")
    return _player_page(
        request,
        pages,
        uow,
        principal,
        clock,
        session,
        errors={f"stop-{exercise_id}": problem},
        status_code=422,
    )


def _text(values: dict[str, Any], name: str) -> str:
    value = values.get(name)
    return value if isinstance(value, str) else ""


@router.get("/session/{session_id}/done")
def done(
    request: Request,
    session_id: int,
    principal: CurrentPrincipal,
    uow: UowDep,
    clock: PersonClockDep,
    pages: PagesDep,
    checked: str = "",
) -> Response:
    session = own_session(uow, principal, clock, session_id)
    if session.finished_at is None:
        return redirect(f"/session/{session.id}")
    program = training.current_program(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    if program is None:
        return redirect("/start")
    return pages.render(
        request,
        "done.html",
        {
            "title": gettext("Session done"),
            "nav": "today",
            "session": session,
            "program": program,
            "exercises": exercise_views(program),
            "day_notes": day_note_words(program),
            "sets_saved": len(session.sets),
            "checked": checked == "1",
        },
    )


def _program(
    uow: UowDep, principal: CurrentPrincipal, clock: PersonClockDep, session: SessionView
) -> ProgramView:
    return training.session_program(
        uow=uow,
        principal=principal,
        person_id=principal.user_id,
        session_id=session.id,
        now=clock.now(),
    )


def _player_page(
    request: Request,
    pages: PagesDep,
    uow: UowDep,
    principal: CurrentPrincipal,
    clock: PersonClockDep,
    session: SessionView,
    *,
    typed: tuple[str, int, dict[str, str], dict[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    program = _program(uow, principal, clock, session)
    kept = stops.stops_of_session(
        uow=uow,
        principal=principal,
        person_id=principal.user_id,
        session_id=session.id,
        now=clock.now(),
    )
    easier = stops.easier_instead(
        uow=uow,
        principal=principal,
        person_id=principal.user_id,
        session_id=session.id,
        now=clock.now(),
    )
    views = player_views(program, session.sets, typed, stops=kept, easier=easier)
    summary = dict(errors or {})
    if typed is not None:
        exercise_id, number, _, set_errors = typed
        view = next((v for v in views if v.exercise.id == exercise_id), None)
        for field, message in set_errors.items():
            # Each message links to its field; one with no field of its own, to the exercise.
            if view is not None and 1 <= number <= len(view.slots) and field in SET_FIELDS:
                key = f"s-{exercise_id}-{number}-{field}"
            else:
                key = view.anchor if view is not None else "form"
            summary.setdefault(key, message)
    files = offered_camera(views)
    response = pages.render(
        request,
        "session.html",
        {
            "title": gettext("Your session"),
            "nav": "today",
            "session": session,
            "program": program,
            "exercises": views,
            "felt_choices": FELT_CHOICES,
            "leg_choices": LEG_SYMPTOM_CHOICES,
            "cautions": caution_context(program)["cautions"],
            "high_pain": HIGH_PAIN_BEFORE,
            "rest_choices": REST_CHOICES,
            "summary": summary,
            "errors": errors or {},
            "values": values or {},
            "camera_files": files,
        },
        status_code=status_code,
    )
    return allow_camera(response) if files else response


def _typed_set(
    values: dict[str, Any], errors: dict[str, str]
) -> tuple[str, int, dict[str, str], dict[str, str]]:
    exercise_id = values.get("exercise_id")
    number = values.get("number")
    shown = {k: v[:100] for k, v in values.items() if isinstance(v, str)}
    return (
        exercise_id if isinstance(exercise_id, str) else "",
        int(number) if isinstance(number, str) and number.isdecimal() and len(number) < 3 else 0,
        shown,
        errors,
    )


def _set_json(saved: SetView) -> dict[str, Any]:
    return {
        "exercise_id": saved.exercise_id,
        "number": saved.number,
        "amount": saved.amount,
        "load_kg": saved.load_kg,
        "rir": saved.rir,
        "camera_reps": saved.camera_reps,
        "felt": saved.felt.value,
    }


def _finished(session: SessionView, wants_json: bool) -> Response:
    return _finished_at(session.id, wants_json)


def _finished_at(session_id: int, wants_json: bool) -> Response:
    if wants_json:
        return _json_errors({"session": error_words("session.finished", {})}, 409)
    return redirect(f"/session/{session_id}/done")


def _json_errors(errors: dict[str, str], status: int) -> JSONResponse:
    return JSONResponse({"saved": False, "errors": errors}, status_code=status)
