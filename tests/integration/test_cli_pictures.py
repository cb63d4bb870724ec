"""backcoach catalogue --picture and --contact-sheet, in process."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PIL import Image
from typer.testing import CliRunner

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_picture_svg_writes_the_animation(tmp_path: Path) -> None:
    target = tmp_path / "bridge.svg"
    code, out, _ = run("catalogue", "glute_bridge", "--picture", str(target))
    assert code == 0 and "Glute bridge" in out
    assert "<animate" in target.read_text()
    ET.fromstring(target.read_text())


def test_picture_svg_with_strip_writes_the_still_strip(tmp_path: Path) -> None:
    target = tmp_path / "clam.svg"
    code, _, _ = run("catalogue", "clam", "--picture", str(target), "--strip")
    assert code == 0
    text = target.read_text()
    assert "<animate" not in text and "1. Start" in text


def test_picture_png_writes_the_strip(tmp_path: Path) -> None:
    target = tmp_path / "plank.png"
    code, _, _ = run("catalogue", "front_plank", "--picture", str(target))
    assert code == 0
    assert target.read_bytes().startswith(b"\x89PNG")


def test_a_picture_with_another_suffix_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, _, err = run("catalogue", "glute_bridge", "--picture", str(tmp_path / "b.gif"))
    assert code == 2
    assert err.strip().count("\n") == 0 and ".svg or .png" in err


def test_an_exercise_without_a_demonstration_is_one_line_and_exit_2(tmp_path: Path) -> None:
    bare = next(e.id for e in default_catalogue().exercises if e.id not in default_demos())
    code, _, err = run("catalogue", bare, "--picture", str(tmp_path / "x.svg"))
    assert code == 2
    assert f"{bare} has no demonstration yet" in err
    assert not (tmp_path / "x.svg").exists()


def test_picture_needs_an_exercise_and_strip_needs_picture(tmp_path: Path) -> None:
    assert run("catalogue", "--picture", str(tmp_path / "x.svg"))[0] == 2
    code, _, err = run("catalogue", "glute_bridge", "--strip")
    assert code == 2 and "--strip" in err


def test_contact_sheet_writes_a_png_and_lists_what_is_missing(tmp_path: Path) -> None:
    target = tmp_path / "sheet.png"
    code, out, _ = run("catalogue", "--contact-sheet", str(target))
    assert code == 0
    with Image.open(target) as image:
        assert image.format == "PNG"
        # Every demonstration, two to a row, each at least 150 px tall.
        assert image.height >= -(-len(default_demos()) // 2) * 150
    assert f"{len(default_demos())} exercises shown" in out
    demos = default_demos()
    missing = [e.id for e in default_catalogue().exercises if e.prescribable and e.id not in demos]
    for exercise_id in missing:
        assert exercise_id in out


def test_contact_sheet_must_be_a_png(tmp_path: Path) -> None:
    code, _, err = run("catalogue", "--contact-sheet", str(tmp_path / "sheet.svg"))
    assert code == 2 and ".png" in err
