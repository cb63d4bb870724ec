"""Models of the answer documents, for their JSON Schemas (the engine validates the values)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, create_model

from backcoach.engine.red_flags import MAX_AGE, MIN_AGE, PREGNANCY_QUESTION
from backcoach.engine.screening import RED_FLAGS
from backcoach.engine.vocabulary import Pregnancy
from backcoach.wording.screening_words import say_screening

Score10 = Annotated[int, Field(ge=0, le=10)]


class _Answers(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NprsAnswers(_Answers):
    """Numeric pain rating, 0 (no pain) to 10 (worst imaginable)."""

    score: Score10


class PsfsActivityIn(_Answers):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    score: Annotated[Score10, Field(description="A whole number, 0 (unable) to 10 (as before).")]


class PsfsAnswers(_Answers):
    """Patient-specific functional scale: 1-5 activities, each 0 (unable) to 10 (as before)."""

    activities: list[PsfsActivityIn] = Field(min_length=1, max_length=5)


class StartBackItemsAnswers(_Answers):
    """STarT Back items 1-8 agree (true) / disagree (false), then item 9, from Keele's form."""

    model_config = ConfigDict(title="STarT Back item answers")

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


class StartBackScoreAnswers(_Answers):
    """STarT Back total and psychosocial subscore; subscore <= total <= subscore + 4."""

    model_config = ConfigDict(title="STarT Back scores")

    score: Annotated[int, Field(ge=0, le=9, description="Total score, items 1-9.")]
    psychosocial: Annotated[int, Field(ge=0, le=5, description="Subscore of items 5-9.")]


class StartBackAnswers(RootModel[StartBackScoreAnswers | StartBackItemsAnswers]):
    """STarT Back: the total and psychosocial subscore from a completed form, or its 9 answers."""


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
        flag.id: (bool | None, Field(default=None, description=say_screening(flag.question)))
        for flag in RED_FLAGS
    },
    age=(
        Annotated[int, Field(ge=MIN_AGE, le=MAX_AGE)] | None,
        Field(default=None, description="Age in whole years."),
    ),
    pregnancy=(
        Pregnancy | None,
        Field(default=None, description=say_screening(PREGNANCY_QUESTION)),
    ),
)

ANSWER_MODELS: dict[str, type[BaseModel]] = {
    "screen": ScreenAnswers,
    "nprs": NprsAnswers,
    "psfs": PsfsAnswers,
    "startback": StartBackAnswers,
    "odi": OdiAnswers,
    "rmdq": RmdqAnswers,
}
