"""The question each form field asks, in a few words, so an error summary can say which answer
needs a look ("Email: Please fill this in.") and link to it.

The pages' fields share names across forms (web/forms.py, web/measure_forms.py, the templates);
a field's own label on the page may be a longer question, and the summary names it briefly. A
field not named here (a coach's page's own field) is said by its message alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from backcoach.engine.red_flags import RED_FLAGS
from backcoach.wording.i18n import N_, gettext
from backcoach.wording.screening_words import say_screening

#: Short names of the person's questions, by field name (msgids: say them with `gettext`).
FIELD_LABELS: dict[str, str] = {
    "email": N_("Email"),
    "password": N_("Password"),
    "current_password": N_("Current password"),
    "new_password": N_("New password"),
    "repeat_password": N_("The new password again"),
    "delete_password": N_("Your password"),
    "delete_confirm": N_("Confirm that you want to delete your account"),
    "display_name": N_("The name your coach sees"),
    "time_zone": N_("Time zone"),
    "age": N_("Your age"),
    "pregnancy": N_("Pregnancy"),
    "nprs": N_("Pain right now"),
    "startback_score": N_("STarT Back total score"),
    "startback_psychosocial": N_("STarT Back worry and mood part (psychosocial subscore)"),
    "startback_none": N_("No STarT Back score"),
    "rmdq": N_("Roland-Morris score"),
    "level": N_("How much you have trained"),
    "days_per_week": N_("Days a week"),
    "weekdays": N_("Which days"),
    "equipment": N_("Equipment"),
    "pain_before": N_("Pain right now"),
    "pain_during": N_("Worst pain during the session"),
    "pain_after": N_("Pain now, after the session"),
    "pain_next_morning": N_("Pain this morning"),
    "leg_symptoms": N_("Leg symptoms"),
    "code": N_("Practice code"),
    "coach_email": N_("Your coach"),
    "body": N_("Your message"),
    "confirm": N_("A clinician's go-ahead"),
    "note": N_("Note"),
    "at": N_("Reminder time"),
    "by_email": N_("Reminders by email"),
    "reason": N_("Why you stopped"),
    "clinician": N_("The clinician"),
    "cleared_on": N_("The day of the go-ahead"),
}
_NUMBERED = {
    re.compile(r"psfs_name_(?P<n>[0-9]+)"): N_("Activity {n}"),
    re.compile(r"psfs_score_(?P<n>[0-9]+)"): N_("How well you can do activity {n}"),
    re.compile(r"odi_(?P<n>[0-9]+)"): N_("Oswestry section {n}"),
}
_RED_FLAG_LABELS = {flag.id: flag.label for flag in RED_FLAGS}


def field_label(field: str, labels: Mapping[str, str] | None = None) -> str | None:
    """The few words naming the question of ``field`` in the active language; ``labels`` (a
    page's own, already said) come first; None for a field with no question (the whole form)."""
    if labels and field in labels:
        return labels[field]
    if field in FIELD_LABELS:
        return gettext(FIELD_LABELS[field])
    if field in _RED_FLAG_LABELS:
        return say_screening(_RED_FLAG_LABELS[field])
    for pattern, words in _NUMBERED.items():
        found = pattern.fullmatch(field)
        if found:
            return gettext(words).format(n=found["n"])
    return None


def summary_entry(field: str, message: str, labels: Mapping[str, str] | None = None) -> str:
    """One line of an error summary: the question named, then what is wrong with its answer
    (the message alone when it already names the question, or is about the whole form)."""
    label = field_label(field, labels)
    if label is None or message.casefold().startswith(label.casefold()):
        return message
    return gettext("{question}: {problem}").format(question=label, problem=message)
