"""The message catalogue as scripts/messages.sh extracts it, and a pseudo-language built from it.

The pseudo-language wraps the words of every message in ⟦ ⟧, so a page rendered in it shows at a
glance (and to a test) which words went through the wording layer and which were left as plain
English; `unmarked` finds those words in a text, leaving out what is data, not wording.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.support import Translations

from backcoach.catalogue import default_catalogue, default_demos
from backcoach.pictures.scene import keyframe_title

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "backcoach"
POT = PACKAGE / "wording" / "messages.pot"
OPEN, CLOSE = "⟦", "⟧"
#: A message's placeholders: ``{name}``/``{name:g}`` (the wording layer), ``%(name)s`` (templates).
PLACEHOLDER = re.compile(r"(\{[^{}]*\}|%\(\w+\)[a-z])")


@functools.cache
def _extracted() -> tuple[tuple[str, int, str | tuple[str, ...], tuple[str, ...], str | None], ...]:
    """What babel finds in the package, once per test process: reading every module and
    template took about 3 s of CPU, and a dozen tests each asked for it (the sources do not
    change while the tests run)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    return tuple(
        (filename, lineno, message, tuple(comments), context)
        for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map, options_map
        )
    )


def extract() -> Catalog:
    """Every marked message of the package, by babel.cfg's mapping (as scripts/messages.sh):
    a new catalogue for each caller."""
    catalog = Catalog()
    for filename, lineno, message, comments, context in _extracted():
        catalog.add(
            message, None, [(filename, lineno)], auto_comments=list(comments), context=context
        )
    return catalog


def wrapped(message: str) -> str:
    """The message's own words in ⟦ ⟧, its placeholders left outside: what fills them is
    checked on its own (a word passed in unmarked would hide inside the markers otherwise)."""
    parts = PLACEHOLDER.split(message)
    return "".join(
        part if PLACEHOLDER.fullmatch(part) else f"{OPEN}{part}{CLOSE}" for part in parts if part
    )


@functools.cache
def _pseudo_mo() -> bytes:
    """The pseudo-language compiled once per test process (see _extracted)."""
    pseudo = Catalog(locale="en")
    for message in extract():
        if not message.id:
            continue
        if isinstance(message.id, str):
            pseudo.add(message.id, wrapped(message.id))
        else:  # singular and plural
            pseudo.add(message.id, tuple(wrapped(form) for form in message.id))
    compiled = io.BytesIO()
    write_mo(compiled, pseudo)
    return compiled.getvalue()


def pseudo_translations() -> Translations:
    """Every extracted message translated to itself in ⟦ ⟧ (plurals both ways): new
    Translations for each caller, from the catalogue compiled once."""
    return Translations(io.BytesIO(_pseudo_mo()))


#: Dates are printed with strftime, in English (docs/translation.md): the names of days and
#: months, whole ("Monday", "March") or short ("Mon", "Mar"), are data in these checks.
_WEEK = [dt.date(2026, 1, day) for day in range(1, 8)]
_FIRSTS_OF_MONTHS = [dt.date(2026, month, 1) for month in range(1, 13)]
MONTHS_AND_DAYS = frozenset(
    {day.strftime(form) for day in _WEEK for form in ("%A", "%a")}
    | {day.strftime(form) for day in _FIRSTS_OF_MONTHS for form in ("%B", "%b")}
)
DATE_WORD = re.compile(rf"\b(?:{'|'.join(sorted(MONTHS_AND_DAYS, key=len, reverse=True))})\b")


def catalogue_texts() -> set[str]:
    """The exercise catalogue's texts (names, summaries, set-up, cues, faults, targets) and the
    demonstrations' step names: content, translated with the catalogue, not by the messages."""
    found = {"backcoach"}  # the brand name
    for exercise in default_catalogue().exercises:
        found.update((exercise.name, exercise.summary, exercise.why_not))
        found.update(exercise.setup)
        found.update(exercise.cues)
        # A target the wording layer has no words for shows as the catalogue names it.
        found.update(target.replace("_", " ") for target in exercise.targets)
        for fault in exercise.faults:
            found.update((fault.sign, fault.fix))
    for demo in default_demos().values():
        found.update(keyframe_title(keyframe).lower() for keyframe in demo.keyframes)
    return {text for text in found if text}


def outside(text: str, depth: int = 0) -> tuple[str, int]:
    """The part of ``text`` outside ⟦ ⟧ (a gap where a marked part was), and the depth after
    (a marked message may span several pieces of text, as markup splits a page's)."""
    kept: list[str] = []
    for char in text:
        if char == OPEN:
            depth += 1
            kept.append(" ")
        elif char == CLOSE:
            depth -= 1
            kept.append(" ")
        elif depth == 0:
            kept.append(char)
    return "".join(kept), depth


def unmarked(pieces: Iterable[str], data: Iterable[str]) -> list[str]:
    """The pieces (already outside ⟦ ⟧) that still hold a word once data and dates are taken
    out; data is replaced longest first, so a part of it is never taken first."""
    ordered = sorted(data, key=len, reverse=True)
    words = []
    for piece in pieces:
        for text in ordered:
            piece = piece.replace(text, " ")
        piece = DATE_WORD.sub(" ", piece)
        # What holds no letter (numbers, times, punctuation) says no word.
        if re.search(r"[^\W\d_]", piece):
            words.append(" ".join(piece.split()))
    return words
