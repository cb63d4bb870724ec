"""Lists come a page at a time: ``?limit=`` (1-100, 50 unless asked) and ``?offset=``; each
page says how many there are in all and where the next page starts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

Item = TypeVar("Item")
MAX_LIMIT = 100
DEFAULT_LIMIT = 50


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    total: int
    limit: int
    offset: int
    #: The offset of the next page, or None on the last one.
    next_offset: int | None


@dataclass(frozen=True, slots=True)
class Window:
    limit: int
    offset: int

    def page(self, items: list[Item], total: int) -> Page[Item]:
        following = self.offset + self.limit
        return Page[Item](
            items=items,
            total=total,
            limit=self.limit,
            offset=self.offset,
            next_offset=following if following < total else None,
        )


async def _window(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Window:
    return Window(limit, offset)


WindowDep = Annotated[Window, Depends(_window)]
