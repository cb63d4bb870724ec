"""The exercise library: every exercise of the catalogue by category, searchable by name,
muscle and kit (web/library_search.py), and a page for each one.

The pages only read the shipped catalogue (backcoach.catalogue.default_catalogue); the words
around the data (group titles, dose and tempo in plain words) live here, marked for translation
and said in the active language when a page is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.catalogue import LEVELS, Exercise
from backcoach.engine.vocabulary import Category, Equipment
from backcoach.pictures.scene import keyframe_title
from backcoach.services.onboarding import saved_equipment
from backcoach.services.training import current_program
from backcoach.web.deps import CurrentPrincipal, CurrentUser, PagesDep, PersonClockDep, UowDep
from backcoach.web.library_search import (
    MAX_QUERY,
    LibraryGroup,
    LibrarySearch,
    muscle_choices,
    muscle_keys,
    searchable,
)
from backcoach.web.routes.pictures import Pictured, picture_size
from backcoach.wording import (
    KIT_WORDS,
    dose_range_words,
    equipment_words,
    muscles,
    tempo_words,
)
from backcoach.wording.i18n import N_, gettext, ngettext

router = APIRouter()

INTRO = N_(
    "Lasting relief comes from strengthening the muscles that should hold your spine, not from "
    "stretching your back: your belly muscles, working while your spine stays still, and your "
    "glutes, which straighten your hips and turn your thighs out. Quick mobility drills help in "
    "the moments you feel tight."
)


@dataclass(frozen=True, slots=True)
class Group:
    """One part of the library: a category with its title and why it is there (msgids, said
    with `said`)."""

    category: Category
    name: str
    title: str
    why: str

    def said(self) -> Group:
        """The group in the active language."""
        return replace(
            self, name=gettext(self.name), title=gettext(self.title), why=gettext(self.why)
        )


#: The library's groups in the method's order (M3, M4, M5, M6); avoid entries come apart.
GROUPS = (
    Group(
        Category.CORE,
        N_("Core"),
        N_("Belly muscles (core)"),
        N_(
            "They hold your spine still while your arms and legs move. "
            "Every one keeps your back still in its natural curve: no crunching, no curling up."
        ),
    ),
    Group(
        Category.HIP_EXTENSION,
        N_("Hip extension"),
        N_("Straightening the hips (hip extension): your buttocks"),
        N_(
            "Your glutes straighten your hips, so your low back does not have to arch to do it: "
            "bridges, hip thrusts and hinges."
        ),
    ),
    Group(
        Category.HIP_EXTERNAL_ROTATION,
        N_("Hip external rotation"),
        N_("Turning the hips out (hip external rotation): the sides of your hips"),
        N_(
            "These glute muscles turn your thigh out and keep your pelvis level when you stand "
            "and walk: clams, band walks and side leg raises."
        ),
    ),
    Group(
        Category.MOBILITY,
        N_("Mobility"),
        N_("Gentle movement (mobility): for tight moments"),
        N_(
            "Quick, easy movements for when your back or hips feel tight. "
            "They keep you moving; none of them holds a stretch."
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class ExerciseCard(Pictured):
    """One exercise as the library shows it (also fits training_macros.demonstration)."""

    exercise: Exercise
    #: Whether it is in the person's current program (the library marks it).
    in_program: bool = False

    @property
    def search_text(self) -> str:
        """What a search matches: the name, the muscles and the kit, in the active language."""
        return searchable(self.exercise)

    @property
    def muscle_keys(self) -> str:
        """The muscle filter's values this exercise answers to, space-separated."""
        return " ".join(sorted(muscle_keys(self.exercise)))

    @property
    def href(self) -> str:
        return f"/exercises/{self.exercise.id}"

    @property
    def still_size(self) -> tuple[int, int] | None:
        return picture_size(self.exercise.id, strip=True)

    @property
    def still_alt(self) -> str:
        """What the still strip shows, e.g. "Glute bridge in 2 steps: start, then top."."""
        demo = default_demos().get(self.exercise.id)
        if demo is None:
            return ""
        # The keyframes' names are the demonstration's data, as the exercise's name is.
        names = [keyframe_title(k).lower() for k in demo.keyframes]
        steps = names[0]
        for name in names[1:]:
            steps = gettext("{steps}, then {step}").format(steps=steps, step=name)
        return ngettext(
            "{name} in {count} step: {steps}.", "{name} in {count} steps: {steps}.", len(names)
        ).format(name=self.exercise.name, count=len(names), steps=steps)

    @property
    def level(self) -> str:
        return gettext("Level {level} of {top}").format(level=self.exercise.level, top=LEVELS[-1])

    @property
    def equipment(self) -> str:
        return equipment_words(self.exercise.equipment)

    @property
    def feel_in(self) -> str:
        return muscles(self.exercise.targets)

    @property
    def dose(self) -> str:
        return dose_range_words(self.exercise)

    @property
    def tempo(self) -> str:
        return tempo_words(self.exercise.tempo)


def _kit_choices(owned: frozenset[Equipment] | None) -> list[tuple[str, str, bool]]:
    """(value, label, ticked) for the equipment filter's checkboxes."""
    return [
        (kit.value, words[0].upper() + words[1:], owned is not None and kit in owned)
        for kit, words in KIT_WORDS.items()
    ]


@router.get("/exercises")
def library(
    request: Request,
    principal: CurrentPrincipal,
    pages: PagesDep,
    uow: UowDep,
    clock: PersonClockDep,
    kit: Annotated[list[Equipment] | None, Query()] = None,
    q: Annotated[str, Query(max_length=MAX_QUERY)] = "",
    muscle: Annotated[str, Query(max_length=MAX_QUERY)] = "",
) -> Response:
    catalogue = default_catalogue()
    # The kit form always sends kit=none, so "nothing ticked" means body weight only.
    owned = frozenset(kit) if kit else None
    search = LibrarySearch.of(q, muscle, owned)
    # Unfiltered, the kit form starts with the kit from the person's profile ticked: one press
    # shows what they can do at home.
    ticked = owned
    if ticked is None:
        ticked = saved_equipment(
            uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
        )
    program = current_program(
        uow=uow, principal=principal, person_id=principal.user_id, now=clock.now()
    )
    planned = (
        frozenset(item.exercise.id for item in program.plan.exercises) if program else frozenset()
    )
    groups = []
    for group in GROUPS:
        everything = catalogue.by_category[group.category]
        cards = [
            (card, search.matches(card))
            for card in (ExerciseCard(item, in_program=item.id in planned) for item in everything)
            if search.fits(card)
        ]
        # A search opens the groups it found something in; otherwise the person's own
        # program's groups are open, the rest closed (a page of summaries, not 13,000 px).
        found = any(matched for _, matched in cards)
        opened = found if search.active else any(card.in_program for card, _ in cards)
        groups.append(LibraryGroup(group.said(), tuple(cards), len(everything), opened))
    context: dict[str, Any] = {
        "title": "Exercises",
        "nav": "exercises",
        "intro": gettext(INTRO),
        "groups": groups,
        "shown": sum(group.shown for group in groups),
        "total": sum(group.total for group in groups),
        "search": search,
        "filtered": owned is not None,
        "owned": sorted(kit.value for kit in owned) if owned is not None else [],
        "kit_choices": _kit_choices(ticked),
        "muscle_choices": muscle_choices(),
        "left_out": catalogue.by_category[Category.AVOID],
    }
    return pages.render(request, "exercises.html", context)


@router.get("/exercises/{exercise_id}")
def exercise_page(
    request: Request, exercise_id: str, user: CurrentUser, pages: PagesDep
) -> Response:
    catalogue = default_catalogue()
    if exercise_id not in catalogue:
        raise HTTPException(status_code=404, detail=gettext("There is no exercise by that name."))
    exercise = catalogue.get(exercise_id)
    group = next((g.said() for g in GROUPS if g.category is exercise.category), None)
    context: dict[str, Any] = {
        "title": exercise.name,
        "nav": "exercises",
        "card": ExerciseCard(exercise),
        "exercise": exercise,
        "group": group,
        "easier": [ExerciseCard(catalogue.get(i)) for i in exercise.regressions],
        "harder": [ExerciseCard(catalogue.get(i)) for i in exercise.progressions],
    }
    return pages.render(request, "exercise.html", context)
