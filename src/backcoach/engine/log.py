"""What a person logged: sessions, their sets and pain, as the engine reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from backcoach.engine.reasons import Reason
from backcoach.engine.vocabulary import Felt, LegSymptoms

#: Pain-monitoring model: pain up to 5/10 during or after exercise is acceptable.
ACCEPTABLE_PAIN = 5
#: Pain-monitoring model: next-morning pain this far above the day's baseline is a flare.
MORNING_RISE = 2
#: Pain before a session this high: no progress, mobility drills only, a clinician if it stays.
VERY_HIGH_PAIN_BEFORE = 8

# The parts of a flare, each a code of its own (backcoach.wording joins their words).
FLARE_DURING = "flare.during"
FLARE_AFTER = "flare.after"
FLARE_MORNING = "flare.morning"


@dataclass(frozen=True, slots=True)
class SetLog:
    """One set: how many reps (or seconds, or steps) and where it was felt (M9)."""

    amount: int
    felt: Felt
    load_kg: float | None = None
    rir: int | None = None


@dataclass(frozen=True, slots=True)
class ExerciseLog:
    """One exercise's sets in a session, with what progression asks of them worked out once."""

    exercise_id: str
    sets: tuple[SetLog, ...]
    #: Any set felt in the low back (M9's signal to change something).
    felt_in_low_back: bool = field(init=False, compare=False)
    #: Every set felt where it should be (M9); false for no sets.
    felt_in_target: bool = field(init=False, compare=False)
    #: The smallest amount of any set (0 for no sets).
    least: int = field(init=False, compare=False)

    def __post_init__(self) -> None:
        # Worked out at construction: progression reads these for every exercise it decides.
        felt = [s.felt for s in self.sets]
        object.__setattr__(self, "felt_in_low_back", Felt.LOW_BACK in felt)
        object.__setattr__(
            self, "felt_in_target", bool(felt) and all(f is Felt.TARGET for f in felt)
        )
        object.__setattr__(self, "least", min((s.amount for s in self.sets), default=0))


@dataclass(frozen=True, slots=True)
class SessionLog:
    """A session with the pain before, worst during, after, and optionally next morning."""

    day: date
    pain_before: int
    pain_during: int
    pain_after: int
    exercises: tuple[ExerciseLog, ...] = ()
    pain_next_morning: int | None = None
    red_flags: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))
    #: Leg symptoms against the session before; None when not asked (older logs).
    leg_symptoms: LegSymptoms | None = None
    #: Why this session's pain response calls for easing off; empty when it does not.
    flare: tuple[Reason, ...] = field(init=False, compare=False)
    #: No flare, no high pain before, during or after, and the morning no worse than before.
    settled: bool = field(init=False, compare=False)

    def __post_init__(self) -> None:
        flare = self.flare_reasons()
        object.__setattr__(self, "flare", flare)
        morning = self.pain_next_morning
        object.__setattr__(
            self,
            "settled",
            not flare
            and not self.high_stable_pain
            and self.pain_before < VERY_HIGH_PAIN_BEFORE
            and (morning is None or morning <= self.pain_before),
        )

    def exercise(self, exercise_id: str) -> ExerciseLog | None:
        for logged in self.exercises:
            if logged.exercise_id == exercise_id:
                return logged
        return None

    @property
    def high_stable_pain(self) -> bool:
        """Pain during or after above 5/10 but no higher than before: high, not a flare."""
        before = self.pain_before
        during, after = self.pain_during, self.pain_after
        return (during > ACCEPTABLE_PAIN and during <= before) or (
            after > ACCEPTABLE_PAIN and after <= before
        )

    @property
    def morning_worse(self) -> bool:
        """Next-morning pain above the pain before the session (any rise blocks progress)."""
        morning = self.pain_next_morning
        return morning is not None and morning > self.pain_before

    def flare_reasons(self) -> tuple[Reason, ...]:
        """Why this session's pain response calls for easing off (pain-monitoring model).

        A flare is pain that rose with the session: during or after above 5/10 and above the
        pain before, or next-morning pain two or more points above the pain before. High pain
        that did not rise is not a flare (see `high_stable_pain`).
        """
        reasons = []
        before = self.pain_before
        during, after = self.pain_during, self.pain_after
        limit = ("acceptable", ACCEPTABLE_PAIN)
        if during > ACCEPTABLE_PAIN and during > before:
            reasons.append(Reason(FLARE_DURING, (("during", during), limit, ("before", before))))
        if after > ACCEPTABLE_PAIN and after > before:
            reasons.append(Reason(FLARE_AFTER, (("after", after), limit, ("before", before))))
        morning = self.pain_next_morning
        if morning is not None and morning >= before + MORNING_RISE:
            rise = ("rise", morning - before)
            reasons.append(Reason(FLARE_MORNING, (("morning", morning), rise, ("before", before))))
        return tuple(reasons)
