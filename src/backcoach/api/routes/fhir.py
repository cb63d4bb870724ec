"""API routes: a person's record as FHIR R4 (issue 12, item 5; docs/fhir.md).

``GET /fhir/Patient/{id}/$everything`` answers a Bundle (``application/fhir+json``) built by the
same service as `backcoach export fhir`. Only the person themselves may take it, as with the JSON
export: anyone else's token, and an id that is no one's, get the one ``access.forbidden`` problem.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from backcoach.api.deps import CallerDep, NowDep, UowDep
from backcoach.api.problems import PROBLEM_RESPONSES
from backcoach.formats.fhir import FHIR_JSON
from backcoach.services import fhir_export

router = APIRouter(responses=PROBLEM_RESPONSES, tags=["fhir"])


class FhirResponse(JSONResponse):
    """A FHIR resource in FHIR's JSON media type."""

    media_type = FHIR_JSON

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_BUNDLE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A FHIR R4 Bundle of type searchset (docs/fhir.md maps each element).",
        "content": {
            FHIR_JSON: {
                "schema": {
                    "type": "object",
                    "required": ["resourceType", "type", "entry"],
                    "properties": {
                        "resourceType": {"const": "Bundle"},
                        "type": {"const": "searchset"},
                        "total": {"type": "integer", "minimum": 1},
                        "entry": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        },
    }
}


@router.get(
    "/fhir/Patient/{patient_id}/$everything",
    summary="Everything about a patient as a FHIR R4 Bundle",
    response_class=FhirResponse,
    responses=_BUNDLE,
)
def patient_everything(
    patient_id: Annotated[int, Path(description="The person's account id (GET /api/v1/me: id).")],
    request: Request,
    caller: CallerDep,
    uow: UowDep,
    now: NowDep,
) -> FhirResponse:
    """The Patient, an Observation per measure answered, the active program as a CarePlan and
    each training session as a Procedure with its pains as Observations. Written to the person's
    audit log as an export."""
    bundle = fhir_export.patient_everything(
        uow=uow,
        principal=caller.principal,
        person_id=patient_id,
        now=now,
        base_url=_fhir_base(request),
    )
    return FhirResponse(bundle)


def _fhir_base(request: Request) -> str:
    """The FHIR base this route is served under, as the caller reached it (with the mount's
    prefix: the part of this request's address before ``/Patient/``)."""
    return str(request.url.replace(query=None, fragment=None)).rpartition("/Patient/")[0]
