"""The words of the JSON API's refusals and of the access tokens a person makes for it."""

from __future__ import annotations

from backcoach.wording.i18n import N_

API_ERRORS: dict[str, str] = {
    "token.name_missing": N_("Give the token a name, so you know later what uses it."),
    "token.name_too_long": N_("Use at most {max} characters."),
    "token.expiry_out_of_range": N_("Choose from {min} to {max} days, or no expiry."),
    "token.too_many": N_("You have {max} tokens: revoke one you no longer use first."),
    "token.scope_unknown": N_("Choose the scopes from: {allowed}."),
    "token.not_found": N_("There is no such token on your account."),
}
