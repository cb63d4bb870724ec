"""The command line in process: every command works, bad input is one line and exit code 2."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.engine.measures import STARTBACK_FUNDING, STARTBACK_NOTICE

EXAMPLES = Path(__file__).parents[2] / "examples"
runner = CliRunner()


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "command", ["catalogue", "screen", "score", "plan", "next", "outcomes", "schema"]
)
def test_every_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Usage" in out


def test_catalogue_lists_every_exercise_as_json() -> None:
    code, out, _ = run("catalogue", "--format", "json")
    assert code == 0
    assert len(json.loads(out)) >= 40


def test_catalogue_shows_one_exercise_with_its_cues() -> None:
    code, out, _ = run("catalogue", "glute_bridge")
    assert code == 0
    assert "Glute" in out and "Cues" in out


def test_catalogue_names_an_unknown_id() -> None:
    code, _, err = run("catalogue", "toe_touch_deluxe")
    assert code == 2
    assert "toe_touch_deluxe" in err


def _table_cells(out: str) -> list[list[str]]:
    """The body rows of a Rich table, each cell's text stripped."""
    return [[cell.strip() for cell in line.split("│")[1:-1]] for line in out.splitlines()]


@pytest.mark.parametrize("columns", ["80", "100"])
def test_the_catalogue_is_readable_in_a_narrow_terminal(columns: str) -> None:
    result = runner.invoke(app, ["catalogue"], env={"COLUMNS": columns})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= int(columns)
    rows = [row for row in _table_cells(result.stdout) if row and row[1]]  # not the headings
    assert len(rows) >= 40
    # Every cell of an exercise's row holds its whole value: no column squeezed to nothing.
    assert all(all(cell for cell in row) for row in rows), rows
    assert {"glute_bridge", "dumbbell_single_leg_hip_thrust"} <= {row[0] for row in rows}
    headings = [row[0] for row in _table_cells(result.stdout) if row and not any(row[1:])]
    assert headings[:2] == ["core", "hip_extension"]


def test_the_catalogue_shows_every_column_in_a_wide_terminal() -> None:
    result = runner.invoke(app, ["catalogue"], env={"COLUMNS": "140"})
    assert result.exit_code == 0
    bridge = next(row for row in _table_cells(result.stdout) if row and row[0] == "glute_bridge")
    assert bridge == [
        "glute_bridge",
        "Glute bridge",
        "hip_extension",
        "1",
        "body weight",
        "8-15 reps",
    ]


def test_an_exercise_is_felt_in_plain_words_each_said_once() -> None:
    code, out, _ = run("catalogue", "glute_bridge")
    assert code == 0
    assert re.search(r"Feel it in: buttocks +│", out)  # glute_max and glutes: one to a person


def test_plan_prints_a_program_as_json() -> None:
    code, out, _ = run(
        "plan", str(EXAMPLES / "profile.yaml"), "--start", "2026-11-02", "-f", "json"
    )
    assert code == 0
    plan = json.loads(out)
    assert plan["status"] == "ok"
    assert plan["schedule"][0] == "2026-11-02"
    assert {e["category"] for e in plan["exercises"]} >= {
        "core",
        "hip_extension",
        "hip_external_rotation",
    }
    # The general notes in words, beside their codes.
    assert plan["note_codes"][0] == "note.strength_not_stretch"
    assert plan["notes"][0].startswith("Stretching a tight low back brings relief")
    assert plan["frequency_code"] == "note.frequency.every_other_day"
    assert plan["frequency"] == (
        "Every other day: a rest day between sessions lets the muscles recover and grow."
    )


def test_plan_prints_a_table_for_people() -> None:
    code, out, _ = run("plan", str(EXAMPLES / "profile.yaml"), "--start", "2026-11-02")
    assert code == 0
    assert "When you feel tight" in out
    said = " ".join(out.split())  # the table wraps long lines
    assert (
        "How often: Every other day: a rest day between sessions lets the muscles recover and grow."
    ) in said
    assert "This program strengthens those muscles so the back can let go." in said
    assert "note." not in said


def test_plan_refers_on_a_red_flag() -> None:
    code, out, _ = run("plan", str(EXAMPLES / "profile-red-flag.json"), "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "refer" and data["urgency"] == "emergency"
    assert data["exercises"] == []
    # The words beside the codes: a person reading the file is told where to go.
    assert data["advice"][0]["code"] == "screening.refer.emergency"
    assert data["message"].startswith("Go to an emergency department")
    assert len(data["reasons"]) == len(data["reason_codes"])


def test_next_adapts_the_example_plan_to_the_example_log() -> None:
    code, out, err = run(
        "next",
        str(EXAMPLES / "plan.json"),
        str(EXAMPLES / "log.json"),
        "--today",
        "2026-11-09",
        "-f",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert all("decision" in e and e["reason"] and e["code"] for e in data["exercises"])
    assert "progress" in {e["decision"] for e in data["exercises"]}
    assert data["day_codes"] == ["note.leg_symptoms_centralising"]
    assert len(data["day_notes"]) == len(data["day_codes"])
    assert data["high_pain_day"] is False


def test_next_reads_its_own_output_back_and_keeps_the_day_each_exercise_began(
    tmp_path: Path,
) -> None:
    args = ("--today", "2026-11-09", "-f", "json")
    code, out, err = run("next", str(EXAMPLES / "plan.json"), str(EXAMPLES / "log.json"), *args)
    assert code == 0, err
    first = json.loads(out)
    swapped = [e for e in first["exercises"] if e["decision"] in ("swap", "regress")]
    assert swapped and all(e["since"] == "2026-11-09" for e in swapped)
    plan = tmp_path / "next.json"
    plan.write_text(out)
    code, out, err = run("next", str(plan), str(EXAMPLES / "log.json"), *args)
    assert code == 0, err
    again = {e["id"]: e for e in json.loads(out)["exercises"]}
    assert all(again[e["id"]]["since"] == "2026-11-09" for e in swapped)


def test_next_holds_everything_until_the_morning_after_is_logged(tmp_path: Path) -> None:
    sessions = json.loads((EXAMPLES / "log.json").read_text())["sessions"]
    del sessions[-1]["pain_next_morning"]
    log = tmp_path / "log.json"
    log.write_text(json.dumps({"sessions": sessions}))
    code, out, err = run(
        "next", str(EXAMPLES / "plan.json"), str(log), "--today", "2026-11-06", "-f", "json"
    )
    assert code == 0, err
    data = json.loads(out)
    assert "progress" not in {e["decision"] for e in data["exercises"]}
    assert "hold.morning_missing" in data["day_codes"]


def test_next_marks_a_very_high_pain_day_for_people_too(tmp_path: Path) -> None:
    sessions = json.loads((EXAMPLES / "log.json").read_text())["sessions"]
    sessions[-1] |= {"pain_before": 8, "pain_during": 8, "pain_after": 8, "pain_next_morning": 8}
    log = tmp_path / "log.json"
    log.write_text(json.dumps({"sessions": sessions}))
    code, out, err = run("next", str(EXAMPLES / "plan.json"), str(log), "--today", "2026-11-07")
    assert code == 0, err
    assert "mobility drills" in out and "8/10" in out


def test_screen_with_missing_answers_says_incomplete_never_no_warning_signs() -> None:
    code, out, _ = run("screen", "-", "-f", "json", stdin='{"trauma": false}')
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "incomplete"
    assert "saddle_numbness" in data["unanswered"] and "age" in data["unanswered"]
    code, table, _ = run("screen", "-", stdin='{"trauma": false}')
    assert "Screening incomplete" in table
    assert "No warning signs" not in table and "No red flags" not in table


def test_screen_reads_the_example_answers_and_a_profile_shaped_document() -> None:
    code, out, _ = run("screen", str(EXAMPLES / "answers" / "red-flags.json"), "-f", "json")
    assert code == 0 and json.loads(out)["status"] == "refer"
    code, out, _ = run("screen", str(EXAMPLES / "profile.yaml"), "-f", "json")
    assert code == 0 and json.loads(out)["status"] == "ok"


def test_plan_builds_no_program_until_every_question_is_answered() -> None:
    profile = {"age": 40, "pain": 3, "level": "beginner", "days_per_week": 3}
    code, out, _ = run("plan", "-", "-f", "json", stdin=json.dumps(profile))
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "incomplete"
    assert data["exercises"] == []
    assert "pregnancy" in data["unanswered"]


def test_screen_reads_answers_from_standard_input() -> None:
    code, out, _ = run("screen", "-", "-f", "json", stdin='{"fever_unwell": true}')
    assert code == 0
    assert json.loads(out)["urgency"] == "urgent"


@pytest.mark.parametrize(
    ("instrument", "file", "score"),
    [
        ("nprs", "nprs.json", 6),
        ("psfs", "psfs.json", 4.0),
        ("startback", "startback.json", 5),
        ("startback", "startback-items.json", 5),
        ("odi", "odi.json", 31.1),
        ("rmdq", "rmdq.json", 6),
        ("rmdq", "rmdq-score.json", 7),
    ],
)
def test_score_scores_each_instrument(instrument: str, file: str, score: float) -> None:
    code, out, _ = run("score", instrument, str(EXAMPLES / "answers" / file), "-f", "json")
    assert code == 0
    assert json.loads(out)["score"] == score


def test_score_startback_takes_the_totals_and_keeps_keeles_statements() -> None:
    answers = json.dumps({"score": 6, "psychosocial": 4})
    code, out, _ = run("score", "startback", "-", "-f", "json", stdin=answers)
    assert code == 0
    data = json.loads(out)
    assert (data["risk"], data["recommendation"]) == ("high", "clinician_led_care")
    assert data["notice"] == STARTBACK_NOTICE and data["funding"] == STARTBACK_FUNDING
    code, out, _ = run("score", "startback", "-", stdin=answers)
    assert code == 0
    flat = " ".join(out.replace("│", " ").split())  # the table wraps long cells
    assert "Keele University" in flat and "Arthritis Research UK" in flat
    assert "care led by a clinician" in flat and "None" not in flat


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"score": 6.5, "psychosocial": 4}, "score: must be a whole number 0-9"),
        ({"score": 3, "psychosocial": 4}, "psychosocial: the psychosocial subscore (4)"),
        ({"score": 8, "psychosocial": 2}, "score, psychosocial: items 1-4 add at most 4"),
        ({"activities": [{"name": "Walk", "score": 6.5}]}, "activities[0].score: must be a whole"),
    ],
)
def test_score_refuses_impossible_answers_naming_the_field(
    answers: dict[str, object], message: str
) -> None:
    instrument = "psfs" if "activities" in answers else "startback"
    code, _, err = run("score", instrument, "-", stdin=json.dumps(answers))
    assert code == 2
    assert message in err and "Traceback" not in err


BAD_PROFILES = {
    "unknown field": (
        {"age": 40, "pain": 3, "level": "beginner", "days_per_week": 3, "colour": "red"},
        "profile.colour: unknown field",
    ),
    "out of range": (
        {"age": 40, "pain": 11, "level": "beginner", "days_per_week": 3},
        "profile.pain",
    ),
    "wrong type": (
        {"age": "forty", "pain": 3, "level": "beginner", "days_per_week": 3},
        "profile.age",
    ),
    "bad enum": ({"age": 40, "pain": 3, "level": "expert", "days_per_week": 3}, "profile.level"),
    "unknown flag": (
        {
            "age": 40,
            "pain": 3,
            "level": "beginner",
            "days_per_week": 3,
            "red_flags": {"headache": True},
        },
        "profile.red_flags",
    ),
    "missing": ({"age": 40, "pain": 3, "level": "beginner"}, "profile.days_per_week"),
}


@pytest.mark.parametrize("case", sorted(BAD_PROFILES))
def test_bad_profiles_get_one_line_naming_the_field(case: str, tmp_path: Path) -> None:
    document, expected = BAD_PROFILES[case]
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(document))
    code, _, err = run("plan", str(path))
    assert code == 2
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"age": 40,', "malformed JSON"),
        ("age: [1, 2\n", "malformed YAML"),
        ("[1, 2, 3]", "expected an object"),
    ],
)
def test_malformed_files_are_named(text: str, expected: str, tmp_path: Path) -> None:
    path = tmp_path / ("profile.json" if text.startswith("{") else "profile.yaml")
    path.write_text(text)
    code, _, err = run("plan", str(path))
    assert code == 2
    assert expected in err


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    code, _, err = run("plan", str(tmp_path / "nope.json"))
    assert code == 2
    assert "no such file" in err


def test_a_log_with_an_unknown_exercise_id_is_named(tmp_path: Path) -> None:
    log = [
        {
            "date": "2026-11-02",
            "pain_before": 2,
            "pain_during": 2,
            "pain_after": 2,
            "exercises": [{"id": "bench_press", "sets": [{"reps": 8, "felt": "target"}]}],
        }
    ]
    path = tmp_path / "log.json"
    path.write_text(json.dumps(log))
    code, _, err = run("next", str(EXAMPLES / "plan.json"), str(path), "--today", "2026-11-09")
    assert code == 2
    assert "log[0].exercises[0].id: unknown exercise id 'bench_press'" in err


def test_a_log_set_of_the_wrong_kind_is_named(tmp_path: Path) -> None:
    log = {
        "sessions": [
            {
                "date": "2026-11-02",
                "pain_before": 2,
                "pain_during": 2,
                "pain_after": 2,
                "exercises": [{"id": "glute_bridge", "sets": [{"seconds": 30, "felt": "target"}]}],
            }
        ]
    }
    path = tmp_path / "log.json"
    path.write_text(json.dumps(log))
    code, _, err = run("next", str(EXAMPLES / "plan.json"), str(path), "--today", "2026-11-09")
    assert code == 2
    assert "log.sessions[0].exercises[0].sets[0]: glute_bridge is logged in reps" in err


def test_a_bad_date_option_is_named() -> None:
    code, _, err = run("plan", str(EXAMPLES / "profile.yaml"), "--start", "02/11/2026")
    assert code == 2
    assert "--start" in err


@pytest.mark.parametrize(
    ("instrument", "answers", "expected"),
    [
        ("nprs", {"score": 12}, "score"),
        ("odi", {"sections": [1, 2, None, None, None, 1, 1, 1, 1, 1]}, "sections"),
        ("whoqol", {"score": 1}, "whoqol"),
        ("rmdq", {"items": [True] * 24, "score": 3}, "give exactly one"),
    ],
)
def test_bad_answers_are_named(
    instrument: str, answers: dict[str, Any], expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    code, _, err = run("score", instrument, str(path))
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_outcomes_show_adherence_trends_and_the_mcid() -> None:
    code, out, err = run(
        "outcomes",
        str(EXAMPLES / "plan.json"),
        str(EXAMPLES / "log.json"),
        "--history",
        str(EXAMPLES / "history.json"),
        "--today",
        "2026-11-30",
        "-f",
        "json",
    )
    assert code == 0, err
    report = json.loads(out)
    assert report["adherence"]["done"] == 3
    assert report["changes"]["nprs"]["mcid_reached"] is True
    assert report["changes"]["odi"]["mcid_reached"] is True
    weeks = report["tight_moments_per_day"]["weeks"]
    assert weeks[0]["mean"] > weeks[-1]["mean"]


def test_outcomes_name_an_unknown_instrument(tmp_path: Path) -> None:
    path = tmp_path / "history.json"
    path.write_text(
        json.dumps({"measures": [{"date": "2026-11-02", "instrument": "sf36", "score": 40}]})
    )
    code, _, err = run(
        "outcomes", str(EXAMPLES / "plan.json"), str(EXAMPLES / "log.json"), "--history", str(path)
    )
    assert code == 2
    assert "history.measures[0].instrument" in err
