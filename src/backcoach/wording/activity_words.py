"""How each line of a person's audit log is said on their account page: who did what to their
data, in words (never a code)."""

from __future__ import annotations

from backcoach.wording.i18n import N_, gettext

#: How each audited action is said on the account page, by what was read or changed.
ACTIVITY_WORDS = {
    "export": N_("downloaded all the data"),
    "password": N_("changed the password"),
    "email": N_("changed the email address"),
    "calendar_address": N_("made a new calendar address"),
    "time_zone": N_("changed the time zone"),
    "display_name": N_("changed the name your coach sees"),
    "caseload": N_("saw you in their list of clients, with what needs their attention"),
    "attention": N_("marked something on that list as seen"),
    "coach_link": N_("started or stopped sharing with a coach"),
    "client_record": N_("looked at your record: sessions, answers, program and charts"),
    "cohort": N_("counted you in their outcome figures (no names are shown there)"),
    "report": N_("made a progress report of you"),
    "api_token": N_("made or revoked an access token for the API"),
}
#: The rest by what it is, said as "looked at your ..." (a read) or "changed your ..." (any other
#: action); tests/integration/test_web_account.py checks that every audited name has words.
ACTIVITY_THINGS = {
    "account": N_("account"),
    "audit_log": N_("list of who has seen your data"),
    "check_in": N_("check-ins"),
    "clearance": N_("clinician's clearance"),
    "journey": N_("journey"),
    "measures": N_("questionnaires"),
    "messages": N_("messages with your coach"),
    "notes": N_("coach's private notes about you"),
    "override": N_("program changes made by a coach"),
    "profile": N_("profile"),
    "program": N_("program"),
    "progress": N_("progress and charts"),
    "reminders": N_("reminders"),
    "schedule": N_("schedule"),
    "screening": N_("safety answers"),
    "session": N_("sessions"),
    "set": N_("sets"),
    "tight_moment": N_("tight moments"),
}


def activity_words(action: str, what: str) -> str:
    """How one audit line is said to the person whose data it is; ``action`` is the audit log's
    (read, write, export or account: services/access.py Action)."""
    if what in ACTIVITY_WORDS:
        return gettext(ACTIVITY_WORDS[what])
    if what in ACTIVITY_THINGS:
        thing = gettext(ACTIVITY_THINGS[what])
        if action == "read":
            return gettext("looked at your {thing}").format(thing=thing)
        return gettext("changed your {thing}").format(thing=thing)
    return what
