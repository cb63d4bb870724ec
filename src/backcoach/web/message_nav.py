"""The navigation's "Messages" link and its unread count, for the page being rendered.

Only a logged-in page rendered inside its request's unit of work asks (one indexed statement,
services/messages.py `nav_messages`); the calendar feed and static files render no page, and a
page rendered after the unit of work closed (an error's) shows the link without asking.
"""

from __future__ import annotations

from fastapi import Request

from backcoach.services.access import Principal
from backcoach.services.messages import NavMessages, nav_messages
from backcoach.store.db import UnitOfWork


def messages_link(request: Request) -> NavMessages | None:
    user = getattr(request.state, "user", None)
    uow: UnitOfWork | None = getattr(request.state, "uow", None)
    if user is None or uow is None:
        return None
    return nav_messages(uow=uow, principal=Principal(user.id, user.role))
