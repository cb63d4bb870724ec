"""Models of the answer documents, for their JSON Schemas (the engine validates the values)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from backcoach.engine.screening import RED_FLAGS

Score10 = Annotated[int, Field(ge=0, le=10)]


class _Answers(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NprsAnswers(_Answers):
    """Numeric pain rating, 0 (no pain) to 10 (worst imaginable)."""

    score: Score10


class PsfsActivityIn(_Answers):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    score: Annotated[float, Field(ge=0, le=10)]


class PsfsAnswers(_Answers):
    """Patient-specific functional scale: 1-5 activities, each 0 (unable) to 10 (as before)."""

    activities: list[PsfsActivityIn] = Field(min_length=1, max_length=5)


class StartBackAnswers(_Answers):
    """STarT Back: 8 agree (true) / disagree (false) answers, then the bothersomeness answer."""

    items: tuple[
        bool,
        bool,
        bool,
        bool,
        bool,
        bool,
        bool,
        bool,
        Literal["not_at_all", "slightly", "moderately", "very_much", "extremely"],
    ]


class OdiAnswers(_Answers):
    """Oswestry section scores only (0-5, or null when skipped): its wording is licensed."""

    sections: Annotated[
        list[Annotated[int, Field(ge=0, le=5)] | None], Field(min_length=10, max_length=10)
    ]


class RmdqAnswers(_Answers):
    """Roland-Morris: 24 yes/no answers, or the yes-count alone; its wording is licensed."""

    items: Annotated[list[bool], Field(min_length=24, max_length=24)] | None = None
    score: Annotated[int, Field(ge=0, le=24)] | None = None


ScreenAnswers = create_model(  # type: ignore[call-overload]
    "ScreenAnswers",
    __config__=ConfigDict(extra="forbid", title="red-flag answers"),
    **{
        flag.id: (bool | None, Field(default=None, description=flag.question)) for flag in RED_FLAGS
    },
)

ANSWER_MODELS: dict[str, type[BaseModel]] = {
    "screen": ScreenAnswers,
    "nprs": NprsAnswers,
    "psfs": PsfsAnswers,
    "startback": StartBackAnswers,
    "odi": OdiAnswers,
    "rmdq": RmdqAnswers,
}
