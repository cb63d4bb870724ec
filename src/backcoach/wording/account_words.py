"""The words of the account's own changes: a new email, a changed profile's before/after list
(engine/replan.py's codes) and a program's pause (services/program_pause.py), with its days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from backcoach.engine.reasons import Reason
from backcoach.engine.vocabulary import Equipment
from backcoach.wording import KIT_WORDS
from backcoach.wording.i18n import N_, gettext, ngettext

ACCOUNT_ERRORS: dict[str, str] = {
    "email.invalid": N_("Please enter an email address like name@example.com."),
    "email.taken": N_("That email cannot be used for this account. Please choose another."),
    "email.same": N_("That is already your email."),
    "profile.no_program": N_("There is no program yet: finish onboarding first."),
    "profile.no_fit": N_(
        "No program fits this kit and level. Please tick more kit or choose another level."
    ),
    "profile.weekdays_count": N_(
        "Weekdays ticked: {chosen}; days a week: {days}. Tick as many weekdays as the days a "
        "week, or none."
    ),
    "pause.starts_in_past": N_("A pause starts today or later: choose today or a later day."),
    "pause.ends_before_start": N_("The last day of the pause cannot be before its first day."),
    "pause.too_long": N_("A pause can last at most {days} days; leave the end empty for longer."),
    "pause.starts_too_late": N_(
        "A pause can start at most {days} days from today: choose an earlier first day."
    ),
    "pause.starts_on_missing": N_("Please enter the first day of the pause."),
    "pause.starts_on_invalid": N_(
        "Please enter the first day of the pause as a date like 2026-12-24."
    ),
    "pause.ends_on_invalid": N_(
        "Please enter the last day of the pause as a date like 2026-12-24, or leave it empty."
    ),
    "pause.none": N_("Your program is not paused."),
}

#: How each level is said in a sentence, in the words of the form's answers.
LEVEL_WORDS: dict[str, str] = {
    "beginner": N_("little or no training"),
    "intermediate": N_("some training"),
    "advanced": N_("a lot of training"),
}

#: The weekdays in full, 0 = Monday.
WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)

#: The months in full, January first.
MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

_SWAPS: dict[str, str] = {
    "profile.swap.kit_gone": N_("{exercise} → {to_exercise}: you no longer have {kit}."),
    "profile.swap.not_suitable": N_(
        "{exercise} → {to_exercise}: the first no longer suits your answers."
    ),
    "profile.swap.kit_added": N_("{exercise} → {to_exercise}: you added {kit}."),
    "profile.swap.level_up": N_(
        "{exercise} → {to_exercise}: a harder start that fits your experience ({level})."
    ),
    "profile.swap.level_down": N_(
        "{exercise} → {to_exercise}: a gentler start that fits your experience ({level})."
    ),
}
_LINES: dict[str, str] = {
    "profile.added.level": N_(
        "New: {to_exercise}, one more hip exercise for your experience ({level})."
    ),
    "profile.removed.level": N_(
        "Taken out: {exercise}: with your experience ({level}) the program has one exercise fewer."
    ),
    "profile.removed.kit_gone": N_("Taken out: {exercise}: you no longer have {kit}."),
    "profile.coach_kept": N_("{exercise} stays: your coach chose it, and it still fits your kit."),
    "profile.drills_changed": N_("Your drills for tight moments changed to fit your kit."),
    "profile.coach_days_kept": N_(
        "Your coach set your training days, so they stay. Your own choice is saved for when "
        "your coach's setting ends."
    ),
    "profile.level": N_(
        "Your experience is now “{level}”: exercises that still suit it stay where your "
        "training has taken them."
    ),
    "profile.nothing_changed": N_(
        "Your exercises and days stay as they were: they still fit what you told us."
    ),
}
#: Every code of the before/after list that has words (tests/unit/test_replan.py).
PROFILE_CHANGE_CODES = frozenset({*_SWAPS, *_LINES, "profile.days", "profile.exercises_kept"})


def say_profile_change(change: Reason, name: Callable[[str], str]) -> str:
    """One line of the before/after list, exercises named by ``name`` (their id to a name)."""
    values = change.values
    code = change.code
    if code == "profile.days":
        return _days(int(str(values.get("days", 0))), str(values.get("weekdays", "")))
    if code == "profile.exercises_kept":
        count = int(str(values.get("count", 0)))
        return ngettext(
            "{count} exercise stays where your training has taken it: your progress is kept.",
            "{count} exercises stay where your training has taken them: your progress is kept.",
            count,
        ).format(count=count)
    template = _SWAPS.get(code) or _LINES.get(code)
    if template is None:
        return code
    words = {
        "exercise": name(str(values.get("exercise", ""))),
        "to_exercise": name(str(values.get("to_exercise", ""))),
        "kit": _kit(str(values.get("kit", ""))),
        "level": gettext(LEVEL_WORDS.get(str(values.get("level", "")), "")),
    }
    return gettext(template).format(**words)


def _kit(value: str) -> str:
    try:
        return KIT_WORDS[Equipment(value)]
    except (ValueError, KeyError):
        return gettext("that kit")


def _days(days: int, weekdays: str) -> str:
    said = ngettext(
        "You now have {days} day a week to train.",
        "You now have {days} days a week to train.",
        days,
    ).format(days=days)
    chosen = [int(day) for day in weekdays.split(",") if day.isdigit() and int(day) < 7]
    if not chosen:
        return said + " " + gettext("New training days are planned from your next session on.")
    names = ", ".join(gettext(WEEKDAY_NAMES[day]) for day in chosen)
    return said + " " + gettext("You train on {days} from now on.").format(days=names)


def weekday_names(days: tuple[int, ...]) -> str:
    """Chosen weekdays in full, e.g. "Monday, Thursday"."""
    return ", ".join(gettext(WEEKDAY_NAMES[day]) for day in days if 0 <= day < 7)


def say_day(day: dt.date) -> str:
    """A day in full, e.g. "24 December 2026"."""
    month = gettext(MONTH_NAMES[day.month - 1])
    return gettext("{day} {month} {year}").format(day=day.day, month=month, year=day.year)


def say_pause(starts_on: dt.date, ends_on: dt.date | None, today: dt.date) -> str:
    """A pause in force or ahead, from when until when, said on the person's ``today``."""
    start = say_day(starts_on)
    if ends_on is None:
        if starts_on <= today:
            return gettext("Your program is paused until you resume it.")
        return gettext("Your program pauses from {start} until you resume it.").format(start=start)
    return gettext("Your program is paused from {start} to {end}; it starts again after.").format(
        start=start, end=say_day(ends_on)
    )
