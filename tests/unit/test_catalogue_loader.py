"""parse_catalogue refuses bad data with a message that names the exercise and the field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from backcoach.engine.catalogue import CatalogueError, parse_catalogue
from backcoach.engine.vocabulary import STRENGTH_CATEGORIES, Category

TARGETS = {
    Category.CORE: ["abdominals"],
    Category.HIP_EXTENSION: ["glutes"],
    Category.HIP_EXTERNAL_ROTATION: ["glute_med"],
    Category.MOBILITY: ["hips"],
    Category.AVOID: ["abdominals"],
}


def exercise(exercise_id: str, category: Category, level: int, **changes: Any) -> dict[str, Any]:
    """One valid exercise as the TOML file would hold it; ``changes`` override fields."""
    item: dict[str, Any] = {
        "id": exercise_id,
        "name": exercise_id.replace("_", " ").capitalize(),
        "category": category.value,
        "pattern": "test",
        "targets": list(TARGETS[category]),
        "equipment": [],
        "laterality": "bilateral",
        "level": level,
        "dose": "reps",
        "dose_min": 8,
        "dose_max": 12,
        "tempo": "2-0-1-1",
        "position": "supine",
        "summary": "Helps.",
        "setup": ["Lie down."],
        "cues": ["Move slowly."],
        "faults": [
            {"sign": "You feel it in your low back.", "fix": "Ribs down.", "low_back": True},
            {"sign": "You rush.", "fix": "Count two seconds.", "low_back": False},
        ],
    }
    if category is Category.AVOID:
        item["why_not"] = "It bends the spine instead of holding it still."
    item.update(changes)
    return item


def valid_catalogue() -> dict[str, Any]:
    """The smallest catalogue the loader accepts: every strength level, three drills, one avoid."""
    items = [
        exercise(f"{category.value}_{level}", category, level)
        for category in STRENGTH_CATEGORIES
        for level in range(1, 6)
    ]
    items += [exercise(f"drill_{n}", Category.MOBILITY, 1) for n in (1, 2, 3)]
    items.append(exercise("crunch", Category.AVOID, 1))
    return {"version": 1, "exercise": items}


def edit(raw: dict[str, Any], exercise_id: str, **changes: Any) -> dict[str, Any]:
    """A copy of ``raw`` with fields of one exercise changed."""
    changed = copy.deepcopy(raw)
    for item in changed["exercise"]:
        if item["id"] == exercise_id:
            item.update(changes)
            return changed
    raise AssertionError(f"no exercise {exercise_id} in the test catalogue")


def without(raw: dict[str, Any], exercise_id: str, field: str | None = None) -> dict[str, Any]:
    """A copy of ``raw`` without one exercise, or without one field of it."""
    changed = copy.deepcopy(raw)
    if field is None:
        changed["exercise"] = [i for i in changed["exercise"] if i["id"] != exercise_id]
    else:
        for item in changed["exercise"]:
            if item["id"] == exercise_id:
                del item[field]
    return changed


def test_the_minimal_catalogue_is_accepted() -> None:
    catalogue = parse_catalogue(valid_catalogue())
    assert len(catalogue) == 19
    assert catalogue.get("core_1").low_back_fix is not None
    assert not catalogue.get("crunch").prescribable


def test_the_shipped_file_is_accepted() -> None:
    from backcoach.catalogue import default_catalogue

    assert len(default_catalogue()) >= 48


def test_it_rejects_an_unknown_field() -> None:
    raw = edit(valid_catalogue(), "core_2", colour="red")
    with pytest.raises(CatalogueError, match=r"exercise core_2: unknown field\(s\): colour"):
        parse_catalogue(raw)


def test_it_rejects_an_unknown_top_level_field() -> None:
    raw = {**valid_catalogue(), "exercises": []}
    with pytest.raises(CatalogueError, match=r"unknown top-level field\(s\): exercises"):
        parse_catalogue(raw)


def test_it_rejects_an_empty_catalogue() -> None:
    with pytest.raises(CatalogueError, match="non-empty 'exercise' list"):
        parse_catalogue({"version": 1, "exercise": []})


@pytest.mark.parametrize("field", ["tempo", "summary", "faults", "targets", "level"])
def test_it_rejects_a_missing_field(field: str) -> None:
    raw = without(valid_catalogue(), "hip_extension_3", field)
    with pytest.raises(
        CatalogueError, match=rf"exercise hip_extension_3: missing field\(s\): {field}$"
    ):
        parse_catalogue(raw)


def test_it_rejects_a_broken_link() -> None:
    raw = edit(valid_catalogue(), "core_1", progressions=["no_such_exercise"])
    with pytest.raises(
        CatalogueError,
        match=r"exercise core_1: progressions: broken link to unknown id 'no_such_exercise'",
    ):
        parse_catalogue(raw)


def test_it_rejects_a_progression_to_an_easier_rung() -> None:
    raw = edit(valid_catalogue(), "core_3", progressions=["core_2"])
    with pytest.raises(
        CatalogueError, match=r"exercise core_3: progressions: 'core_2' is easier \(level 2\)"
    ):
        parse_catalogue(raw)


def test_it_rejects_a_regression_to_a_harder_rung() -> None:
    raw = edit(valid_catalogue(), "core_3", regressions=["core_4"])
    with pytest.raises(
        CatalogueError, match=r"exercise core_3: regressions: 'core_4' is harder \(level 4\)"
    ):
        parse_catalogue(raw)


def test_it_rejects_a_link_into_another_category() -> None:
    raw = edit(valid_catalogue(), "core_1", progressions=["hip_extension_2"])
    with pytest.raises(
        CatalogueError,
        match=r"exercise core_1: progressions: 'hip_extension_2' is in another category",
    ):
        parse_catalogue(raw)


def test_it_rejects_a_link_to_itself() -> None:
    raw = edit(valid_catalogue(), "core_1", regressions=["core_1"])
    with pytest.raises(CatalogueError, match=r"exercise core_1: regressions: links to itself"):
        parse_catalogue(raw)


@pytest.mark.parametrize("kind", ["progressions", "regressions"])
def test_it_rejects_a_cycle_in_a_ladder(kind: str) -> None:
    raw = valid_catalogue()
    raw["exercise"] += [
        exercise("core_2_twin", Category.CORE, 2, **{kind: ["core_2_triplet"]}),
        exercise("core_2_triplet", Category.CORE, 2, **{kind: ["core_2"]}),
    ]
    raw = edit(raw, "core_2", **{kind: ["core_2_twin"]})
    with pytest.raises(
        CatalogueError,
        match=rf"cycle in {kind} ladder: core_2 -> core_2_twin -> core_2_triplet -> core_2",
    ):
        parse_catalogue(raw)


def test_links_both_ways_between_equal_rungs_are_not_a_cycle() -> None:
    raw = valid_catalogue()
    raw["exercise"].append(exercise("core_2_twin", Category.CORE, 2, regressions=["core_2"]))
    raw = edit(raw, "core_2", progressions=["core_2_twin"])
    assert "core_2_twin" in parse_catalogue(raw).get("core_2").progressions


@pytest.mark.parametrize("category", STRENGTH_CATEGORIES)
@pytest.mark.parametrize("level", [1, 3, 5])
def test_it_rejects_a_strength_category_with_no_exercise_at_a_level(
    category: Category, level: int
) -> None:
    raw = without(valid_catalogue(), f"{category.value}_{level}")
    with pytest.raises(
        CatalogueError,
        match=rf"category {category.value} has no exercise at level\(s\) \[{level}\]",
    ):
        parse_catalogue(raw)


def test_it_rejects_a_category_whose_first_level_needs_kit() -> None:
    raw = edit(valid_catalogue(), "hip_external_rotation_1", equipment=["band"])
    with pytest.raises(
        CatalogueError,
        match="category hip_external_rotation needs a body-weight exercise at level 1",
    ):
        parse_catalogue(raw)


def test_it_needs_three_body_weight_mobility_drills() -> None:
    raw = edit(valid_catalogue(), "drill_3", equipment=["band"])
    with pytest.raises(CatalogueError, match=r"at least 3 body-weight mobility drills \(M6\)"):
        parse_catalogue(raw)


@pytest.mark.parametrize(
    ("dose", "low", "high"),
    [("reps", 5, 12), ("reps", 6, 16), ("steps", 4, 10), ("steps", 8, 20)],
)
def test_it_rejects_a_strength_dose_outside_six_to_fifteen(dose: str, low: int, high: int) -> None:
    raw = edit(valid_catalogue(), "core_2", dose=dose, dose_min=low, dose_max=high)
    with pytest.raises(
        CatalogueError, match=rf"exercise core_2: dose_min/dose_max must stay within 6-15 {dose}"
    ):
        parse_catalogue(raw)


@pytest.mark.parametrize(("low", "high"), [(5, 30), (10, 90)])
def test_it_rejects_a_hold_outside_ten_to_sixty_seconds(low: int, high: int) -> None:
    raw = edit(
        valid_catalogue(), "core_1", dose="seconds", dose_min=low, dose_max=high, tempo="hold"
    )
    with pytest.raises(
        CatalogueError, match=r"exercise core_1: dose_min/dose_max must stay within 10-60 seconds"
    ):
        parse_catalogue(raw)


def test_it_rejects_a_dose_range_upside_down() -> None:
    raw = edit(valid_catalogue(), "core_2", dose_min=12, dose_max=8)
    with pytest.raises(CatalogueError, match="exercise core_2: dose_min 12 is above dose_max 8"):
        parse_catalogue(raw)


def test_mobility_reps_may_go_below_six() -> None:
    raw = edit(valid_catalogue(), "drill_1", dose_min=3, dose_max=8)
    assert parse_catalogue(raw).get("drill_1").dose_min == 3


def test_it_rejects_an_avoid_entry_without_why_not() -> None:
    raw = without(valid_catalogue(), "crunch", "why_not")
    with pytest.raises(
        CatalogueError, match="exercise crunch: an 'avoid' exercise must say why_not"
    ):
        parse_catalogue(raw)


def test_it_rejects_an_avoid_entry_with_a_blank_why_not() -> None:
    raw = edit(valid_catalogue(), "crunch", why_not="   ")
    with pytest.raises(
        CatalogueError, match="exercise crunch: an 'avoid' exercise must say why_not"
    ):
        parse_catalogue(raw)


def test_it_rejects_why_not_on_a_prescribed_exercise() -> None:
    raw = edit(valid_catalogue(), "core_1", why_not="Because.")
    with pytest.raises(
        CatalogueError, match="exercise core_1: why_not belongs to 'avoid' exercises only"
    ):
        parse_catalogue(raw)


@pytest.mark.parametrize("category", STRENGTH_CATEGORIES)
def test_it_rejects_a_strength_exercise_with_no_low_back_fault(category: Category) -> None:
    exercise_id = f"{category.value}_2"
    faults = [{"sign": "You rush.", "fix": "Count two seconds.", "low_back": False}]
    raw = edit(valid_catalogue(), exercise_id, faults=faults)
    with pytest.raises(
        CatalogueError, match=rf"exercise {exercise_id}: needs a fault with low_back = true \(M9\)"
    ):
        parse_catalogue(raw)


def test_mobility_drills_need_no_low_back_fault() -> None:
    faults = [{"sign": "You rush.", "fix": "Slow down."}]
    raw = edit(valid_catalogue(), "drill_1", faults=faults)
    assert parse_catalogue(raw).get("drill_1").low_back_fix is None


def test_it_rejects_a_core_exercise_that_does_not_target_the_abdominals() -> None:
    raw = edit(valid_catalogue(), "core_4", targets=["hip_flexors", "lumbar_spine"])
    with pytest.raises(
        CatalogueError, match=r"exercise core_4: a core exercise must target the abdominals \(M3\)"
    ):
        parse_catalogue(raw)


@pytest.mark.parametrize("category", [Category.HIP_EXTENSION, Category.HIP_EXTERNAL_ROTATION])
def test_it_rejects_a_glute_exercise_that_does_not_target_the_glutes(category: Category) -> None:
    exercise_id = f"{category.value}_2"
    raw = edit(valid_catalogue(), exercise_id, targets=["hamstrings"])
    with pytest.raises(
        CatalogueError,
        match=rf"exercise {exercise_id}: a glute exercise must target the glutes \(M4, M5\)",
    ):
        parse_catalogue(raw)


def test_it_rejects_an_exercise_with_no_targets() -> None:
    raw = edit(valid_catalogue(), "drill_2", targets=[])
    with pytest.raises(CatalogueError, match="exercise drill_2: targets must name at least one"):
        parse_catalogue(raw)


def test_it_rejects_a_duplicate_id() -> None:
    raw = valid_catalogue()
    raw["exercise"].append(exercise("core_1", Category.CORE, 1))
    with pytest.raises(CatalogueError, match="exercise core_1: duplicate id"):
        parse_catalogue(raw)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "cardio"),
        ("laterality", "both"),
        ("dose", "minutes"),
    ],
)
def test_it_rejects_a_bad_enum_value(field: str, value: str) -> None:
    raw = edit(valid_catalogue(), "core_2", **{field: value})
    with pytest.raises(CatalogueError, match=rf"exercise core_2: {field} '{value}' is not one of "):
        parse_catalogue(raw)


def test_it_rejects_unknown_equipment() -> None:
    raw = edit(valid_catalogue(), "core_2", equipment=["rowing_machine"])
    with pytest.raises(CatalogueError, match="exercise core_2: equipment: 'rowing_machine'"):
        parse_catalogue(raw)


@pytest.mark.parametrize("level", [0, 6])
def test_it_rejects_a_level_outside_one_to_five(level: int) -> None:
    raw = edit(valid_catalogue(), "core_2", level=level)
    with pytest.raises(CatalogueError, match=rf"exercise core_2: level must be 1-5, got {level}"):
        parse_catalogue(raw)


def test_it_rejects_a_level_that_is_not_a_whole_number() -> None:
    raw = edit(valid_catalogue(), "core_2", level="2")
    with pytest.raises(CatalogueError, match="exercise core_2: level must be a whole number"):
        parse_catalogue(raw)


@pytest.mark.parametrize("tempo", ["slow", "2-1-2", "20-1-1-1", ""])
def test_it_rejects_a_bad_tempo(tempo: str) -> None:
    raw = edit(valid_catalogue(), "core_2", tempo=tempo)
    with pytest.raises(CatalogueError, match="exercise core_2: tempo"):
        parse_catalogue(raw)


@pytest.mark.parametrize("bad_id", ["Glute-Bridge", "2_bridge", "glute bridge"])
def test_it_rejects_an_id_that_is_not_lower_snake_case(bad_id: str) -> None:
    raw = edit(valid_catalogue(), "core_2", id=bad_id)
    with pytest.raises(CatalogueError, match=f"exercise {bad_id}: id must be lower_snake_case"):
        parse_catalogue(raw)


def test_it_rejects_a_fault_without_a_fix() -> None:
    faults = [{"sign": "You feel it in your low back.", "low_back": True}]
    raw = edit(valid_catalogue(), "core_2", faults=faults)
    with pytest.raises(
        CatalogueError, match="exercise core_2: faults #1 needs a 'sign' and a 'fix'"
    ):
        parse_catalogue(raw)


def test_it_rejects_a_fault_flag_that_is_not_true_or_false() -> None:
    faults = [{"sign": "Low back.", "fix": "Ribs down.", "low_back": "yes"}]
    raw = edit(valid_catalogue(), "core_2", faults=faults)
    with pytest.raises(
        CatalogueError, match="exercise core_2: faults #1: low_back must be true or false"
    ):
        parse_catalogue(raw)


def test_it_rejects_an_unknown_fault_field() -> None:
    faults = [{"sign": "Low back.", "fix": "Ribs down.", "low_back": True, "severity": 3}]
    raw = edit(valid_catalogue(), "core_2", faults=faults)
    with pytest.raises(CatalogueError, match=r"exercise core_2: faults #1: unknown field"):
        parse_catalogue(raw)


@pytest.mark.parametrize("field", ["setup", "cues"])
def test_it_rejects_empty_steps(field: str) -> None:
    raw = edit(valid_catalogue(), "core_2", **{field: []})
    with pytest.raises(CatalogueError, match=f"exercise core_2: {field} must not be empty"):
        parse_catalogue(raw)


@pytest.mark.parametrize("value", [-1, "2", True])
def test_it_rejects_a_bad_load_step(value: object) -> None:
    raw = edit(valid_catalogue(), "core_2", load_step_kg=value)
    with pytest.raises(CatalogueError, match="exercise core_2: load_step_kg must be a number"):
        parse_catalogue(raw)


def test_it_rejects_a_preferred_flag_that_is_not_true_or_false() -> None:
    raw = edit(valid_catalogue(), "core_2", preferred="yes")
    with pytest.raises(CatalogueError, match="exercise core_2: preferred must be true or false"):
        parse_catalogue(raw)


def test_it_rejects_an_exercise_that_is_not_a_table() -> None:
    raw = valid_catalogue()
    raw["exercise"].insert(0, "glute_bridge")
    with pytest.raises(CatalogueError, match="exercise #1: expected a table of fields"):
        parse_catalogue(raw)


def test_a_mat_is_never_required_kit() -> None:
    raw = valid_catalogue()
    raw["exercise"][0]["equipment"] = ["mat"]
    parsed = parse_catalogue(raw)
    assert parsed.exercises[0].equipment == frozenset()


def test_a_blank_fix_is_refused() -> None:
    raw = valid_catalogue()
    raw["exercise"][0]["faults"][1]["fix"] = "   "
    with pytest.raises(CatalogueError, match=r"faults #2 needs a 'sign' and a 'fix'"):
        parse_catalogue(raw)


def test_an_unknown_fault_field_is_named_plainly() -> None:
    raw = valid_catalogue()
    raw["exercise"][0]["faults"][0]["severity"] = 3
    with pytest.raises(CatalogueError, match=r"faults #1: unknown field\(s\): severity$"):
        parse_catalogue(raw)
