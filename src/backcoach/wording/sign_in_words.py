"""Words of signing in and of reminders: the refusals, the reset email and the reminder email."""

from __future__ import annotations

from backcoach.wording.i18n import N_

SIGN_IN_ERRORS: dict[str, str] = {
    "password_reset.bad_link": N_(
        "This reset link does not work: it has been used, it is more than an hour old, or the "
        "password was changed since. Ask for a new one."
    ),
    "password_reset.not_found": N_("No account has this email."),
    "password_reset.no_base_url": N_(
        "Say where people reach backcoach: --base-url https://... or BACKCOACH_BASE_URL."
    ),
    "reminders.bad_time": N_("Please enter a time of day like 08:30."),
    "reminders.no_email": N_("This server sends no email: choose the calendar or this device."),
}

#: After asking for a link: the same words whether or not the email has an account.
LINK_SENT = N_(
    "If an account has this email, we have sent it a link to choose a new password. It works "
    "for an hour. No email? Check your spam folder, or ask again in a few minutes."
)
#: On the login page after a reset.
PASSWORD_RESET = N_("Your password is changed, and you are logged out everywhere: log in with it.")

RESET_SUBJECT = N_("Reset your backcoach password")
RESET_BODY = N_(
    "Someone asked to reset the password of the backcoach account for this email.\n\n"
    "To choose a new password, open this link within the hour:\n{link}\n\n"
    "It works once. If you did not ask, ignore this email: your password stays as it is."
)

REMINDER_SUBJECT = N_("Training day today")
REMINDER_BODY = N_(
    "Today is one of your training days: {exercises}.\n\n{link}"
    "You chose these reminders; to stop them, open Reminders from your account page."
)
REMINDER_LINK = N_("Start when you are ready: {link}\n\n")
#: What the calendar's alarm and the in-page notification say.
REMINDER_ALARM = N_("Training day: your exercises are waiting.")
