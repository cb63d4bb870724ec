"""The words of the coach's Outcomes page and its CSV that wording/cohort_words.py does not
say: a figure resting on too few clients, what each figure means, and the CSV's columns."""

from __future__ import annotations

from backcoach.engine.cohort import LowBackWeek, McidShare
from backcoach.wording.cohort_words import MEASURE_NAMES, say_low_back_week, say_mcid
from backcoach.wording.i18n import N_, gettext, ngettext

#: What each figure means, in a sentence a coach reads under its heading.
MEANINGS: dict[str, str] = {
    "active": N_("A client is active with a session in the last 14 days."),
    "adherence": N_(
        "For each client, the sessions done of those planned in the first 12 weeks of their "
        "program (up to yesterday); the median is the middle client."
    ),
    "mcid": N_(
        "Of the clients who answered at the start and again about 6 (or 12) weeks later, how "
        "many improved by at least the smallest change that matters to a person (the MCID): "
        "2 points of pain, 10 of the ODI, 5 of the RMDQ, 2 of the PSFS."
    ),
    "pain": N_(
        "Each client's mean pain before sessions in each week of their program; the line is the "
        "median of clients. Lower is better."
    ),
    "low_back": N_(
        "Of all the sets logged in each week of the clients' programs, the share felt in the low "
        "back rather than the muscle worked. Lower is better."
    ),
}


def meaning(key: str) -> str:
    return gettext(MEANINGS[key])


def say_too_few(count: int, minimum: int) -> str:
    """The sentence for a figure that rests on fewer than ``minimum`` clients."""
    return ngettext(
        "Too few clients to say: this rests on {count} client; figures are shown from {minimum}.",
        "Too few clients to say: this rests on {count} clients; figures are shown from {minimum}.",
        count,
    ).format(count=count, minimum=minimum)


def say_mcid_or_too_few(share: McidShare, minimum: int) -> str:
    """The MCID sentence, or "too few" for a share of fewer than ``minimum`` clients."""
    if share.answered and share.answered < minimum:
        measure = gettext(MEASURE_NAMES[share.instrument])
        return gettext("{measure} by week {week}: {too_few}").format(
            measure=measure[:1].upper() + measure[1:],
            week=share.weeks,
            too_few=say_too_few(share.answered, minimum),
        )
    return say_mcid(share)


def say_low_back_or_too_few(week: LowBackWeek, minimum: int) -> str:
    if week.clients < minimum:
        return gettext("Week {week}: {too_few}").format(
            week=week.week, too_few=say_too_few(week.clients, minimum)
        )
    return say_low_back_week(week)


def say_scope(scope: str) -> str:
    return gettext("Your clients") if scope == "mine" else gettext("Your practice's clients")


#: The CSV's columns, one row per figure (services and docs/cohort.md "The CSV").
CSV_COLUMNS: dict[str, str] = {
    "figure": N_("Figure"),
    "measure": N_("Measure"),
    "week": N_("Program week"),
    "clients": N_("Clients it rests on"),
    "count": N_("Count"),
    "of": N_("Out of"),
    "value": N_("Value"),
    "note": N_("Note"),
}
#: The note of a row resting on too few clients (its value is left empty).
TOO_FEW_NOTE = N_("too few clients to say")


def csv_header() -> list[str]:
    return [gettext(name) for name in CSV_COLUMNS.values()]
