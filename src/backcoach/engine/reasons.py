"""Why the engine decided something: a stable code with plain parameters, never words.

Every decision, day note and flare part the engine gives carries a `Reason`; the words a person
reads are made from it by `backcoach.wording`, which the pages, the handout and the command line
share (and which a translation plugs into). Parameters are plain JSON values so that a Reason can
be stored and sent by an API as it is: numbers, strings (an exercise is given by its id, under a
name ending in ``exercise``; a dose unit by its value, ``unit="reps"``) and, for a phrase made of
parts such as what flared, a tuple of Reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Param = str | int | float | tuple["Reason", ...]

#: The code of words kept as they were written in a document made before reason codes.
AS_WRITTEN = "note.as_written"
#: The cue for a set felt in the low back when the exercise's data names no fix of its own (a
#: catalogue cue is the catalogue's words; this one's are in backcoach.wording.cue_words).
STEADY_BACK_CUE = "cue.steady_back"


@dataclass(frozen=True, slots=True)
class Reason:
    """A stable code (``hold.morning_worse``) and its parameters, in a fixed order."""

    code: str
    params: tuple[tuple[str, Param], ...] = ()

    @property
    def values(self) -> dict[str, Param]:
        return dict(self.params)

    def to_dict(self) -> dict[str, Any]:
        """``{"code": ..., "params": {...}}``, parts of a phrase as nested objects."""
        return {"code": self.code, "params": params_to_json(self.params)}


def reason(code: str, /, **params: Param) -> Reason:
    """A Reason from keyword parameters: ``reason("hold.long_break", days=15, sets=2)``."""
    return Reason(code, tuple(params.items()))


def params_to_json(params: tuple[tuple[str, Param], ...]) -> dict[str, Any]:
    return {
        name: [part.to_dict() for part in value] if isinstance(value, tuple) else value
        for name, value in params
    }


def reason_from_json(code: str, params: Mapping[str, Any] | None) -> Reason:
    """The Reason a document stored (see `Reason.to_dict`); a ValueError names what is wrong."""
    read: list[tuple[str, Param]] = []
    for name, value in (params or {}).items():
        if isinstance(value, list):
            parts = []
            for part in value:
                if not isinstance(part, Mapping) or not isinstance(part.get("code"), str):
                    raise ValueError(f"{name}: expected a list of {{code, params}} objects")
                parts.append(reason_from_json(part["code"], part.get("params")))
            read.append((name, tuple(parts)))
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            read.append((name, value))
        else:
            raise ValueError(f"{name}: expected a number, a string or a list of reasons")
    return Reason(code, tuple(read))
