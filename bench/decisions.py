"""How many plan and next decisions backcoach makes per second on one core.

Run: python bench/decisions.py [--seconds 2]. Prints figures; it is not a test. Target: 50,000
decisions a second or more (issue 2). "plan (cold)" clears the selection cache before every
call: the worst case, a profile never seen before. What depends on the catalogue alone is
worked out once per catalogue, and "prepare catalogue" reports that one-off cost. "next" decides
every exercise of a session from a four-session log; it is reported per session and per
exercise decided.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from collections.abc import Callable
from datetime import date, timedelta

from backcoach.catalogue import default_catalogue
from backcoach.engine.catalogue import Catalogue
from backcoach.engine.ladder import _within_reach
from backcoach.engine.log import ExerciseLog, SessionLog, SetLog
from backcoach.engine.plan import Plan
from backcoach.engine.prescription import _choices, _choose, prescribe
from backcoach.engine.profile import Profile
from backcoach.engine.progression import decide_next
from backcoach.engine.screening import RED_FLAG_IDS
from backcoach.engine.vocabulary import Equipment, Felt, Level, Pregnancy

START = date(2026, 11, 2)
#: A complete screening with nothing raised: the engine builds no program without one.
ALL_NO = dict.fromkeys(RED_FLAG_IDS, False)


def profiles(count: int, seed: int = 7) -> list[Profile]:
    rng = random.Random(seed)
    kit = list(Equipment)
    return [
        Profile(
            age=rng.randint(18, 80),
            pain=rng.randint(0, 9),
            level=rng.choice(list(Level)),
            days_per_week=rng.randint(1, 7),
            equipment=frozenset(rng.sample(kit, rng.randint(0, len(kit)))),
            red_flags=ALL_NO,
            pregnancy=Pregnancy.NONE,
        )
        for _ in range(count)
    ]


def log_for(plan: Plan, rng: random.Random) -> list[SessionLog]:
    sessions = []
    for index in range(4):
        sessions.append(
            SessionLog(
                day=START + timedelta(days=2 * index),
                pain_before=rng.randint(0, 5),
                pain_during=rng.randint(0, 6),
                pain_after=rng.randint(0, 5),
                pain_next_morning=rng.choice([None, rng.randint(0, 6)]),
                exercises=tuple(
                    ExerciseLog(
                        item.exercise.id,
                        tuple(
                            SetLog(
                                rng.randint(item.dose_min - 2, item.dose_max),
                                rng.choice([Felt.TARGET, Felt.TARGET, Felt.TARGET, Felt.LOW_BACK]),
                            )
                            for _ in range(item.sets)
                        ),
                    )
                    for item in plan.exercises
                ),
            )
        )
    return sessions


def rate(label: str, work: Callable[[int], object], items: int, seconds: float) -> float:
    done, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        for index in range(items):
            work(index)
        done += items
    per_second = done / (time.perf_counter() - began)
    print(f"{label:<28} {per_second:>12,.0f} decisions/s   ({1e6 / per_second:6.1f} µs each)")
    return per_second


def _prepare_seconds(catalogue: Catalogue) -> float:
    """The one-off work per catalogue that prescription and the ladders keep."""
    _choices.cache_clear()
    _within_reach.cache_clear()
    began = time.perf_counter()
    _choices(catalogue)
    _within_reach(catalogue, True)
    _within_reach(catalogue, False)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    catalogue = default_catalogue()
    people = profiles(500)
    rng = random.Random(11)
    plans = [
        p for p in (prescribe(person, catalogue, START) for person in people) if isinstance(p, Plan)
    ]
    logs = [log_for(plan, rng) for plan in plans]
    today = START + timedelta(days=7)
    print(
        f"backcoach decisions on one core; Python {platform.python_version()}, "
        f"{len(catalogue)} exercises, {len(people)} profiles"
    )

    def plan_cold(i: int) -> None:
        _choose.cache_clear()
        prescribe(people[i], catalogue, START)

    warm = rate(
        "plan (warm cache)",
        lambda i: prescribe(people[i], catalogue, START),
        len(people),
        args.seconds,
    )
    cold = rate("plan (cold, no cache)", plan_cold, len(people), args.seconds)
    nxt = rate(
        "next (whole session)",
        lambda i: decide_next(plans[i], logs[i], today, catalogue),
        len(plans),
        args.seconds,
    )
    per_plan = sum(len(plan.exercises) for plan in plans) / len(plans)
    per_exercise = nxt * per_plan
    print(
        f"{'next (per exercise)':<28} {per_exercise:>12,.0f} decisions/s   "
        f"({per_plan:.1f} exercises a session)"
    )
    prepare = min(_prepare_seconds(catalogue) for _ in range(5))
    print(f"{'prepare catalogue (once)':<28} {prepare * 1e6:>12,.0f} µs")
    for label, value in (
        ("plan, warm cache", warm),
        ("plan, cold", cold),
        ("next, whole session", nxt),
        ("next, per exercise", per_exercise),
    ):
        print(f"target 50,000/s  {label:<20} {'met' if value >= 50_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
