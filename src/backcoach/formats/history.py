"""The history document: measure scores and tight moments over time, read by `outcomes`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from backcoach.engine.change import MCID
from backcoach.engine.outcomes import MeasureRecord
from backcoach.formats.documents import InputError, IsoDate, explain


class MeasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: IsoDate
    instrument: Annotated[str, Field(description="nprs, odi, rmdq or psfs.")]
    score: Annotated[float, Field(ge=0, le=100)]


class HistoryIn(BaseModel):
    """Scores of the measures over time, and each moment the person felt tight (M1, M10)."""

    model_config = ConfigDict(extra="forbid", title="backcoach history")

    measures: list[MeasureIn] = Field(default_factory=list, max_length=5000)
    tight_moments: list[dt.datetime | IsoDate] = Field(default_factory=list, max_length=50000)


def read_history(data: Any, *, root: str = "history") -> tuple[list[MeasureRecord], list[dt.date]]:
    if not isinstance(data, dict):
        raise InputError(f"{root}: expected an object with measures and tight_moments")
    try:
        document = HistoryIn.model_validate(data)
    except ValidationError as error:
        raise explain(error, root) from None
    records = []
    for index, measure in enumerate(document.measures):
        if measure.instrument not in MCID:
            raise InputError(
                f"{root}.measures[{index}].instrument: {measure.instrument!r} is not one of "
                f"{', '.join(MCID)}"
            )
        records.append(MeasureRecord(measure.date, measure.instrument, measure.score))
    moments = [m.date() if isinstance(m, dt.datetime) else m for m in document.tight_moments]
    return records, moments
