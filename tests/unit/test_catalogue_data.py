"""The shipped exercise data follows the method (M1-M9), beyond what the loader enforces.

The ``catalogue`` fixture (tests/conftest.py) is the shipped catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

from backcoach.engine.catalogue import Catalogue, Exercise
from backcoach.engine.vocabulary import STRENGTH_CATEGORIES, Category, DoseType, Equipment

LOADS = {Equipment.DUMBBELL, Equipment.KETTLEBELL, Equipment.BARBELL}
BODY_WEIGHT: frozenset[Equipment] = frozenset()
STRETCH_WORDS = re.compile(r"stretch|hamstring|toe.?touch|knees?.to.(the )?chest", re.IGNORECASE)
#: An 'avoid' entry gives the method's reasoning, not a proven fact (docs/catalogue.md).
WHY_NOT_FRAMINGS = ("the method backcoach follows", "backcoach's approach")
CERTAINTY_WORDS = re.compile(
    r"\b(proven|proves?|always|science|research shows|studies show|the real cause|fixes it)\b",
    re.IGNORECASE,
)
#: "a" before a vowel sound ("a advanced"), "an" before a consonant sound ("an bridge").
A_BEFORE_VOWEL = re.compile(r"\ba ((?:[aeiou]|8|1[18](?!\d))[\w-]*)", re.IGNORECASE)
AN_BEFORE_CONSONANT = re.compile(r"\ban ([b-df-hj-np-tv-z][\w-]*)", re.IGNORECASE)
#: Words whose first letter misleads: "a one-leg ...", "a unilateral ...", "an hour".
VOWEL_LETTER_CONSONANT_SOUND = ("one", "once", "uni", "use", "usu", "ute", "eu", "ewe")
CONSONANT_LETTER_VOWEL_SOUND = ("hour", "honest", "honour", "heir")


def strength(catalogue: Catalogue) -> list[Exercise]:
    return [e for e in catalogue.exercises if e.category in STRENGTH_CATEGORIES]


def texts(exercise: Exercise) -> Iterator[str]:
    """Every person-facing text of an exercise."""
    yield exercise.name
    yield exercise.summary
    yield from exercise.setup
    yield from exercise.cues
    for fault in exercise.faults:
        yield fault.sign
        yield fault.fix


def every_text(exercise: Exercise) -> Iterator[str]:
    """Every person-facing text, with the why_not of an 'avoid' entry."""
    yield from texts(exercise)
    if exercise.why_not:
        yield exercise.why_not


def reached_by_regressions(catalogue: Catalogue, start: Exercise) -> list[Exercise]:
    """Every exercise a chain of regressions leads to from ``start`` (not itself)."""
    reached: dict[str, Exercise] = {}
    frontier = [start]
    while frontier:
        for link in frontier.pop().regressions:
            if link != start.id and link not in reached:
                reached[link] = catalogue.get(link)
                frontier.append(reached[link])
    return list(reached.values())


def easier_body_weight_fallbacks(catalogue: Catalogue, exercise: Exercise) -> list[Exercise]:
    """Body-weight exercises of a lower level that the regressions of ``exercise`` lead to."""
    return [
        rung
        for rung in reached_by_regressions(catalogue, exercise)
        if rung.fits(BODY_WEIGHT) and rung.level < exercise.level
    ]


def first_fitting_path(catalogue: Catalogue, start: str, owned: frozenset[Equipment]) -> list[str]:
    """Follow the first progression the person can do, rung after rung."""
    path = [start]
    while True:
        nexts = [p for p in catalogue.get(path[-1]).progressions if catalogue.get(p).fits(owned)]
        if not nexts:
            return path
        path.append(nexts[0])


def test_it_holds_at_least_forty_eight_exercises(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 48


@pytest.mark.parametrize("category", list(Category))
def test_every_category_has_exercises(catalogue: Catalogue, category: Category) -> None:
    assert catalogue.by_category[category]


@pytest.mark.parametrize(
    "exercise_id",
    [
        "heel_slide",
        "active_leg_raise",
        "double_leg_lowering",
        "dead_bug",
        "bird_dog",
        "front_plank",
        "side_plank",
        "kneeling_pallof_press",
        "standing_pallof_press",
        "glute_bridge",
        "single_leg_glute_bridge",
        "hip_thrust",
        "barbell_hip_thrust",
        "clam",
        "banded_clam",
        "lateral_band_walk",
        "monster_walk",
        "side_lying_hip_abduction",
        "crunch",
        "sit_up",
        "standing_toe_touch",
    ],
)
def test_the_exercises_the_method_names_are_present(catalogue: Catalogue, exercise_id: str) -> None:
    assert exercise_id in catalogue


def test_every_strength_exercise_has_exactly_one_low_back_fix(catalogue: Catalogue) -> None:
    for exercise in strength(catalogue):
        flagged = [f for f in exercise.faults if f.low_back]
        assert len(flagged) == 1, exercise.id
        assert "low back" in flagged[0].sign.lower(), exercise.id
        assert 2 <= len(exercise.faults) <= 4, exercise.id


def test_low_back_fixes_are_written_for_each_exercise(catalogue: Catalogue) -> None:
    fixes = [e.low_back_fix.fix for e in strength(catalogue) if e.low_back_fix]
    assert len(fixes) == len(set(fixes)), "two exercises share one low-back fix"


def test_avoid_entries_explain_why_not(catalogue: Catalogue) -> None:
    for exercise in catalogue.by_category[Category.AVOID]:
        assert len(exercise.why_not) > 80, exercise.id
        assert not exercise.progressions and not exercise.regressions, exercise.id
        assert not exercise.preferred, exercise.id
    for exercise_id in ("crunch", "sit_up"):
        why_not = catalogue.get(exercise_id).why_not.lower()
        assert "hip" in why_not and "spine" in why_not and "neutral" in why_not
    for exercise in catalogue.by_category[Category.AVOID]:
        if exercise.pattern == "stretch":
            assert "short" in exercise.why_not.lower(), exercise.id
            assert "low back" in exercise.why_not.lower(), exercise.id


def test_why_not_gives_the_methods_reasoning_not_a_proven_fact(catalogue: Catalogue) -> None:
    # The avoid list follows the method's reasoning (M1, M3); it is not settled science, so the
    # text says whose reasoning it is and claims no proof.
    for exercise in catalogue.by_category[Category.AVOID]:
        why_not = exercise.why_not.lower()
        assert any(framing in why_not for framing in WHY_NOT_FRAMINGS), exercise.id
        assert not CERTAINTY_WORDS.search(exercise.why_not), exercise.id


def test_only_avoid_entries_carry_why_not(catalogue: Catalogue) -> None:
    assert all(not e.why_not for e in catalogue.exercises if e.prescribable)


def test_crunches_sit_ups_and_toe_touches_are_never_prescribed(catalogue: Catalogue) -> None:
    for exercise_id in ("crunch", "sit_up", "standing_toe_touch"):
        assert not catalogue.get(exercise_id).prescribable


def test_the_glute_bridge_ladder_reaches_the_barbell_hip_thrust(catalogue: Catalogue) -> None:
    ladder = ["glute_bridge", "single_leg_glute_bridge", "hip_thrust", "barbell_hip_thrust"]
    for easier, harder in pairwise(ladder):
        assert harder in catalogue.get(easier).progressions, f"{easier} -> {harder}"
        assert catalogue.get(harder).level >= catalogue.get(easier).level


def test_the_active_leg_raise_ladder_climbs_from_heel_slide_to_double_leg_lowering(
    catalogue: Catalogue,
) -> None:
    path = first_fitting_path(catalogue, "heel_slide", BODY_WEIGHT)
    assert path[:5] == [
        "heel_slide",
        "supported_single_leg_lower",
        "active_leg_raise",
        "alternating_active_leg_raise",
        "double_leg_lowering",
    ]


def test_active_leg_raise_is_preferred_core(catalogue: Catalogue) -> None:
    exercise = catalogue.get("active_leg_raise")
    assert exercise.category is Category.CORE
    assert exercise.preferred


def test_only_the_leg_raise_family_is_preferred(catalogue: Catalogue) -> None:
    preferred = {e.id for e in catalogue.exercises if e.preferred}
    family = {e.id for e in catalogue.exercises if e.pattern == "leg_lowering"}
    assert preferred == family
    assert all(catalogue.get(i).category is Category.CORE for i in preferred)


@pytest.mark.parametrize("category", STRENGTH_CATEGORIES)
@pytest.mark.parametrize("level", range(1, 6))
def test_every_level_is_covered_in_each_strength_category(
    catalogue: Catalogue, category: Category, level: int
) -> None:
    assert any(e.level == level for e in catalogue.by_category[category])


@pytest.mark.parametrize("category", STRENGTH_CATEGORIES)
@pytest.mark.parametrize("level", [1, 2, 3])
def test_a_person_with_no_kit_finds_work_at_levels_one_to_three(
    catalogue: Catalogue, category: Category, level: int
) -> None:
    assert any(e.level == level and e.fits(BODY_WEIGHT) for e in catalogue.by_category[category])


def test_every_progression_points_to_a_harder_or_equal_rung(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises:
        for link in exercise.progressions:
            target = catalogue.get(link)
            assert target.category is exercise.category, (exercise.id, link)
            assert target.level >= exercise.level, (exercise.id, link)


def test_every_regression_points_to_an_easier_or_equal_rung(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises:
        for link in exercise.regressions:
            target = catalogue.get(link)
            assert target.category is exercise.category, (exercise.id, link)
            assert target.level <= exercise.level, (exercise.id, link)


def test_every_strength_exercise_above_level_one_has_an_easier_rung(
    catalogue: Catalogue,
) -> None:
    # M9: a set felt in the low back may call for an easier variant.
    for exercise in strength(catalogue):
        if exercise.level > 1:
            assert exercise.regressions, exercise.id


def test_every_strength_exercise_above_level_one_falls_back_to_easier_body_weight_work(
    catalogue: Catalogue,
) -> None:
    # M9: an easier variant must exist whatever kit the person owns, so every chain of easier
    # rungs ends somewhere on body weight alone.
    stranded = [
        exercise.id
        for exercise in strength(catalogue)
        if exercise.prescribable
        and exercise.level > 1
        and not easier_body_weight_fallbacks(catalogue, exercise)
    ]
    assert stranded == []


def test_every_pattern_family_falls_back_to_easier_work_for_the_same_muscles(
    catalogue: Catalogue,
) -> None:
    # Within each movement family (a category's pattern: side plank, hinge, band walk...), every
    # rung above level 1 regresses to easier body-weight work that still trains one of its target
    # muscles: falling back from a side plank lands on the side abs, not on a front plank.
    families: dict[tuple[Category, str], list[Exercise]] = {}
    for exercise in strength(catalogue):
        families.setdefault((exercise.category, exercise.pattern), []).append(exercise)
    gaps = []
    for (category, pattern), family in families.items():
        for exercise in (e for e in family if e.level > 1):
            same_muscles = [
                rung
                for rung in easier_body_weight_fallbacks(catalogue, exercise)
                if set(rung.targets) & set(exercise.targets)
            ]
            if not same_muscles:
                gaps.append(f"{category.value}/{pattern}: {exercise.id}")
    assert gaps == []


def test_the_side_plank_family_starts_with_a_side_lying_hip_lift(catalogue: Catalogue) -> None:
    lift = catalogue.get("side_lying_hip_lift")
    assert (lift.category, lift.pattern, lift.level) == (Category.CORE, "anti_lateral_flexion", 1)
    assert lift.fits(BODY_WEIGHT) and lift.position == "side_lying"
    ladder = ["side_lying_hip_lift", "knee_side_plank", "side_plank"]
    for easier, harder in pairwise(ladder):
        assert harder in catalogue.get(easier).progressions, f"{easier} -> {harder}"
        assert catalogue.get(harder).regressions[0] == easier, f"{harder} -> {easier}"


def test_the_curl_up_is_spine_neutral_core_work_and_says_why_it_is_no_crunch(
    catalogue: Catalogue,
) -> None:
    curl_up = catalogue.get("mcgill_curl_up")
    assert curl_up.category is Category.CORE and curl_up.prescribable
    assert curl_up.position == "supine" and curl_up.fits(BODY_WEIGHT)
    assert curl_up.level in (1, 2) and curl_up.tempo.split("-")[3] != "0"  # a hold at the top
    words = " ".join(texts(curl_up)).lower()
    assert "not a crunch" in words
    assert "hands" in words and "under the small of your back" in words
    assert "few centimetres" in words and "does not bend" in words


def test_every_body_weight_entry_rung_leads_somewhere(catalogue: Catalogue) -> None:
    for exercise in strength(catalogue):
        if exercise.level == 1 and exercise.fits(BODY_WEIGHT):
            assert exercise.progressions, exercise.id


def test_strength_doses_stay_within_six_to_fifteen_reps(catalogue: Catalogue) -> None:
    # M8: 6-15 repetitions (or steps) per set; holds stay short.
    for exercise in strength(catalogue):
        if exercise.dose is DoseType.SECONDS:
            assert 10 <= exercise.dose_min <= exercise.dose_max <= 60, exercise.id
            assert exercise.tempo in {"hold", "steady"}, exercise.id
        else:
            assert 6 <= exercise.dose_min <= exercise.dose_max <= 15, exercise.id


def test_no_mobility_drill_stretches_the_low_back_or_hamstrings(catalogue: Catalogue) -> None:
    # M1, M6: quick moving drills, never a held stretch.
    for drill in catalogue.by_category[Category.MOBILITY]:
        assert drill.pattern not in {"stretch", "flexion"}, drill.id
        assert drill.tempo != "hold", drill.id
        assert drill.dose is DoseType.REPS, drill.id
        assert "hamstrings" not in drill.targets, drill.id
        for text in texts(drill):
            assert not STRETCH_WORDS.search(text), (drill.id, text)


def test_mobility_drills_are_quick_and_need_no_kit(catalogue: Catalogue) -> None:
    drills = catalogue.by_category[Category.MOBILITY]
    assert len(drills) >= 8
    for drill in drills:
        assert drill.fits(BODY_WEIGHT), drill.id
        assert drill.level <= 2, drill.id
        assert drill.dose_max <= 12, drill.id


def test_nothing_requires_a_mat(catalogue: Catalogue) -> None:
    assert all(Equipment.MAT not in e.equipment for e in catalogue.exercises)


def test_floor_work_says_a_mat_or_carpet_will_do(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises:
        floor_work = exercise.position in {"quadruped", "prone", "side_lying"}
        needs_smooth_floor = any("smooth floor" in step for step in exercise.setup)
        if floor_work and not needs_smooth_floor:
            assert any("mat or carpet" in step for step in exercise.setup), exercise.id


def test_loaded_exercises_step_up_by_sensible_amounts(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises:
        loads = exercise.equipment & LOADS
        if Equipment.BARBELL in loads:
            assert 2.5 <= exercise.load_step_kg <= 5, exercise.id
        elif loads:
            assert 1 <= exercise.load_step_kg <= 2, exercise.id
        else:
            assert not exercise.loadable, exercise.id


def test_hip_extension_offers_every_load_the_method_names(catalogue: Catalogue) -> None:
    # M4: body weight, bands, dumbbell and barbell; bilateral and unilateral.
    work = catalogue.by_category[Category.HIP_EXTENSION]
    assert any(not e.equipment for e in work)
    for kit in (Equipment.BAND, Equipment.DUMBBELL, Equipment.BARBELL):
        assert any(kit in e.equipment for e in work), kit
    assert {e.laterality.value for e in work} == {"bilateral", "unilateral"}


def test_hip_external_rotation_holds_band_walks_and_clams(catalogue: Catalogue) -> None:
    # M5: lateral band walks, monster walks and clams.
    patterns = {e.pattern for e in catalogue.by_category[Category.HIP_EXTERNAL_ROTATION]}
    assert {"clam", "band_walk", "abduction"} <= patterns


def test_each_summary_is_one_plain_sentence(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises:
        summary = exercise.summary
        assert summary.endswith(".") and ". " not in summary, exercise.id
        assert len(summary) <= 140, exercise.id


def test_steps_and_cues_stay_short(catalogue: Catalogue) -> None:
    for exercise in catalogue.exercises:
        assert 1 <= len(exercise.setup) <= 4, exercise.id
        assert 2 <= len(exercise.cues) <= 5, exercise.id
        for text in texts(exercise):
            assert len(text) <= 130, (exercise.id, text)


def test_catalogue_text_uses_a_and_an_by_sound(catalogue: Catalogue) -> None:
    # "a advanced", "a intermediate": the article follows the sound of the next word.
    wrong = []
    for exercise in catalogue.exercises:
        for text in every_text(exercise):
            for match in A_BEFORE_VOWEL.finditer(text):
                if not match[1].lower().startswith(VOWEL_LETTER_CONSONANT_SOUND):
                    wrong.append((exercise.id, match[0]))
            for match in AN_BEFORE_CONSONANT.finditer(text):
                if not match[1].lower().startswith(CONSONANT_LETTER_VOWEL_SOUND):
                    wrong.append((exercise.id, match[0]))
    assert wrong == []


def test_the_article_check_catches_a_before_a_vowel() -> None:
    assert A_BEFORE_VOWEL.search("A level 2 start that suits a intermediate")
    assert A_BEFORE_VOWEL.search("A advanced start")
    assert not A_BEFORE_VOWEL.search("an advanced start, a bridge, a data point")
    assert AN_BEFORE_CONSONANT.search("an bridge")


def test_the_docs_table_lists_every_exercise_with_its_category_and_level(
    catalogue: Catalogue,
) -> None:
    doc = Path(__file__).parents[2] / "docs" / "catalogue.md"
    rows = re.findall(
        r"^\| `(\w+)`(?: \(preferred\))? \| (\w+) \| (\d) \|", doc.read_text(), re.MULTILINE
    )
    listed = {exercise_id: (category, int(level)) for exercise_id, category, level in rows}
    assert listed == {e.id: (e.category.value, e.level) for e in catalogue.exercises}


def test_names_are_unique(catalogue: Catalogue) -> None:
    names = [e.name for e in catalogue.exercises]
    assert len(names) == len(set(names))
