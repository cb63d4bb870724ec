"""The server's access log without secrets: a calendar address is shown as /calendar/…."""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

from uvicorn.config import LOGGING_CONFIG

_CALENDAR = re.compile(r"^/calendar/[^?]*")


class HideCalendarToken(logging.Filter):
    """uvicorn's access records carry the path as their third argument: hide the token in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], _CALENDAR.sub("/calendar/…", args[2]), *args[3:])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with the filter on the access log (also in workers)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["hide_calendar_token"] = {"()": HideCalendarToken}
    config["handlers"]["access"]["filters"] = ["hide_calendar_token"]
    return config
