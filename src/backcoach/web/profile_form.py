"""The profile form that onboarding and the program's settings page share: level, days, kit
and (on the settings page) weekdays, each ticked value counted once."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator

from backcoach.engine.vocabulary import Equipment, Level
from backcoach.formats.profile import WEEKDAYS
from backcoach.services.own_account import SavedProfile
from backcoach.wording.i18n import N_, gettext
from backcoach.wording.override_words import WEEKDAY_WORDS

#: The kit a person can tick, in the words of the form.
EQUIPMENT_CHOICES = (
    (Equipment.MAT, N_("A mat (a carpet works too)")),
    (Equipment.BAND, N_("A resistance band")),
    (Equipment.DUMBBELL, N_("Dumbbells")),
    (Equipment.KETTLEBELL, N_("A kettlebell")),
    (Equipment.BARBELL, N_("A barbell and plates")),
    (Equipment.BENCH, N_("A bench")),
)


_KIT = frozenset(kit.value for kit in Equipment)


def _once(value: Any) -> Any:
    """A list with each value once, in the order ticked (a repeated box changes nothing)."""
    if isinstance(value, list):
        return list(dict.fromkeys(value))
    return value


class ProfileForm(BaseModel):
    level: Level
    days_per_week: Annotated[int, Field(ge=1, le=7)]
    # Each known value at most once: no list longer than the choices reaches the engine (a
    # form with 21 ticks of one box was a server error); an unknown value is refused by name.
    equipment: Annotated[list[Equipment], Field(max_length=len(Equipment))] = []

    @field_validator("equipment", mode="before")
    @classmethod
    def _known_kit_once(cls, value: Any) -> Any:
        value = _once(value)
        if isinstance(value, list) and any(item not in _KIT for item in value):
            raise ValueError(gettext("Please tick only the kit listed here."))
        return value


class ProgramSettingsForm(ProfileForm):
    """The settings page's form: the profile and, optionally, which weekdays (``mon`` ...)."""

    weekdays: Annotated[list[str], Field(max_length=len(WEEKDAYS))] = []

    @field_validator("weekdays", mode="before")
    @classmethod
    def _known_days_once(cls, value: Any) -> Any:
        value = _once(value)
        if isinstance(value, list) and any(day not in WEEKDAYS for day in value):
            raise ValueError(gettext("Please choose days of the week from the list."))
        return value

    @property
    def weekday_numbers(self) -> tuple[int, ...]:
        return tuple(sorted(WEEKDAYS.index(day) for day in self.weekdays))


def equipment_choices() -> list[tuple[Equipment, str]]:
    """The profile's kit checkboxes, labelled in the active language."""
    return [(kit, gettext(label)) for kit, label in EQUIPMENT_CHOICES]


def weekday_choices() -> list[tuple[str, str]]:
    """The weekday checkboxes: the form's value (``mon``) and the short name."""
    return [(day, gettext(words)) for day, words in zip(WEEKDAYS, WEEKDAY_WORDS, strict=True)]


def profile_values(saved: SavedProfile | None) -> dict[str, Any]:
    """The form's values from the profile the person last gave (none before the first): a
    settings page, or onboarding again after a clearance, starts from what they chose."""
    if saved is None:
        return {}
    return {
        "level": saved.level or "beginner",
        "days_per_week": str(saved.days_per_week or ""),
        "equipment": list(saved.equipment),
        "weekdays": [day for day in saved.weekdays if day in WEEKDAYS],
    }
