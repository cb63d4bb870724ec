"""The words of every engine reason, keyed by its code: `str.format` templates, English.

Each template is marked with `N_` so that Babel can extract it into a catalogue later; the
placeholders are the reason's parameters (engine/decisions.py, REASON_PARAMS and
DAY_NOTE_PARAMS). A parameter whose name ends in ``exercise`` is an exercise: ``{to_exercise}``
says its name, ``{to_exercise.summary}`` what it is, ``{exercise.targets}`` where it is felt,
``{exercise.purpose}`` what its category is for and ``{exercise.kit}`` what it needs. A tuple
of reasons (what flared) is said part by part, joined by "; ".
"""

from __future__ import annotations

from backcoach.engine.decisions import (
    ADD_LOAD,
    ADD_SET,
    BUILDING,
    COACH_ADDED,
    COACH_DOSE_SET,
    COACH_HELD,
    COACH_LOCKED,
    COACH_SWAPPED,
    FELL_SHORT,
    HIGH_STABLE_PAIN,
    HOLD_SINCE_STOPPED,
    HOLD_STOPPED,
    LEGS_CENTRALISING,
    LEGS_SPREADING,
    LEGS_SPREADING_EASIER,
    LEGS_SPREADING_FLARE,
    LEGS_SPREADING_FLARE_EASIER,
    LONG_BREAK,
    LOW_BACK_CUE,
    LOW_BACK_REVIEW,
    MORNING_MISSING,
    MORNING_WORSE,
    NEXT_RUNG,
    NO_SESSIONS,
    NO_SETS,
    NOT_FELT,
    PAIN_FLARE,
    PAIN_FLARE_EASIER,
    PAIN_RISING,
    REGRESS_FELL_SHORT,
    REGRESS_LONG_BREAK,
    REGRESS_LOW_BACK,
    REGRESS_STOPPED_CANNOT,
    REGRESS_STOPPED_PAIN,
    RUNG_WAIT,
    RUNG_WAIT_SINCE_UNKNOWN,
    SAFETY_AGAIN,
    START_MOBILITY,
    START_STRENGTH,
    SWAP_LOW_BACK,
    SWAP_NOT_FELT,
    SWAP_STOPPED,
    TOP_OF_LADDER,
    VERY_HIGH_PAIN,
)
from backcoach.engine.log import FLARE_AFTER, FLARE_DURING, FLARE_MORNING
from backcoach.engine.reasons import AS_WRITTEN
from backcoach.engine.vocabulary import Category, DoseType, Level
from backcoach.wording.i18n import N_

# Whole messages that two tables share (a message is whole, never joined from parts, so that
# a translation can order its words freely).
_VERY_HIGH = N_(
    "Your pain was {before}/10 before the last session, which is very high: nothing moves up. "
    "While it is that high, do only the mobility drills for tight moments, and check with a "
    "doctor or physiotherapist if it stays that high."
)
_MORNING_WORSE = N_(
    "The morning after the last session your pain was {morning}/10, above the {before}/10 "
    "before it: nothing moves up until the morning after is no worse than before. Keep the same "
    "exercise and dose."
)
_HIGH_STABLE = N_(
    "Your pain was high but stable (before {before}/10, during {during}/10, after {after}/10): "
    "not a flare, as it did not rise with the session, but nothing moves up while it is above 5. "
    "Keep the same exercise and dose."
)

#: Why an exercise was decided (its `reason`), and the parts of a reason (what flared).
MESSAGES: dict[str, str] = {
    NO_SETS: N_("No sets logged for this exercise yet: do it as planned."),
    BUILDING: N_(
        "{topped} of {sets} sets reached {top} {unit}, felt in the right place. When every set "
        "reaches {top} in two sessions in a row, it moves up."
    ),
    FELL_SHORT: N_("Some sets fell short of {bottom} {unit}: keep this version and build up."),
    REGRESS_FELL_SHORT: N_(
        "Two sessions with sets short of {bottom}: {to_exercise} is an easier version to build "
        "from. {to_exercise.summary}"
    ),
    LOW_BACK_CUE: N_(
        "You felt it in your low back. Keep this exercise and use the cue next time; it does not "
        "move up while the back takes the load."
    ),
    REGRESS_LOW_BACK: N_(
        "Felt in your low back two sessions running: {to_exercise} is easier to feel in the "
        "right muscles. {to_exercise.summary}"
    ),
    SWAP_LOW_BACK: N_(
        "Felt in your low back two sessions running and there is no easier version: try "
        "{to_exercise} instead. {to_exercise.summary}"
    ),
    LOW_BACK_REVIEW: N_(
        "Felt in your low back {sessions} sessions running, and there is no easier version you "
        "can do: please ask your coach or a physiotherapist to review this exercise with you. "
        "Until then keep it as it is, use the cue, and stop a set if your back takes over."
    ),
    REGRESS_STOPPED_PAIN: N_(
        "It hurt last time, so you stopped it: {to_exercise} is an easier version to build "
        "from. Stop any set that hurts. {to_exercise.summary}"
    ),
    REGRESS_STOPPED_CANNOT: N_(
        "You could not do it last time: {to_exercise} is an easier version to build from. "
        "{to_exercise.summary}"
    ),
    SWAP_STOPPED: N_(
        "You stopped it last time and there is no easier version: try {to_exercise} instead. "
        "{to_exercise.summary}"
    ),
    HOLD_STOPPED: N_(
        "You stopped it last time and there is nothing easier you can do: 2 sets, gently, and "
        "stop a set if it hurts. If it hurts again, ask your coach or a physiotherapist."
    ),
    HOLD_SINCE_STOPPED: N_(
        "You stopped it recently: it stays as it is until two sessions go well after that."
    ),
    NOT_FELT: N_(
        "Not felt in the {exercise.targets} yet. Slow down and use the cue; it moves up once you "
        "feel it there."
    ),
    SWAP_NOT_FELT: N_(
        "Two sessions without feeling it in the {exercise.targets}: {to_exercise} may connect "
        "better. {to_exercise.summary}"
    ),
    ADD_SET: N_(
        "Every set reached {top} {unit} in two sessions, felt in the right muscle, with pain "
        "settled: add a set ({sets} sets), aiming for {bottom}-{top} {unit} again."
    ),
    ADD_LOAD: N_(
        "Every set reached {top} {unit} in two sessions, felt in the right muscle, with pain "
        "settled: add {step_kg:g} kg (to {load_kg:g} kg) and start again at {bottom} {unit}."
    ),
    TOP_OF_LADDER: N_(
        "Every set reached {top} {unit} in two sessions, felt in the right muscle, with pain "
        "settled. This is the top of the ladder with your equipment: slow the lowering to 3-4 "
        "seconds to keep it challenging."
    ),
    RUNG_WAIT: N_(
        "Every set reached {top} {unit} in two sessions, felt in the right muscle, with pain "
        "settled. {to_exercise} comes next, after two weeks on this exercise (from {from_day}): "
        "one step up at a time. Until then keep the same dose, with a slower lowering if it feels "
        "easy."
    ),
    RUNG_WAIT_SINCE_UNKNOWN: N_(
        "Every set reached {top} {unit} in two sessions, felt in the right muscle, with pain "
        "settled. {to_exercise} comes next, after two weeks on this exercise on it (your log does "
        "not show since when): one step up at a time. Until then keep the same dose, with a "
        "slower lowering if it feels easy."
    ),
    NEXT_RUNG: N_(
        "Every set reached {top} {unit} in two sessions, felt in the right muscle, with pain "
        "settled, at {sets} sets: move up to {to_exercise}, starting at {to_sets} sets of "
        "{to_bottom} {to_unit}. {to_exercise.summary}"
    ),
    PAIN_FLARE: N_(
        "Pain flared ({flare}). Keep this exercise with less volume until it settles; nothing "
        "moves up today."
    ),
    PAIN_FLARE_EASIER: N_(
        "Pain flared ({flare}). {to_exercise} is easier on your back until it settles; nothing "
        "moves up today. {to_exercise.summary}"
    ),
    LEGS_SPREADING: N_(
        "Your leg symptoms spread further down the leg after the last session: please ask a "
        "clinician (a physiotherapist or your doctor) to look at your back soon. Keep this "
        "exercise with less volume until it settles; nothing moves up today."
    ),
    LEGS_SPREADING_EASIER: N_(
        "Your leg symptoms spread further down the leg after the last session: please ask a "
        "clinician (a physiotherapist or your doctor) to look at your back soon. {to_exercise} is "
        "easier on your back until it settles; nothing moves up today. {to_exercise.summary}"
    ),
    LEGS_SPREADING_FLARE: N_(
        "Your leg symptoms spread further down the leg after the last session: please ask a "
        "clinician (a physiotherapist or your doctor) to look at your back soon. Pain also flared "
        "({flare}). Keep this exercise with less volume until it settles; nothing moves up today."
    ),
    LEGS_SPREADING_FLARE_EASIER: N_(
        "Your leg symptoms spread further down the leg after the last session: please ask a "
        "clinician (a physiotherapist or your doctor) to look at your back soon. Pain also flared "
        "({flare}). {to_exercise} is easier on your back until it settles; nothing moves up "
        "today. {to_exercise.summary}"
    ),
    PAIN_RISING: N_(
        "Pain is rising (your pain before sessions rose from {before:.1f} to {now:.1f} this "
        "week). Keep this exercise with less volume until it settles; nothing moves up today."
    ),
    LONG_BREAK: N_(
        "It has been {days} days since your last session: ease back in with {sets} sets at the "
        "bottom of the range."
    ),
    REGRESS_LONG_BREAK: N_(
        "It has been {days} days since your last session: ease back in with {to_exercise}. "
        "{to_exercise.summary}"
    ),
    VERY_HIGH_PAIN: _VERY_HIGH,
    MORNING_WORSE: _MORNING_WORSE,
    HIGH_STABLE_PAIN: _HIGH_STABLE,
    MORNING_MISSING: N_(
        "Waiting for the morning after the last session: until you tell us how your back felt "
        "then, this exercise stays as it is. It can move up once the morning answer is in."
    ),
    START_STRENGTH: N_(
        "{exercise.purpose} {exercise.summary} A level {level} of 5 start that suits "
        "{person_level} and {exercise.kit}."
    ),
    START_MOBILITY: N_("{exercise.purpose} {exercise.summary}"),
    # A coach's choice. `{coach!s:.0}` names the coach's id and says nothing: the page puts the
    # coach's name and note beside these words; `{note}` says whether there is a note.
    COACH_LOCKED: N_(
        "Set by your coach{coach!s:.0}: this dose stays as it is until your coach changes it.{note}"
    ),
    COACH_DOSE_SET: N_(
        "Set by your coach{coach!s:.0}: start from this dose; it moves on as you do.{note}"
    ),
    COACH_HELD: N_(
        "Set by your coach{coach!s:.0}: this stays where it is for now, even when you are "
        "ready to move up.{note}"
    ),
    COACH_SWAPPED: N_("Set by your coach{coach!s:.0}: this exercise in place of {exercise}.{note}"),
    COACH_ADDED: N_("Set by your coach{coach!s:.0}: an extra exercise for you.{note}"),
    FLARE_DURING: N_(
        "pain during the session reached {during}/10 (above {acceptable}, and above the "
        "{before}/10 before)"
    ),
    FLARE_AFTER: N_(
        "pain after the session was {after}/10 (above {acceptable}, and above the {before}/10 "
        "before)"
    ),
    FLARE_MORNING: N_(
        "next-morning pain was {morning}/10, {rise} above the {before}/10 before the session"
    ),
    AS_WRITTEN: "{text}",  # words from an older document: nothing to translate
}

#: What the whole log says today (a plan's `day_notes`).
DAY_NOTES: dict[str, str] = {
    NO_SESSIONS: N_("No sessions logged yet: start with the plan as it is."),
    LEGS_SPREADING: N_(
        "Leg symptoms spread further down the leg after the last session: everything eases off, "
        "and please ask a clinician (a physiotherapist or your doctor) to look at your back soon."
    ),
    PAIN_FLARE: N_("Pain flared: {flare}."),
    PAIN_RISING: N_(
        "Pain is rising: your pain before sessions rose from {before:.1f} to {now:.1f} this week."
    ),
    LONG_BREAK: N_("{days} days since the last session: easing back in."),
    SAFETY_AGAIN: N_(
        "After four weeks or more away, answer the safety questions again before the next "
        "session (backcoach screen): things can change over a few weeks."
    ),
    VERY_HIGH_PAIN: _VERY_HIGH,
    MORNING_WORSE: _MORNING_WORSE,
    HIGH_STABLE_PAIN: _HIGH_STABLE,
    MORNING_MISSING: N_(
        "Waiting for the morning after the last session: nothing moves up until you tell us how "
        "your back felt then (the morning check-in)."
    ),
    LEGS_CENTRALISING: N_(
        "Good news: your leg symptoms reach less far down the leg than before, a sign your back "
        "is settling."
    ),
    LOW_BACK_REVIEW: N_(
        "{exercise}: felt in the low back {sessions} sessions running with no easier version "
        "left. Please ask your coach or a physiotherapist to review it with you."
    ),
    AS_WRITTEN: "{text}",
}

#: Words for the values of enumerated parameters, by parameter name.
VALUE_WORDS: dict[str, dict[str, str]] = {
    "unit": {
        DoseType.REPS.value: N_("reps"),
        DoseType.SECONDS.value: N_("seconds"),
        DoseType.STEPS.value: N_("steps"),
    },
    "person_level": {
        Level.BEGINNER.value: N_("a beginner"),
        Level.INTERMEDIATE.value: N_("an intermediate"),
        Level.ADVANCED.value: N_("an advanced"),
    },
}
VALUE_WORDS["to_unit"] = VALUE_WORDS["unit"]
#: Whether a coach's override has a note (the note itself is shown beside, as written).
VALUE_WORDS["note"] = {"yes": N_(" See your coach's note."), "no": ""}

#: Why a coach's override cannot be made (engine/overrides.py, PROBLEM_PARAMS).
OVERRIDE_PROBLEMS: dict[str, str] = {
    "override.unknown_exercise": N_("There is no exercise {exercise} in the catalogue."),
    "override.not_in_plan": N_("{exercise} is not in this program."),
    "override.already_in_plan": N_("{exercise} is already in this program."),
    "override.wrong_category": N_(
        "{to_exercise} does not train what {exercise} trains: pick one of the same kind."
    ),
    "override.missing_kit": N_("{exercise} needs kit this person does not have."),
    "override.excluded": N_(
        "{exercise} is on this person's avoid list or not suitable for them now."
    ),
    "override.not_prescribable": N_("{exercise} is in the catalogue only to explain why not."),
    "override.sets_out_of_range": N_("{sets} sets: the method asks for 2 or 3 sets."),
    "override.dose_out_of_range": N_(
        "The range for {exercise} must stay within {bottom} to {top}."
    ),
    "override.not_loadable": N_("{exercise} takes no load, or the load is below zero."),
    "override.days_out_of_range": N_("{days} days a week: choose from 1 to 7."),
    "override.weekday_out_of_range": N_("{weekday} is not a day of the week."),
}

#: What each category of exercise is for (the start of a new program's reasons).
PURPOSE: dict[Category, str] = {
    Category.CORE: N_(
        "Strengthens your belly muscles while your lower back stays still in its natural curve."
    ),
    Category.HIP_EXTENSION: N_(
        "Strengthens your glutes as they straighten the hip, so your low back and hamstrings no "
        "longer carry that load."
    ),
    Category.HIP_EXTERNAL_ROTATION: N_(
        "Strengthens the side glutes that turn the hip out and steady the leg, which takes "
        "tension off your hamstrings and low back."
    ),
    Category.MOBILITY: N_("For tight moments: a few quick movements instead of a long stretch."),
}

#: What an exercise needs, said in a new program's reason ({kit} is "band and dumbbell").
USES_KIT = N_("uses your {kit}")
NO_KIT = N_("needs no equipment")
