"""The docs stay true: schemas match the models, examples match the schemas, rules are listed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.formats.schemas import SCHEMAS, schema_for

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_schema_in_docs_matches_its_model(name: str) -> None:
    path = DOCS / "schemas" / f"{name}.json"
    assert path.exists(), f"write it: backcoach schema {name} > docs/schemas/{name}.json"
    assert json.loads(path.read_text()) == schema_for(name), (
        f"outdated: backcoach schema {name} > docs/schemas/{name}.json"
    )


EXAMPLE_SCHEMAS = {
    "profile.yaml": "profile",
    "profile-gym.json": "profile",
    "profile-red-flag.json": "profile",
    "plan.json": "plan",
    "log.json": "log",
    "history.json": "history",
    "answers/red-flags.json": "answers-screen",
    "answers/nprs.json": "answers-nprs",
    "answers/psfs.json": "answers-psfs",
    "answers/startback.json": "answers-startback",
    "answers/startback-items.json": "answers-startback",
    "answers/odi.json": "answers-odi",
    "answers/rmdq.json": "answers-rmdq",
    "answers/rmdq-score.json": "answers-rmdq",
}


@pytest.mark.parametrize("example", sorted(EXAMPLE_SCHEMAS))
def test_each_example_is_valid_against_its_schema(example: str) -> None:
    document = yaml.safe_load((EXAMPLES / example).read_text())
    if example == "log.json" and isinstance(document, list):
        document = {"sessions": document}
    validator = jsonschema.Draft202012Validator(schema_for(EXAMPLE_SCHEMAS[example]))
    problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert problems == []


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("answers-psfs", {"activities": [{"name": "Walk", "score": 6.5}]}),
        ("answers-startback", {"score": 4.5, "psychosocial": 2}),
        ("answers-startback", {"score": 4, "psychosocial": 6}),
        ("answers-startback", {"score": 4}),
    ],
)
def test_the_answer_schemas_refuse_what_the_engine_refuses(name: str, document: object) -> None:
    validator = jsonschema.Draft202012Validator(schema_for(name))
    assert not validator.is_valid(document)


def test_every_method_rule_is_documented_with_where_it_lives() -> None:
    text = (DOCS / "method.md").read_text()
    for number in range(1, 11):
        assert re.search(rf"\bM{number}\b", text), f"M{number} is missing from docs/method.md"


def test_every_command_and_option_is_in_the_cli_docs() -> None:
    text = (DOCS / "cli.md").read_text()
    runner = CliRunner()
    for command in ("catalogue", "screen", "score", "plan", "next", "outcomes", "schema"):
        assert f"backcoach {command}" in text
        help_text = runner.invoke(app, [command, "--help"], terminal_width=200).stdout
        for option in set(re.findall(r"(--[a-z][a-z-]+)", help_text)) - {"--help"}:
            assert option in text, f"{option} of {command} is not in docs/cli.md"


def test_no_licensed_questionnaire_wording_ships() -> None:
    # Phrases of well-known ODI, RMDQ and STarT Back items (and of our former paraphrases of
    # STarT Back's): no item wording, nor a paraphrase, may be in the package.
    licensed = [
        "I can look after myself normally",
        "I stay at home most of the time because",
        "I change position frequently",
        "not really safe for a person with a condition like mine",
        "Worrying thoughts have been going through my mind",
        "I have only walked short distances because of my back pain",
        "Back pain spreading down the leg",
        "Feeling that being active is not safe",
        "Not enjoying the things you used to enjoy",
    ]
    shipped = "".join(
        p.read_text(errors="ignore")
        for p in (ROOT / "src").rglob("*.*")
        if p.suffix in {".py", ".toml", ".html", ".json"}
    )
    for phrase in licensed:
        assert phrase.lower() not in shipped.lower()
