"""backcoach plan PROFILE --pdf FILE.pdf, in process: the handout of the prescribed program."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from backcoach.cli import app

EXAMPLES = Path(__file__).parents[2] / "examples"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_plan_pdf_writes_the_handout_of_the_prescribed_program(tmp_path: Path) -> None:
    target = tmp_path / "program.pdf"
    code, out, err = run(
        "plan", str(EXAMPLES / "profile.yaml"), "--start", "2026-11-02", "--pdf", str(target)
    )
    assert code == 0, err
    assert f"wrote the program handout to {target}" in err
    assert "When you feel tight" in out  # the table is still printed
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Monday 2 November 2026" in text and "Mon 2 Nov" in text
    assert "Stop and get checked" in text


def test_plan_pdf_keeps_the_json_on_standard_output(tmp_path: Path) -> None:
    target = tmp_path / "program.pdf"
    code, out, _ = run("plan", str(EXAMPLES / "profile.yaml"), "-f", "json", "--pdf", str(target))
    assert code == 0
    names = [exercise["name"] for exercise in json.loads(out)["exercises"]]
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert all(name in text for name in names)


def test_plan_pdf_with_another_suffix_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err = run(
        "plan", str(EXAMPLES / "profile.yaml"), "--pdf", str(tmp_path / "program.txt")
    )
    assert code == 2 and out == ""
    assert err == "error: --pdf: 'program.txt' must end in .pdf\n"
    assert not (tmp_path / "program.txt").exists()


def test_plan_pdf_into_a_missing_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "program.pdf"
    code, out, err = run("plan", str(EXAMPLES / "profile.yaml"), "--pdf", str(target))
    assert code == 2 and out == ""
    assert err.startswith(f"error: --pdf: cannot write {target}")
    assert err.count("\n") == 1


def test_plan_pdf_on_a_red_flag_writes_no_handout(tmp_path: Path) -> None:
    target = tmp_path / "program.pdf"
    code, out, err = run(
        "plan", str(EXAMPLES / "profile-red-flag.json"), "-f", "json", "--pdf", str(target)
    )
    assert code == 0  # a referral is an answer
    assert json.loads(out)["status"] == "refer"
    assert "no handout written" in err and "clinician" in err
    assert not target.exists()
