"""The catalogue command's pictures: one exercise's demonstration, or the contact sheet."""

from __future__ import annotations

from pathlib import Path

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.formats.documents import InputError
from backcoach.pictures import animated_svg, contact_sheet_png, strip_png, strip_svg


def write_picture(exercise_id: str, path: Path, *, strip: bool) -> str:
    """Write the exercise's demonstration (.svg animated, or the strip; .png the strip)."""
    exercise = default_catalogue().get(exercise_id)
    suffix = path.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise InputError(f"--picture: {path.name!r} must end in .svg or .png")
    demo = default_demos().get(exercise_id)
    if demo is None:
        raise InputError(f"{exercise_id} has no demonstration yet")
    if suffix == ".png":
        path.write_bytes(strip_png(demo, exercise))
        what = "strip (PNG)"
    elif strip:
        path.write_text(strip_svg(demo, exercise), encoding="utf-8")
        what = "strip (SVG)"
    else:
        path.write_text(animated_svg(demo, exercise), encoding="utf-8")
        what = "animation (SVG)"
    return f"wrote the {what} of {exercise.name} to {path}"


def write_contact_sheet(path: Path) -> str:
    """Write every demonstration on one PNG; say how many, and which exercises still lack one."""
    if path.suffix.lower() != ".png":
        raise InputError(f"--contact-sheet: {path.name!r} must end in .png")
    catalogue, demos = default_catalogue(), default_demos()
    path.write_bytes(contact_sheet_png(demos, catalogue))
    shown = sum(1 for e in catalogue.exercises if e.id in demos)
    missing = [e.id for e in catalogue.exercises if e.prescribable and e.id not in demos]
    lines = [f"wrote {path}: {shown} exercises shown"]
    if missing:
        lines.append(f"no demonstration yet ({len(missing)}): {', '.join(missing)}")
    else:
        lines.append("every prescribable exercise has a demonstration")
    return "\n".join(lines)
