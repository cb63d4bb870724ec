"""The profile document: who the person is, what they own, and their red-flag answers."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from backcoach.engine.profile import MAX_AGE, MIN_AGE, Profile
from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.engine.vocabulary import Equipment, Level, Pregnancy
from backcoach.formats.documents import InputError, explain

StrictInt = Annotated[int, Field(strict=True)]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ProfileIn(BaseModel):
    """A person's profile, as `backcoach plan` reads it."""

    model_config = ConfigDict(extra="forbid", title="backcoach profile")

    age: StrictInt = Field(ge=MIN_AGE, le=MAX_AGE, description="Age in years (16 and over).")
    pain: StrictInt = Field(ge=0, le=10, description="Pain right now, NPRS 0-10.")
    equipment: list[Equipment] = Field(
        default_factory=list,
        max_length=20,
        description="What the person owns; empty (or ['none']) means body weight only.",
    )
    level: Level = Field(description="beginner, intermediate or advanced.")
    days_per_week: StrictInt = Field(ge=1, le=7, description="Days a week free to train.")
    avoid: list[Annotated[str, Field(max_length=80)]] = Field(
        default_factory=list, max_length=200, description="Exercise ids never to prescribe."
    )
    red_flags: dict[str, Annotated[bool, Field(strict=True)]] = Field(
        default_factory=dict, description="Red-flag id -> true/false (see docs/clinical-rules.md)."
    )
    pregnancy: Pregnancy | None = Field(
        default=None,
        description="none, up_to_12_weeks, after_12_weeks or postpartum_under_12_weeks; "
        "a safety question: without it no program is built.",
    )
    weekdays: list[str] = Field(
        default_factory=list,
        max_length=7,
        description="Optional preferred training days: mon, tue, wed, thu, fri, sat, sun.",
    )

    @field_validator("red_flags")
    @classmethod
    def _known_flags(cls, value: dict[str, bool]) -> dict[str, bool]:
        unknown = sorted(set(value) - RED_FLAG_IDS)
        if unknown:
            raise ValueError(f"unknown red flag id {unknown[0]!r}")
        return value

    @field_validator("weekdays")
    @classmethod
    def _known_days(cls, value: list[str]) -> list[str]:
        for day in value:
            if day.lower()[:3] not in WEEKDAYS:
                raise ValueError(f"{day!r} is not one of {', '.join(WEEKDAYS)}")
        return value

    def to_profile(self) -> Profile:
        return Profile(
            age=self.age,
            pain=self.pain,
            level=self.level,
            days_per_week=self.days_per_week,
            equipment=frozenset(self.equipment),
            avoid=frozenset(self.avoid),
            red_flags=dict(self.red_flags),
            weekdays=tuple(sorted({WEEKDAYS.index(d.lower()[:3]) for d in self.weekdays})),
            pregnancy=self.pregnancy,
        )


def read_profile(data: Any, *, root: str = "profile") -> Profile:
    if not isinstance(data, dict):
        raise InputError(f"{root}: expected an object with age, pain, level, days_per_week ...")
    try:
        return ProfileIn.model_validate(data).to_profile()
    except ValidationError as error:
        raise explain(error, root) from None
