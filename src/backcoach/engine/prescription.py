"""From a profile to a program that holds M3, M4, M5 and an M6 drill set, dosed by M7 and M8."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from backcoach.engine.catalogue import LEVELS, Catalogue, Exercise
from backcoach.engine.decisions import START_MOBILITY, START_STRENGTH
from backcoach.engine.plan import MAX_SETS, MIN_SETS, Plan, PlannedExercise, Referral
from backcoach.engine.profile import Profile
from backcoach.engine.reasons import AS_WRITTEN, Reason
from backcoach.engine.schedule import FREQUENCY_NOTE_PARAMS, build_schedule, frequency_for
from backcoach.engine.screening import RED_FLAG_IDS, Status, screen
from backcoach.engine.vocabulary import STRENGTH_CATEGORIES, Category, Equipment, Level, Pregnancy

#: Where each level starts on the 1-5 ladder, and the highest rung it may start on.
START_LEVEL = {Level.BEGINNER: 1, Level.INTERMEDIATE: 2, Level.ADVANCED: 3}
MAX_START_LEVEL = {Level.BEGINNER: 2, Level.INTERMEDIATE: 4, Level.ADVANCED: 5}
#: Severe pain today (NPRS 7+) starts one rung lower and with two sets.
SEVERE_PAIN = 7
MOBILITY_DRILLS = 3

#: Pain at onboarding this high gets the mobility drills first and a clinician check (cautions).
VERY_HIGH_PAIN = 9
#: From this age a program carries a note on falls and bone health.
OLDER_AGE = 75
#: After 12 weeks of pregnancy, no exercise lying on the back (ACOG 2020).
NOT_IN_LATE_PREGNANCY = frozenset({"supine"})

#: The cautions a program can carry, by id, in the order they are said; sources in
#: docs/clinical-rules.md. A stored plan keeps these ids (formats/stored_plan.py).
CAUTIONS = ("very_high_pain", "late_pregnancy", "older_age")

# A new program's general notes, as codes (docs/progression.md, "Codes"); the words are in
# backcoach.wording.note_words. A caution's code is CAUTION_NOTE and its id.
CAUTION_NOTE = "note.caution."
STRENGTH_NOT_STRETCH = "note.strength_not_stretch"
FEEL_IT_IN = "note.feel_it_in"
DRILLS_WHEN_TIGHT = "note.drills_when_tight"
#: Why strengthening, not stretching (M1): every new program carries these, after its cautions.
WHY_STRENGTH_NOT_STRETCH = (
    Reason(STRENGTH_NOT_STRETCH),
    Reason(FEEL_IT_IN),
    Reason(DRILLS_WHEN_TIGHT),
)
#: Every code of a program's notes (and of its frequency note), with its parameters' names: the
#: contract with the wording layer (tests/unit/test_wording_notes.py).
NOTE_PARAMS: dict[str, frozenset[str]] = {
    **{CAUTION_NOTE + caution: frozenset() for caution in CAUTIONS},
    **{note.code: frozenset() for note in WHY_STRENGTH_NOT_STRETCH},
    **FREQUENCY_NOTE_PARAMS,
    # Notes a document kept as they were written, from before note codes.
    AS_WRITTEN: frozenset({"text"}),
}


def nothing_to_weigh(profile: Profile) -> bool:
    """Every yes/no question answered "no" and pregnancy answered with no go-ahead needed: the
    screening could only say "ok". Most people, and every prescription asks, so it is worth
    knowing without weighing (the Profile checked the ids and the types when it was made)."""
    flags = profile.red_flags
    return (
        len(flags) == len(RED_FLAG_IDS)
        and not any(flags.values())
        and profile.pregnancy is not None
        and profile.pregnancy is not Pregnancy.POSTPARTUM_UNDER_12_WEEKS
    )


def cautions(profile: Profile) -> tuple[str, ...]:
    """The ids of the cautions a program for this person carries, in CAUTIONS order."""
    codes = []
    if profile.pain >= VERY_HIGH_PAIN:
        codes.append("very_high_pain")
    if profile.pregnancy is Pregnancy.AFTER_12_WEEKS:
        codes.append("late_pregnancy")
    if profile.age >= OLDER_AGE:
        codes.append("older_age")
    return tuple(codes)


@lru_cache(maxsize=16)  # a handful of caution combinations, and the notes never change
def general_notes(caution_ids: tuple[str, ...]) -> tuple[Reason, ...]:
    """A new program's notes: its cautions (ids from `cautions`) first, then why strength."""
    return tuple(Reason(CAUTION_NOTE + caution) for caution in caution_ids) + (
        WHY_STRENGTH_NOT_STRETCH
    )


def caution_notes(profile: Profile) -> tuple[Reason, ...]:
    """The cautions a program for this person carries, as notes (shown on every visit)."""
    return tuple(Reason(CAUTION_NOTE + caution) for caution in cautions(profile))


def excluded(profile: Profile, catalogue: Catalogue) -> frozenset[str]:
    """The exercises never to give this person: their avoid list, and what their body rules out."""
    if profile.pregnancy is not Pregnancy.AFTER_12_WEEKS:
        return profile.avoid
    lying = _by_position(catalogue, NOT_IN_LATE_PREGNANCY)
    return profile.avoid | lying


@lru_cache(maxsize=16)
def _by_position(catalogue: Catalogue, positions: frozenset[str]) -> frozenset[str]:
    return frozenset(e.id for e in catalogue.exercises if e.position in positions)


class PrescriptionError(ValueError):
    """No program fits the profile (for example every exercise of a category is avoided)."""


@dataclass(frozen=True, slots=True)
class _Slot:
    category: Category
    #: Pattern to prefer (and the patterns already used, to keep variety).
    prefer_pattern: str | None = None
    prefer_flag: bool = False


# One leg-lowering core exercise (M3 prefers the active leg raise), a second core pattern, hip
# extension (M4) and external rotation (M5); more experienced people get a second M5 pattern.
_BASE_SLOTS = (
    _Slot(Category.CORE, prefer_pattern="leg_lowering", prefer_flag=True),
    _Slot(Category.CORE),
    _Slot(Category.HIP_EXTENSION),
    _Slot(Category.HIP_EXTERNAL_ROTATION),
)
_EXTRA_SLOTS = (_Slot(Category.HIP_EXTERNAL_ROTATION),)


def prescribe(profile: Profile, catalogue: Catalogue, start: date) -> Plan | Referral:
    """Screen first; only with every question answered and no red flag, build a program."""
    if not nothing_to_weigh(profile):
        outcome = screen(profile.screening_answers())
        if outcome.status is not Status.OK:  # a red flag, or a question left unanswered
            return Referral(outcome)
    exercises, mobility = _choose(
        catalogue,
        profile.equipment,
        profile.level,
        profile.pain >= SEVERE_PAIN,
        excluded(profile, catalogue),
    )
    frequency = frequency_for(profile.days_per_week)
    return Plan(
        profile=profile,
        start=start,
        exercises=exercises,
        mobility=mobility,
        sessions_per_week=frequency.sessions_per_week,
        frequency_note=frequency.note,
        schedule=build_schedule(start, profile.days_per_week, weekdays=profile.weekdays),
        notes=general_notes(cautions(profile)),
    )


def starting_level(level: Level, severe_pain: bool) -> int:
    return max(1, START_LEVEL[level] - (1 if severe_pain else 0))


def starting_sets(level: Level, severe_pain: bool) -> int:
    return MIN_SETS if level is Level.BEGINNER or severe_pain else MAX_SETS


@lru_cache(maxsize=4096)
def _choose(
    catalogue: Catalogue,
    owned: frozenset[Equipment],
    level: Level,
    severe_pain: bool,
    avoid: frozenset[str],
) -> tuple[tuple[PlannedExercise, ...], tuple[PlannedExercise, ...]]:
    """The exercises for one kind of person; cached because many people share a kind."""
    choices = _choices(catalogue)
    rungs = _rungs(starting_level(level, severe_pain), MAX_START_LEVEL[level])
    sets = starting_sets(level, severe_pain)
    slots = _BASE_SLOTS + (_EXTRA_SLOTS if level is not Level.BEGINNER else ())
    chosen: list[Exercise] = []
    for slot in slots:
        best = _best(slot, choices.by_level[slot.category], rungs, owned, avoid, chosen)
        if best is None:
            if any(e.category is slot.category for e in chosen):
                continue  # an extra slot may stay empty; the category is already covered
            raise PrescriptionError(
                f"no {slot.category.value} exercise fits this equipment and avoid list"
            )
        chosen.append(best)
    planned = tuple(choices.planned[e, level, sets] for e in chosen)
    return planned, _mobility(choices, owned, avoid)


def _best(
    slot: _Slot,
    by_level: Mapping[int, tuple[Exercise, ...]],
    rungs: tuple[int, ...],
    owned: frozenset[Equipment],
    avoid: frozenset[str],
    chosen: list[Exercise],
) -> Exercise | None:
    """The best usable exercise on the best rung that has one, or None when no rung has one."""
    for rung in rungs:
        usable = [
            e for e in by_level[rung] if e.fits(owned) and e.id not in avoid and e not in chosen
        ]
        if usable:
            used_patterns = {e.pattern for e in chosen if e.category is slot.category}
            return min(usable, key=_ranking(slot, owned, used_patterns))
    return None


@cache  # a handful of (target, ceiling) pairs, and the answer never changes
def _rungs(target: int, ceiling: int) -> tuple[int, ...]:
    """The ladder's levels, best start first: within the ceiling, nearest the target, then easier.

    No two levels tie, so picking on the first rung that has a usable exercise gives the same
    choice as ranking every exercise of the category by level first.
    """
    return tuple(
        sorted(LEVELS, key=lambda rung: (rung > ceiling, abs(rung - target), rung > target))
    )


def _ranking(
    slot: _Slot, owned: frozenset[Equipment], used: set[str]
) -> Callable[[Exercise], tuple[int, ...]]:
    """How to choose between exercises of one level (data order settles a full tie)."""

    def key(e: Exercise) -> tuple[int, ...]:
        return (
            slot.prefer_pattern is not None and e.pattern != slot.prefer_pattern,
            slot.prefer_flag and not e.preferred,
            e.pattern in used,  # a second exercise of a category trains another pattern
            -len(e.equipment & owned),  # use the kit the person has (M4: load what you own)
        )

    return key


def _mobility(
    choices: _Choices, owned: frozenset[Equipment], avoid: frozenset[str]
) -> tuple[PlannedExercise, ...]:
    """A 2-3 minute set of quick drills for tight moments, one per body area where possible."""
    first_of_area: list[PlannedExercise] = []
    repeats: list[PlannedExercise] = []
    areas: set[str] = set()
    for drill in choices.drills:  # easiest first
        exercise = drill.exercise
        if not exercise.fits(owned) or exercise.id in avoid:
            continue
        if exercise.pattern in areas:
            repeats.append(drill)
        else:
            areas.add(exercise.pattern)
            first_of_area.append(drill)
    return tuple((first_of_area + repeats)[:MOBILITY_DRILLS])


@dataclass(frozen=True, slots=True)
class _Choices:
    """One catalogue as prescription reads it: what depends on the catalogue alone, done once."""

    #: The strength exercises of each category by level, each level in data order.
    by_level: Mapping[Category, Mapping[int, tuple[Exercise, ...]]]
    #: Each strength exercise as a person of each level starts it, with two or with three sets.
    planned: Mapping[tuple[Exercise, Level, int], PlannedExercise]
    #: The mobility drills as planned, easiest first (data order within a level).
    drills: tuple[PlannedExercise, ...]


# Kept apart from _choose's cache so that a person never seen before does not redo this work.
# A catalogue is immutable once loaded and is hashed by identity, so an entry never goes stale
# and two catalogues never share one.
@lru_cache(maxsize=16)
def _choices(catalogue: Catalogue) -> _Choices:
    strength = [e for category in STRENGTH_CATEGORIES for e in catalogue.by_category[category]]
    by_level = {
        category: {
            rung: tuple(e for e in catalogue.by_category[category] if e.level == rung)
            for rung in LEVELS
        }
        for category in STRENGTH_CATEGORIES
    }
    drills = sorted(catalogue.by_category[Category.MOBILITY], key=lambda e: e.level)
    return _Choices(
        by_level=by_level,
        planned={
            (e, level, sets): PlannedExercise(
                exercise=e,
                sets=sets,
                dose_min=e.dose_min,
                dose_max=e.dose_max,
                reason=Reason(
                    START_STRENGTH,
                    (("exercise", e.id), ("level", e.level), ("person_level", level.value)),
                ),
            )
            for e in strength
            for level in Level
            for sets in (MIN_SETS, MAX_SETS)
        },
        drills=tuple(
            PlannedExercise(
                exercise=d,
                sets=1,
                dose_min=d.dose_min,
                dose_max=d.dose_min,
                reason=Reason(START_MOBILITY, (("exercise", d.id),)),
            )
            for d in drills
        ),
    )
