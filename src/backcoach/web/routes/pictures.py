"""Exercise demonstrations as images: the animated SVG and the still strip.

Each picture is drawn once and kept: in memory, and as a file in the user's cache folder
(`kept_pictures_folder`, per pictures' version), so a restart reads it back in a millisecond.
`draw_every_picture` draws (or reads) them all in a background thread when the server starts
(web/app.py's lifespan), so no person waits seconds for the first pictures after a start.

Pages and the API name a picture with the pictures' version (``?v=``, services/
exercise_catalogue.picture_version), and that address is kept a year; an address without it
(an old bookmark) still answers, revalidated by its ETag.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import threading
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Protocol

from fastapi import APIRouter, Header, HTTPException, Query
from fastapi.responses import Response

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.catalogue import Exercise
from backcoach.pictures import animated_svg, strip_svg
from backcoach.pictures.layout import FRAME_HEIGHT, FRAME_WIDTH
from backcoach.services.exercise_catalogue import STRIP_SUFFIX, picture_version, pictures_of
from backcoach.web.static_files import UNVERSIONED, VERSIONED
from backcoach.wording.i18n import gettext

router = APIRouter()
log = logging.getLogger(__name__)


@router.get("/pictures/{name}.svg")
def picture(
    name: str,
    v: Annotated[str | None, Query(max_length=64)] = None,
    if_none_match: Annotated[str | None, Header(max_length=512)] = None,
) -> Response:
    strip = name.endswith(STRIP_SUFFIX)
    exercise_id = name.removesuffix(STRIP_SUFFIX) if strip else name
    svg = _svg(exercise_id, strip)
    if svg is None:
        raise HTTPException(
            status_code=404, detail=gettext("There is no picture of that exercise.")
        )
    # An old version's address gets today's picture, but only for now: it is not that version.
    current = v is not None and v == picture_version()
    headers = {"Cache-Control": VERSIONED if current else UNVERSIONED, "ETag": _etag(svg)}
    if if_none_match is not None and _etag(svg) in _tags(if_none_match):
        return Response(status_code=304, headers=headers)
    return Response(svg, media_type="image/svg+xml", headers=headers)


def draw_every_picture(exercise_ids: Iterable[str] | None = None) -> None:
    """Draw (or read back) and keep every picture, or those of the exercises named: the still
    strips first, which the library lists. Other versions' kept pictures are forgotten."""
    folder = kept_pictures_folder()
    if folder is not None and folder.parent.is_dir():
        for other in folder.parent.glob("pictures-*"):
            if other != folder:
                shutil.rmtree(other, ignore_errors=True)
    demonstrated = [name for name in exercise_ids or default_demos() if name in default_demos()]
    try:
        for strip in (True, False):
            for exercise_id in demonstrated:
                _drawn(exercise_id, strip)
    except Exception:  # a picture that cannot be drawn fails again, and is logged, on request
        log.exception("drawing the pictures ahead of the first request failed")


@lru_cache(maxsize=2048)
def _etag(svg: str) -> str:
    return '"' + hashlib.sha256(svg.encode()).hexdigest()[:16] + '"'


def _tags(if_none_match: str) -> set[str]:
    # A weak tag matches too (the gzip layer makes the tags it sends weak).
    return {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}


def _svg(exercise_id: str, strip: bool) -> str | None:
    # Unknown names are answered before the cache, so anonymous requests cannot grow it.
    if exercise_id not in default_demos():
        return None
    return _drawn(exercise_id, strip)


#: Only exercises with a demo reach it (two pictures each); the bound is a second guard.
@lru_cache(maxsize=1024)
def _drawn(exercise_id: str, strip: bool) -> str:
    kept = _kept_file(exercise_id, strip)
    if kept is not None:
        try:
            return kept.read_text(encoding="utf-8")
        except OSError:
            pass  # not kept yet (or unreadable): drawn below
    demo = default_demos()[exercise_id]
    exercise = default_catalogue().get(exercise_id)
    svg = strip_svg(demo, exercise) if strip else animated_svg(demo, exercise)
    if kept is not None:
        _keep(kept, svg)
    return svg


def _kept_file(exercise_id: str, strip: bool) -> Path | None:
    folder = kept_pictures_folder()
    if folder is None:
        return None
    return folder / f"{exercise_id}{STRIP_SUFFIX if strip else ''}.svg"


@cache
def kept_pictures_folder() -> Path | None:
    """Where drawn pictures are kept between starts: the user's cache folder, one sub-folder per
    pictures' version (so a release that changes a picture never reads an old one); None when
    there is no home to keep them in."""
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "backcoach" / f"pictures-{picture_version()}"


def _keep(path: Path, svg: str) -> None:
    """Write a picture where the next start finds it; whole or not at all (servers sharing the
    folder may write the same file at once), and never an error for the person waiting."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
        partial.write_text(svg, encoding="utf-8")
        os.replace(partial, path)
    except OSError as error:
        log.warning("could not keep the picture %s: %s", path.name, error)


def picture_size(exercise_id: str, *, strip: bool = False) -> tuple[int, int] | None:
    """The picture's width and height in CSS pixels, so a page can reserve its room before it
    loads and nothing jumps: every picture, animated or still, has the one frame
    (pictures/layout.py), so nothing is drawn to know it. None without a demo."""
    if exercise_id not in default_demos():
        return None
    return round(FRAME_WIDTH), round(FRAME_HEIGHT)


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
