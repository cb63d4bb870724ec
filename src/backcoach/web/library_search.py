"""The exercise library's search: by name, muscle and kit, the same on the server and in the page.

The server answers the search form (GET /exercises?q=...&muscle=...&kit=...), so it works
without JavaScript; static/library.js filters as the person types, reading the very text this
module puts on each exercise (``data-search``, ``data-muscles``), so both agree on what matches:
every word typed must appear in the exercise's name, muscles or kit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from gettext import NullTranslations
from typing import TYPE_CHECKING, Protocol

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Exercise
from backcoach.engine.vocabulary import Equipment
from backcoach.wording import equipment_words, muscles
from backcoach.wording.i18n import active_translations

if TYPE_CHECKING:
    from backcoach.web.routes.exercises import ExerciseCard, Group

#: A search longer than this is not a person typing.
MAX_QUERY = 100


class _Card(Protocol):
    @property
    def exercise(self) -> Exercise: ...


def searchable(exercise: Exercise) -> str:
    """The words a search matches, lower case: the name, the muscles (in everyday words and as
    trainers name them: "glute med"), and the kit."""
    trainers_words = " ".join(target.replace("_", " ") for target in exercise.targets)
    parts = [exercise.name, muscles(exercise.targets), trainers_words]
    return " ".join([*parts, equipment_words(exercise.equipment)]).lower()


def word_found(word: str, text: str) -> bool:
    """A typed word is in the text, or its singular is ("bridges", "glutes"); library.js has
    the same rule."""
    return word in text or (len(word) > 3 and word.endswith("s") and word[:-1] in text)


def _muscle_groups() -> dict[str, tuple[str, ...]]:
    """A muscle's words (in the active language) -> the catalogue's target names said so."""
    return _muscle_groups_in(active_translations())


@lru_cache(maxsize=16)
def _muscle_groups_in(_: NullTranslations) -> dict[str, tuple[str, ...]]:
    # One per language (the catalogue is shipped, so it never changes while running).
    said: dict[str, set[str]] = {}
    for exercise in default_catalogue().exercises:
        if exercise.prescribable:
            for target in exercise.targets:
                said.setdefault(muscles([target]), set()).add(target)
    return {words: tuple(sorted(targets)) for words, targets in said.items()}


def muscle_choices() -> list[tuple[str, str]]:
    """(value, label) for the muscle filter: one choice per muscle as a person would name it
    ("buttocks" stands for glutes and glute max alike), in alphabetical order."""
    groups = _muscle_groups()
    return sorted(
        ((targets[0], words[0].upper() + words[1:]) for words, targets in groups.items()),
        key=lambda choice: choice[1],
    )


def muscle_keys(exercise: Exercise) -> frozenset[str]:
    """The muscle filter's values that find this exercise."""
    keys = set()
    for targets in _muscle_groups().values():
        if any(target in exercise.targets for target in targets):
            keys.add(targets[0])
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class LibrarySearch:
    """What the person searched for: words, a muscle (a muscle_choices value), their kit."""

    words: tuple[str, ...] = ()
    muscle: str = ""
    kit: frozenset[Equipment] | None = None
    #: The search box's text as typed (shown back in it).
    text: str = ""

    @classmethod
    def of(cls, text: str, muscle: str, kit: frozenset[Equipment] | None) -> LibrarySearch:
        text = " ".join(text.split())
        return cls(tuple(text.lower().split()), muscle.strip(), kit, text)

    @property
    def active(self) -> bool:
        return bool(self.words or self.muscle or self.kit is not None)

    def fits(self, card: _Card) -> bool:
        """Whether the person's kit allows it (the kit form filters on the server only)."""
        return self.kit is None or card.exercise.fits(self.kit)

    def matches(self, card: _Card) -> bool:
        """Whether it answers the words and the muscle (library.js decides the same way)."""
        exercise = card.exercise
        if self.muscle and self.muscle not in muscle_keys(exercise):
            return False
        text = searchable(exercise)
        return all(word_found(word, text) for word in self.words)


@dataclass(frozen=True, slots=True)
class LibraryGroup:
    """One category of the library as the page shows it: the exercises the kit allows, each
    with whether the search found it (the others are there, hidden, for library.js to show
    again as the search changes), out of how many, and whether it starts open."""

    group: Group
    cards: Sequence[tuple[ExerciseCard, bool]]
    total: int
    opened: bool

    @property
    def shown(self) -> int:
        return sum(1 for _, found in self.cards if found)
