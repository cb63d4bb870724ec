"""The plan command's printable handout: the program as a PDF (backcoach.reports)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from backcoach.engine.plan import Plan, Referral
from backcoach.formats.documents import InputError


def check_pdf_path(path: Path) -> None:
    if path.suffix.lower() != ".pdf":
        raise InputError(f"--pdf: {path.name!r} must end in .pdf")


def write_handout(result: Plan | Referral, path: Path, *, today: date) -> str:
    """Write the program's handout; a referral has no program, so nothing is written."""
    if isinstance(result, Referral):
        return f"no handout written to {path}: a red flag means seeing a clinician first"
    from backcoach.reports.program_pdf import program_pdf  # fpdf2 and Pillow: only when asked

    try:
        path.write_bytes(program_pdf(result, today=today))
    except OSError as error:
        raise InputError(f"--pdf: cannot write {path}: {error.strerror or error}") from None
    return f"wrote the program handout to {path}"
