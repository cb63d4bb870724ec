"""The app's own static files (CSS, JS, icons), each addressed with a version of its content.

A page names a file as ``static_url("player.js")``, which gives ``/static/player.js?v=<hash>``:
the hash is of the file's bytes, so a new release changes the address of exactly the files that
changed. A versioned address is kept a year (``immutable``); an address without a version (an
old bookmark, a hand-typed URL) is revalidated each time by its ETag, so nothing stale is served.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import resources
from pathlib import Path

from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

#: A versioned file's address never serves other bytes: browsers may keep it a year.
VERSIONED = "public, max-age=31536000, immutable"
#: Without a version the browser must ask again (a 304 when unchanged).
UNVERSIONED = "no-cache"


def static_folder() -> Path:
    return Path(str(resources.files("backcoach.web").joinpath("static")))


@cache
def _versions() -> dict[str, str]:
    """Each static file's path (with sub-folders, '/'-separated) -> a short hash of its bytes."""
    folder = static_folder()
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            name = path.relative_to(folder).as_posix()
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return found


def static_url(name: str) -> str:
    """The versioned address of a static file; an unknown name is a mistake in a template."""
    version = _versions().get(name)
    if version is None:
        raise LookupError(f"no static file {name!r} in {static_folder()}")
    return f"/static/{name}?v={version}"


class VersionedStaticFiles(StaticFiles):
    """Starlette's static files, with the cache lifetime chosen by the address's version."""

    def file_response(
        self,
        full_path: str | os.PathLike[str],
        stat_result: os.stat_result,
        scope: Scope,
        status_code: int = 200,
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        versioned = "v" in QueryParams(scope.get("query_string", b""))
        response.headers["Cache-Control"] = VERSIONED if versioned else UNVERSIONED
        return response
