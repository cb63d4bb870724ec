"""How exercises and decisions are put to people, in plain words.

Shared by the web pages, the printed handout (backcoach.reports) and the command line, so each is
said one way everywhere. Only words: the rules behind them live in the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TypeVar

from backcoach.engine.catalogue import Exercise
from backcoach.engine.plan import MAX_SETS, MIN_SETS, PlannedExercise
from backcoach.engine.vocabulary import STRENGTH_CATEGORIES, Decision, Equipment, Laterality
from backcoach.wording.i18n import N_, gettext, ngettext
from backcoach.wording.messages import VALUE_WORDS

Key = TypeVar("Key")


class SaidWords(Mapping[Key, str]):
    """A table of messages that says each one in the active language when it is read, so
    callers index it like a dict and still get the words of the language in force."""

    def __init__(self, messages: Mapping[Key, str]) -> None:
        self.messages = dict(messages)

    def __getitem__(self, key: Key) -> str:
        return gettext(self.messages[key])

    def __iter__(self) -> Iterator[Key]:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)


#: Shown under every page and printed on every handout page (a msgid: say it with `gettext`).
DISCLAIMER = N_(
    "backcoach is not a medical device and does not replace a clinician. "
    "If something feels wrong, see one."
)

DECISION_WORDS: Mapping[Decision, str] = SaidWords(
    {
        Decision.START: N_("Your starting point"),
        Decision.PROGRESS: N_("Moves up"),
        Decision.HOLD: N_("Stays the same for now"),
        Decision.REGRESS: N_("Steps back to an easier version"),
        Decision.SWAP: N_("Swapped for another exercise"),
    }
)

#: A hold with less volume while pain settles (engine codes ease_off.*); a msgid.
EASES_OFF = N_("Eases off: fewer sets while your back settles")

#: The catalogue's targets in everyday words; the gluteal muscles' parts share the words a
#: person uses, so a list says each once ("buttocks and side of the hip", never "glutes and
#: glute max"). tests/unit/test_plain_words.py checks every target has words.
_MUSCLES = {
    "abdominals": N_("belly muscles"),
    "deep_abdominals": N_("deep belly muscles"),
    "obliques": N_("side belly muscles"),
    "glutes": N_("buttocks"),
    "glute_max": N_("buttocks"),
    "glute_med": N_("side of the hip"),
    "glute_min": N_("side of the hip"),
    "hips": N_("hips"),
    "hip_flexors": N_("front of the hips"),
    "adductors": N_("inner thighs"),
    "hamstrings": N_("back of the thighs"),
    "pelvis": N_("pelvis"),
    "shoulders": N_("shoulders"),
    "thoracic_spine": N_("upper back"),
    "lumbar_spine": N_("lower back"),
}

#: Kit an exercise may need, in the words of the "Equipment" line; a mat is never required.
KIT_WORDS: Mapping[Equipment, str] = SaidWords(
    {
        Equipment.BAND: N_("a resistance band"),
        Equipment.DUMBBELL: N_("a dumbbell"),
        Equipment.KETTLEBELL: N_("a kettlebell"),
        Equipment.BARBELL: N_("a barbell"),
        Equipment.BENCH: N_("a bench"),
    }
)


def dose_words(item: PlannedExercise) -> str:
    """A planned exercise's dose, e.g. "3 sets × 8-12 reps each side, with 4 kg"."""
    amount = (
        f"{item.dose_min}" if item.dose_min == item.dose_max else f"{item.dose_min}-{item.dose_max}"
    )
    text = ngettext(
        "{sets} set × {amount} {unit}", "{sets} sets × {amount} {unit}", item.sets
    ).format(sets=item.sets, amount=amount, unit=_unit(item.exercise))
    if item.exercise.laterality is Laterality.UNILATERAL:
        text = gettext("{dose} each side").format(dose=text)
    if item.load_kg is not None:
        text = gettext("{dose}, with {load_kg:g} kg").format(dose=text, load_kg=item.load_kg)
    return text


def muscles(targets: Iterable[str]) -> str:
    words: list[str] = []
    for target in targets:
        known = _MUSCLES.get(target)
        word = gettext(known) if known else target.replace("_", " ")
        if word not in words:
            words.append(word)
    return and_list(words)


def equipment_words(needed: Iterable[Equipment]) -> str:
    """What an exercise needs in words: "no equipment", or "a barbell and a bench"."""
    required = set(needed)
    words = [words for kit, words in KIT_WORDS.items() if kit in required]
    if not words:
        return gettext("no equipment")
    return and_list(words)


def dose_range_words(exercise: Exercise) -> str:
    """The range a set aims for, e.g. "2-3 sets of 8-15 reps each side"."""
    low, high = exercise.dose_min, exercise.dose_max
    amount = f"{low}" if low == high else f"{low}-{high}"
    one_set = gettext("{amount} {unit}").format(amount=amount, unit=_unit(exercise))
    if exercise.laterality is Laterality.UNILATERAL:
        one_set = gettext("{dose} each side").format(dose=one_set)
    if exercise.category in STRENGTH_CATEGORIES:
        # M8
        return gettext("{low}-{high} sets of {dose}").format(
            low=MIN_SETS, high=MAX_SETS, dose=one_set
        )
    # Mobility drills go in one easy round (the tight-moment routine, M6).
    return gettext("One easy round of {dose}").format(dose=one_set)


def tempo_words(tempo: str) -> str:
    """The catalogue's E-P-C-P tempo (lower, pause, lift, pause) as a sentence, in that order."""
    if tempo == "hold":
        return gettext("Hold the position still and keep breathing.")
    if tempo == "steady":
        return gettext("Move at a steady, even pace.")
    lower, low_pause, lift, top_pause = (int(part) for part in tempo.split("-"))
    parts = [_seconds(N_("lower in {seconds}"), lower)]
    if low_pause:
        parts.append(_seconds(N_("pause {seconds}"), low_pause))
    parts.append(_seconds(N_("lift in {seconds}"), lift))
    if top_pause:
        parts.append(_seconds(N_("pause {seconds}"), top_pause))
    sentence = ", ".join(parts)
    return f"{sentence[0].upper()}{sentence[1:]}."


def _unit(exercise: Exercise) -> str:
    """The dose's unit in words ("reps", "seconds", "steps"), from the reasons' own table."""
    unit = exercise.dose.value
    known = VALUE_WORDS["unit"].get(unit)
    return gettext(known) if known else unit


def _seconds(phrase: str, count: int) -> str:
    seconds = ngettext("{count} second", "{count} seconds", count).format(count=count)
    return gettext(phrase).format(seconds=seconds)


def and_list(words: list[str]) -> str:
    """Words as a list: "a", "a and b", "a, b and c"."""
    if len(words) < 2:
        return "".join(words)
    return gettext("{first} and {last}").format(first=", ".join(words[:-1]), last=words[-1])
