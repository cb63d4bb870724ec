"""Admission lanes: how many requests may work on the database at once, so that neither the
thread pool nor the connection pool can ever wait on the other, and a burst of password checks
waits its turn instead of starving everyone.

Every request that reaches the app (not /static) takes a place in a lane before it runs and
gives it back when its response and its dependencies' clean-up are done. A request waiting for
a place holds no thread and no database connection: it waits on the event loop.

- The password lane (log in, sign up, change password, delete the account) is narrow: argon2
  costs 64 MiB and a large part of a core per check, so only a few run at once.
- The training lane carries a session in progress (/session/...: the player, each set saved,
  finishing, the check-in), so a person mid-session never queues behind a burst of page loads.
- The heavy lane carries the pages that take tens of milliseconds of pure CPU each (Progress
  draws its charts, the printable program draws a PDF). All threads share one interpreter lock,
  so every such render running at once takes CPU from a set being saved; two at a time keep a
  burst of them from slowing a session in progress (before this lane, 100 people opening
  Progress at once pushed set saves past a second).
- The general lane carries everything else.
All of them together stay below the connection pool's size and the thread pool's, so every admitted
request gets a thread and a connection without waiting for another request to finish.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

#: Requests that check a password (argon2) go through the narrow lane.
PASSWORD_PATHS = frozenset(
    {"/login", "/signup", "/account/password", "/account/email", "/account/delete"}
)
#: A password reset link's page hashes the new password; its address carries the link's token.
PASSWORD_PREFIXES = ("/reset/",)
#: A session in progress: its own lane (the pages' player, the API's sets and the offline sync).
TRAINING_PREFIXES = ("/session/", "/api/v1/sessions/", "/api/v1/sync")
#: Pages that are mostly CPU (charts, the PDF, the exports): their own narrow lane.
HEAVY_PATHS = frozenset(
    {
        "/progress",
        "/program.pdf",
        "/progress/report.pdf",
        "/account/export.json",
        "/account/export.zip",
        "/coach/cohort",
        "/coach/cohort.csv",
    }
)
#: The API's whole-history answers (a FHIR bundle, an export, cohort outcomes) are heavy too.
HEAVY_PREFIXES = ("/api/v1/fhir/", "/api/v1/me/export", "/api/v1/coach/cohort")
#: Places in each lane; their sum must stay below the database pool (see store/db.py).
GENERAL_PLACES = 10
PASSWORD_PLACES = 2
TRAINING_PLACES = 4
HEAVY_PLACES = 2
LANE_PLACES = GENERAL_PLACES + PASSWORD_PLACES + TRAINING_PLACES + HEAVY_PLACES


def lane_of(path: str) -> str:
    """The name of the lane a request for ``path`` waits in (a field of `Lanes`)."""
    if path in PASSWORD_PATHS or path.startswith(PASSWORD_PREFIXES):
        return "password"
    if path.startswith(TRAINING_PREFIXES):
        return "training"
    if path in HEAVY_PATHS or path.endswith("/report.pdf") or path.startswith(HEAVY_PREFIXES):
        return "heavy"  # a report: also a coach's, of a client
    return "general"


def lanes(
    app: ASGIApp,
    *,
    general: int = GENERAL_PLACES,
    password: int = PASSWORD_PLACES,
    training: int = TRAINING_PLACES,
    heavy: int = HEAVY_PLACES,
) -> ASGIApp:
    """Wrap ``app`` so that at most the sum of the lanes' places run at once."""
    # One pair of semaphores per event loop: a semaphore belongs to the loop it first waits on,
    # and tests run one app under several loops (one per test client).
    per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Lanes] = (
        weakref.WeakKeyDictionary()
    )

    def lanes_here() -> Lanes:
        loop = asyncio.get_running_loop()
        found = per_loop.get(loop)
        if found is None:
            found = per_loop[loop] = Lanes(
                asyncio.Semaphore(general),
                asyncio.Semaphore(password),
                asyncio.Semaphore(training),
                asyncio.Semaphore(heavy),
            )
        return found

    # wraps keeps the app's attributes (its state) reachable, as the other wrappers do.
    @functools.wraps(app)
    async def admitted(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if scope["type"] != "http" or path.startswith("/static/"):
            await app(scope, receive, send)  # files and lifespan need no database
            return
        lane = getattr(lanes_here(), lane_of(path))
        async with lane:
            await app(scope, receive, send)

    return admitted


@dataclass(frozen=True, slots=True)
class Lanes:
    general: asyncio.Semaphore
    password: asyncio.Semaphore
    training: asyncio.Semaphore
    heavy: asyncio.Semaphore
