"""The installable app's shell: the manifest, the service worker and the offline page.

/sw.js is served from the root, so its scope is the whole site, and never kept by a cache
(``no-cache``), so a browser sees a new release at its next visit. Its text is static/sw.js
after one line of settings: the build's version (a hash of every static file and of the
offline page), the app shell to keep per version, outbox.js's versioned address, and the
camera's files' versioned addresses (never kept on install: docs/web.md "Offline use"). Any
changed static file therefore changes the worker's bytes, and the browser installs a new one.
docs/web.md "Offline use" says how a new version takes over.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import Response

from backcoach.web import static_files
from backcoach.web.deps import PagesDep
from backcoach.web.static_files import static_url
from backcoach.wording.i18n import gettext

router = APIRouter()

#: app.css: --brand is the bar a phone draws above the app, --paper the splash behind it.
THEME_COLOUR = "#1f5f5b"
BACKGROUND_COLOUR = "#fbfaf7"
#: The icons (drawn by scripts/app_icons.py): (file, size in px, purpose).
ICONS = (
    ("icons/icon-192.png", 192, "any"),
    ("icons/icon-512.png", 512, "any"),
    ("icons/icon-maskable-512.png", 512, "maskable"),
)
#: The static files every page or the offline page loads, kept when the worker installs.
#: Others (the player's, a page's own stylesheet) are kept as pages that use them are kept or
#: first fetched; the camera's files only once the camera uses them, in a cache of their own.
SHELL_FILES = ("app.css", "app.js", "favicon.svg", "offline.js", "outbox.js")
#: The camera's files' folder (scripts/camera_assets.sh builds it; git-ignored, may be absent).
CAMERA_FOLDER = "camera"
OFFLINE_PAGE = "/offline"
#: The worker's one line of settings, then its code (static/sw.js reads ``self.BACKCOACH``).
WORKER_SETTINGS = "self.BACKCOACH = {};\n"


@router.get("/manifest.webmanifest")
def manifest() -> Response:
    document = {
        "name": "backcoach",
        "short_name": "backcoach",
        "description": gettext("Strength sessions for a calmer back."),
        "start_url": "/today",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": static_url(name),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": use,
            }
            for name, size, use in ICONS
        ],
    }
    return Response(
        json.dumps(document, ensure_ascii=False),
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/sw.js")
def service_worker(request: Request) -> Response:
    script = worker_script()
    headers = {
        "Cache-Control": "no-cache",  # the browser asks each time; a new release is seen
        "Service-Worker-Allowed": "/",
        # The browser checks for a new worker at most once a navigation: unchanged, it is a 304.
        "ETag": '"' + hashlib.sha256(script.encode()).hexdigest()[:20] + '"',
    }
    # Sent gzipped, it went out as a weak tag (web/compression.py): the same bytes all the same.
    asked = request.headers.get("if-none-match", "")
    if headers["ETag"] in {tag.strip().removeprefix("W/") for tag in asked.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(script, media_type="text/javascript", headers=headers)


@router.get(OFFLINE_PAGE)
def offline_page(request: Request, pages: PagesDep) -> Response:
    """What the worker shows for a page it cannot fetch and did not keep; needs no login."""
    return pages.render(request, "offline.html", {"title": gettext("You are offline")})


def build_version() -> str:
    """A hash of every static file's content and of the offline page: the worker's version."""
    digest = hashlib.sha256()
    folder = static_files.static_folder()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(static_url(path.relative_to(folder).as_posix()).encode() + b"\n")
    digest.update(_offline_template())
    return digest.hexdigest()[:16]


def worker_script() -> str:
    """/sw.js: its settings for this build, then static/sw.js."""
    settings = {
        "version": build_version(),
        "shell": [static_url(name) for name in SHELL_FILES]
        + [static_url(name) for name, _, _ in ICONS]
        + [OFFLINE_PAGE],
        "offline": OFFLINE_PAGE,
        "outbox": static_url("outbox.js"),
        "camera": camera_files(),
    }
    code = (static_files.static_folder() / "sw.js").read_text(encoding="utf-8")
    return WORKER_SETTINGS.replace("{}", json.dumps(settings, separators=(",", ":"))) + code


def camera_files() -> list[str]:
    """The versioned addresses of the camera's files: the worker keeps these once fetched, and
    drops its copies of any other (a file whose bytes changed has a new address)."""
    static = static_files.static_folder()
    found = sorted(path for path in (static / CAMERA_FOLDER).rglob("*") if path.is_file())
    return [static_url(path.relative_to(static).as_posix()) for path in found]


def _offline_template() -> bytes:
    return resources.files("backcoach.web").joinpath("templates", "offline.html").read_bytes()
