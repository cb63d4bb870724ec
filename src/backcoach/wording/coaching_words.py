"""The words of coaching: what a client shares with a coach, and the refusals of
services/coaching.py, by code (each wrapped in ``N_`` for the translation catalogue)."""

from __future__ import annotations

from backcoach.wording.i18n import N_, gettext

#: Each code of services/coaching.py SHARED, as the client reads it before agreeing.
SHARED_WORDS: dict[str, str] = {
    "program": N_("Your program, and why each exercise was chosen or changed"),
    "sessions": N_(
        "Your sessions: every set, where you felt it, your pain before, during and after"
    ),
    "check_ins": N_("Your next-morning check-ins"),
    "measures": N_("Your questionnaires (pain, activities, STarT Back, ODI, RMDQ) and scores"),
    "screenings": N_("Your answers to the safety questions"),
    "tight_moments": N_('Your "I feel tight" moments'),
    "progress": N_("Your progress charts"),
    "schedule": N_("Your schedule"),
}

COACHING_ERRORS: dict[str, str] = {
    "coaching.admin_only": N_("Only an administrator can do that."),
    "coaching.coach_only": N_("Only a coach can do that."),
    "coach.unknown": N_("There is no coach with that email."),
    "coach.is_admin": N_("That account is an administrator's; it cannot also be a coach."),
    "coach.is_client": N_("That account shares with a coach: it has to stop sharing first."),
    "account.unknown": N_("There is no client account with that email."),
    "practice.name_missing": N_("Please give the practice a name."),
    "practice.name_too_long": N_("Use at most {max} characters."),
    "practice.name_taken": N_("A practice already has that name."),
    "practice.unknown": N_("No practice has that code. Check it with your coach."),
    "practice.no_coach": N_("That practice has no coach yet."),
    "invite.unknown": N_("This invitation link is not right. Ask your coach for a new one."),
    "invite.used": N_("This invitation has been used already. Ask your coach for a new one."),
    "invite.expired": N_("This invitation has expired. Ask your coach for a new one."),
    "invite.own": N_("This is your own invitation: send it to your client."),
    "invite.not_a_client": N_("Only a client's account can accept an invitation."),
    "link.already_open": N_(
        "You already share with a coach. Stop sharing on your account page first."
    ),
    "link.not_found": N_("There is no such link between a coach and a client."),
    # The same words whether the client does not exist or is not the reader's to see.
    "client.not_found": N_("There is no such client among yours."),
    "link.same_coach": N_("The client is with that coach already."),
}


def shared_words(codes: tuple[str, ...]) -> list[str]:
    """What is shared, one line per code, in the active language."""
    return [gettext(SHARED_WORDS[code]) if code in SHARED_WORDS else code for code in codes]
