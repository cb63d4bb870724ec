"""The exercise catalogue as the library shows it: filtered by category, kit, level and position,
a page at a time, and each exercise's pictures by address. The same for everyone: nothing here
reads anyone's data, so nothing asks `authorize` (the doors still ask who calls)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.catalogue import Exercise
from backcoach.engine.vocabulary import Category, Equipment
from backcoach.services.errors import NotFound

#: The web app's picture route (web/routes/pictures.py): the animated demonstration, and the
#: still strip under the same name with this suffix; ``v`` is the pictures' version, so a
#: browser may keep them a year. tests/integration/test_api_program.py fetches every address
#: this gives, so the two cannot drift apart unnoticed.
PICTURE_PATH = "/pictures/{name}.svg?v={version}"
STRIP_SUFFIX = "-strip"
#: What a picture is drawn from: the drawing code, the engine's figure and motion, the demos.
_DRAWN_FROM = ("backcoach.pictures", "backcoach.engine", "backcoach.catalogue")


@dataclass(frozen=True, slots=True)
class Pictures:
    """The addresses (absolute paths) of an exercise's demonstration pictures."""

    animated: str
    #: The same demonstration as a still strip (for people who prefer reduced motion).
    still: str


@dataclass(frozen=True, slots=True)
class CatalogueFilter:
    """What to narrow the catalogue to (None: any). ``kit`` is what the person owns: an
    exercise shows when it needs nothing else (as on the library page; ``none`` alone is body
    weight only)."""

    category: Category | None = None
    kit: frozenset[Equipment] | None = None
    level: int | None = None
    position: str | None = None

    def admits(self, exercise: Exercise) -> bool:
        return (
            (self.category is None or exercise.category is self.category)
            and (self.kit is None or exercise.fits(self.kit))
            and (self.level is None or exercise.level == self.level)
            and (self.position is None or exercise.position == self.position)
        )


@dataclass(frozen=True, slots=True)
class CataloguePage:
    exercises: tuple[Exercise, ...]
    #: How many exercises the filter admits in all.
    total: int


def catalogue_page(
    *, narrowed: CatalogueFilter = CatalogueFilter(), offset: int = 0, limit: int = 50
) -> CataloguePage:
    """The exercises the filter admits, in the catalogue's order, from ``offset``."""
    admitted = [item for item in default_catalogue().exercises if narrowed.admits(item)]
    return CataloguePage(tuple(admitted[offset : offset + limit]), len(admitted))


def exercise_by_id(*, exercise_id: str) -> Exercise:
    """One exercise of the catalogue; `NotFound` for an id it does not hold."""
    catalogue = default_catalogue()
    if exercise_id not in catalogue:
        raise NotFound("exercise.not_found", field="exercise_id")
    return catalogue.get(exercise_id)


def pictures_of(exercise_id: str) -> Pictures | None:
    """The addresses of the exercise's pictures, or None when it has no demonstration (the
    exercises kept only to say why not)."""
    if exercise_id not in default_demos():
        return None
    version = picture_version()
    return Pictures(
        PICTURE_PATH.format(name=exercise_id, version=version),
        PICTURE_PATH.format(name=exercise_id + STRIP_SUFFIX, version=version),
    )


@cache
def picture_version() -> str:
    """A short hash of every file the pictures are drawn from: it changes with every release
    that could change a picture (and with some that do not: any engine change), and reading the
    files takes milliseconds where drawing the pictures to hash them would take seconds."""
    digest = hashlib.sha256()
    for package in _DRAWN_FROM:
        folder = Path(str(resources.files(package)))
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".toml"):
                digest.update(path.relative_to(folder).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
