"""Saying an engine `Reason` in words: one place for the pages, the handout and the CLI.

The templates are in `messages`; this module fills them. Each template is translated with
`backcoach.wording.i18n.gettext` (the active language, English unless a caller chose another)
before its parameters go in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from string import Formatter

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Exercise
from backcoach.engine.reasons import Param, Reason
from backcoach.wording import and_list, muscles
from backcoach.wording.i18n import gettext
from backcoach.wording.messages import DAY_NOTES, MESSAGES, NO_KIT, PURPOSE, USES_KIT, VALUE_WORDS

#: How an exercise id becomes the exercise (its name, summary, targets ...).
Exercises = Callable[[str], Exercise | None]

_FORMATTER = Formatter()


def say(reason: Reason, *, exercises: Exercises | None = None) -> str:
    """Why an exercise was decided, in words (an exercise's `reason`, or a part of one)."""
    return _fill(MESSAGES, reason, exercises or _shipped)


def say_note(note: Reason, *, exercises: Exercises | None = None) -> str:
    """A day note in words (a plan's `day_notes`)."""
    return _fill(DAY_NOTES, note, exercises or _shipped)


def say_in(
    table: Mapping[str, str],
    reason: Reason,
    *,
    values: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """A reason in words from another table of this layer (screening, measures, change): its
    parts of a phrase from the same table, named values (``instrument``) from ``values``."""
    return _fill(table, reason, _shipped, parts=table, values=values or {})


def placeholders(template: str) -> frozenset[str]:
    """The parameters a template names: ``{to_exercise.summary}`` names ``to_exercise``."""
    names = set()
    for _, field, _, _ in _FORMATTER.parse(template):
        if field:
            names.add(field.split(".", 1)[0].split("[", 1)[0])
    return frozenset(names)


def _fill(
    table: Mapping[str, str],
    reason: Reason,
    exercises: Exercises,
    *,
    parts: Mapping[str, str] = MESSAGES,
    values: Mapping[str, Mapping[str, str]] = VALUE_WORDS,
) -> str:
    template = table.get(reason.code)
    if template is None:
        return reason.code  # a code this version has no words for: say what it is, never fail
    filled = {name: _value(name, value, exercises, parts, values) for name, value in reason.params}
    try:
        return gettext(template).format(**filled)
    except (KeyError, IndexError, ValueError, AttributeError):
        return reason.code  # a document's parameters that do not fit the words: never fail


def _value(
    name: str,
    value: Param,
    exercises: Exercises,
    parts: Mapping[str, str],
    values: Mapping[str, Mapping[str, str]],
) -> object:
    if isinstance(value, tuple):
        return "; ".join(
            _fill(parts, part, exercises, parts=parts, values=values) for part in value
        )
    if name.endswith("exercise") and isinstance(value, str):
        return ExerciseWords(value, exercises(value))
    words = values.get(name)
    if words is not None and isinstance(value, str) and value in words:
        return gettext(words[value])
    return value


class ExerciseWords:
    """An exercise as a template says it: its name, and ``.summary``, ``.targets`` ..."""

    __slots__ = ("_exercise", "_id")

    def __init__(self, exercise_id: str, exercise: Exercise | None) -> None:
        self._id, self._exercise = exercise_id, exercise

    def __format__(self, spec: str) -> str:
        return format(self._exercise.name if self._exercise else self._id, spec)

    @property
    def summary(self) -> str:
        return self._exercise.summary if self._exercise else ""

    @property
    def targets(self) -> str:
        """The muscles in plain words, each once: "belly muscles and deep belly muscles"."""
        if self._exercise is None:
            return ""
        return muscles(self._exercise.targets)

    @property
    def purpose(self) -> str:
        if self._exercise is None:
            return ""
        return gettext(PURPOSE[self._exercise.category])

    @property
    def kit(self) -> str:
        if self._exercise is None:
            return ""
        kit = sorted(item.value for item in self._exercise.equipment)
        if not kit:
            return gettext(NO_KIT)
        return gettext(USES_KIT).format(kit=and_list(kit))


def _shipped(exercise_id: str) -> Exercise | None:
    """The shipped catalogue's exercise, or None for an id it does not hold."""
    catalogue = default_catalogue()
    return catalogue.get(exercise_id) if exercise_id in catalogue else None
