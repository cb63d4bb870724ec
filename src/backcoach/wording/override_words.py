"""The words of a coach's overrides and of a clearance a coach records: the refusals of
services/overrides.py and services/clearance.py, by code (each wrapped in ``N_``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from backcoach.wording.i18n import N_, gettext, ngettext
from backcoach.wording.messages import OVERRIDE_PROBLEMS

OVERRIDE_ERRORS: dict[str, str] = {
    **OVERRIDE_PROBLEMS,
    "override.kind_unknown": N_("Choose what to change: swap, dose, hold, add or days."),
    "override.choose": N_("Please choose one."),
    "override.number": N_("Please enter a whole number from {min} to {max}."),
    "override.load": N_("Please enter kilograms from 0 to {max}, or leave it blank."),
    "override.dose_reversed": N_("The top of the range must not be below its bottom."),
    "override.weekday": N_("Please choose days of the week from the list."),
    "override.weekdays_count": N_(
        "Weekdays ticked: {chosen}; days a week: {days}. Tick as many weekdays as the days a "
        "week, or none."
    ),
    "override.note_too_long": N_("Use at most {max} characters."),
    "override.not_found": N_("That change to the program does not exist."),
    "clearance.by_coach": N_(
        "Your coach records a clinician's clearance: tell them what the clinician said."
    ),
    "clearance.nothing_to_clear": N_("There is no open referral to clear."),
    "clearance.clinician_missing": N_(
        "Please say who cleared them: the clinician's name and role."
    ),
    "clearance.day_invalid": N_("Please give the day as a date, like 2026-11-23."),
    "clearance.day_in_future": N_("The day of the clearance cannot be after today."),
    "clearance.day_before_referral": N_(
        "That is before the referral on {referred}: a clearance must come after it."
    ),
    "clearance.too_long": N_("Use at most {max} characters."),
}

#: What each kind of override is called on the coach's page.
KIND_WORDS: dict[str, str] = {
    "swap": N_("Swap"),
    "dose": N_("Dose"),
    "hold": N_("Hold"),
    "add": N_("Add"),
    "schedule": N_("Days"),
}

WEEKDAY_WORDS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def say_override(kind: str, values: Mapping[str, Any], name: Callable[[str], str]) -> str:
    """One override in words ("Dead bug for Bird dog"), exercises named by ``name``."""
    exercise = name(str(values.get("exercise"))) if values.get("exercise") else ""
    if kind == "swap":
        return gettext("{to} in place of {exercise}").format(
            to=name(str(values.get("to_exercise"))), exercise=exercise
        )
    if kind == "dose":
        load = values.get("load_kg")
        words = gettext("{exercise}: {sets} sets of {low}-{high}").format(
            exercise=exercise,
            sets=values.get("sets"),
            low=values.get("dose_min"),
            high=values.get("dose_max"),
        )
        if load is not None:
            words += " " + gettext("with {load} kg").format(load=f"{float(load):g}")
        locked = (
            gettext("locked") if values.get("locked") else gettext("the engine goes on from it")
        )
        return f"{words} ({locked})"
    if kind == "hold":
        return exercise or gettext("the whole program")
    if kind == "add":
        return gettext("{exercise}, {sets} sets").format(exercise=exercise, sets=values.get("sets"))
    days = [gettext(WEEKDAY_WORDS[day]) for day in values.get("weekdays") or () if 0 <= day <= 6]
    words = ngettext(
        "{count} day a week", "{count} days a week", int(values.get("days_per_week") or 0)
    )
    words = words.format(count=values.get("days_per_week"))
    return f"{words} ({', '.join(days)})" if days else words


#: The categories a coach filters the catalogue by (M3-M5).
CATEGORY_WORDS: dict[str, str] = {
    "core": N_("Core: abdominals, back still"),
    "hip_extension": N_("Hip extension: glutes"),
    "hip_external_rotation": N_("Hip external rotation: side glutes"),
}

#: The positions exercises are done in.
POSITION_WORDS: dict[str, str] = {
    "supine": N_("Lying on the back"),
    "prone": N_("Lying face down"),
    "side_lying": N_("Lying on the side"),
    "quadruped": N_("On hands and knees"),
    "kneeling": N_("Kneeling"),
    "half_kneeling": N_("Half kneeling"),
    "seated": N_("Seated"),
    "standing": N_("Standing"),
}
