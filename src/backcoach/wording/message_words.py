"""The words of a coach's private notes and of the message thread between a coach and a client:
the refusals of services/notes.py and services/messages.py by code, and the fixed lines the
pages say (each wrapped in ``N_`` for the translation catalogue)."""

from __future__ import annotations

from backcoach.wording.i18n import N_

MESSAGE_ERRORS: dict[str, str] = {
    "note.blank": N_("Please write the note before saving it."),
    "note.too_long": N_("A note can be at most {max} characters: this one has {length}."),
    "note.bad_characters": N_(
        "The note holds characters that cannot be saved; please type it again."
    ),
    "note.coach_only": N_("Only the coaches who look after a client keep notes about them."),
    "message.blank": N_("Please write your message before sending it."),
    "message.too_long": N_("A message can be at most {max} characters: this one has {length}."),
    "message.bad_characters": N_(
        "The message holds characters that cannot be sent; please type it again."
    ),
    "message.no_coach": N_(
        "You share with no coach now, so there is no one to send this to. Your messages stay "
        "here for you to read."
    ),
}

#: Said on the client's message page every time, whatever was written: a message is read when
#: the coach can, so it never carries a warning sign (red flags keep their own path).
CLIENT_SAFETY_LINE = N_(
    "Your coach reads messages when they can, not straight away. If something new or worrying "
    "happens with your back, such as numbness between your legs, a change in your bladder or "
    "bowel, or new weakness in your legs, do not wait for a reply here: answer the safety "
    "questions again, and in an emergency go to an emergency department or call your local "
    "emergency number."
)

#: Said on the coach's side of the thread: a message is no way to judge or clear a red flag.
COACH_SAFETY_LINE = N_(
    "A message is not where a warning sign is judged. If your client describes one, ask them to "
    "answer the safety questions again; a clinician's clearance is recorded on their program "
    "page."
)
