"""A coach's overrides: constraints on a program that `decide_next` takes and never undoes.

Each override names the coach (by account id), the day it was set and an optional note. The
note's words stay here, for the page to show beside the reason; the engine's codes only say
whether there is one. `problems` finds the impossible ones (coded, never words); `decide_next`
applies only those it finds none for. What a coach's override still yields to, and why, is in
docs/progression.md, "Coach overrides": a red flag refers, and a flare, leg symptoms spreading,
rising pain, a long break or a set felt in the low back still ease an exercise off (the safer
behaviour wins, pain-monitoring model), but never by changing an exercise the coach chose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.decisions import (
    COACH_ADDED,
    COACH_DOSE_SET,
    COACH_HELD,
    COACH_LOCKED,
    COACH_SWAPPED,
    LEGS_SPREADING,
    LEGS_SPREADING_EASIER,
    LEGS_SPREADING_FLARE,
    LEGS_SPREADING_FLARE_EASIER,
    LONG_BREAK,
    LOW_BACK_CUE,
    LOW_BACK_REVIEW,
    PAIN_FLARE,
    PAIN_FLARE_EASIER,
    PAIN_RISING,
    REGRESS_LONG_BREAK,
    REGRESS_LOW_BACK,
    SWAP_LOW_BACK,
    hold,
)
from backcoach.engine.ladder import Ladder
from backcoach.engine.plan import MAX_SETS, MIN_SETS, Plan, PlannedExercise
from backcoach.engine.prescription import excluded
from backcoach.engine.reasons import Reason
from backcoach.engine.vocabulary import Decision


@dataclass(frozen=True, slots=True)
class Swap:
    """The coach puts ``to_exercise_id`` in place of ``exercise_id``."""

    exercise_id: str
    to_exercise_id: str
    coach_id: int
    set_on: date
    note: str = ""


@dataclass(frozen=True, slots=True)
class Dose:
    """The coach sets an exercise's dose (M8: 2-3 sets); a locked one stays, a set one is where
    the engine goes on from."""

    exercise_id: str
    sets: int
    dose_min: int
    dose_max: int
    coach_id: int
    set_on: date
    load_kg: float | None = None
    locked: bool = True
    note: str = ""


@dataclass(frozen=True, slots=True)
class Hold:
    """No progress for one exercise, or (``exercise_id`` None) for the whole program."""

    coach_id: int
    set_on: date
    exercise_id: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Add:
    """An exercise beyond the three required categories, kept in the program."""

    exercise_id: str
    coach_id: int
    set_on: date
    sets: int = MIN_SETS
    note: str = ""


@dataclass(frozen=True, slots=True)
class Schedule:
    """Days per week and, optionally, which weekdays (0 = Monday): the schedule is rebuilt."""

    days_per_week: int
    coach_id: int
    set_on: date
    weekdays: tuple[int, ...] = ()
    note: str = ""


Override = Swap | Dose | Hold | Add | Schedule


@dataclass(frozen=True, slots=True)
class Overrides:
    """Every override in force for one plan."""

    swaps: tuple[Swap, ...] = ()
    doses: tuple[Dose, ...] = ()
    holds: tuple[Hold, ...] = ()
    added: tuple[Add, ...] = ()
    schedule: Schedule | None = None

    def __bool__(self) -> bool:
        return bool(self.swaps or self.doses or self.holds or self.added or self.schedule)

    def all(self) -> tuple[Override, ...]:
        return (*self.swaps, *self.doses, *self.holds, *self.added, *_maybe(self.schedule))

    def note_for(self, exercise_id: str) -> str:
        """The latest note a coach left on an exercise (swapped to, dosed, held or added)."""
        notes = [
            (item.set_on, item.note)
            for item in self.all()
            if item.note and _concerns(item) == exercise_id
        ]
        return max(notes)[1] if notes else ""


NO_OVERRIDES = Overrides()

# The codes of an impossible override (`problems`), with their parameters' names; the words
# are in backcoach.wording.messages, OVERRIDE_PROBLEMS.
UNKNOWN_EXERCISE = "override.unknown_exercise"
NOT_IN_PLAN = "override.not_in_plan"
ALREADY_IN_PLAN = "override.already_in_plan"
WRONG_CATEGORY = "override.wrong_category"
MISSING_KIT = "override.missing_kit"
EXCLUDED = "override.excluded"
NOT_PRESCRIBABLE = "override.not_prescribable"
SETS_OUT_OF_RANGE = "override.sets_out_of_range"
DOSE_OUT_OF_RANGE = "override.dose_out_of_range"
NOT_LOADABLE = "override.not_loadable"
DAYS_OUT_OF_RANGE = "override.days_out_of_range"
WEEKDAY_OUT_OF_RANGE = "override.weekday_out_of_range"
PROBLEM_PARAMS: Mapping[str, frozenset[str]] = {
    code: frozenset(names)
    for code, names in {
        UNKNOWN_EXERCISE: ("exercise",),
        NOT_IN_PLAN: ("exercise",),
        ALREADY_IN_PLAN: ("exercise",),
        WRONG_CATEGORY: ("exercise", "to_exercise"),
        MISSING_KIT: ("exercise",),
        EXCLUDED: ("exercise",),
        NOT_PRESCRIBABLE: ("exercise",),
        SETS_OUT_OF_RANGE: ("sets",),
        DOSE_OUT_OF_RANGE: ("exercise", "bottom", "top"),
        NOT_LOADABLE: ("exercise",),
        DAYS_OUT_OF_RANGE: ("days",),
        WEEKDAY_OUT_OF_RANGE: ("weekday",),
    }.items()
}

#: What an exercise's own safety called for; over a lock these stand (docs, "Coach overrides").
SAFETY_CODES = frozenset(
    {
        PAIN_FLARE,
        PAIN_FLARE_EASIER,
        LEGS_SPREADING,
        LEGS_SPREADING_EASIER,
        LEGS_SPREADING_FLARE,
        LEGS_SPREADING_FLARE_EASIER,
        PAIN_RISING,
        LONG_BREAK,
        REGRESS_LONG_BREAK,
        LOW_BACK_CUE,
        REGRESS_LOW_BACK,
        SWAP_LOW_BACK,
        LOW_BACK_REVIEW,
    }
)


def problems(overrides: Overrides, plan: Plan, catalogue: Catalogue) -> tuple[Reason, ...]:
    """Why each impossible override cannot be: coded problems, none for a possible set."""
    found: list[Reason] = []
    for item in overrides.all():
        found.extend(_problems(item, plan, catalogue))
    return tuple(found)


def _problems(item: Override, plan: Plan, catalogue: Catalogue) -> list[Reason]:
    planned = {entry.exercise.id for entry in plan.exercises}
    if isinstance(item, Schedule):
        found = []
        if not 1 <= item.days_per_week <= 7:
            found.append(Reason(DAYS_OUT_OF_RANGE, (("days", item.days_per_week),)))
        found += [
            Reason(WEEKDAY_OUT_OF_RANGE, (("weekday", day),))
            for day in item.weekdays
            if not 0 <= day <= 6
        ]
        return found
    if isinstance(item, Hold):
        if item.exercise_id is None or item.exercise_id in planned:
            return []
        return [_on(NOT_IN_PLAN, item.exercise_id)]
    if item.exercise_id not in catalogue:
        return [_on(UNKNOWN_EXERCISE, item.exercise_id)]
    if isinstance(item, Swap):
        if item.to_exercise_id not in catalogue:
            return [_on(UNKNOWN_EXERCISE, item.to_exercise_id)]
        if item.exercise_id not in planned and item.to_exercise_id not in planned:
            return [_on(NOT_IN_PLAN, item.exercise_id)]
        out, to = catalogue.get(item.exercise_id), catalogue.get(item.to_exercise_id)
        if out.category is not to.category:
            why = (("exercise", out.id), ("to_exercise", to.id))
            return [Reason(WRONG_CATEGORY, why)]
        if item.exercise_id in planned and item.to_exercise_id in planned:
            return [_on(ALREADY_IN_PLAN, to.id)]
        return _fits(to, plan, catalogue)
    exercise = catalogue.get(item.exercise_id)
    if isinstance(item, Add):
        # Already in the plan is how an addition stays: from then on it is kept there.
        return _fits(exercise, plan, catalogue) + _sets(item.sets)
    if exercise.id not in planned:
        return [_on(NOT_IN_PLAN, exercise.id)]
    found = _sets(item.sets)
    low, high = exercise.dose_min, exercise.dose_max
    if not low <= item.dose_min <= item.dose_max <= high:
        found.append(
            Reason(DOSE_OUT_OF_RANGE, (("exercise", exercise.id), ("bottom", low), ("top", high)))
        )
    if item.load_kg is not None and (not exercise.loadable or item.load_kg < 0):
        found.append(_on(NOT_LOADABLE, exercise.id))
    return found


def _fits(exercise: Exercise, plan: Plan, catalogue: Catalogue) -> list[Reason]:
    """An exercise the coach picks must be one the engine could give this person."""
    if not exercise.prescribable:
        return [_on(NOT_PRESCRIBABLE, exercise.id)]
    found = []
    if not exercise.fits(plan.profile.equipment):
        found.append(_on(MISSING_KIT, exercise.id))
    if exercise.id in excluded(plan.profile, catalogue):
        found.append(_on(EXCLUDED, exercise.id))
    return found


def _sets(sets: int) -> list[Reason]:
    return [] if MIN_SETS <= sets <= MAX_SETS else [Reason(SETS_OUT_OF_RANGE, (("sets", sets),))]


def _on(code: str, exercise_id: str) -> Reason:
    return Reason(code, (("exercise", exercise_id),))


def _concerns(item: Override) -> str | None:
    if isinstance(item, Swap):
        return item.to_exercise_id
    return None if isinstance(item, Schedule) else item.exercise_id


def _maybe(schedule: Schedule | None) -> tuple[Schedule, ...]:
    return () if schedule is None else (schedule,)


def _by_coach(code: str, item: Override, *extra: tuple[str, str]) -> Reason:
    return Reason(code, (("coach", item.coach_id), ("note", "yes" if item.note else "no"), *extra))


@dataclass(frozen=True, slots=True)
class PinnedLadder(Ladder):
    """A ladder that never moves an exercise the coach chose: no easier, harder or other one."""

    pinned: frozenset[str] = frozenset()

    def harder(self, exercise: Exercise) -> Exercise | None:
        return None if exercise.id in self.pinned else Ladder.harder(self, exercise)

    def easier(self, exercise: Exercise) -> Exercise | None:
        return None if exercise.id in self.pinned else Ladder.easier(self, exercise)

    def alternative(self, exercise: Exercise) -> Exercise | None:
        return None if exercise.id in self.pinned else Ladder.alternative(self, exercise)

    def gentler(self, exercise: Exercise) -> Exercise | None:
        return None if exercise.id in self.pinned else Ladder.gentler(self, exercise)


class Constraints:
    """The possible overrides of one plan, as `decide_next` applies them before and after."""

    def __init__(self, overrides: Overrides, plan: Plan, catalogue: Catalogue) -> None:
        ok = [item for item in overrides.all() if not _problems(item, plan, catalogue)]
        self.catalogue = catalogue
        self.decided_on = plan.decided_on
        self.swaps = {item.exercise_id: item for item in ok if isinstance(item, Swap)}
        self.chosen: dict[str, Swap | Add] = {
            item.to_exercise_id: item for item in self.swaps.values()
        }
        self.chosen |= {item.exercise_id: item for item in ok if isinstance(item, Add)}
        self.doses = {item.exercise_id: item for item in ok if isinstance(item, Dose)}
        holds = [item for item in ok if isinstance(item, Hold)]
        self.program_hold = next((item for item in holds if item.exercise_id is None), None)
        self.holds = {item.exercise_id: item for item in holds if item.exercise_id is not None}
        schedules = [item for item in ok if isinstance(item, Schedule)]
        self.schedule = schedules[0] if schedules else None
        locked = {key for key, dose in self.doses.items() if dose.locked}
        self.pinned = frozenset(self.chosen) | frozenset(self.holds) | locked
        #: Exercises the coach swapped out: the engine brings none of them back.
        self.swapped_out = frozenset(self.swaps)
        self.settled: set[str] = set()

    def before(self, exercises: tuple[PlannedExercise, ...], today: date) -> list[PlannedExercise]:
        """The plan's exercises with today's swaps made, doses set and additions added."""
        result = []
        for item in exercises:
            swap = self.swaps.get(item.exercise.id)
            if swap is not None:
                to = self.catalogue.get(swap.to_exercise_id)
                why = _by_coach(COACH_SWAPPED, swap, ("exercise", swap.exercise_id))
                item = PlannedExercise(
                    to, item.sets, to.dose_min, to.dose_max, why, None, Decision.SWAP, "", today
                )
                self.settled.add(to.id)
            result.append(self._dosed(item))
        present = {item.exercise.id for item in result}
        for add in self.chosen.values():
            if isinstance(add, Add) and add.exercise_id not in present:
                exercise = self.catalogue.get(add.exercise_id)
                why = _by_coach(COACH_ADDED, add)
                added = PlannedExercise(
                    exercise, add.sets, exercise.dose_min, exercise.dose_max, why, since=today
                )
                self.settled.add(exercise.id)
                result.append(self._dosed(added))
        return result

    def _dosed(self, item: PlannedExercise) -> PlannedExercise:
        dose = self.doses.get(item.exercise.id)
        if dose is None:
            return item
        if not dose.locked and self.decided_on is not None and self.decided_on > dose.set_on:
            return item  # a set dose is where the engine went on from; it has moved on since
        return item.with_changes(
            sets=dose.sets, dose_min=dose.dose_min, dose_max=dose.dose_max, load_kg=dose.load_kg
        )

    def after(self, item: PlannedExercise, choice: PlannedExercise) -> PlannedExercise:
        """The engine's decision for ``item``, within what the coach set."""
        key = item.exercise.id
        dose = self.doses.get(key)
        if dose is not None and choice.code not in SAFETY_CODES:
            if dose.locked:
                return hold(item, _by_coach(COACH_LOCKED, dose), cue=choice.cue)
            if choice.decision is Decision.HOLD and self._just_set(dose):
                return hold(item, _by_coach(COACH_DOSE_SET, dose), cue=choice.cue)
        held = self.holds.get(key) or self.program_hold
        if held is not None and choice.decision is Decision.PROGRESS:
            return hold(item, _by_coach(COACH_HELD, held))
        chosen = self.chosen.get(key)
        # The next rung would replace the coach's choice: it stays, at its top.
        if chosen is not None and choice.code.startswith(("hold.top_of_ladder", "hold.rung_wait")):
            code = COACH_SWAPPED if isinstance(chosen, Swap) else COACH_ADDED
            extra = (("exercise", chosen.exercise_id),) if isinstance(chosen, Swap) else ()
            return hold(item, _by_coach(code, chosen, *extra))
        return choice

    def _just_set(self, dose: Dose) -> bool:
        return self.decided_on is None or self.decided_on <= dose.set_on


def decided_by_coach(plan: Plan) -> dict[str, int]:
    """The coach's id for each exercise a coach's override decided (the stored `decided_by`)."""
    found = {}
    for item in plan.exercises:
        coach = item.reason.values.get("coach") if item.code.startswith("coach.") else None
        if isinstance(coach, int):
            found[item.exercise.id] = coach
    return found
