"""The exercise library over HTTP: every exercise by group, a page for each, and their links."""

from __future__ import annotations

import re

from markupsafe import escape

from backcoach.catalogue import default_catalogue
from backcoach.engine.vocabulary import Category, Equipment
from backcoach.web.routes.pictures import picture_url
from tests.integration.onboarded import Onboarded
from tests.training_app import App, onboard, sign_up, start

#: Pages and forms over the services: the same on either database, so on SQLite only (the
#: services, the store and the query-count tests run on PostgreSQL too; the suite stays under
#: its 6 minutes).
DATABASES = ("sqlite",)

STRENGTH_AND_MOBILITY = (
    Category.CORE,
    Category.HIP_EXTENSION,
    Category.HIP_EXTERNAL_ROTATION,
    Category.MOBILITY,
)
_EXERCISE_LINK = re.compile(r'href="/exercises/([a-z0-9_]+)"')


def section(page: str, section_id: str) -> str:
    """The HTML of one <section> or <details> with that id (library groups do not nest)."""
    found = re.search(rf'<(section|details)[^>]*id="{section_id}".*?</\1>', page, re.S)
    assert found, f"no section {section_id!r} on the page"
    return found.group(0)


def ladder_links(page: str) -> list[str]:
    return _EXERCISE_LINK.findall(section(page, "ladder"))


def test_the_library_lists_every_exercise_in_its_group_with_a_still_picture(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    page = client.get("/exercises")
    assert page.status_code == 200
    assert "strengthening the muscles that should hold your spine" in page.text
    catalogue = default_catalogue()
    for category in STRENGTH_AND_MOBILITY:
        group = section(page.text, category.value)
        for exercise in catalogue.by_category[category]:
            assert f'<a href="/exercises/{exercise.id}">{escape(exercise.name)}</a>' in group
            assert escape(exercise.summary) in group
            still = picture_url(exercise.id, strip=True)
            assert f'<img class="still" src="{still}"' in group
        assert group.count('loading="lazy"') == len(catalogue.by_category[category])
        # Each picture's size is known before it loads, so the page does not jump.
        sizes = re.findall(r'loading="lazy" decoding="async" width="(\d+)" height="(\d+)"', group)
        assert len(sizes) == len(catalogue.by_category[category])
        assert all(int(w) > 50 and int(h) > 50 for w, h in sizes)
        assert 'alt=""' not in group
    assert "Level 1 of 5 · no equipment" in section(page.text, "core")
    assert "a barbell and a bench" in section(page.text, "hip_extension")


def test_exercises_left_out_on_purpose_come_last_with_why_and_no_picture(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    page = client.get("/exercises").text
    left_out = section(page, "left-out")
    assert "Left out on purpose" in left_out
    assert page.index('id="left-out"') > page.index(f'id="{Category.MOBILITY.value}"')
    for exercise in default_catalogue().by_category[Category.AVOID]:
        assert escape(exercise.why_not) in left_out
        assert f"/pictures/{exercise.id}" not in page
    assert "<img" not in left_out


def test_the_library_shows_only_what_the_chosen_kit_allows(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    catalogue = default_catalogue()
    body_weight = client.get("/exercises?kit=none").text
    banded = client.get("/exercises?kit=none&kit=band").text
    for exercise in catalogue.exercises:
        if not exercise.prescribable:
            continue
        link = f'<a href="/exercises/{exercise.id}">'
        assert (link in body_weight) == (not exercise.equipment)
        assert (link in banded) == (exercise.equipment <= {Equipment.BAND})
    assert 'value="band" checked' in banded
    assert "Show all exercises" in banded
    refused = client.get("/exercises?kit=jetpack")
    assert refused.status_code == 400
    assert "kit: input should be" in refused.text  # the page names the part that is wrong


def shown_links(page: str) -> set[str]:
    """The exercises the page shows (an item hidden by the search is there, but hidden)."""
    items = re.findall(r'<li class="card library-item"[^>]*?( hidden)?>\s*<div>\s*<h3><a href='
                       r'"/exercises/([a-z0-9_]+)"', page)  # fmt: skip
    return {exercise_id for hidden, exercise_id in items if not hidden}


def opened(page: str) -> list[str]:
    return re.findall(r'<details class="library-group" id="([a-z_-]+)" open>', page)


def test_groups_start_folded_but_the_persons_own_programs_are_open(app: App) -> None:
    newcomer = sign_up(app, "new@example.com").get("/exercises").text
    assert opened(newcomer) == []
    assert newcomer.count('<details class="library-group"') == 5  # four groups and left out
    client = onboard(app, "ana@example.com")
    page = client.get("/exercises").text
    planned = app.program("ana@example.com").plan.exercises
    assert opened(page) == [
        c.value for c in STRENGTH_AND_MOBILITY if any(p.exercise.category is c for p in planned)
    ]
    assert page.count("In your program") == len(planned)
    assert 'role="search"' in page and 'loading="lazy"' in page


def test_the_search_finds_by_name_muscle_and_kit_without_javascript(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    catalogue = [e for e in default_catalogue().exercises if e.prescribable]
    by_name = client.get("/exercises?q=CLAM").text
    assert shown_links(by_name) == {e.id for e in catalogue if "clam" in e.name.lower()}
    assert opened(by_name) == [Category.HIP_EXTERNAL_ROTATION.value]
    assert f"Showing {len(shown_links(by_name))} of {len(catalogue)} exercises." in by_name
    assert 'value="CLAM"' in by_name  # the box keeps what was typed
    side_of_hip = client.get("/exercises?muscle=glute_med").text
    assert 'value="glute_med" selected' in side_of_hip
    assert shown_links(side_of_hip) == {
        e.id for e in catalogue if {"glute_med", "glute_min"} & set(e.targets)
    }
    # Words match the kit too, and every word must match: "band bridge" is a banded bridge.
    banded_bridges = shown_links(client.get("/exercises?q=band+bridge").text)
    assert banded_bridges and all(
        Equipment.BAND in default_catalogue().get(i).equipment
        and "bridge" in default_catalogue().get(i).name.lower()
        for i in banded_bridges
    )
    # Trainers' words and plurals find what a person means.
    glutes = shown_links(client.get("/exercises?q=glutes").text)
    assert glutes == {e.id for e in catalogue if any("glute" in t for t in e.targets)}
    bridges = shown_links(client.get("/exercises?q=bridges").text)
    assert bridges == shown_links(client.get("/exercises?q=bridge").text) != set()
    nothing = client.get("/exercises?q=trampoline").text
    assert shown_links(nothing) == set() and opened(nothing) == []
    assert "No exercise matches. Try fewer or other words." in nothing
    # The search and the kit form keep each other's choices.
    both = client.get("/exercises?q=bridge&kit=none").text
    assert '<input type="hidden" name="kit" value="none">' in both
    assert '<input type="hidden" name="q" value="bridge">' in both
    assert shown_links(both) == {
        e.id for e in catalogue if not e.equipment and "bridge" in e.name.lower()
    }


def test_the_filter_starts_with_the_kit_from_the_persons_profile(app: App) -> None:
    newcomer = sign_up(app, "ana@example.com").get("/exercises").text
    assert 'value="band" checked' not in newcomer  # no profile yet: nothing ticked
    client = onboard(app, "ben@example.com")  # said they have a band
    page = client.get("/exercises").text
    assert 'value="band" checked' in page and 'value="barbell" checked' not in page
    assert '<a href="/exercises/barbell_hip_thrust">' in page  # ticked, not yet filtered
    filtered = client.get("/exercises?kit=none").text  # the person unticked everything
    assert 'value="band" checked' not in filtered


def test_an_exercise_page_shows_how_to_do_it_and_the_low_back_fix(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    exercise = default_catalogue().get("glute_bridge")
    page = client.get("/exercises/glute_bridge").text
    assert f"<h1>{exercise.name}</h1>" in page
    assert escape(exercise.summary) in page
    for text in (*exercise.setup, *exercise.cues):
        assert f"<li>{escape(text)}</li>" in page
    for fault in exercise.faults:
        assert f'<span class="fix">{escape(fault.fix)}</span>' in page
    low_back = exercise.low_back_fix
    assert low_back is not None
    assert re.search(
        rf'<li class="low-back"><strong>Felt in your low back\?</strong> '
        rf"{re.escape(str(escape(low_back.sign)))}",
        page,
    )
    assert "2-3 sets of 8-15 reps" in page
    assert "Lower in 2 seconds, lift in 1 second, pause 2 seconds." in page
    assert "Your buttocks." in page
    assert "No equipment." in page


def test_an_exercise_page_shows_the_animation_with_the_still_for_reduced_motion(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    page = client.get("/exercises/clam").text
    still = picture_url("clam", strip=True)
    assert f'<source srcset="{still}" media="(prefers-reduced-motion: reduce)"' in page
    assert f'<img src="{picture_url("clam")}" alt="Demonstration of Clam"' in page


def test_every_ladder_link_of_every_exercise_page_opens(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    catalogue = default_catalogue()
    followed: set[str] = set()
    for exercise in catalogue.exercises:
        if not exercise.prescribable:
            continue
        page = client.get(f"/exercises/{exercise.id}")
        assert page.status_code == 200, exercise.id
        links = ladder_links(page.text)
        assert links == [*exercise.regressions, *exercise.progressions], exercise.id
        followed.update(links)
    for exercise_id in sorted(followed):
        assert client.get(f"/exercises/{exercise_id}").status_code == 200, exercise_id
    assert followed, "the catalogue has ladders"


def test_a_left_out_exercise_says_why_and_gives_no_dose(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    exercise = default_catalogue().get("crunch")
    page = client.get("/exercises/crunch")
    assert page.status_code == 200
    assert escape(exercise.why_not) in page.text
    assert "How much" not in page.text
    assert "sets of" not in page.text
    assert "/pictures/crunch" not in page.text


def test_an_unknown_exercise_is_the_usual_not_found_page(app: App) -> None:
    client = sign_up(app, "ana@example.com")
    page = client.get("/exercises/toe_touch_deluxe")
    assert page.status_code == 404
    assert "<h1>Page not found</h1>" in page.text
    assert "There is no exercise by that name." in page.text


def test_the_library_asks_to_log_in(app: App) -> None:
    for path in ("/exercises", "/exercises/glute_bridge", "/exercises/toe_touch_deluxe"):
        response = app.client().get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"] == "/login"


def test_the_navigation_and_each_training_card_link_to_the_library(ana: Onboarded) -> None:
    app, client = ana.app, ana.client
    planned = [item.exercise for item in app.program("ana@example.com").plan.exercises]
    library = client.get("/exercises").text
    assert '<a href="/exercises" aria-current="page">Exercises</a>' in library
    today = client.get("/today").text
    player = client.get(f"/session/{start(client)}").text
    for page in (today, player):
        assert '<a href="/exercises">Exercises</a>' in page
        for exercise in planned:
            assert (
                f'<a href="/exercises/{exercise.id}">About this exercise'
                f'<span class="visually-hidden">: {escape(exercise.name)}</span></a>'
            ) in page
