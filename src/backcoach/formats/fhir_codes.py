"""The code systems and extensions of backcoach's FHIR R4 export, with their displays.

LOINC codes are used where LOINC has the measure (docs/fhir.md cites the displays); the rest are
backcoach's own, under one canonical base. ``backcoach.example`` is a placeholder canonical (a
reserved name, RFC 2606, that never resolves to anyone else): it names the codes consistently in
every install until the project publishes its CodeSystem and StructureDefinition resources at a
real address (docs/fhir.md, "Code systems").
"""

from __future__ import annotations

from typing import Any

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

#: The canonical base of backcoach's own code systems and extensions (a placeholder).
CANONICAL = "https://backcoach.example/fhir"
#: Measures and session findings that LOINC has no code for.
MEASURES = f"{CANONICAL}/CodeSystem/measures"
#: STarT Back risk groups (Keele's low, medium, high).
STARTBACK_RISK = f"{CANONICAL}/CodeSystem/startback-risk"
#: Leg symptoms at a session (engine `LegSymptoms`).
LEG_SYMPTOMS = f"{CANONICAL}/CodeSystem/leg-symptoms"
#: The exercises of the shipped catalogue, by their ids.
EXERCISES = f"{CANONICAL}/CodeSystem/exercises"
#: Extension: an exercise's dose (sets, the range per set, load, per side), complex.
DOSE_EXTENSION = f"{CANONICAL}/StructureDefinition/exercise-dose"
#: Extension: an exercise's tempo as the catalogue writes it ("3-0-2-1", "hold", "steady").
TEMPO_EXTENSION = f"{CANONICAL}/StructureDefinition/exercise-tempo"

#: LOINC 72514-3 and 97909-6, with LOINC's long common names as displays.
NPRS_LOINC = "72514-3"
NPRS_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
ODI_LOINC = "97909-6"
ODI_DISPLAY = "Oswestry disability index score ODI"

#: backcoach's measure codes and their displays (the CodeSystem at `MEASURES`).
MEASURE_CODES: dict[str, str] = {
    "psfs": "Patient-Specific Functional Scale, mean of the activities' scores",
    "psfs-activity": "Patient-Specific Functional Scale, one activity's score",
    "startback": "STarT Back Screening Tool, total score",
    "startback-psychosocial": "STarT Back Screening Tool, psychosocial subscore",
    "startback-risk": "STarT Back Screening Tool, risk group",
    "rmdq": "Roland-Morris Disability Questionnaire, score",
    "odi-sections-answered": "Oswestry Disability Index, sections answered",
    "training-session": "Strengthening exercise session",
    "session-pain-before": "Pain before the session (0-10)",
    "session-pain-during": "Worst pain during the session (0-10)",
    "session-pain-after": "Pain after the session (0-10)",
    "session-pain-next-morning": "Pain the next morning (0-10)",
    "session-leg-symptoms": "Leg symptoms at the session",
}
STARTBACK_RISK_CODES: dict[str, str] = {
    "low": "Low risk",
    "medium": "Medium risk",
    "high": "High risk",
}
LEG_SYMPTOM_CODES: dict[str, str] = {
    "none": "No leg symptoms",
    "same": "Leg symptoms as before",
    "less_far": "Leg symptoms reaching less far down the leg",
    "further_down": "Leg symptoms spreading further down the leg",
}
#: UCUM units of a dose per set, by how the catalogue doses an exercise.
DOSE_UNITS: dict[str, tuple[str, str]] = {
    "reps": ("{repetitions}", "repetitions"),
    "seconds": ("s", "seconds"),
    "steps": ("{steps}", "steps"),
}


def coding(system: str, code: str, display: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": display}


def measure_coding(code: str) -> dict[str, str]:
    """One of backcoach's own measure codes, with its display."""
    return coding(MEASURES, code, MEASURE_CODES[code])


def score(value: float, unit: str = "{score}", words: str = "score") -> dict[str, Any]:
    """A score as a UCUM quantity."""
    return {"value": value, "unit": words, "system": UCUM, "code": unit}
