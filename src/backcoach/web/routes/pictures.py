"""Exercise demonstrations as images: the animated SVG and the still strip, cached a day."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Protocol

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.catalogue import Exercise
from backcoach.pictures import animated_svg, strip_svg
from backcoach.services.exercise_catalogue import STRIP_SUFFIX, pictures_of
from backcoach.wording.i18n import gettext

router = APIRouter()
#: Pictures change only with a new release: let browsers and proxies keep them a day.
CACHE_CONTROL = "public, max-age=86400"


@router.get("/pictures/{name}.svg")
def picture(name: str) -> Response:
    strip = name.endswith(STRIP_SUFFIX)
    exercise_id = name.removesuffix(STRIP_SUFFIX) if strip else name
    svg = _svg(exercise_id, strip)
    if svg is None:
        raise HTTPException(
            status_code=404, detail=gettext("There is no picture of that exercise.")
        )
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": CACHE_CONTROL})


def _svg(exercise_id: str, strip: bool) -> str | None:
    # Unknown names are answered before the cache, so anonymous requests cannot grow it.
    if exercise_id not in default_demos():
        return None
    return _drawn(exercise_id, strip)


#: Only exercises with a demo reach it (two pictures each); the bound is a second guard.
@lru_cache(maxsize=1024)
def _drawn(exercise_id: str, strip: bool) -> str:
    demo = default_demos()[exercise_id]
    exercise = default_catalogue().get(exercise_id)
    return strip_svg(demo, exercise) if strip else animated_svg(demo, exercise)


def picture_size(exercise_id: str, *, strip: bool = False) -> tuple[int, int] | None:
    """The picture's width and height in CSS pixels (its viewBox), so a page can reserve its
    room before it loads and nothing jumps."""
    svg = _svg(exercise_id, strip)
    found = _VIEWBOX.search(svg) if svg else None
    if found is None:
        return None
    return round(float(found["width"])), round(float(found["height"]))


_VIEWBOX = re.compile(r'viewBox="0 0 (?P<width>[\d.]+) (?P<height>[\d.]+)"')


def picture_url(exercise_id: str, *, strip: bool = False) -> str | None:
    """The address of the exercise's picture (animated, or the strip), if it has a demo: the
    same addresses the API gives (services/exercise_catalogue.py keeps the one pattern)."""
    pictures = pictures_of(exercise_id)
    if pictures is None:
        return None
    return pictures.still if strip else pictures.animated


class _OfAnExercise(Protocol):
    @property
    def exercise(self) -> Exercise: ...


class Pictured:
    """For views of one exercise (they have an `exercise`): its animated and still pictures."""

    __slots__ = ()

    @property
    def picture(self: _OfAnExercise) -> str | None:
        """The address of the exercise's animated demonstration, if it has one."""
        return picture_url(self.exercise.id)

    @property
    def picture_still(self: _OfAnExercise) -> str | None:
        """The still strip of the same demonstration (for people who prefer reduced motion)."""
        return picture_url(self.exercise.id, strip=True)
