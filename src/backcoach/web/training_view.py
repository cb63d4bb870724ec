"""What the training pages show: a program and its saved sets as plain rows for the templates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Exercise, Fault
from backcoach.engine.decisions import switch
from backcoach.engine.plan import PlannedExercise
from backcoach.engine.reasons import Reason
from backcoach.engine.stops import StopAction
from backcoach.engine.vocabulary import Decision, DoseType, Felt, Laterality
from backcoach.services.programs import NextStep, ProgramView
from backcoach.services.sets import AMOUNT_LIMITS, MAX_LOAD_KG, MAX_RIR, SetView
from backcoach.services.stop_log import SWAPPED_IN, StopView
from backcoach.web.camera_view import CameraView, camera_view
from backcoach.web.routes.pictures import Pictured
from backcoach.wording import DECISION_WORDS, EASES_OFF, dose_words, muscles
from backcoach.wording.i18n import N_, gettext
from backcoach.wording.reasons import say, say_note

#: Where a set was felt (M9), in the words a person would use (msgids: set_form.html says them).
FELT_CHOICES: tuple[tuple[str, str], ...] = (
    (Felt.TARGET.value, N_("In the target muscles")),
    (Felt.LOW_BACK.value, N_("Mostly in my low back")),
    (Felt.ELSEWHERE.value, N_("Somewhere else")),
    (Felt.NOTHING.value, N_("I did not really feel it")),
)

#: What the amount of a set is called, by how the exercise is dosed.
AMOUNT_LABELS = {
    DoseType.REPS: N_("Reps"),
    DoseType.SECONDS: N_("Seconds"),
    DoseType.STEPS: N_("Steps"),
}


@dataclass
class SetSlot:
    """One set's small form: what was saved (or typed) and any problems, by field name."""

    number: int
    saved: bool
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class ExerciseView(Pictured):
    item: PlannedExercise
    step: NextStep | None
    slots: list[SetSlot] = field(default_factory=list)
    #: The coach's note on this exercise, when a coach's override decided it.
    coach_note: str = ""
    #: The player's stop of this exercise ("this hurts"), if any.
    stop: StopView | None = None
    #: The planned exercise this one (its easier rung) was done instead of.
    instead_of: Exercise | None = None
    #: The easier rung "this hurts" may offer (None: only a skip).
    easier: Exercise | None = None

    @property
    def exercise(self) -> Exercise:
        return self.item.exercise

    @property
    def anchor(self) -> str:
        return f"exercise-{self.exercise.id}"

    @property
    def amount_field(self) -> str:
        return self.exercise.dose.value

    @property
    def limits(self) -> str:
        """The most a set may log, "amount load rir": the player checks a set kept on the phone
        against the same bounds as the server (services/sets.py)."""
        return f"{AMOUNT_LIMITS[self.amount_field]} {MAX_LOAD_KG} {MAX_RIR}"

    @property
    def amount_label(self) -> str:
        label = gettext(AMOUNT_LABELS[self.exercise.dose])
        return gettext("{label} (each side)").format(label=label) if self.per_side else label

    @property
    def per_side(self) -> bool:
        return self.exercise.laterality is Laterality.UNILATERAL

    @cached_property
    def camera(self) -> CameraView | None:
        """The camera coach for this exercise (None: the camera does not count it); a page
        reads it several times, and each makes the reference's JSON and cues."""
        return camera_view(self.exercise.id)

    @property
    def timed(self) -> bool:
        return self.exercise.dose is DoseType.SECONDS

    @property
    def target(self) -> str:
        """The dose in plain words: "2 sets × 8-15 reps each side, with 10 kg"."""
        return dose_words(self.item)

    @property
    def feel_in(self) -> str:
        return muscles(self.exercise.targets)

    @property
    def why(self) -> str:
        # After a decision the plan's reason explains the decision; the summary says why (and
        # for the easier rung done instead of a stopped exercise, what it is).
        if self.instead_of is not None:
            return self.exercise.summary
        if self.step is None or self.step.decision is Decision.START:
            return say(self.item.reason)
        return self.exercise.summary

    @property
    def step_words(self) -> str:
        """Why the latest decision was made, in words ("" before any decision)."""
        return say(self.step.reason) if self.step is not None else ""

    @property
    def by_coach(self) -> bool:
        """The latest decision was the coach's (an override): "Set by your coach"."""
        return self.step is not None and self.step.decided_by.kind == "coach"

    @property
    def low_back_fault(self) -> Fault | None:
        return self.exercise.low_back_fix

    @property
    def decision_words(self) -> str:
        if self.step is None:
            return ""
        if self.step.code.startswith("ease_off.") and self.step.decision is Decision.HOLD:
            return gettext(EASES_OFF)  # the same exercise with less: not "the same for now"
        return DECISION_WORDS[self.step.decision]

    @property
    def skipped(self) -> bool:
        return self.stop is not None and self.stop.action is StopAction.SKIP

    @property
    def saved_count(self) -> int:
        return sum(slot.saved for slot in self.slots)


def day_note_words(program: ProgramView) -> tuple[str, ...]:
    """What the engine noticed about the whole day when it decided, in words."""
    return tuple(say_note(note) for note in program.day_notes)


def exercise_views(
    program: ProgramView, coach_notes: Mapping[str, str] | None = None
) -> list[ExerciseView]:
    """Each exercise of the program with its latest decision (for Today and the done page),
    and the coach's note where a coach's override decided it."""
    notes = coach_notes or {}
    return [
        ExerciseView(
            item,
            program.next_steps.get(item.exercise.id),
            coach_note=notes.get(item.exercise.id, ""),
        )
        for item in program.plan.exercises
    ]


def player_views(
    program: ProgramView,
    sets: Iterable[SetView],
    typed: tuple[str, int, dict[str, str], dict[str, str]] | None = None,
    *,
    stops: Mapping[str, StopView] | None = None,
    easier: Mapping[str, Exercise | None] | None = None,
) -> list[ExerciseView]:
    """Each exercise with one slot per set: saved sets filled in, and the set just typed, if any.

    ``typed`` is (exercise id, set number, values, errors) of a set that could not be saved.
    An exercise swapped for its easier rung in the player (``stops``) shows that rung instead.
    """
    saved: dict[tuple[str, int], SetView] = {(s.exercise_id, s.number): s for s in sets}
    views = [
        _with_stop(view, (stops or {}).get(view.exercise.id), (easier or {}).get(view.exercise.id))
        for view in exercise_views(program)
    ]
    for view in views:
        key = view.exercise.id
        numbers = [n for (exercise_id, n) in saved if exercise_id == key]
        count = max([view.item.sets, *numbers])
        for number in range(1, count + 1):
            record = saved.get((key, number))
            values = _saved_values(view, record) if record else {}
            slot = SetSlot(number, record is not None, values)
            if typed is not None and typed[0] == key and typed[1] == number:
                slot.values, slot.errors = typed[2], typed[3]
            view.slots.append(slot)
    return views


def _with_stop(view: ExerciseView, stop: StopView | None, easier: Exercise | None) -> ExerciseView:
    view.easier = easier
    view.stop = stop
    if stop is None or stop.to_exercise_id is None or stop.to_exercise_id == view.exercise.id:
        return view
    catalogue = default_catalogue()
    if stop.to_exercise_id not in catalogue:
        return view
    rung = catalogue.get(stop.to_exercise_id)
    why = Reason(SWAPPED_IN, (("to_exercise", rung.id),))
    item = switch(view.item, rung, Decision.REGRESS, why, stop.at.date())
    return ExerciseView(item, None, stop=stop, instead_of=view.exercise)


def _saved_values(view: ExerciseView, record: SetView) -> dict[str, str]:
    values = {view.amount_field: str(record.amount), "felt": record.felt.value}
    if record.load_kg is not None:
        values["load_kg"] = f"{record.load_kg:g}"
    if record.rir is not None:
        values["rir"] = str(record.rir)
    if record.camera_reps is not None:
        values["camera_reps"] = str(record.camera_reps)
    return values
