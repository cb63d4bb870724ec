"""The docs stay true: schemas match the models, examples match the schemas, rules are listed."""

from __future__ import annotations

import ast
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


SOURCE = ROOT / "src" / "backcoach"
TESTS = ROOT / "tests"
BACKTICKED = re.compile(r"`([^`]+)`")
SOURCE_KEY = re.compile(r"\*\*([^*]+)\*\*")


def _top_level_names(module: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.parse(module.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _collected_tests(test_file: Path) -> set[str]:
    """The test functions pytest collects from a file (a parametrised one counts once)."""
    tests: set[str] = set()
    for node in ast.parse(test_file.read_text()).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            tests.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            tests.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and item.name.startswith("test")
            )
    return tests


def _find_test_file(named: str) -> Path | None:
    if "/" in named:
        return ROOT / named if (ROOT / named).is_file() else None
    found = sorted(TESTS.rglob(named))
    return found[0] if len(found) == 1 else None


def missing_tests(text: str) -> list[str]:
    """Tests a doc names that pytest would not collect; a bare `test_x` is in the file before it."""
    problems: list[str] = []
    current: Path | None = None
    for token in BACKTICKED.findall(text):
        named_file, _, test_name = token.partition("::")
        if named_file.endswith(".py") and Path(named_file).name.startswith("test_"):
            current = _find_test_file(named_file)
            if current is None:
                problems.append(f"{named_file}: no such test file (or more than one)")
            elif not _collected_tests(current):
                problems.append(f"{named_file}: holds no test")
            if current is None or not test_name:
                continue
        elif re.fullmatch(r"test_\w+(\[.*\])?", token):
            test_name = token
            if current is None:
                problems.append(f"{token}: name the file it is in")
                continue
        else:
            continue
        if test_name.split("[")[0] not in _collected_tests(current):
            problems.append(f"{current.relative_to(ROOT)}::{test_name} is not a test")
    return problems


def _find_module(dotted: str) -> Path | None:
    direct = SOURCE / f"{dotted.replace('.', '/')}.py"
    if direct.is_file():
        return direct
    found = sorted(SOURCE.rglob(f"{dotted.rsplit('.', 1)[-1]}.py"))
    return found[0] if len(found) == 1 else None


def missing_code(cell: str) -> list[str]:
    """Files under src/backcoach/ and names in them a rule cites that do not exist.

    `path.py (`NAME`)` names NAME in path.py; `module.NAME` names NAME in module.py.
    """
    problems: list[str] = []
    current: Path | None = None
    for token in BACKTICKED.findall(cell):
        if "/" in token:
            current = SOURCE / token
            if not current.is_file():
                problems.append(f"src/backcoach/{token}: no such file")
                current = None
            continue
        module_name, _, name = token.rpartition(".")
        if module_name:
            module = _find_module(module_name)
            if module is None:
                problems.append(f"{token}: no module {module_name} under src/backcoach/")
                continue
        elif current is None or current.suffix != ".py":
            problems.append(f"{token}: name the module it is defined in")
            continue
        else:
            module = current
        if name not in _top_level_names(module):
            problems.append(f"{token}: not defined in {module.relative_to(ROOT)}")
    return problems


def method_rules(text: str) -> dict[str, list[str]]:
    """Each M-rule's table cells: what it does, code, test, source."""
    rules: dict[str, list[str]] = {}
    for line in text.splitlines():
        found = re.match(r"\| \*\*(M\d+)\*\*", line)
        if found:
            rules[found.group(1)] = [cell.strip() for cell in line.strip("|").split(" | ")[1:]]
    return rules


def test_every_method_rule_names_code_tests_and_sources_that_exist() -> None:
    text = (DOCS / "method.md").read_text()
    listed_sources = set(SOURCE_KEY.findall(text.split("## Sources", 1)[1]))
    rules = method_rules(text)
    assert sorted(rules, key=lambda rule: int(rule[1:])) == [f"M{n}" for n in range(1, 11)]
    problems: list[str] = []
    for rule, (_, code, tests, sources) in rules.items():
        problems += [f"{rule} code: {problem}" for problem in missing_code(code)]
        if not BACKTICKED.search(code):
            problems.append(f"{rule} names no code")
        problems += [f"{rule} test: {problem}" for problem in missing_tests(tests)]
        if not BACKTICKED.search(tests):
            problems.append(f"{rule} names no test")
        cited = SOURCE_KEY.findall(sources)
        if not cited:
            problems.append(f"{rule} names no source")
        problems += [
            f"{rule}: {key} is not under Sources" for key in cited if key not in listed_sources
        ]
    assert problems == []


@pytest.mark.parametrize(
    "doc", ["method.md", "clinical-rules.md", "progression.md", "attention.md", "cohort.md"]
)
def test_every_test_a_doc_names_exists(doc: str) -> None:
    assert missing_tests((DOCS / doc).read_text()) == []


def test_the_doc_checks_catch_a_test_or_a_name_that_is_gone() -> None:
    assert missing_tests("`tests/unit/test_schedule.py::test_it_was_renamed`") == [
        "tests/unit/test_schedule.py::test_it_was_renamed is not a test"
    ]
    assert missing_tests("`test_change.py::test_to_dict_is_json_ready`, `test_gone`") == [
        "tests/unit/test_change.py::test_gone is not a test"
    ]
    assert missing_tests("`test_no_file`") == ["test_no_file: name the file it is in"]
    assert missing_code("`engine/progression.py` (`progress`), `engine/gone.py`") == [
        "progress: not defined in src/backcoach/engine/progression.py",
        "src/backcoach/engine/gone.py: no such file",
    ]
    assert missing_code("`progression_pace.load_step`, `change.GONE`") == [
        "change.GONE: not defined in src/backcoach/engine/change.py"
    ]


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
