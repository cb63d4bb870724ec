"""The words of the session player's refusals: finishing with nothing saved, and stopping an
exercise ("this hurts", "I can't do it")."""

from __future__ import annotations

from backcoach.wording.i18n import N_

PLAYER_ERRORS: dict[str, str] = {
    "session.no_sets": N_(
        "No set is saved yet, so there is nothing to finish: save at least one set first. "
        "If you cannot train today, just leave this page: nothing is counted."
    ),
    "check_in.too_early": N_(
        "The pain question opens tomorrow morning: how your back feels after a night's sleep is "
        "what decides your next session. Come back then. If one of the warning signs below "
        "appears now, answer yes and send: that is always taken at once."
    ),
    "stop.no_easier": N_(
        "There is no easier version of this exercise with your equipment: skip it instead."
    ),
    "stop.reason_unknown": N_("Please choose why you are stopping."),
    "stop.action_unknown": N_("Please choose the easier version or a skip."),
}
