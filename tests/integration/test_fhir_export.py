"""The FHIR R4 export (issue 12, item 5): a real person's record as a Bundle that validates
against the HL7 FHIR R4 JSON Schema and the ``fhir.resources`` R4B models, through the API and
the command line alike, for no one but the person."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from jsonschema import Draft6Validator
from sqlalchemy import select
from typer.testing import CliRunner

from backcoach.cli.app import app as cli
from backcoach.store.tables import AuditEvent
from tests.integration import coaching_steps
from tests.integration.api_steps import api_client, token_for, user_id
from tests.training_app import App, checkin, do_every_set, finish, onboard, sign_up, start, token

DATABASES = ("sqlite",)
ROOT = Path(__file__).parents[2]
SCHEMA = ROOT / "build" / "fhir-r4" / "fhir.schema.json"
EMAIL = "ana@example.com"
LOINC = "http://loinc.org"
MEASURES = "https://backcoach.example/fhir/CodeSystem/measures"

Validate = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="session")
def validate() -> Validate:
    """Checks a bundle against the R4 JSON Schema (compiled once: it is 3.3 MB) and the R4B
    models; the schema is fetched, pinned and checksummed, by scripts/fhir_schema.sh."""
    subprocess.run(["bash", str(ROOT / "scripts" / "fhir_schema.sh")], check=True, cwd=ROOT)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    validator = Draft6Validator(schema)

    def check(bundle: dict[str, Any]) -> None:
        errors = [
            f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(bundle)
        ]
        assert errors == []
        Bundle.model_validate(bundle)

    return check


def _everything(app: App, secret: str, patient: int) -> Any:
    return api_client(app, secret).get(f"/api/v1/fhir/Patient/{patient}/$everything")


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _codes(resource: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in resource["code"]["coding"]}


def _reassess(app: App, browser: Any) -> None:
    """Two weeks on: pain, the activity again and the ODI by section."""
    page = browser.get("/progress/reassess")
    answers = {
        "nprs": "2",
        "psfs_name_1": "Putting on socks",
        "psfs_score_1": "7",
        **{f"odi_{section}": "1" for section in range(1, 11)},
        "rmdq": "5",
        "csrftoken": token(page.text),
    }
    saved = browser.post("/progress/reassess", data=answers)
    assert saved.url.path == "/progress", saved.text


def test_a_persons_bundle_validates_with_their_measures_program_and_session_pains(
    app: App, validate: Validate
) -> None:
    client = onboard(app, EMAIL)
    pains = []
    for before, during, after, morning in ((3, 4, 2, 2), (2, 3, 1, 1)):
        session = start(client, pain_before=before)
        do_every_set(app, client, session)
        finish(client, session, during=during, after=after)
        app.clock.at += dt.timedelta(days=1)
        checkin(client, session, morning=morning)
        app.clock.at += dt.timedelta(days=1)
        rated = {"before": before, "during": during, "after": after, "next-morning": morning}
        pains.append((session, rated))
    app.clock.at += dt.timedelta(days=10)
    _reassess(app, client)
    patient = user_id(app, EMAIL)

    answer = _everything(app, token_for(app, EMAIL, ("read",)), patient)

    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/fhir+json"
    bundle = answer.json()
    validate(bundle)
    assert bundle["type"] == "searchset" and bundle["total"] == len(bundle["entry"])
    (person,) = _resources(bundle, "Patient")
    assert person["id"] == str(patient) and EMAIL not in json.dumps(bundle)
    measures = [o for o in _resources(bundle, "Observation") if o["id"].startswith("measure-")]
    nprs = [o["valueInteger"] for o in measures if (LOINC, "72514-3") in _codes(o)]
    assert nprs == [4, 2]
    (odi,) = [o for o in measures if (LOINC, "97909-6") in _codes(o)]
    assert odi["valueQuantity"]["value"] == 20.0
    assert [c for o in measures for c in _codes(o) if c[1] == "psfs"] == [(MEASURES, "psfs")] * 2
    assert any((MEASURES, "startback") in _codes(o) for o in measures)
    assert [o["valueInteger"] for o in measures if (MEASURES, "rmdq") in _codes(o)] == [5]
    (plan,) = _resources(bundle, "CarePlan")
    assert plan["status"] == "active" and plan["activity"]
    for activity in plan["activity"]:
        detail = activity["detail"]
        # Four free days a week: every other day (M7).
        assert detail["scheduledTiming"]["repeat"] | {"boundsPeriod": None} == {
            "frequency": 1,
            "period": 2,
            "periodUnit": "d",
            "boundsPeriod": None,
        }
        urls = [extension["url"] for extension in detail["extension"]]
        assert urls == [
            "https://backcoach.example/fhir/StructureDefinition/exercise-dose",
            "https://backcoach.example/fhir/StructureDefinition/exercise-tempo",
        ]
    procedures = _resources(bundle, "Procedure")
    assert [p["status"] for p in procedures] == ["completed", "completed"]
    for session, rated in pains:
        found = {
            o["id"].removeprefix(f"session-{session}-pain-"): o["valueInteger"]
            for o in _resources(bundle, "Observation")
            if o.get("partOf") == [{"reference": f"Procedure/session-{session}"}]
            and (LOINC, "72514-3") in _codes(o)
        }
        assert found == rated
    exported = app.query(select(AuditEvent).where(AuditEvent.what == "export.fhir"))
    assert (exported.actor_id, exported.channel, exported.allowed) == (patient, "api", True)


def test_their_coach_and_anyone_else_get_the_same_refusal_as_for_no_ones_id(app: App) -> None:
    ana = coaching_steps.client(app, EMAIL)
    linked = coaching_steps.coach(app, "coach@example.com")
    # A linked coach reads and changes their client's data, but never exports it.
    coaching_steps.accept(app, ana, coaching_steps.invite(app, linked))
    sign_up(app, "bo@example.com")
    nobody = _everything(app, token_for(app, "bo@example.com"), 987654)
    assert nobody.status_code == 403
    assert nobody.headers["content-type"] == "application/problem+json"
    assert nobody.json()["code"] == "access.forbidden"
    for email in ("coach@example.com", "bo@example.com"):
        refused = _everything(app, token_for(app, email), ana.user_id)
        assert (refused.status_code, refused.json()) == (403, nobody.json()), email


def test_the_command_line_prints_the_same_bundle(
    app: App, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = onboard(app, EMAIL)
    session = start(client, pain_before=3)
    finish(client, session)
    answer = _everything(app, token_for(app, EMAIL), user_id(app, EMAIL)).json()
    monkeypatch.setenv("DATABASE_URL", database_url)
    base = "http://testserver/api/v1/fhir"
    printed = CliRunner().invoke(cli, ["export", "fhir", "Ana@Example.com", "--base-url", base])
    assert printed.exit_code == 0, printed.output
    bundle = json.loads(printed.output)
    # Only the moment of the export differs (the command line reads the real clock).
    for document in (answer, bundle):
        del document["meta"], document["timestamp"]
    assert bundle == answer
    latest = select(AuditEvent.channel).where(AuditEvent.what == "export.fhir")
    assert app.query(latest.order_by(AuditEvent.id.desc())) == "cli"
    unknown = CliRunner().invoke(cli, ["export", "fhir", "nobody@example.com"])
    assert unknown.exit_code == 2 and "no account" in unknown.output


def test_a_person_with_no_measures_yet_gets_a_valid_bundle_of_themselves(
    app: App, validate: Validate
) -> None:
    sign_up(app, EMAIL)
    answer = _everything(app, token_for(app, EMAIL), user_id(app, EMAIL))
    assert answer.status_code == 200, answer.text
    bundle = answer.json()
    validate(bundle)
    assert [entry["resource"]["resourceType"] for entry in bundle["entry"]] == ["Patient"]
