"""What a person logged: sessions, their sets and pain, as the engine reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from backcoach.engine.vocabulary import Felt

#: Pain-monitoring model: pain up to 5/10 during or after exercise is acceptable.
ACCEPTABLE_PAIN = 5
#: Pain-monitoring model: next-morning pain this far above the day's baseline is a flare.
MORNING_RISE = 2


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
    #: Why this session's pain response calls for easing off; empty when it does not.
    flare: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "flare", self.flare_reasons())

    def exercise(self, exercise_id: str) -> ExerciseLog | None:
        for logged in self.exercises:
            if logged.exercise_id == exercise_id:
                return logged
        return None

    def flare_reasons(self) -> tuple[str, ...]:
        """Why this session's pain response calls for easing off (pain-monitoring model)."""
        reasons = []
        if self.pain_during > ACCEPTABLE_PAIN:
            reasons.append(
                f"pain during the session reached {self.pain_during}/10 (above {ACCEPTABLE_PAIN})"
            )
        if self.pain_after > ACCEPTABLE_PAIN:
            reasons.append(
                f"pain after the session was {self.pain_after}/10 (above {ACCEPTABLE_PAIN})"
            )
        morning = self.pain_next_morning
        if morning is not None and morning >= self.pain_before + MORNING_RISE:
            reasons.append(
                f"next-morning pain was {morning}/10, {morning - self.pain_before} above "
                f"the {self.pain_before}/10 before the session"
            )
        return tuple(reasons)
