"""`backcoach camera`: the camera coach's reference implementation on the command line.

`camera count` runs the counter (engine/camera_counter.py) over landmarks saved from MediaPipe
(or made by engine/camera_landmarks.py) and prints the reps, half reps and faults;
`camera reference` prints the motion reference the browser is given (docs/camera.md).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.engine.camera_counter import CountResult, LandmarkError, count, read_frames
from backcoach.engine.camera_reference import MotionReference, reference_for
from backcoach.engine.catalogue import UnknownExerciseError
from backcoach.wording.camera_words import say_cannot_judge, say_fault

camera_app = typer.Typer(help="Count reps and check form from pose landmarks (the camera coach).")

EXIT_BAD_INPUT = 2


class CameraFormat(StrEnum):
    text = "text"
    json = "json"


ExerciseOption = Annotated[str, typer.Option("--exercise", "-e", help="The exercise's id.")]
CameraFormatOption = Annotated[
    CameraFormat, typer.Option("--format", "-f", help="text for people, json for programs.")
]


class CameraInputError(ValueError):
    """Input the camera commands refuse; the message names the problem in one line."""


@camera_app.command("count")
def count_command(
    landmarks: Annotated[
        Path,
        typer.Argument(
            metavar="LANDMARKS.json",
            help='Frames: a JSON list of {"t": ms, "landmarks": 33 landmarks (x, y, z, '
            'visibility)}, or {"aspect": width/height, "frames": [...]}.',
        ),
    ],
    exercise: ExerciseOption,
    fmt: CameraFormatOption = CameraFormat.text,
) -> None:
    """Count the reps, half reps and faults in a set's pose landmarks."""
    try:
        reference = _judgeable_reference(exercise)
        frames, aspect = read_frames(_read_json(landmarks))
        result = count(reference.to_json(), frames, aspect=aspect)
    except (CameraInputError, LandmarkError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    if fmt is CameraFormat.json:
        typer.echo(json.dumps(result.to_json(), indent=2))
    else:
        typer.echo(describe(result))


@camera_app.command("reference")
def reference_command(exercise: ExerciseOption) -> None:
    """Print an exercise's motion reference as JSON (what the browser's counter reads)."""
    try:
        reference = _reference(exercise)
    except CameraInputError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    typer.echo(json.dumps(reference.to_json(), indent=2))


def describe(result: CountResult) -> str:
    """The result for people: the count on one line, then each half rep and fault."""
    halves = len(result.half_reps)
    lines = [
        f"{result.exercise_id}: {result.reps} rep{'s' if result.reps != 1 else ''}, "
        f"{halves} half rep{'s' if halves != 1 else ''}"
    ]
    for event in sorted(result.half_reps + result.faults, key=lambda e: e.frame):
        when = f"rep {event.rep} at {event.time_ms / 1000:.1f} s"
        lines.append(f"{when}: {event.code}: {say_fault(event.code)}")
    if result.skipped:
        lines.append(f"{result.skipped} of {result.frames} frames skipped (body not in view)")
    return "\n".join(lines)


def _reference(exercise_id: str) -> MotionReference:
    try:
        exercise = default_catalogue().get(exercise_id)
    except UnknownExerciseError as error:
        raise CameraInputError(str(error)) from None
    return reference_for(exercise, default_demos().get(exercise_id))


def _judgeable_reference(exercise_id: str) -> MotionReference:
    reference = _reference(exercise_id)
    if not reference.judgeable:
        reason = reference.reason or ""
        raise CameraInputError(
            f"the camera cannot judge {exercise_id} ({reason}): {say_cannot_judge(reason)}"
        )
    return reference


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CameraInputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CameraInputError(f"{path}: cannot be read ({error.__class__.__name__})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise CameraInputError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
