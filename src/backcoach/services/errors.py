"""What a use case answers when it refuses: a stable code, the field, parameters; never words.

Every service raises one of these kinds, and each door turns it into its own answer: the pages
put the words next to the field (422), the API writes a problem document with the code, the CLI
prints one line. The kind says which status fits, so no door has to know every code. The words
for each code live in the wording layer (``wording/errors.py``), so a code keeps its meaning when
the sentence is rephrased or translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import ClassVar

#: A parameter is a plain JSON value, so an error can be sent as it is.
Param = str | int | float | bool | None


class Kind(StrEnum):
    INVALID = "invalid"  # the input is wrong: say so next to the field
    NOT_FOUND = "not_found"  # nothing there, or nothing this principal may know exists
    FORBIDDEN = "forbidden"  # there, but not for this principal
    CONFLICT = "conflict"  # the state does not allow it now (a finished session, a taken email)
    LIMITED = "limited"  # too many tries: wait (the `wait_seconds` parameter)


class ServiceError(Exception):
    """A refused use case: ``code`` (e.g. ``set.number_out_of_range``), the input ``field`` it
    concerns (None: the request as a whole) and the ``params`` its words need."""

    kind: ClassVar[Kind] = Kind.INVALID

    def __init__(self, code: str, *, field: str | None = None, **params: Param) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, field={self.field!r}, **{self.params!r})"


class Invalid(ServiceError):
    kind = Kind.INVALID

    def __init__(self, code: str, *, field: str | None = None, **params: Param) -> None:
        super().__init__(code, field=field, **params)
        #: Every problem of the input, this one first, so a form marks each field at once.
        self.problems: tuple[Invalid, ...] = (self,)

    @classmethod
    def all_of(cls, problems: Sequence[Invalid]) -> Invalid:
        """One refusal carrying several problems: the first, with all of them in `problems`."""
        first = problems[0]
        first.problems = tuple(problems)
        return first


class NotFound(ServiceError):
    kind = Kind.NOT_FOUND


class Forbidden(ServiceError):
    kind = Kind.FORBIDDEN


class Conflict(ServiceError):
    kind = Kind.CONFLICT


class Limited(ServiceError):
    kind = Kind.LIMITED
