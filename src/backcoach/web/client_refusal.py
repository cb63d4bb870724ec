"""One answer for every address of a client's data that is not the reader's: a client who does
not exist and one who is someone else's look the same (404), so no page tells a coach, a client
or an admin who has an account here."""

from __future__ import annotations

from fastapi import HTTPException

from backcoach.wording.i18n import gettext


def no_such_client() -> HTTPException:
    return HTTPException(status_code=404, detail=gettext("You have no client at this address."))
