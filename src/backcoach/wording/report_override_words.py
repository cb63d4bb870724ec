"""A coach's override said in the progress report (reports/progress_report.py): its kind and
what it set, from the parameters kept with it (services/overrides.py writes them)."""

from __future__ import annotations

from collections.abc import Mapping

from backcoach.catalogue import default_catalogue
from backcoach.wording.i18n import N_, gettext, ngettext

OVERRIDE_KINDS: dict[str, str] = {
    "swap": N_("Exercise swapped"),
    "dose": N_("Dose set"),
    "hold": N_("Progression held"),
    "add": N_("Exercise added"),
    "schedule": N_("Training days changed"),
}
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def exercise_name(exercise_id: object) -> str:
    """An exercise's name; its id when the catalogue no longer has it."""
    catalogue = default_catalogue()
    text = str(exercise_id)
    return catalogue.get(text).name if text in catalogue else text


def say_override(kind: str, values: Mapping[str, object]) -> str:
    """What one override set, in a phrase ("Dead bug in place of Bird dog")."""
    exercise = exercise_name(values["exercise"]) if values.get("exercise") else ""
    if kind == "swap":
        return gettext("{to} in place of {exercise}").format(
            to=exercise_name(values.get("to_exercise")), exercise=exercise
        )
    if kind == "dose":
        words = gettext("{exercise}, {sets} sets of {low}-{high}").format(
            exercise=exercise,
            sets=values.get("sets"),
            low=values.get("dose_min"),
            high=values.get("dose_max"),
        )
        load = values.get("load_kg")
        if isinstance(load, int | float):
            words += " " + gettext("with {load} kg").format(load=f"{float(load):g}")
        if values.get("locked"):
            return gettext("{dose} (locked)").format(dose=words)
        return gettext("{dose} (progression goes on from it)").format(dose=words)
    if kind == "hold":
        return exercise or gettext("the whole program")
    if kind == "add":
        return gettext("{exercise}, {sets} sets").format(exercise=exercise, sets=values.get("sets"))
    if kind == "schedule":
        count = values.get("days_per_week")
        days = count if isinstance(count, int) else 0
        words = ngettext("{count} day a week", "{count} days a week", days).format(count=days)
        weekdays = values.get("weekdays")
        if isinstance(weekdays, list | tuple) and weekdays:
            named = [gettext(WEEKDAYS[d]) for d in weekdays if isinstance(d, int) and 0 <= d <= 6]
            words += ": " + ", ".join(named)
        return words
    return kind
