"""The small closed vocabularies the method speaks in (categories, equipment, levels, feel)."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    """What an exercise trains; the method's M3, M4, M5, M6 and the not-prescribed list."""

    CORE = "core"  # M3: abdominals with the spine neutral
    HIP_EXTENSION = "hip_extension"  # M4: glutes in hip extension
    HIP_EXTERNAL_ROTATION = "hip_external_rotation"  # M5: glutes in external rotation
    MOBILITY = "mobility"  # M6: quick drills for tight moments
    AVOID = "avoid"  # M1/M3: kept only to explain why it is not prescribed


#: The categories every program must hold at least one exercise of (M3, M4, M5).
STRENGTH_CATEGORIES: tuple[Category, ...] = (
    Category.CORE,
    Category.HIP_EXTENSION,
    Category.HIP_EXTERNAL_ROTATION,
)


class Equipment(StrEnum):
    """Kit a person may own; an exercise lists what it needs (nothing = body weight)."""

    NONE = "none"
    MAT = "mat"
    BAND = "band"
    DUMBBELL = "dumbbell"
    KETTLEBELL = "kettlebell"
    BARBELL = "barbell"
    BENCH = "bench"


class Laterality(StrEnum):
    BILATERAL = "bilateral"
    UNILATERAL = "unilateral"


class DoseType(StrEnum):
    """How a set is measured."""

    REPS = "reps"
    SECONDS = "seconds"
    STEPS = "steps"


class Level(StrEnum):
    """A person's training level, as they describe it."""

    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Felt(StrEnum):
    """Where a set was felt (M9)."""

    TARGET = "target"
    LOW_BACK = "low_back"
    ELSEWHERE = "elsewhere"
    NOTHING = "nothing"


class LegSymptoms(StrEnum):
    """Leg symptoms at a session: none, as before, reaching less far, or spreading further down."""

    NONE = "none"
    SAME = "same"
    LESS_FAR = "less_far"  # centralising: the symptoms reach less far down the leg
    FURTHER_DOWN = "further_down"  # peripheralising: they spread further down the leg


class Pregnancy(StrEnum):
    """Pregnancy and the weeks since birth: what the program must allow for."""

    NONE = "none"
    UP_TO_12_WEEKS = "up_to_12_weeks"
    AFTER_12_WEEKS = "after_12_weeks"
    POSTPARTUM_UNDER_12_WEEKS = "postpartum_under_12_weeks"


class Urgency(StrEnum):
    """How soon a person with a red flag should see a clinician, most urgent first."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SOON = "soon"


#: Rank of urgency: lower is more urgent.
URGENCY_RANK: dict[Urgency, int] = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.SOON: 2}


class Decision(StrEnum):
    """What the engine decides for one exercise of the next session."""

    START = "start"
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"
    SWAP = "swap"
