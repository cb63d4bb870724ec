"""What the engine knows about a person when it prescribes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from backcoach.engine.red_flags import MAX_AGE, MIN_AGE
from backcoach.engine.screening import AGE, PREGNANCY, RED_FLAG_IDS
from backcoach.engine.vocabulary import Equipment, Level, Pregnancy

# NICE NG59 covers people aged 16 and over; the method is not written for children.
__all__ = ["MAX_AGE", "MIN_AGE", "Profile"]


@dataclass(frozen=True, slots=True)
class Profile:
    """A person's answers that shape a program (validated at the edge before it gets here)."""

    age: int
    pain: int
    level: Level
    days_per_week: int
    equipment: frozenset[Equipment] = frozenset()
    avoid: frozenset[str] = frozenset()
    red_flags: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))
    #: Preferred training weekdays, 0 = Monday; empty means any day.
    weekdays: tuple[int, ...] = ()
    #: None when not asked: the screening is then incomplete and no program is built.
    pregnancy: Pregnancy | None = None

    def __post_init__(self) -> None:
        # Body weight is always available; "none" is only a way of saying "nothing else".
        owned = frozenset(self.equipment) - {Equipment.NONE}
        object.__setattr__(self, "equipment", owned)
        if not MIN_AGE <= self.age <= MAX_AGE:
            raise ValueError(f"age: must be {MIN_AGE}-{MAX_AGE}")
        if not 0 <= self.pain <= 10:
            raise ValueError("pain: must be 0-10")
        if not 1 <= self.days_per_week <= 7:
            raise ValueError("days_per_week: must be 1-7")
        unknown = set(self.red_flags) - RED_FLAG_IDS
        if unknown:
            raise ValueError(f"red_flags: unknown red flag id {sorted(unknown)[0]!r}")
        if any(not isinstance(answer, bool) for answer in self.red_flags.values()):
            raise ValueError("red_flags: each answer must be true or false")
        if any(not 0 <= day <= 6 for day in self.weekdays):
            raise ValueError("weekdays: must be 0 (Monday) to 6 (Sunday)")

    def screening_answers(self) -> dict[str, object]:
        """Everything the safety screening weighs: the yes/no answers, age and pregnancy."""
        answers: dict[str, object] = {**self.red_flags, AGE: self.age}
        if self.pregnancy is not None:
            answers[PREGNANCY] = self.pregnancy.value
        return answers
