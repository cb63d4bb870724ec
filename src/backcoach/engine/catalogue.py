"""The exercise catalogue: the model of one exercise and a loader that refuses bad data."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from backcoach.engine.vocabulary import (
    STRENGTH_CATEGORIES,
    Category,
    DoseType,
    Equipment,
    Laterality,
)

LEVELS = range(1, 6)
#: M8: a strength set is 6-15 repetitions (or steps).
REPS_FLOOR, REPS_CEILING = 6, 15
#: Holds are dosed in seconds; this keeps them short enough to stay "felt in the muscle".
SECONDS_FLOOR, SECONDS_CEILING = 10, 60
#: Target muscles that count as "the abdominals" (M3) and "the glutes" (M4, M5).
ABDOMINAL_TARGETS = frozenset({"abdominals", "deep_abdominals", "obliques"})
GLUTE_TARGETS = frozenset({"glute_max", "glute_med", "glute_min", "glutes"})

_Choice = TypeVar("_Choice", Category, DoseType, Laterality)
_NOT_REQUIRED = frozenset({Equipment.NONE, Equipment.MAT})
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TEMPO = re.compile(r"^(\d-\d-\d-\d|hold|steady)$")


class CatalogueError(ValueError):
    """The catalogue data is malformed; the message names the exercise and field."""


class UnknownExerciseError(KeyError):
    """An exercise id that the catalogue does not hold."""

    def __str__(self) -> str:
        return f"unknown exercise id {self.args[0]!r}"


@dataclass(frozen=True, slots=True)
class Fault:
    """A common fault, how a person notices it, and its fix; low_back marks M9's signal."""

    sign: str
    fix: str
    low_back: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class Exercise:
    """One exercise of the catalogue, with its feel and ladder links; equal only to itself."""

    id: str
    name: str
    category: Category
    pattern: str
    targets: tuple[str, ...]
    equipment: frozenset[Equipment]
    laterality: Laterality
    level: int
    dose: DoseType
    dose_min: int
    dose_max: int
    tempo: str
    position: str
    summary: str
    setup: tuple[str, ...]
    cues: tuple[str, ...]
    faults: tuple[Fault, ...]
    progressions: tuple[str, ...] = ()
    regressions: tuple[str, ...] = ()
    load_step_kg: float = 0.0
    preferred: bool = False
    why_not: str = ""

    @property
    def prescribable(self) -> bool:
        return self.category is not Category.AVOID

    @property
    def loadable(self) -> bool:
        """True when the dose can be raised by adding kilograms (M4: dumbbell, barbell...)."""
        return self.load_step_kg > 0

    def fits(self, owned: frozenset[Equipment]) -> bool:
        """True when the person owns everything this exercise needs."""
        return self.equipment <= owned

    @property
    def low_back_fix(self) -> Fault | None:
        """The fault that answers "I felt it in my low back" (M9), if the data has one."""
        for fault in self.faults:
            if fault.low_back:
                return fault
        return None


@dataclass(frozen=True, slots=True, eq=False)
class Catalogue:
    """All exercises, indexed by id and by category, in data order (hashed by identity)."""

    exercises: tuple[Exercise, ...]
    by_id: Mapping[str, Exercise] = field(repr=False)
    by_category: Mapping[Category, tuple[Exercise, ...]] = field(repr=False)

    def get(self, exercise_id: str) -> Exercise:
        try:
            return self.by_id[exercise_id]
        except KeyError:
            raise UnknownExerciseError(exercise_id) from None

    def __contains__(self, exercise_id: object) -> bool:
        return exercise_id in self.by_id

    def __len__(self) -> int:
        return len(self.exercises)


_REQUIRED = (
    "id",
    "name",
    "category",
    "pattern",
    "targets",
    "equipment",
    "laterality",
    "level",
    "dose",
    "dose_min",
    "dose_max",
    "tempo",
    "position",
    "summary",
    "setup",
    "cues",
    "faults",
)
_OPTIONAL = ("progressions", "regressions", "load_step_kg", "preferred", "why_not")
_FAULT_FIELDS = ("sign", "fix", "low_back")


def parse_catalogue(raw: Mapping[str, Any]) -> Catalogue:
    """Build a Catalogue from parsed data (a mapping with an ``exercise`` list), or raise."""
    unknown_top = set(raw) - {"exercise", "version"}
    if unknown_top:
        raise CatalogueError(f"unknown top-level field(s): {', '.join(sorted(unknown_top))}")
    items = raw.get("exercise")
    if not isinstance(items, list) or not items:
        raise CatalogueError("the catalogue needs a non-empty 'exercise' list")
    exercises: list[Exercise] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        exercise = _parse_exercise(item, index)
        if exercise.id in seen:
            raise CatalogueError(f"exercise {exercise.id}: duplicate id")
        seen.add(exercise.id)
        exercises.append(exercise)
    by_id = {e.id: e for e in exercises}
    _check_links(exercises, by_id)
    _check_no_cycles(exercises, "progressions")
    _check_no_cycles(exercises, "regressions")
    _check_level_coverage(exercises)
    by_category = {
        category: tuple(e for e in exercises if e.category is category) for category in Category
    }
    return Catalogue(tuple(exercises), by_id, by_category)


def _parse_exercise(item: Any, index: int) -> Exercise:
    if not isinstance(item, Mapping):
        raise CatalogueError(f"exercise #{index + 1}: expected a table of fields")
    where = f"exercise {item.get('id', '#' + str(index + 1))}"
    unknown = set(item) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise CatalogueError(f"{where}: unknown field(s): {', '.join(sorted(unknown))}")
    missing = [name for name in _REQUIRED if name not in item]
    if missing:
        raise CatalogueError(f"{where}: missing field(s): {', '.join(missing)}")

    exercise_id = _text(item, "id", where)
    if not _ID.match(exercise_id):
        raise CatalogueError(f"{where}: id must be lower_snake_case")
    category = _choice(item, "category", Category, where)
    dose = _choice(item, "dose", DoseType, where)
    level = _integer(item, "level", where)
    if level not in LEVELS:
        raise CatalogueError(f"{where}: level must be 1-5, got {level}")
    dose_min, dose_max = _integer(item, "dose_min", where), _integer(item, "dose_max", where)
    _check_dose(category, dose, dose_min, dose_max, where)
    tempo = _text(item, "tempo", where)
    if not _TEMPO.match(tempo):
        raise CatalogueError(f"{where}: tempo must look like '2-1-2-0', 'hold' or 'steady'")
    targets = tuple(_texts(item, "targets", where))
    if not targets:
        raise CatalogueError(f"{where}: targets must name at least one muscle")
    _check_targets(category, targets, where)
    equipment_names = _texts(item, "equipment", where)
    try:
        # A mat is comfort, not a requirement (a carpet works), so it never limits a choice.
        equipment = frozenset(Equipment(name) for name in equipment_names) - _NOT_REQUIRED
    except ValueError as error:
        raise CatalogueError(f"{where}: equipment: {error}") from None
    faults = _faults(item, where)
    why_not = str(item.get("why_not", ""))
    if category is Category.AVOID and not why_not.strip():
        raise CatalogueError(f"{where}: an 'avoid' exercise must say why_not")
    if category is not Category.AVOID and why_not:
        raise CatalogueError(f"{where}: why_not belongs to 'avoid' exercises only")
    if category in STRENGTH_CATEGORIES and not any(f.low_back for f in faults):
        raise CatalogueError(f"{where}: needs a fault with low_back = true (M9)")
    load_step = item.get("load_step_kg", 0.0)
    if isinstance(load_step, bool) or not isinstance(load_step, int | float) or load_step < 0:
        raise CatalogueError(f"{where}: load_step_kg must be a number >= 0")
    preferred = item.get("preferred", False)
    if not isinstance(preferred, bool):
        raise CatalogueError(f"{where}: preferred must be true or false")
    return Exercise(
        id=exercise_id,
        name=_text(item, "name", where),
        category=category,
        pattern=_text(item, "pattern", where),
        targets=targets,
        equipment=equipment,
        laterality=_choice(item, "laterality", Laterality, where),
        level=level,
        dose=dose,
        dose_min=dose_min,
        dose_max=dose_max,
        tempo=tempo,
        position=_text(item, "position", where),
        summary=_text(item, "summary", where),
        setup=tuple(_texts(item, "setup", where, non_empty=True)),
        cues=tuple(_texts(item, "cues", where, non_empty=True)),
        faults=faults,
        progressions=tuple(_texts(item, "progressions", where, optional=True)),
        regressions=tuple(_texts(item, "regressions", where, optional=True)),
        load_step_kg=float(load_step),
        preferred=preferred,
        why_not=why_not,
    )


def _check_dose(category: Category, dose: DoseType, low: int, high: int, where: str) -> None:
    if low > high:
        raise CatalogueError(f"{where}: dose_min {low} is above dose_max {high}")
    if dose is DoseType.SECONDS:
        floor, ceiling = SECONDS_FLOOR, SECONDS_CEILING
    elif category in STRENGTH_CATEGORIES:
        floor, ceiling = REPS_FLOOR, REPS_CEILING  # M8
    else:
        floor, ceiling = 3, 20
    if low < floor or high > ceiling:
        raise CatalogueError(
            f"{where}: dose_min/dose_max must stay within {floor}-{ceiling} {dose.value}"
        )


def _check_targets(category: Category, targets: Sequence[str], where: str) -> None:
    named = set(targets)
    if category is Category.CORE and not named & ABDOMINAL_TARGETS:
        raise CatalogueError(f"{where}: a core exercise must target the abdominals (M3)")
    glute_work = (Category.HIP_EXTENSION, Category.HIP_EXTERNAL_ROTATION)
    if category in glute_work and not named & GLUTE_TARGETS:
        raise CatalogueError(f"{where}: a glute exercise must target the glutes (M4, M5)")


def _faults(item: Mapping[str, Any], where: str) -> tuple[Fault, ...]:
    raw = item["faults"]
    if not isinstance(raw, list) or not raw:
        raise CatalogueError(f"{where}: faults must be a non-empty list")
    faults = []
    for number, fault in enumerate(raw, start=1):
        if not isinstance(fault, Mapping):
            raise CatalogueError(f"{where}: faults #{number} must be a table")
        unknown = set(fault) - set(_FAULT_FIELDS)
        if unknown:
            raise CatalogueError(
                f"{where}: faults #{number}: unknown field(s): {', '.join(sorted(unknown))}"
            )
        sign, fix = fault.get("sign"), fault.get("fix")
        if (
            not isinstance(sign, str)
            or not sign.strip()
            or not isinstance(fix, str)
            or not fix.strip()
        ):
            raise CatalogueError(f"{where}: faults #{number} needs a 'sign' and a 'fix'")
        low_back = fault.get("low_back", False)
        if not isinstance(low_back, bool):
            raise CatalogueError(f"{where}: faults #{number}: low_back must be true or false")
        faults.append(Fault(sign=sign, fix=fix, low_back=low_back))
    return tuple(faults)


def _check_links(exercises: Iterable[Exercise], by_id: Mapping[str, Exercise]) -> None:
    for exercise in exercises:
        for kind, links in (
            ("progressions", exercise.progressions),
            ("regressions", exercise.regressions),
        ):
            for link in links:
                target = by_id.get(link)
                where = f"exercise {exercise.id}: {kind}"
                if target is None:
                    raise CatalogueError(f"{where}: broken link to unknown id {link!r}")
                if link == exercise.id:
                    raise CatalogueError(f"{where}: links to itself")
                if target.category is not exercise.category:
                    raise CatalogueError(f"{where}: {link!r} is in another category")
                if kind == "progressions" and target.level < exercise.level:
                    raise CatalogueError(f"{where}: {link!r} is easier (level {target.level})")
                if kind == "regressions" and target.level > exercise.level:
                    raise CatalogueError(f"{where}: {link!r} is harder (level {target.level})")


def _check_no_cycles(exercises: Sequence[Exercise], kind: str) -> None:
    """A ladder must lead somewhere: following one kind of link never returns to the start."""
    edges = {e.id: tuple(getattr(e, kind)) for e in exercises}
    done: set[str] = set()
    for start in edges:
        if start in done:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, child = stack.pop()
            if child == 0:
                path.append(node)
                on_path.add(node)
            children = edges[node]
            if child < len(children):
                stack.append((node, child + 1))
                nxt = children[child]
                if nxt in on_path:
                    loop = [*path[path.index(nxt) :], nxt]
                    raise CatalogueError(f"cycle in {kind} ladder: {' -> '.join(loop)}")
                if nxt not in done:
                    stack.append((nxt, 0))
            else:
                path.pop()
                on_path.discard(node)
                done.add(node)


def _check_level_coverage(exercises: Sequence[Exercise]) -> None:
    for category in STRENGTH_CATEGORIES:
        levels = {e.level for e in exercises if e.category is category}
        gaps = [level for level in LEVELS if level not in levels]
        if gaps:
            raise CatalogueError(f"category {category.value} has no exercise at level(s) {gaps}")
        if not any(e.category is category and e.level == 1 and not e.equipment for e in exercises):
            raise CatalogueError(
                f"category {category.value} needs a body-weight exercise at level 1"
            )
    drills = [e for e in exercises if e.category is Category.MOBILITY and not e.equipment]
    if len(drills) < 3:
        raise CatalogueError("the catalogue needs at least 3 body-weight mobility drills (M6)")


def _text(item: Mapping[str, Any], name: str, where: str) -> str:
    value = item[name]
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: {name} must be non-empty text")
    return value


def _texts(
    item: Mapping[str, Any],
    name: str,
    where: str,
    *,
    optional: bool = False,
    non_empty: bool = False,
) -> list[str]:
    if optional and name not in item:
        return []
    value = item[name]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogueError(f"{where}: {name} must be a list of text")
    if non_empty and not value:
        raise CatalogueError(f"{where}: {name} must not be empty")
    return list(value)


def _integer(item: Mapping[str, Any], name: str, where: str) -> int:
    value = item[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise CatalogueError(f"{where}: {name} must be a whole number")
    return value


def _choice(item: Mapping[str, Any], name: str, kind: type[_Choice], where: str) -> _Choice:
    value = item[name]
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise CatalogueError(f"{where}: {name} {value!r} is not one of {allowed}") from None
