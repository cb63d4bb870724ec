"""The words of the JSON API's refusals, of the access tokens a person makes for it, and of the
admin's account commands (`backcoach user add`, `backcoach token create`)."""

from __future__ import annotations

from collections.abc import Mapping

from backcoach.wording.i18n import N_, gettext

API_ERRORS: dict[str, str] = {
    "api.csrf": N_(
        "A change sent with your login needs the page's token: reload the page and try again, "
        "or send an access token instead."
    ),
    "token.name_missing": N_("Give the token a name, so you know later what uses it."),
    "token.name_too_long": N_("Use at most {max} characters."),
    "token.expiry_out_of_range": N_("Choose from {min} to {max} days, or no expiry."),
    "token.too_many": N_("You have {max} tokens: revoke one you no longer use first."),
    "token.scope_unknown": N_("Choose the scopes from: {allowed}."),
    "token.not_found": N_("There is no such token on your account."),
    # Training through the API: operations sent under an id their client made.
    "operation.conflict": N_(
        "This id was already used for another operation (a {kind}): send new content under a "
        "new id."
    ),
    "operation.start_unknown": N_("No session was started under that id: send its start first."),
    "operation.start_refused": N_("That session's start was refused, so nothing can go into it."),
    "set.kind_not_dose": N_("This exercise is counted in {dose}."),
    "session.not_finished": N_("Finish this session first: the check-in is for the morning after."),
    "account.email_invalid": N_("Please enter an email address like name@example.com."),
    "account.email_taken": N_("This email already has an account."),
    "account.not_found": N_("There is no account with that email."),
    "api.rate_limited": N_("Too many requests. Please wait {wait}."),
}


#: The session player's advice for a day, by code (the page says the same: session.html).
HIGH_PAIN = "session.high_pain"
SESSION_ADVICE: dict[str, str] = {
    HIGH_PAIN: N_(
        "Your pain is high today ({pain_before} out of 10). Today, do only the mobility drills, "
        "gently, and leave the strength exercises for a better day. Nothing moves up after a "
        "day like this. If your pain stays this high for more than a few days, see a doctor or "
        "physiotherapist within the week. Then finish the session, so your coach knows how it "
        "went."
    ),
}


def say_session_advice(code: str, params: Mapping[str, object]) -> str:
    return gettext(SESSION_ADVICE[code]).format_map(dict(params))
