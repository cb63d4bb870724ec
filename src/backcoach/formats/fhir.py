"""A person's record as a FHIR R4 Bundle, the answer of ``Patient/{id}/$everything``.

Pure: the services read the rows and hand plain records in; nothing here touches a database.
Which backcoach field becomes which FHIR element, and what is left out and why, is in
docs/fhir.md. The bundle is a ``searchset``, as the operation's definition says its answer is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backcoach.engine.measures import STARTBACK_NOTICE, Instrument
from backcoach.formats.fhir_careplan import ProgramRecord, care_plan
from backcoach.formats.fhir_codes import (
    LEG_SYMPTOM_CODES,
    LEG_SYMPTOMS,
    LOINC,
    NPRS_DISPLAY,
    NPRS_LOINC,
    OBSERVATION_CATEGORY,
    ODI_DISPLAY,
    ODI_LOINC,
    STARTBACK_RISK,
    STARTBACK_RISK_CODES,
    coding,
    measure_coding,
    score,
)

#: The media type of FHIR's JSON format.
FHIR_JSON = "application/fhir+json"
FHIR_VERSION = "4.0.1"


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """All the identity backcoach holds that the export gives: an id and the chosen name."""

    id: int
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class MeasureRecord:
    """One questionnaire answered: when, which, its score and the engine's result document."""

    id: int
    at: dt.datetime
    instrument: str
    score: float
    result: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One training session with the pains rated at it (0-10) and the leg symptoms."""

    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    checked_in_at: dt.datetime | None
    pain_before: int
    pain_during: int | None
    pain_after: int | None
    pain_next_morning: int | None
    leg_symptoms: str | None


def everything_bundle(
    *,
    person: PersonRecord,
    measures: Iterable[MeasureRecord],
    program: ProgramRecord | None,
    sessions: Iterable[SessionRecord],
    now: dt.datetime,
    base_url: str | None = None,
) -> dict[str, Any]:
    """The Bundle: the Patient, an Observation per measure, the program as a CarePlan, and each
    session as a Procedure with its pains as Observations (part of it).

    ``base_url`` is the FHIR base the resources are read at (``.../api/v1/fhir``): each entry's
    ``fullUrl`` and the ``self`` link are made from it; without one they are left out.
    """
    patient_id = str(person.id)
    subject = {"reference": f"Patient/{patient_id}"}
    resources: list[dict[str, Any]] = [_patient(person)]
    resources.extend(measure_observation(measure, subject) for measure in measures)
    if program is not None:
        resources.append(care_plan(program, subject))
    for session in sessions:
        resources.extend(session_resources(session, subject))
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "meta": {"lastUpdated": now.isoformat()},
        "type": "searchset",
        "timestamp": now.isoformat(),
        "total": len(resources),
    }
    if base_url is not None:
        base = base_url.rstrip("/")
        bundle["link"] = [{"relation": "self", "url": f"{base}/Patient/{patient_id}/$everything"}]
    bundle["entry"] = [_entry(resource, base_url) for resource in resources]
    return bundle


def _entry(resource: dict[str, Any], base_url: str | None) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if base_url is not None:
        entry["fullUrl"] = f"{base_url.rstrip('/')}/{resource['resourceType']}/{resource['id']}"
    # Every resource is in the patient's compartment, so each is a match of the operation.
    return entry | {"resource": resource, "search": {"mode": "match"}}


def _patient(person: PersonRecord) -> dict[str, Any]:
    patient: dict[str, Any] = {"resourceType": "Patient", "id": str(person.id), "active": True}
    if person.display_name:
        patient["name"] = [{"text": person.display_name}]
    return patient


_SURVEY = [{"coding": [coding(OBSERVATION_CATEGORY, "survey", "Survey")]}]


def measure_observation(measure: MeasureRecord, subject: dict[str, str]) -> dict[str, Any]:
    """One questionnaire as an Observation: LOINC where it has the score, else backcoach's code."""
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "id": f"measure-{measure.id}",
        "status": "final",
        "category": _SURVEY,
        "code": {},
        "subject": subject,
        "effectiveDateTime": measure.at.isoformat(),
    }
    observation |= _measure_value(measure)
    return observation


def _measure_value(measure: MeasureRecord) -> dict[str, Any]:
    """The code, the value and the parts of one instrument's result."""
    result = measure.result
    instrument = measure.instrument
    if instrument == Instrument.NPRS:
        return {
            "code": _concept(coding(LOINC, NPRS_LOINC, NPRS_DISPLAY), "Pain now (NPRS, 0-10)"),
            "valueInteger": int(measure.score),
        }
    if instrument == Instrument.ODI:
        found: dict[str, Any] = {
            "code": _concept(coding(LOINC, ODI_LOINC, ODI_DISPLAY), "Oswestry Disability Index"),
            "valueQuantity": score(measure.score, "%", "%"),
        }
        if isinstance(result.get("answered"), int):
            found["component"] = [_component("odi-sections-answered", result["answered"])]
        return found
    if instrument == Instrument.PSFS:
        return {
            "code": _concept(measure_coding("psfs"), "Patient-Specific Functional Scale"),
            "valueQuantity": score(measure.score),
            "component": [
                {
                    "code": {"coding": [measure_coding("psfs-activity")], "text": item["name"]},
                    "valueInteger": item["score"],
                }
                for item in result.get("activities", ())
            ],
        }
    if instrument == Instrument.STARTBACK:
        return _startback(measure)
    return {
        "code": _concept(measure_coding("rmdq"), "Roland-Morris Disability Questionnaire"),
        "valueInteger": int(measure.score),
    }


def _startback(measure: MeasureRecord) -> dict[str, Any]:
    result = measure.result
    components = []
    if isinstance(result.get("psychosocial"), int):
        components.append(_component("startback-psychosocial", result["psychosocial"]))
    risk = result.get("risk")
    if risk in STARTBACK_RISK_CODES:
        value = {"coding": [coding(STARTBACK_RISK, risk, STARTBACK_RISK_CODES[risk])]}
        components.append(
            {"code": {"coding": [measure_coding("startback-risk")]}, "valueCodeableConcept": value}
        )
    found: dict[str, Any] = {
        "code": _concept(measure_coding("startback"), "STarT Back Screening Tool"),
        "valueInteger": int(measure.score),
        # Keele asks that its notice go wherever the tool's results are used.
        "note": [{"text": STARTBACK_NOTICE}],
    }
    if components:
        found["component"] = components
    return found


def _component(code: str, value: int) -> dict[str, Any]:
    return {"code": {"coding": [measure_coding(code)]}, "valueInteger": value}


def _concept(code: dict[str, str], text: str) -> dict[str, Any]:
    return {"coding": [code], "text": text}


def session_resources(session: SessionRecord, subject: dict[str, str]) -> Iterator[dict[str, Any]]:
    """The session as a Procedure, then each pain rated at it, and its leg symptoms, as
    Observations that are part of it."""
    procedure_id = f"session-{session.id}"
    performed: dict[str, str] = {"start": session.started_at.isoformat()}
    if session.finished_at is not None:
        performed["end"] = session.finished_at.isoformat()
    yield {
        "resourceType": "Procedure",
        "id": procedure_id,
        "status": "completed" if session.finished_at is not None else "in-progress",
        "code": _concept(measure_coding("training-session"), "Strengthening exercise session"),
        "subject": subject,
        "performedPeriod": performed,
    }
    part_of = [{"reference": f"Procedure/{procedure_id}"}]
    for moment, pain, effective in _pains(session):
        when = measure_coding(f"session-pain-{moment}")
        yield {
            "resourceType": "Observation",
            "id": f"{procedure_id}-pain-{moment}",
            "status": "final",
            "category": _SURVEY,
            # LOINC's 0-10 pain rating, and backcoach's narrower code for when it was rated.
            "code": {
                "coding": [coding(LOINC, NPRS_LOINC, NPRS_DISPLAY), when],
                "text": when["display"],
            },
            "subject": subject,
            **effective,
            "valueInteger": pain,
            "partOf": part_of,
        }
    legs = session.leg_symptoms
    if legs in LEG_SYMPTOM_CODES:
        at = session.finished_at or session.started_at
        yield {
            "resourceType": "Observation",
            "id": f"{procedure_id}-leg-symptoms",
            "status": "final",
            "category": _SURVEY,
            "code": _concept(measure_coding("session-leg-symptoms"), "Leg symptoms"),
            "subject": subject,
            "effectiveDateTime": at.isoformat(),
            "valueCodeableConcept": {
                "coding": [coding(LEG_SYMPTOMS, legs, LEG_SYMPTOM_CODES[legs])]
            },
            "partOf": part_of,
        }


def _pains(session: SessionRecord) -> Sequence[tuple[str, int, dict[str, Any]]]:
    """Each pain rated at the session: when (the moment's code) and its effective time."""
    start = session.started_at.isoformat()
    found: list[tuple[str, int, dict[str, Any]]] = [
        ("before", session.pain_before, {"effectiveDateTime": start})
    ]
    end = session.finished_at
    if session.pain_during is not None:
        period = {"start": start} | ({"end": end.isoformat()} if end is not None else {})
        found.append(("during", session.pain_during, {"effectivePeriod": period}))
    if session.pain_after is not None and end is not None:
        found.append(("after", session.pain_after, {"effectiveDateTime": end.isoformat()}))
    morning = session.checked_in_at
    if session.pain_next_morning is not None and morning is not None:
        found.append(
            ("next-morning", session.pain_next_morning, {"effectiveDateTime": morning.isoformat()})
        )
    return found
