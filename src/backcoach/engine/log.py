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
    exercise_id: str
    sets: tuple[SetLog, ...]

    @property
    def felt_in_low_back(self) -> bool:
        return any(s.felt is Felt.LOW_BACK for s in self.sets)

    @property
    def felt_in_target(self) -> bool:
        """Every set was felt where it should be (M9)."""
        return bool(self.sets) and all(s.felt is Felt.TARGET for s in self.sets)


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
