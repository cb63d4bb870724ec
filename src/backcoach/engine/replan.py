"""A program under way, re-prescribed for a changed profile (kit, level, days): what still fits
stays where training has taken it; only what no longer fits, or no longer suits the level, is
replaced, each change said as a code (docs/progression.md, "A changed profile").

The rules, in order, for each strength exercise of the program:
- an exercise that needs kit the person no longer has (or that their body now rules out) is
  replaced by the same category's exercise that fits, on the nearest rung not above it (M4: what
  the kit allows), keeping its sets;
- an exercise a coach chose or pinned (engine/overrides.py) stays while it fits: the coach's
  override still holds;
- a level raised past an exercise's rung, or lowered below it, brings that level's own start;
- new kit replaces an exercise only by the new prescription's choice that uses it, on a rung no
  lower (progress is never given back for new kit);
- everything else stays as it is, dose, load, decision and "since" included.
An exercise stopped in the player and not yet done twice since (rule 7a, engine/stops.py) is only
kept or replaced by one no harder (`no_harder`: no higher level, no longer lever), at 2 sets; when
its kit is gone and nothing no harder fits, it leaves the program and its place is not refilled
with a harder one.
The M3/M4/M5 slots follow the new level (a second M5 exercise from intermediate up), the drills
for tight moments (M6) are those of the new kit, and the days (M7) are rebuilt from the next
training day, unless a coach set them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.decisions import START_STRENGTH
from backcoach.engine.ladder import no_harder
from backcoach.engine.plan import MIN_SETS, Plan, PlannedExercise
from backcoach.engine.prescription import (
    MAX_START_LEVEL,
    MOBILITY_DRILLS,
    SEVERE_PAIN,
    PrescriptionError,
    cautions,
    excluded,
    general_notes,
    prescribe,
    starting_level,
)
from backcoach.engine.profile import Profile
from backcoach.engine.reasons import Reason, reason
from backcoach.engine.schedule import build_schedule, frequency_for, next_training_day
from backcoach.engine.stops import Stop, holds_back
from backcoach.engine.vocabulary import STRENGTH_CATEGORIES, Category, Equipment

# What a changed profile did, one code per line of the before/after list; the words are in
# backcoach.wording.account_words (PROFILE_CHANGE_WORDS).
SWAP_KIT_GONE = "profile.swap.kit_gone"
SWAP_NOT_SUITABLE = "profile.swap.not_suitable"
SWAP_KIT_ADDED = "profile.swap.kit_added"
SWAP_LEVEL_UP = "profile.swap.level_up"
SWAP_LEVEL_DOWN = "profile.swap.level_down"
ADDED_FOR_LEVEL = "profile.added.level"
REMOVED_FOR_LEVEL = "profile.removed.level"
REMOVED_KIT_GONE = "profile.removed.kit_gone"
COACH_CHOICE_KEPT = "profile.coach_kept"
DRILLS_CHANGED = "profile.drills_changed"
DAYS_CHANGED = "profile.days"
COACH_DAYS_KEPT = "profile.coach_days_kept"
LEVEL_CHANGED = "profile.level"
EXERCISES_KEPT = "profile.exercises_kept"
NOTHING_CHANGED = "profile.nothing_changed"
#: Every code with its parameters' names: the contract with the wording layer
#: (tests/unit/test_replan.py checks each has words).
CHANGE_PARAMS: dict[str, frozenset[str]] = {
    SWAP_KIT_GONE: frozenset({"exercise", "to_exercise", "kit"}),
    SWAP_NOT_SUITABLE: frozenset({"exercise", "to_exercise"}),
    SWAP_KIT_ADDED: frozenset({"exercise", "to_exercise", "kit"}),
    SWAP_LEVEL_UP: frozenset({"exercise", "to_exercise", "level"}),
    SWAP_LEVEL_DOWN: frozenset({"exercise", "to_exercise", "level"}),
    ADDED_FOR_LEVEL: frozenset({"to_exercise", "level"}),
    REMOVED_FOR_LEVEL: frozenset({"exercise", "level"}),
    REMOVED_KIT_GONE: frozenset({"exercise", "kit"}),
    COACH_CHOICE_KEPT: frozenset({"exercise"}),
    DRILLS_CHANGED: frozenset(),
    DAYS_CHANGED: frozenset({"days", "weekdays"}),
    COACH_DAYS_KEPT: frozenset(),
    LEVEL_CHANGED: frozenset({"level"}),
    EXERCISES_KEPT: frozenset({"count"}),
    NOTHING_CHANGED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Replan:
    """The program for the new profile, and what changed, in the order to say it."""

    plan: Plan
    changes: tuple[Reason, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(change.code for change in self.changes)


def replan(
    plan: Plan,
    profile: Profile,
    catalogue: Catalogue,
    today: date,
    *,
    last_session: date | None = None,
    pinned: frozenset[str] = frozenset(),
    never: frozenset[str] = frozenset(),
    coach_days: bool = False,
    stops: Mapping[str, Stop] | None = None,
) -> Replan:
    """Re-prescribe ``plan`` for ``profile`` (screened already: the services check the gate).

    ``pinned``: exercises a coach chose or pinned (they stay while they fit); ``never``: those a
    coach swapped out (never brought back); ``coach_days``: a coach set the days, which stay.
    ``stops``: the latest stop of each exercise stopped in the player (rule 7a): a new level or
    kit never makes a recently stopped exercise harder.
    Raises `PrescriptionError` when no program fits the profile.
    """
    avoid = excluded(profile, catalogue) | never
    fresh = prescribe(replace(profile, avoid=profile.avoid | never), catalogue, today)
    if not isinstance(fresh, Plan):  # pragma: no cover - the services screen first
        raise PrescriptionError("the profile's screening refers")
    stopped = frozenset(key for key, stop in (stops or {}).items() if holds_back(stop))
    work = _Work(plan, profile, catalogue, avoid, pinned, stopped, today)
    for category in STRENGTH_CATEGORIES:
        work.category(category, [item for item in fresh.exercises if _in(item, category)])
    mobility = _drills(plan.mobility, fresh.mobility, profile.equipment, avoid)
    changes = list(work.changes)
    if mobility != plan.mobility:
        changes.append(Reason(DRILLS_CHANGED))
    if profile.level is not plan.profile.level:
        changes.append(reason(LEVEL_CHANGED, level=profile.level.value))
    days, weekdays = profile.days_per_week, profile.weekdays
    same_days = (days, weekdays) == (plan.profile.days_per_week, plan.profile.weekdays)
    schedule, frequency_note, sessions = plan.schedule, plan.frequency_note, plan.sessions_per_week
    if coach_days:
        if not same_days:
            changes.append(Reason(COACH_DAYS_KEPT))
        profile = replace(
            profile, days_per_week=plan.profile.days_per_week, weekdays=plan.profile.weekdays
        )
    elif not same_days:
        frequency = frequency_for(days)
        start = next_training_day(last_session, today)
        schedule = build_schedule(start, days, weekdays=weekdays)
        frequency_note, sessions = frequency.note, frequency.sessions_per_week
        changes.append(
            reason(DAYS_CHANGED, days=days, weekdays=",".join(str(day) for day in weekdays))
        )
    if work.kept and len(work.kept) < len(work.result):
        changes.append(reason(EXERCISES_KEPT, count=len(work.kept)))
    if not changes:
        changes.append(Reason(NOTHING_CHANGED))
    return Replan(
        Plan(
            profile=profile,
            start=plan.start,
            exercises=tuple(work.result),
            mobility=mobility,
            sessions_per_week=sessions,
            frequency_note=frequency_note,
            schedule=schedule,
            notes=general_notes(cautions(profile)),
            # The last decision's day and findings stand (a day of very high pain still holds).
            decided_on=plan.decided_on,
            day_notes=plan.day_notes,
        ),
        tuple(changes),
    )


def _in(item: PlannedExercise, category: Category) -> bool:
    return item.exercise.category is category


class _Work:
    """The new program's strength exercises as they are settled, and the changes said."""

    def __init__(
        self,
        plan: Plan,
        profile: Profile,
        catalogue: Catalogue,
        avoid: frozenset[str],
        pinned: frozenset[str],
        stopped: frozenset[str],
        today: date,
    ) -> None:
        self.before, self.profile, self.catalogue = plan, profile, catalogue
        self.today = today
        self.avoid, self.pinned, self.stopped = avoid, pinned, stopped
        self.added_kit = profile.equipment - plan.profile.equipment
        severe = profile.pain >= SEVERE_PAIN
        self.lowest = starting_level(profile.level, severe)
        self.highest = MAX_START_LEVEL[profile.level]
        self.level_up = _rank(profile) > _rank(plan.profile)
        self.level_down = _rank(profile) < _rank(plan.profile)
        self.used = {item.exercise.id for item in plan.exercises}
        self.result: list[PlannedExercise] = []
        self.kept: list[PlannedExercise] = []
        self.changes: list[Reason] = []

    def fits(self, exercise: Exercise) -> bool:
        return (
            exercise.prescribable
            and exercise.fits(self.profile.equipment)
            and exercise.id not in self.avoid
        )

    def category(self, category: Category, fresh: Sequence[PlannedExercise]) -> None:
        """Settle one category: keep, replace, then match the level's number of exercises."""
        old = [item for item in self.before.exercises if _in(item, category)]
        spare = [item for item in fresh if item.exercise.id not in self.used]
        settled: list[PlannedExercise] = []
        # Stopped exercises that left for want of kit: what refills their place is no harder.
        ceiling: list[Exercise] = []
        for item in old:
            exercise = item.exercise
            coach = exercise.id in self.pinned
            if not self.fits(exercise):
                replaced = self._kit_gone(item, category)
                if not replaced and exercise.id in self.stopped:
                    ceiling.append(exercise)
                settled += replaced
            elif coach:
                settled.append(self._keep(item))
                if self.level_up or self.level_down or self.added_kit:
                    self.changes.append(reason(COACH_CHOICE_KEPT, exercise=exercise.id))
            elif (
                self.level_up
                and exercise.level < self.lowest
                and (to := self._allowed(exercise, spare))
            ):
                spare.remove(to)
                settled.append(self._swap(item, to, SWAP_LEVEL_UP, level=True))
            elif (
                self.level_down
                and exercise.level > self.highest
                and (to := self._allowed(exercise, spare))
            ):
                spare.remove(to)
                settled.append(self._swap(item, to, SWAP_LEVEL_DOWN, level=True))
            elif upgrade := self._with_new_kit(exercise, spare):
                spare.remove(upgrade)
                kit = sorted(upgrade.exercise.equipment & self.added_kit)[0].value
                settled.append(self._swap(item, upgrade, SWAP_KIT_ADDED, kit=kit))
            else:
                settled.append(self._keep(item))
        # The level's number of exercises in this category (a second M5 from intermediate up);
        # what a coach added comes on top and is never counted.
        level = self.profile.level.value
        while len(self._engines(settled)) < len(fresh) and (
            added := _first_no_harder(spare, ceiling)
        ):
            spare.remove(added)
            self.used.add(added.exercise.id)
            settled.append(added.with_changes(since=self.today))
            self.changes.append(reason(ADDED_FOR_LEVEL, to_exercise=added.exercise.id, level=level))
        while self.level_down and len(self._engines(settled)) > max(len(fresh), 1):
            gone = self._engines(settled)[-1]
            settled.remove(gone)
            self.kept = [item for item in self.kept if item is not gone]
            self.changes.append(reason(REMOVED_FOR_LEVEL, exercise=gone.exercise.id, level=level))
        self.result += settled

    def _keep(self, item: PlannedExercise) -> PlannedExercise:
        self.kept.append(item)
        return item

    def _allowed(
        self, exercise: Exercise, spare: Sequence[PlannedExercise]
    ) -> PlannedExercise | None:
        """The first of ``spare`` that may take the place of ``exercise``: any, or, for one
        stopped in the player (rule 7a), only one no harder."""
        ceiling = [exercise] if exercise.id in self.stopped else []
        return _first_no_harder(spare, ceiling)

    def _engines(self, settled: list[PlannedExercise]) -> list[PlannedExercise]:
        """The exercises no coach chose: the level's slots."""
        return [item for item in settled if item.exercise.id not in self.pinned]

    def _with_new_kit(
        self, exercise: Exercise, spare: list[PlannedExercise]
    ) -> PlannedExercise | None:
        """The new prescription's choice that uses the new kit, on a rung no lower."""
        if not self.added_kit:
            return None
        stopped = exercise.id in self.stopped
        for item in spare:
            candidate = item.exercise
            uses_it = candidate.equipment & self.added_kit and candidate.level >= exercise.level
            if uses_it and (not stopped or no_harder(candidate, exercise)):
                return item
        return None

    def _kit_gone(self, item: PlannedExercise, category: Category) -> list[PlannedExercise]:
        """The same category's exercise that fits, on the nearest rung not above this one; for
        one stopped in the player (rule 7a), only one no harder."""
        exercise = item.exercise
        stopped = exercise.id in self.stopped
        missing = sorted(exercise.equipment - self.profile.equipment)
        choices = [
            candidate
            for candidate in self.catalogue.by_category[category]
            if self.fits(candidate) and candidate.id not in self.used
        ]
        if stopped:
            choices = [candidate for candidate in choices if no_harder(candidate, exercise)]
        below = [candidate for candidate in choices if candidate.level <= exercise.level]
        pool = below or choices
        if not pool:
            kit = missing[0].value if missing else Equipment.NONE.value
            self.changes.append(reason(REMOVED_KIT_GONE, exercise=exercise.id, kit=kit))
            return []
        best = min(
            pool,
            key=lambda candidate: (
                abs(exercise.level - candidate.level),
                candidate.pattern != exercise.pattern,
            ),
        )
        planned = PlannedExercise(
            best,
            item.sets,
            best.dose_min,
            best.dose_max,
            Reason(
                START_STRENGTH,
                (
                    ("exercise", best.id),
                    ("level", best.level),
                    ("person_level", self.profile.level.value),
                ),
            ),
        )
        if missing:
            return [self._swap(item, planned, SWAP_KIT_GONE, kit=missing[0].value)]
        return [self._swap(item, planned, SWAP_NOT_SUITABLE)]

    def _swap(
        self,
        item: PlannedExercise,
        to: PlannedExercise,
        code: str,
        *,
        level: bool = False,
        kit: str | None = None,
    ) -> PlannedExercise:
        self.used.add(to.exercise.id)
        params: dict[str, str | int] = {"exercise": item.exercise.id, "to_exercise": to.exercise.id}
        if level:
            params["level"] = self.profile.level.value
        if kit is not None:
            params["kit"] = kit
        self.changes.append(reason(code, **params))
        # In the program from today: a rung wait counts from here (engine/progression_pace).
        # In place of a stopped exercise, gently: 2 sets, as rule 7a's easier rung.
        sets = MIN_SETS if item.exercise.id in self.stopped else to.sets
        return to.with_changes(since=self.today, sets=sets)


def _first_no_harder(
    spare: Sequence[PlannedExercise], ceiling: Sequence[Exercise]
) -> PlannedExercise | None:
    """The first of ``spare`` no harder than every exercise of ``ceiling``."""
    for item in spare:
        if all(no_harder(item.exercise, top) for top in ceiling):
            return item
    return None


def _rank(profile: Profile) -> int:
    return list(MAX_START_LEVEL).index(profile.level)


def _drills(
    old: tuple[PlannedExercise, ...],
    fresh: tuple[PlannedExercise, ...],
    owned: frozenset[Equipment],
    avoid: frozenset[str],
) -> tuple[PlannedExercise, ...]:
    """The drills that still fit, topped up from the new kit's set (M6)."""
    kept = [item for item in old if item.exercise.fits(owned) and item.exercise.id not in avoid]
    ids = {item.exercise.id for item in kept}
    kept += [item for item in fresh if item.exercise.id not in ids]
    return tuple(kept[: max(MOBILITY_DRILLS, len(old))])
