"""A coach's override between the form, the row and the engine: what the coach typed read into
the engine's `Override` (every bad field named), the JSON a `CoachOverride` row keeps, and an
engine problem turned into a refusal naming the form's field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from backcoach.engine.overrides import Add, Dose, Hold, Override, Overrides, Schedule, Swap
from backcoach.engine.plan import MAX_SETS, MIN_SETS, Plan
from backcoach.engine.reasons import Reason
from backcoach.services.errors import Invalid
from backcoach.store.care_tables import CoachOverride

KINDS = ("swap", "dose", "hold", "add", "schedule")
#: A coach's note is a sentence or two beside a reason, not a letter.
MAX_NOTE = 500


FIELD_OF = {
    "swap": "swaps",
    "dose": "doses",
    "hold": "holds",
    "add": "added",
    "schedule": "schedule",
}


def parsed(
    kind: str, values: Mapping[str, object], *, coach_id: int, today: dt.date, note: str
) -> tuple[Override, list[Invalid]]:
    """The engine's override from what the coach gave, with a problem naming each bad field
    (a bad number reads as 0, which the engine's own checks then leave to this problem)."""
    if kind not in KINDS:
        raise Invalid("override.kind_unknown", field="kind")
    note = note.strip()
    reader = _Reader(values)
    if len(note) > MAX_NOTE:
        reader.problems.append(Invalid("override.note_too_long", field="note", max=MAX_NOTE))
    common: dict[str, Any] = {"coach_id": coach_id, "set_on": today, "note": note}
    built: Override | None = None
    if kind == "swap":
        exercise, to = reader.text("exercise"), reader.text("to_exercise")
        built = Swap(exercise, to, **common)
    elif kind == "dose":
        exercise = reader.text("exercise")
        sets = reader.number("sets", MIN_SETS, MAX_SETS)
        low, high = reader.number("dose_min", 1, 3600), reader.number("dose_max", 1, 3600)
        if low and high and low > high:
            reader.problems.append(Invalid("override.dose_reversed", field="dose_max"))
        load = reader.load("load_kg")
        locked = reader.flag("locked")
        built = Dose(exercise, sets, low, high, load_kg=load, locked=locked, **common)
    elif kind == "hold":
        built = Hold(exercise_id=reader.text("exercise", required=False) or None, **common)
    elif kind == "add":
        exercise = reader.text("exercise")
        built = Add(exercise, sets=reader.number("sets", MIN_SETS, MAX_SETS), **common)
    else:
        days = reader.number("days_per_week", 1, 7)
        built = Schedule(days, weekdays=reader.weekdays("weekdays", days), **common)
    return built, reader.problems


class _Reader:
    """Reads a form's values one field at a time, gathering every problem."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = values
        self.problems: list[Invalid] = []

    def text(self, name: str, *, required: bool = True) -> str:
        given = self.values.get(name)
        text = given.strip() if isinstance(given, str) else ""
        if required and not text:
            self.problems.append(Invalid("override.choose", field=name))
        return text[:80]

    def number(self, name: str, low: int, high: int) -> int:
        given = self.values.get(name)
        if isinstance(given, str) and given.strip().isdecimal() and len(given.strip()) <= 5:
            given = int(given.strip())
        if isinstance(given, int) and not isinstance(given, bool) and low <= given <= high:
            return given
        self.problems.append(Invalid("override.number", field=name, min=low, max=high))
        return 0

    def load(self, name: str) -> float | None:
        given = self.values.get(name)
        if given is None or (isinstance(given, str) and not given.strip()):
            return None
        try:
            load = float(given) if isinstance(given, int | float | str) else -1.0
        except ValueError:
            load = -1.0
        if not 0 <= load <= 500:
            self.problems.append(Invalid("override.load", field=name, max=500))
            return None
        return load

    def flag(self, name: str) -> bool:
        given = self.values.get(name)
        return given is True or (isinstance(given, str) and given in {"yes", "on", "true", "1"})

    def weekdays(self, name: str, days: int) -> tuple[int, ...]:
        given = self.values.get(name)
        if isinstance(given, str | int):
            items: list[object] = [given]
        else:
            items = list(given) if isinstance(given, list | tuple) else []
        found: list[int] = []
        for item in items:
            text = str(item).strip()
            if not (text.isdecimal() and int(text) <= 6):
                self.problems.append(Invalid("override.weekday", field=name))
                return ()
            found.append(int(text))
        chosen = tuple(sorted(set(found)))
        if chosen and days and len(chosen) != days:
            self.problems.append(
                Invalid("override.weekdays_count", field=name, days=days, chosen=len(chosen))
            )
        return chosen


def refusal(reason: Reason, override: Override) -> Invalid:
    """An engine problem as a refusal naming the form's field."""
    params = dict(reason.params)
    field = {
        "override.sets_out_of_range": "sets",
        "override.dose_out_of_range": "dose_min",
        "override.not_loadable": "load_kg",
        "override.days_out_of_range": "days_per_week",
        "override.weekday_out_of_range": "weekdays",
        "override.wrong_category": "to_exercise",
        "override.already_in_plan": "to_exercise" if isinstance(override, Swap) else "exercise",
    }.get(reason.code)
    if field is None:
        on_target = isinstance(override, Swap) and params.get("exercise") == override.to_exercise_id
        field = "to_exercise" if on_target else "exercise"
    return Invalid(reason.code, field=field, **{k: _plain(v) for k, v in params.items()})


def added_again(override: Override, plan: Plan) -> list[Invalid]:
    """An addition of an exercise the program has (its drills too) would change nothing, and
    its undo would take the exercise out of the program: refused (the page never offers it;
    the engine's `problems` accepts it, as that is how a kept addition stays)."""
    if not isinstance(override, Add):
        return []
    planned = {item.exercise.id for item in (*plan.exercises, *plan.mobility)}
    if override.exercise_id not in planned:
        return []
    return [Invalid("override.already_in_plan", field="exercise", exercise=override.exercise_id)]


def _plain(value: object) -> str | int | float | bool | None:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def data_of(override: Override) -> dict[str, Any]:
    """The override's parameters as JSON (the names the form uses)."""
    data: dict[str, Any] = {"set_on": override.set_on.isoformat()}
    if isinstance(override, Swap):
        return data | {"exercise": override.exercise_id, "to_exercise": override.to_exercise_id}
    if isinstance(override, Dose):
        return data | {
            "exercise": override.exercise_id,
            "sets": override.sets,
            "dose_min": override.dose_min,
            "dose_max": override.dose_max,
            "load_kg": override.load_kg,
            "locked": override.locked,
        }
    if isinstance(override, Hold):
        return data | {"exercise": override.exercise_id}
    if isinstance(override, Add):
        return data | {"exercise": override.exercise_id, "sets": override.sets}
    return data | {"days_per_week": override.days_per_week, "weekdays": list(override.weekdays)}


def override_of(row: CoachOverride) -> Override:
    """The engine's override a row keeps."""
    data = row.data
    common: dict[str, Any] = {
        "coach_id": row.coach_id or 0,
        "set_on": dt.date.fromisoformat(data["set_on"]),
        "note": row.note or "",
    }
    if row.kind == "swap":
        return Swap(data["exercise"], data["to_exercise"], **common)
    if row.kind == "dose":
        return Dose(
            data["exercise"],
            data["sets"],
            data["dose_min"],
            data["dose_max"],
            load_kg=data.get("load_kg"),
            locked=bool(data.get("locked")),
            **common,
        )
    if row.kind == "hold":
        return Hold(exercise_id=data.get("exercise"), **common)
    if row.kind == "add":
        return Add(data["exercise"], sets=data["sets"], **common)
    return Schedule(data["days_per_week"], weekdays=tuple(data.get("weekdays") or ()), **common)


def alone(override: Override) -> Overrides:
    """One override as the engine takes a set of them."""
    if isinstance(override, Swap):
        return Overrides(swaps=(override,))
    if isinstance(override, Dose):
        return Overrides(doses=(override,))
    if isinstance(override, Hold):
        return Overrides(holds=(override,))
    if isinstance(override, Add):
        return Overrides(added=(override,))
    return Overrides(schedule=override)


def concerns(item: Override) -> str | None:
    if isinstance(item, Swap):
        return item.to_exercise_id
    return None if isinstance(item, Schedule) else item.exercise_id
