"""The words of the caseload's refusals (services/caseload.py), for a coach."""

from __future__ import annotations

from backcoach.wording.i18n import N_

CASELOAD_ERRORS: dict[str, str] = {
    "attention.red_flag_kept": N_(
        "A red flag cannot be acknowledged: it stays until a clinician's clearance is recorded."
    ),
    "attention.not_current": N_(
        "That is no longer on this client's list: the page has been brought up to date."
    ),
    "attention.note_too_long": N_("Please keep the note to {max} characters."),
    "display_name.too_long": N_("Please keep the name to {max} characters."),
}
