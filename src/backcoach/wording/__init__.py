"""How exercises and decisions are put to people, in plain words.

Shared by the web pages, the printed handout (backcoach.reports) and the command line, so each is
said one way everywhere. Only words: the rules behind them live in the engine.
"""

from __future__ import annotations

from collections.abc import Iterable

from backcoach.engine.catalogue import Exercise
from backcoach.engine.plan import MAX_SETS, MIN_SETS, PlannedExercise
from backcoach.engine.vocabulary import STRENGTH_CATEGORIES, Decision, Equipment, Laterality

#: Shown under every page and printed on every handout page.
DISCLAIMER = (
    "backcoach is not a medical device and does not replace a clinician. "
    "If something feels wrong, see one."
)

DECISION_WORDS: dict[Decision, str] = {
    Decision.START: "Your starting point",
    Decision.PROGRESS: "Moves up",
    Decision.HOLD: "Stays the same for now",
    Decision.REGRESS: "Steps back to an easier version",
    Decision.SWAP: "Swapped for another exercise",
}

#: A hold with less volume while pain settles (engine codes ease_off.*).
EASES_OFF = "Eases off: fewer sets while your back settles"

_MUSCLES = {
    "abdominals": "belly muscles",
    "deep_abdominals": "deep belly muscles",
    "obliques": "side belly muscles",
    "glutes": "buttocks",
    "glute_max": "buttocks",
    "glute_med": "side of the hip",
    "glute_min": "side of the hip",
    "hips": "hips",
    "thoracic_spine": "upper back",
    "lumbar_spine": "lower back",
}

#: Kit an exercise may need, in the words of the "Equipment" line; a mat is never required.
KIT_WORDS: dict[Equipment, str] = {
    Equipment.BAND: "a resistance band",
    Equipment.DUMBBELL: "a dumbbell",
    Equipment.KETTLEBELL: "a kettlebell",
    Equipment.BARBELL: "a barbell",
    Equipment.BENCH: "a bench",
}


def dose_words(item: PlannedExercise) -> str:
    unit = item.exercise.dose.value
    amount = (
        f"{item.dose_min}" if item.dose_min == item.dose_max else f"{item.dose_min}-{item.dose_max}"
    )
    text = f"{item.sets} {'set' if item.sets == 1 else 'sets'} × {amount} {unit}"
    if item.exercise.laterality is Laterality.UNILATERAL:
        text += " each side"
    if item.load_kg is not None:
        text += f", with {item.load_kg:g} kg"
    return text


def muscles(targets: Iterable[str]) -> str:
    words: list[str] = []
    for target in targets:
        word = _MUSCLES.get(target, target.replace("_", " "))
        if word not in words:
            words.append(word)
    return "".join(words) if len(words) < 2 else f"{', '.join(words[:-1])} and {words[-1]}"


def equipment_words(needed: Iterable[Equipment]) -> str:
    """What an exercise needs in words: "no equipment", or "a barbell and a bench"."""
    required = set(needed)
    words = [words for kit, words in KIT_WORDS.items() if kit in required]
    if not words:
        return "no equipment"
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def dose_range_words(exercise: Exercise) -> str:
    """The range a set aims for, e.g. "2-3 sets of 8-15 reps each side"."""
    low, high = exercise.dose_min, exercise.dose_max
    amount = f"{low}" if low == high else f"{low}-{high}"
    one_set = f"{amount} {exercise.dose.value}"
    if exercise.laterality is Laterality.UNILATERAL:
        one_set += " each side"
    if exercise.category in STRENGTH_CATEGORIES:
        return f"{MIN_SETS}-{MAX_SETS} sets of {one_set}"  # M8
    # Mobility drills go in one easy round (the tight-moment routine, M6).
    return f"One easy round of {one_set}"


def tempo_words(tempo: str) -> str:
    """The catalogue's E-P-C-P tempo (lower, pause, lift, pause) as a sentence, in that order."""
    if tempo == "hold":
        return "Hold the position still and keep breathing."
    if tempo == "steady":
        return "Move at a steady, even pace."
    lower, low_pause, lift, top_pause = (int(part) for part in tempo.split("-"))
    parts = [f"lower in {_seconds(lower)}"]
    if low_pause:
        parts.append(f"pause {_seconds(low_pause)}")
    parts.append(f"lift in {_seconds(lift)}")
    if top_pause:
        parts.append(f"pause {_seconds(top_pause)}")
    sentence = ", ".join(parts)
    return f"{sentence[0].upper()}{sentence[1:]}."


def _seconds(count: int) -> str:
    return f"{count} second" if count == 1 else f"{count} seconds"
