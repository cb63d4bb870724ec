"""A clinical progress report (PDF) for a GP, an insurer or a referral, laid out as the handout.

What to print lives here, from a `ReportData` (services/report.py reads it); pages, text and
blocks kept whole are the handout's (handout.py). Every word is said through backcoach.wording:
the engine's codes with `say`, `say_change` and `say_screening`, the report's own labels marked
here and said in the active language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from datetime import UTC, datetime, time
from functools import partial

from fpdf.enums import XPos, YPos

from backcoach.engine.change import MCID
from backcoach.engine.measures import StartBackRisk
from backcoach.engine.plan import PlannedExercise
from backcoach.engine.screening import Status
from backcoach.engine.vocabulary import Decision, Urgency
from backcoach.formats.stored_plan import DecidedBy
from backcoach.reports.handout import BODY, INK, MUTED, SHADE, Handout
from backcoach.reports.progress_data import DecisionEntry, OverrideEntry, ReportData, SafetyRecord
from backcoach.wording import DECISION_WORDS, DISCLAIMER, EASES_OFF, dose_words
from backcoach.wording.change_words import say_change
from backcoach.wording.i18n import N_, gettext, ngettext
from backcoach.wording.reasons import say
from backcoach.wording.report_override_words import OVERRIDE_KINDS, say_override
from backcoach.wording.screening_words import say_reasons

TITLE = N_("Progress report")
#: The questionnaires whose change is stated, in the progress page's order, with their scale.
INSTRUMENTS = {
    "nprs": N_("Pain (NPRS, 0-10)"),
    "odi": N_("Daily life (ODI, 0-100)"),
    "rmdq": N_("Daily life (RMDQ, 0-24)"),
    "psfs": N_("Activities (PSFS, 0-10)"),
}
STARTBACK = N_("STarT Back (0-9)")
RISK_GROUPS = {
    StartBackRisk.LOW: N_("low risk"),
    StartBackRisk.MEDIUM: N_("medium risk"),
    StartBackRisk.HIGH: N_("high risk"),
}
URGENCY_WORDS = {
    Urgency.EMERGENCY: N_("emergency: get help now"),
    Urgency.URGENT: N_("urgent: see a doctor today"),
    Urgency.SOON: N_("see a doctor soon"),
}
#: Weekly mean pain this many points a week up or down counts as a trend (our choice).
TREND_POINTS = 0.1


def _day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%b %Y')}"


def _long_date(day: dt.date) -> str:
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}"


def report_filename(today: dt.date) -> str:
    return f"backcoach-progress-report-{today.isoformat()}.pdf"


def progress_report_pdf(data: ReportData, *, summary: str | None = None) -> bytes:
    """The report as an A4 PDF; ``summary`` is the coach's paragraph, left out when empty."""
    return bytes(progress_report(data, summary=summary).output())


def progress_report(data: ReportData, *, summary: str | None = None) -> Handout:
    """Lay the report out (its ``blocks`` say where each landed); ``output()`` is the PDF."""
    title = gettext(TITLE)
    running_head = gettext("{title}: {person}, {day}").format(
        title=title, person=data.person, day=_long_date(data.today)
    )
    pdf = Handout(running_head, gettext(DISCLAIMER))
    pdf.set_title(title)
    pdf.set_lang("en")
    pdf.set_creator("backcoach")
    pdf.set_creation_date(datetime.combine(data.today, time(), tzinfo=UTC))  # same data, bytes
    pdf.add_page()
    _introduction(pdf, data)
    if summary and summary.strip():
        pdf.keep_whole(gettext("Coach's summary"), partial(_summary, text=summary.strip()))
    pdf.keep_whole(gettext("Measures"), partial(_measures, data=data))
    pdf.keep_whole(gettext("Answers"), partial(_answers, data=data))
    pdf.keep_whole(gettext("Sessions and pain"), partial(_sessions, data=data))
    _program(pdf, data)
    _decisions(pdf, data)
    if data.overrides is not None:
        _overrides(pdf, data.overrides)
    pdf.keep_whole(gettext("Red flags and clearances"), partial(_safety, record=data.safety))
    pdf.ln(2)
    pdf.para(gettext(DISCLAIMER), style="B")
    return pdf


def _introduction(pdf: Handout, data: ReportData) -> None:
    pdf.set_font("Helvetica", "B", 22)
    pdf.cell(0, 11, gettext(TITLE), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*MUTED)
    pdf.para(gettext("Made by backcoach on {day}").format(day=_long_date(data.today)), gap=3)
    pdf.set_text_color(*INK)
    pdf.lead(gettext("Person:"), data.person)
    pdf.lead(gettext("Program started:"), _day(data.start))
    pdf.lead(
        gettext("Period:"),
        gettext("{start} to {today}").format(start=_day(data.start), today=_day(data.today)),
    )
    if data.window_start > data.start:
        pdf.para(
            gettext(
                "The weekly figures, the answers and the decisions below cover the last weeks, "
                "from {day}; the changes compare the first answer ever with the latest."
            ).format(day=_day(data.window_start)),
            size=9,
        )
    pdf.ln(3)


def _summary(pdf: Handout, *, text: str) -> None:
    pdf.heading(gettext("Coach's summary"), size=14)
    pdf.shaded(gettext("Summary:"), text)


def _measures(pdf: Handout, *, data: ReportData) -> None:
    """Each questionnaire's change, first answer against latest, with its MCID (M10)."""
    pdf.heading(gettext("Measures and their change"), size=14)
    changes = data.outcomes.changes
    shown = False
    for key, label in INSTRUMENTS.items():
        first = data.first_measures.get(key)
        mcid = gettext("MCID {points:g} points").format(points=MCID[key].points)
        if key in changes:
            change = changes[key]
            figures = gettext("first {first:g} on {day}, now {latest:g}; {mcid}").format(
                first=change.baseline,
                day=_day(first.day) if first else "",
                latest=change.latest,
                mcid=mcid,
            )
            pdf.lead(_labelled(label), f"{say_change(change)} ({figures})")
        elif first is not None:
            pdf.lead(
                _labelled(label),
                gettext("first score {score:g} on {day}; nothing to compare yet ({mcid}).").format(
                    score=first.score, day=_day(first.day), mcid=mcid
                ),
            )
        else:
            continue
        shown = True
    risk = next((a for a in reversed(data.answers) if a.risk is not None), None)
    if risk is not None and risk.risk is not None:
        pdf.lead(
            _labelled(STARTBACK),
            gettext("{score:g} on {day}, {group}.").format(
                score=risk.score, day=_day(risk.day), group=gettext(RISK_GROUPS[risk.risk])
            ),
        )
        shown = True
    if not shown:
        pdf.para(gettext("No questionnaire answered yet."))
    pdf.ln(2)


def _answers(pdf: Handout, *, data: ReportData) -> None:
    pdf.heading(gettext("Questionnaire answers"), size=12, gap=1)
    if not data.answers:
        pdf.para(gettext("None yet."))
        return
    labels = {**INSTRUMENTS, "startback": STARTBACK}
    rows = [
        (
            _day(answer.day),
            gettext(labels.get(answer.instrument, answer.instrument)),
            f"{answer.score:g}",
            gettext(RISK_GROUPS[answer.risk]) if answer.risk is not None else "",
        )
        for answer in data.answers
    ]
    header = (gettext("Date"), gettext("Questionnaire"), gettext("Score"), gettext("Group"))
    _table(pdf, header, rows, widths=(0.2, 0.45, 0.12, 0.23))
    if data.answers_left_out:
        pdf.para(
            ngettext(
                "{count} older answer of these weeks is not listed.",
                "{count} older answers of these weeks are not listed.",
                data.answers_left_out,
            ).format(count=data.answers_left_out),
            size=9,
        )
    pdf.ln(2)


def _sessions(pdf: Handout, *, data: ReportData) -> None:
    """Adherence, planned against done, and the trend of pain before sessions (M10)."""
    pdf.heading(gettext("Sessions and pain"), size=14)
    adherence = data.outcomes.adherence
    total = ngettext(
        "{total} session done in all since the start.",
        "{total} sessions done in all since the start.",
        data.sessions_done,
    ).format(total=data.sessions_done)
    if adherence.scheduled:
        done = gettext(
            "{done} of {planned} planned sessions done since {day} ({percent}%)."
        ).format(
            done=adherence.done,
            planned=adherence.scheduled,
            day=_day(data.window_start),
            percent=round(100 * adherence.done / adherence.scheduled),
        )
    else:
        done = gettext("No session planned yet.")
    pdf.lead(gettext("Adherence:"), f"{done} {total}")
    pdf.lead(gettext("Pain trend:"), _pain_trend(data))
    pain = {week.week_start: week.mean for week in data.outcomes.pain.weeks}
    rows = [
        (
            _day(week.week_start),
            str(week.planned),
            str(week.done),
            f"{pain[week.week_start]:.1f}" if week.week_start in pain else "-",
        )
        for week in data.weeks
    ]
    if rows:
        header = (
            gettext("Week of"),
            gettext("Planned"),
            gettext("Done"),
            gettext("Pain before (mean)"),
        )
        _table(pdf, header, rows, widths=(0.3, 0.2, 0.2, 0.3))
    pdf.ln(2)


def _pain_trend(data: ReportData) -> str:
    weeks, slope = data.outcomes.pain.weeks, data.outcomes.pain.slope_per_week
    if len(weeks) < 2 or slope is None:
        return gettext("pain before sessions is rated on too few weeks to show a trend yet.")
    first, last = weeks[0], weeks[-1]
    figures = gettext(
        "weekly mean of pain before sessions {first:.1f} in the week of {start}, "
        "{last:.1f} in the week of {end}"
    ).format(
        first=first.mean, start=_day(first.week_start), last=last.mean, end=_day(last.week_start)
    )
    if slope <= -TREND_POINTS:
        trend = gettext("falling by about {points:.1f} points a week").format(points=-slope)
    elif slope >= TREND_POINTS:
        trend = gettext("rising by about {points:.1f} points a week").format(points=slope)
    else:
        trend = gettext("about steady")
    return f"{figures}: {trend}."


def _decided_by(who: DecidedBy) -> str:
    if who.kind == "coach":
        return gettext("a coach")
    return gettext("backcoach's rules (automatic)")


def _decision_words(decision: Decision, code: str) -> str:
    return gettext(EASES_OFF) if code.startswith("ease_off.") else DECISION_WORDS[decision]


def _program(pdf: Handout, data: ReportData) -> None:
    """The current program: each exercise's dose, decision and reason, and who decided."""
    plan = data.plan
    if plan is None:
        pdf.keep_whole(gettext("Current program"), partial(_no_program, data=data))
        return
    for number, item in enumerate(plan.exercises, start=1):
        pdf.keep_whole(item.exercise.name, partial(_exercise, data=data, number=number, item=item))


def _no_program(pdf: Handout, *, data: ReportData) -> None:
    pdf.heading(gettext("Current program"), size=14)
    if data.safety.referral_open:
        pdf.para(gettext("None: the program is paused until a clinician clears the red flag."))
    else:
        pdf.para(gettext("None yet."))
    pdf.ln(2)


def _exercise(pdf: Handout, *, data: ReportData, number: int, item: PlannedExercise) -> None:
    if number == 1:
        pdf.heading(gettext("Current program"), size=14)
    pdf.rule()
    pdf.para(f"{number}. {item.exercise.name}: {dose_words(item)}", style="B", gap=1)
    pdf.lead(gettext("Decision:"), f"{_decision_words(item.decision, item.code)}.")
    pdf.lead(gettext("Why:"), say(item.reason))
    pdf.lead(gettext("Decided by:"), _decided_by(data.decider(item.exercise.id)))
    pdf.ln(1)


def _decisions(pdf: Handout, data: ReportData) -> None:
    """The window's changes, newest first, a block a day; the heading kept with the first."""
    title = gettext("Changes to the program")
    if not data.decisions:

        def nothing(page: Handout) -> None:
            page.ln(2)
            page.heading(title, size=14)
            page.para(gettext("No exercise has moved up, stepped back or been swapped yet."))

        pdf.keep_whole(title, nothing)
        return
    days: dict[dt.date, list[DecisionEntry]] = {}
    for entry in data.decisions:
        days.setdefault(entry.day, []).append(entry)
    for index, (day, entries) in enumerate(days.items()):

        def block(
            page: Handout,
            day: dt.date = day,
            entries: Sequence[DecisionEntry] = entries,
            first: bool = index == 0,
        ) -> None:
            if first:
                page.ln(2)
                page.heading(title, size=14, gap=1)
                page.para(
                    gettext(
                        "Newest first, from {day}; decided by backcoach's rules unless marked "
                        "as set by a coach."
                    ).format(day=_day(data.window_start)),
                    size=9,
                )
            page.heading(_long_date(day), size=10.5, gap=1)
            for entry in entries:
                said = f"{_decision_words(entry.decision, entry.reason.code)}. {say(entry.reason)}"
                if entry.decided_by.kind == "coach":
                    said = gettext("{reason} Set by a coach.").format(reason=said)
                with page.indented(3):
                    page.lead(f"{entry.exercise.name}:", said, size=9.5)
            page.ln(1)

        pdf.keep_whole(_day(day), block)


def _overrides(pdf: Handout, entries: Sequence[OverrideEntry]) -> None:
    """The coach's changes to the program, newest first, each kept whole; the heading kept with
    the first (or with "none")."""
    title = gettext("Changes made by a coach")

    def head(page: Handout) -> None:
        page.ln(2)
        page.heading(title, size=14, gap=1)

    if not entries:

        def nothing(page: Handout) -> None:
            head(page)
            page.para(gettext("None: every decision so far is backcoach's rules."))

        pdf.keep_whole(title, nothing)
        return
    for index, entry in enumerate(entries):

        def block(page: Handout, entry: OverrideEntry = entry, first: bool = index == 0) -> None:
            if first:
                head(page)
                page.para(
                    gettext(
                        "Newest first. backcoach keeps each one as a constraint until it is undone."
                    ),
                    size=9,
                )
            kind = gettext(OVERRIDE_KINDS.get(entry.kind, entry.kind))
            said = f"{kind}: {say_override(entry.kind, entry.values)}"
            who = entry.coach or gettext("a coach who has left")
            when = gettext("{day}, by {coach}").format(day=_day(entry.at.date()), coach=who)
            if entry.undone_at is not None:
                when += "; " + gettext("undone {day}").format(day=_day(entry.undone_at.date()))
            with page.indented(3):
                page.lead(f"{when}:", said, size=9.5)
                if entry.note:
                    page.lead(gettext("Note:"), entry.note, size=9.5)

        pdf.keep_whole(f"override {index}", block)


def _safety(pdf: Handout, *, record: SafetyRecord) -> None:
    """Red flags and clearances: the latest screening, the latest referral, any clearance."""
    pdf.ln(2)
    pdf.heading(gettext("Red flags and clearances"), size=14)
    latest = record.latest
    if latest is None:
        pdf.lead(gettext("Latest safety check:"), gettext("none answered yet."))
    else:
        outcome = latest.outcome
        if outcome.status is Status.REFER and outcome.urgency is not None:
            said = gettext("refers ({urgency}).").format(
                urgency=gettext(URGENCY_WORDS[outcome.urgency])
            )
        elif outcome.status is Status.INCOMPLETE:
            said = gettext("some questions are unanswered.")
        else:
            said = gettext("no red flag raised.")
        pdf.lead(gettext("Latest safety check:"), f"{_day(latest.at.date())}: {said}")
    referral = record.referral
    if referral is None:
        pdf.lead(gettext("Referrals:"), gettext("none."))
        return
    urgency = referral.outcome.urgency
    pdf.lead(
        gettext("Latest referral:"),
        gettext("{day}, {urgency}.").format(
            day=_day(referral.at.date()), urgency=gettext(URGENCY_WORDS[urgency])
        )
        if urgency is not None
        else gettext("{day}.").format(day=_day(referral.at.date())),
    )
    pdf.items(say_reasons(referral.outcome), size=9.5)
    if record.referral_open:
        pdf.lead(
            gettext("Clearance:"),
            gettext("not yet; the program is paused until a clinician clears it."),
        )
        return
    if record.cleared_at is None:
        return
    if record.cleared_by is not None:  # "": the coach's account is gone
        cleared = gettext("{day}, a clinician's clearance recorded by {coach}.").format(
            day=_day(record.cleared_at.date()), coach=record.cleared_by or gettext("their coach")
        )
    else:
        cleared = gettext("{day}, confirmed by the person that a clinician cleared them.").format(
            day=_day(record.cleared_at.date())
        )
    pdf.lead(gettext("Clearance:"), cleared)
    if record.cleared_note:
        pdf.lead(gettext("Note:"), record.cleared_note)


def _table(
    pdf: Handout,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float],
    size: float = 9,
) -> None:
    """A plain table: a shaded header row, then one line a row with a hairline under it."""
    columns = [pdf.epw * share for share in widths]
    height = size * 0.55
    pdf.set_font("Helvetica", "B", size)
    pdf.set_fill_color(*SHADE)
    for text, width in zip(header, columns, strict=True):
        pdf.cell(width, height + 1, text, fill=True)
    pdf.ln(height + 1)
    pdf.set_font("Helvetica", "", size)
    pdf.set_draw_color(*SHADE)
    for row in rows:
        for text, width in zip(row, columns, strict=True):
            pdf.cell(width, height, text, border="B")
        pdf.ln(height)
    pdf.ln(1.5)
    pdf.set_font("Helvetica", "", BODY)


def _labelled(label: str) -> str:
    """A label (a msgid) said with its colon, as one message: some languages space it."""
    return gettext("{label}:").format(label=gettext(label))
