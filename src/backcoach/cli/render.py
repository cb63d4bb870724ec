"""Rich tables for people reading the command line's output.

Labels and headings are marked for translation and said in the active language
(backcoach.wording.i18n); Rich's markup stays outside the messages. Codes (ids, categories,
dose units, decisions) are printed as the catalogue and the engine name them.
"""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table

from backcoach.engine.catalogue import Exercise
from backcoach.engine.outcomes import OutcomeReport
from backcoach.engine.plan import HIGH_PAIN_DAY, Plan, PlannedExercise, Referral, mobility_minutes
from backcoach.engine.progression import LEGS_CENTRALISING, LEGS_SPREADING
from backcoach.engine.screening import ScreeningOutcome, Status
from backcoach.engine.vocabulary import Decision
from backcoach.wording import muscles
from backcoach.wording.change_words import say_change
from backcoach.wording.cue_words import say_cue
from backcoach.wording.i18n import gettext, ngettext
from backcoach.wording.note_words import say_plan_note
from backcoach.wording.reasons import say, say_note
from backcoach.wording.screening_words import say_advice, say_reasons

_DECISION_STYLE = {
    Decision.PROGRESS: "green",
    Decision.HOLD: "cyan",
    Decision.REGRESS: "yellow",
    Decision.SWAP: "magenta",
    Decision.START: "white",
}
_URGENCY_STYLE = {"emergency": "bold white on red", "urgent": "bold red", "soon": "bold yellow"}


def exercise_dict(e: Exercise) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": e.id,
        "name": e.name,
        "category": e.category.value,
        "pattern": e.pattern,
        "targets": list(e.targets),
        "equipment": sorted(i.value for i in e.equipment),
        "laterality": e.laterality.value,
        "level": e.level,
        "dose": e.dose.value,
        "dose_min": e.dose_min,
        "dose_max": e.dose_max,
        "tempo": e.tempo,
        "position": e.position,
        "summary": e.summary,
        "setup": list(e.setup),
        "cues": list(e.cues),
        "faults": [{"sign": f.sign, "fix": f.fix, "low_back": f.low_back} for f in e.faults],
        "progressions": list(e.progressions),
        "regressions": list(e.regressions),
    }
    if e.load_step_kg:
        data["load_step_kg"] = e.load_step_kg
    if e.why_not:
        data["why_not"] = e.why_not
    return data


#: Narrower than this, the catalogue drops the name and category columns (the id names the
#: exercise, and a heading row names each category): every column stays readable at 80.
WIDE_CATALOGUE = 120


def catalogue_table(console: Console, exercises: list[Exercise]) -> None:
    title = gettext("Exercise catalogue ({count})").format(count=len(exercises))
    if console.width < WIDE_CATALOGUE:
        _compact_catalogue(console, title, exercises)
        return
    table = Table(title=title, show_lines=False)
    table.add_column(gettext("id"), no_wrap=True)
    table.add_column(gettext("name"))
    table.add_column(gettext("category"), no_wrap=True)
    table.add_column(gettext("level"), justify="right")
    table.add_column(gettext("equipment"))
    table.add_column(gettext("dose"), no_wrap=True)
    for e in exercises:
        table.add_row(e.id, e.name, e.category.value, str(e.level), _kit(e), _dose_range(e))
    console.print(table)


def _compact_catalogue(console: Console, title: str, exercises: list[Exercise]) -> None:
    """Four columns (id, level, equipment, dose) under a heading row per category: about 76
    characters wide, where six columns left the name and level cells empty at 80."""
    table = Table(title=title, show_lines=False)
    table.add_column(gettext("id"), no_wrap=True)
    table.add_column(gettext("level"), justify="right", no_wrap=True)
    table.add_column(gettext("equipment"), min_width=9)
    table.add_column(gettext("dose"), no_wrap=True)
    category = None
    for e in exercises:
        if e.category is not category:
            category = e.category
            table.add_row(_styled("bold", category.value), "", "", "")
        table.add_row(f"  {e.id}", str(e.level), _kit(e), _dose_range(e))
    console.print(table)


def _dose_range(e: Exercise) -> str:
    return f"{e.dose_min}-{e.dose_max} {e.dose.value}"


def exercise_detail(console: Console, e: Exercise) -> None:
    about = gettext("{category}, level {level}, {laterality}").format(
        category=e.category.value, level=e.level, laterality=e.laterality.value
    )
    facts = gettext("Equipment: {kit}    Dose: {dose}    Tempo: {tempo}").format(
        kit=_kit(e), dose=f"{e.dose_min}-{e.dose_max} {e.dose.value}", tempo=e.tempo
    )
    lines = [
        f"[bold]{e.name}[/] ({e.id}) - {about}",
        gettext("Feel it in: {targets}").format(targets=_targets(e)),
        facts,
        "",
        e.summary,
    ]
    if e.why_not:
        lines += ["", _styled("bold red", gettext("Not prescribed:")) + f" {e.why_not}"]
    lines += ["", _styled("bold", gettext("Set-up"))]
    lines += [f"  {i}. {s}" for i, s in enumerate(e.setup, 1)]
    lines += [_styled("bold", gettext("Cues")), *[f"  - {c}" for c in e.cues]]
    lines += [_styled("bold", gettext("Common faults"))]
    lines += [f"  - {f.sign} -> {f.fix}" for f in e.faults]
    if e.progressions or e.regressions:
        lines += [
            "",
            gettext("Easier: {easier}    Harder: {harder}").format(
                easier=", ".join(e.regressions) or "-", harder=", ".join(e.progressions) or "-"
            ),
        ]
    console.print(Panel("\n".join(lines), expand=False))


def _styled(style: str, text: str) -> str:
    """Words in a Rich style, kept whole by Babel's extractor (it reads no call inside an
    f-string) and printed as they are (a translation's brackets are not markup)."""
    return f"[{style}]{escape(text)}[/]"


def _kit(e: Exercise) -> str:
    """The equipment's codes, or "body weight" when it needs none."""
    return ", ".join(sorted(i.value for i in e.equipment)) or gettext("body weight")


def _targets(e: Exercise) -> str:
    """Where it is felt, in the pages' plain words, each once ("buttocks and side of the hip")."""
    return muscles(e.targets)


def screening(console: Console, outcome: ScreeningOutcome) -> None:
    if outcome.refer:
        _referral(console, outcome)
    elif outcome.status is Status.INCOMPLETE:
        _incomplete(console, outcome)
    else:
        title = gettext("No red flags")
        console.print(Panel(say_advice(outcome), title=title, border_style="green"))
    if outcome.unanswered and outcome.refer:
        label = gettext("Still to answer:")
        console.print(f"[yellow]{label}[/] {', '.join(outcome.unanswered)}")
    if outcome.cleared:
        label = gettext("Seen by a clinician already:")
        console.print(f"[dim]{label}[/] {', '.join(outcome.cleared)}")


def _incomplete(console: Console, outcome: ScreeningOutcome) -> None:
    body = "\n".join([say_advice(outcome), "", *[f"- {key}" for key in outcome.unanswered]])
    console.print(Panel(body, title=gettext("Screening incomplete"), border_style="yellow"))


def _referral(console: Console, outcome: ScreeningOutcome) -> None:
    if outcome.status is Status.INCOMPLETE:
        _incomplete(console, outcome)
        return
    urgency = outcome.urgency.value if outcome.urgency else ""
    if outcome.go_ahead:
        title = gettext("A clinician's go-ahead first")
    else:
        title = gettext("See a clinician: {urgency}").format(urgency=urgency)
    body = "\n".join([say_advice(outcome), "", *[f"- {r}" for r in say_reasons(outcome)]])
    console.print(
        Panel(
            body,
            title=title,
            border_style=_URGENCY_STYLE.get(urgency, "red"),
        )
    )


def score(console: Console, result: dict[str, Any]) -> None:
    title = gettext("{instrument} score").format(instrument=result["instrument"].upper())
    table = Table(title=title, show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    for key, value in result.items():
        if key in ("instrument", "activities", "items") or value is None:
            continue
        table.add_row(key, str(value))
    for activity in result.get("activities", []):
        table.add_row(f"  {activity['name']}", str(activity["score"]))
    console.print(table)


def plan(console: Console, result: Plan | Referral) -> None:
    if isinstance(result, Referral):
        _referral(console, result.screening)
        console.print(
            _styled("bold", gettext("No exercise program until a clinician has seen you."))
        )
        return
    title = gettext("Next session") if result.decided_on else gettext("Your program")
    since = gettext("(from {day})").format(day=result.start.isoformat())
    console.print(f"[bold underline]{title}[/] {since}")
    for day_note in result.day_notes:
        console.print(f"[{_day_note_style(day_note.code)}]{say_note(day_note)}[/]")
    unanswered = result.unanswered_red_flags
    if unanswered and not result.decided_on:
        warning = ngettext(
            "{count} red-flag question was not answered and counts as 'no': {questions}. "
            "Run `backcoach screen` to answer it.",
            "{count} red-flag questions were not answered and count as 'no': {questions}. "
            "Run `backcoach screen` to answer them.",
            len(unanswered),
        ).format(count=len(unanswered), questions=", ".join(unanswered))
        console.print(f"[yellow]{warning}[/]")
    for number, item in enumerate(result.exercises, start=1):
        decision = (
            ""
            if item.decision is Decision.START
            else f"  [{_DECISION_STYLE[item.decision]}]{item.decision.value}[/]"
        )
        console.print(
            f"\n[bold]{number}. {item.exercise.name}[/]  {_dose(item)}{decision}\n"
            f"   [dim]{_feel_it_in(item.exercise)}[/]"
        )
        console.print(Padding(say(item.reason), (0, 0, 0, 3)))
        if item.cue:
            cue = _styled("bold", gettext("Cue:")) + f" {say_cue(item.cue)}"
            console.print(Padding(cue, (0, 0, 0, 3)))
    minutes = mobility_minutes(result.mobility)
    drills = ", ".join(f"{d.exercise.name} ({_dose(d)})" for d in result.mobility)
    # A count is whole: a fraction ("1.5") is counted as the minutes it starts (the handout's).
    about = ngettext(
        "(about {minutes:g} minute): {drills}",
        "(about {minutes:g} minutes): {drills}",
        math.ceil(minutes),
    ).format(minutes=minutes, drills=drills)
    console.print("\n" + _styled("bold", gettext("When you feel tight")) + f" {about}")
    how_often = say_plan_note(result.frequency_note)
    console.print(_styled("bold", gettext("How often:")) + f" {how_often}")
    console.print(
        _styled("bold", gettext("Sessions:"))
        + " "
        + ", ".join(d.isoformat() for d in result.schedule[:8])
        + (" ..." if len(result.schedule) > 8 else "")
    )
    if not result.decided_on:
        console.print()
        for note in result.notes:
            console.print(Padding(say_plan_note(note), (0, 0, 0, 0)))


def _feel_it_in(e: Exercise) -> str:
    return gettext("{category}; feel it in {targets}").format(
        category=e.category.value, targets=_targets(e)
    )


def _day_note_style(code: str) -> str:
    """Red for what asks for a clinician or a coach, green for good news, else yellow."""
    if code.startswith("review.") or code in (LEGS_SPREADING, HIGH_PAIN_DAY):
        return "bold red"
    return "green" if code == LEGS_CENTRALISING else "yellow"


def _dose(item: PlannedExercise) -> str:
    e = item.exercise
    amount = (
        f"{item.dose_min}" if item.dose_min == item.dose_max else f"{item.dose_min}-{item.dose_max}"
    )
    dose = gettext("{sets} x {amount} {unit}").format(
        sets=item.sets, amount=amount, unit=e.dose.value
    )
    if e.laterality.value == "unilateral":
        dose = gettext("{dose} per side").format(dose=dose)
    return dose if item.load_kg is None else f"{dose} @ {item.load_kg:g} kg"


def outcomes(console: Console, report: OutcomeReport) -> None:
    adherence = report.adherence
    rate = "-" if adherence.rate is None else f"{adherence.rate:.0%}"
    done = gettext("{done} of {scheduled} due ({rate})").format(
        done=adherence.done, scheduled=adherence.scheduled, rate=rate
    )
    console.print(_styled("bold", gettext("Sessions done:")) + f" {done}")
    table = Table(title=gettext("Week by week"), show_lines=False)
    for column in (
        gettext("week of"),
        gettext("pain before sessions"),
        gettext("tight moments a day"),
    ):
        table.add_column(column)
    pain = {w.week_start: w.mean for w in report.pain.weeks}
    tight = {w.week_start: w.mean for w in report.tight_moments.weeks}
    for week in sorted(set(pain) | set(tight)):
        table.add_row(week.isoformat(), _num(pain.get(week)), _num(tight.get(week)))
    console.print(table)
    for change in report.changes.values():
        console.print(f"- {say_change(change)}")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"
