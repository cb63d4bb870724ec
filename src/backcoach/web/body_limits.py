"""How many bytes each route's form may send, checked before the body is read.

Every form here is a handful of short fields, so the limits are small; they are set per route so
that a set save (the request a person repeats most, in the training lane) can never tie up a
worker reading a large body. Each limit sits well above the largest form a person can send
through the page: a field longer than ``MAX_FIELD_CHARS`` is refused with a message on that field
(what was typed is shown back) rather than by a bare 413, and the worst case of a long field is
every character non-ASCII, which url-encoding sends as up to 12 bytes (4 UTF-8 bytes, each %XX).
"""

from __future__ import annotations

import re

#: Numbers, choices and the page token: a set, a finish, a check-in, a tight moment, a start.
SMALL = 4 * 1024
#: An email and up to three passwords (200 characters each), or yes/no answers and an age.
ACCOUNT = 16 * 1024
#: Forms with free text (a clearance note, activities a person names, questionnaires).
TEXT = 64 * 1024
#: The API's sync: up to a few hundred queued operations of a few hundred bytes each.
SYNC = 256 * 1024
#: A route not named below: a form of short fields. (tests/unit/test_body_limits.py checks that
#: every limit is below the layer's ceiling and above the longest field a page lets a person type.)
DEFAULT = ACCOUNT

_BY_PATH: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"/session/[^/]+/(sets|finish|checkin|stop)"), SMALL),
    (re.compile(r"/(session|tight|logout|schedule/calendar-address)"), SMALL),
    # Coaching: a button (an invitation, an agreement, ending a link) and the page token.
    (re.compile(r"/(coach/invite|join/[^/]+|links/[^/]+/end|practice-code)"), SMALL),
    # A coach's care: undoing an override is a button; the rest carry a note or a message.
    (re.compile(r"/coach/clients/[^/]+/overrides/[^/]+/undo"), SMALL),
    (re.compile(r"/coach/clients/[^/]+/(acknowledge|notes|messages|overrides|clearance)"), TEXT),
    (re.compile(r"/coach/clients/[^/]+/report\.pdf"), TEXT),  # the coach's summary paragraph
    (re.compile(r"/messages"), TEXT),
    (
        re.compile(
            r"/(signup|login|account/password|account/time-zone|account/name|account/delete)"
        ),
        ACCOUNT,
    ),
    (re.compile(r"/onboarding/(screening|profile)"), ACCOUNT),
    # A new email with the password, the program's settings (kit, days), a pause's two dates
    # or resuming, reminders (a time and two choices), and a forgotten password's email or the
    # new password twice.
    (re.compile(r"/account/(email|program|pause|resume)|/reminders|/forgot|/reset/[^/]+"), ACCOUNT),
    # Access tokens: a name, a choice and a number of days; revoking one is a button.
    (re.compile(r"/account/tokens"), ACCOUNT),
    (re.compile(r"/account/tokens/[^/]+/revoke"), SMALL),
    (re.compile(r"/(onboarding/cleared|onboarding/measures|progress/reassess)"), TEXT),
    # The API: a batch of queued operations from a phone that was offline may be long; any
    # other request is one resource's JSON.
    (re.compile(r"/api/v1/sync"), SYNC),
    (re.compile(r"/api/v1/.*"), TEXT),
)


def body_limit(path: str) -> int:
    """The most bytes a request to ``path`` may send."""
    named = named_limit(path)
    return DEFAULT if named is None else named


def named_limit(path: str) -> int | None:
    """The limit chosen for ``path`` here, or None when no rule names it."""
    for pattern, limit in _BY_PATH:
        if pattern.fullmatch(path):
            return limit
    return None
