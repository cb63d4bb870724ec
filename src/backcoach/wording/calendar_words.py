"""The training calendar's words: each planned exercise in a line, and the feed's event and
calendar names (services/calendar.py builds the schedule and the ICS feed from them)."""

from __future__ import annotations

from collections.abc import Iterable

from backcoach.engine.plan import PlannedExercise
from backcoach.engine.vocabulary import DoseType, Laterality
from backcoach.wording.i18n import N_, gettext, ngettext

#: Every training day's event in a calendar app (a msgid: say it with `gettext`).
SUMMARY = N_("backcoach: strength session")
#: The calendar's name in a calendar app (a msgid).
CALENDAR_NAME = N_("backcoach training")


def describe(item: PlannedExercise) -> str:
    """One exercise of a plan in words: "Clam: 2 sets of 10-15 reps, each side"."""
    exercise = item.exercise
    text = ngettext("{name}: {sets} set of {amount}", "{name}: {sets} sets of {amount}", item.sets)
    text = text.format(name=exercise.name, sets=item.sets, amount=_amount(item))
    if exercise.laterality is Laterality.UNILATERAL:
        text = gettext("{exercise}, each side").format(exercise=text)
    if item.load_kg is not None:
        text = gettext("{exercise}, {load_kg:g} kg").format(exercise=text, load_kg=item.load_kg)
    return text


def _amount(item: PlannedExercise) -> str:
    """One set's amount: a range of reps, or the bottom of a timed or stepped range (the target
    for the next session)."""
    dose, low, high = item.exercise.dose, item.dose_min, item.dose_max
    if dose is DoseType.REPS:
        if low != high:
            return gettext("{low}-{high} reps").format(low=low, high=high)
        return ngettext("{count} rep", "{count} reps", low).format(count=low)
    if dose is DoseType.SECONDS:
        return ngettext("{count} second", "{count} seconds", low).format(count=low)
    return ngettext("{count} step", "{count} steps", low).format(count=low)


def event_description(exercises: Iterable[str]) -> str:
    """A training day's event text: its exercises (as `describe` says them), one a line."""
    lines = [gettext("Today's exercises:"), *(f"- {text}" for text in exercises)]
    lines.append(gettext("Open backcoach to log each set as you go."))
    return "\n".join(lines)
