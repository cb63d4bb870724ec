"""The wording layer is ready for translation: one catalogue from the Python and the templates,
said in whichever language is active, English when none is."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
import tokenize
from pathlib import Path

import pytest
from babel.messages import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from backcoach.engine.decisions import LONG_BREAK, NO_SETS
from backcoach.engine.reasons import reason
from backcoach.engine.vocabulary import Decision
from backcoach.wording import DECISION_WORDS, DISCLAIMER, tempo_words
from backcoach.wording.errors import error_words
from backcoach.wording.i18n import ENGLISH, active_translations, gettext, ngettext, translations_in
from backcoach.wording.messages import DAY_NOTES, MESSAGES
from backcoach.wording.reasons import say_note
from tests.support.messages import ROOT, extract, pseudo_translations


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    return extract()


def _ids(catalogue: Catalog) -> set[str]:
    return {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue
        if message.id
    }


def _german(entries: dict[str, str | tuple[str, str]]) -> Translations:
    """A small compiled catalogue, as a translator's .mo file would be."""
    catalog = Catalog(locale="de")
    for msgid, msgstr in entries.items():
        key: str | tuple[str, str] = msgid
        if isinstance(msgstr, tuple):
            key = (msgid, msgid + "s")
        catalog.add(key, msgstr)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def test_extraction_finds_the_wording_layer_and_the_templates(catalogue: Catalog) -> None:
    ids = _ids(catalogue)
    assert DISCLAIMER in ids  # wording/__init__.py
    assert MESSAGES[NO_SETS] in ids  # wording/messages.py, an engine reason
    assert "Your password is not right." in ids  # wording/errors.py
    assert "Start the session" in ids  # today.html, a {% trans %} block
    assert "How is your back pain right now?" in ids  # today.html, _() as a macro's argument
    assert "Logged in as <strong>%(email)s</strong>." in ids  # account.html, a placeholder
    origins = {
        Path(filename).parts[0] for message in catalogue for filename, _ in message.locations
    }
    assert {"wording", "web"} <= origins


def test_counts_are_extracted_with_their_plural(catalogue: Catalog) -> None:
    plurals = {message.id for message in catalogue if isinstance(message.id, tuple)}
    assert ("{sets} set × {amount} {unit}", "{sets} sets × {amount} {unit}") in plurals
    assert ("%(count)s tight moment logged today.", "%(count)s tight moments logged today.") in (
        plurals
    )


def test_every_message_of_a_table_is_whole_in_the_catalogue(catalogue: Catalog) -> None:
    """A table's message is one msgid (never joined from parts), or a translation misses it."""
    ids = _ids(catalogue)
    missing = [text for text in (*MESSAGES.values(), *DAY_NOTES.values()) if text not in ids]
    assert missing == ["{text}", "{text}"]  # words from an older document: not ours to translate


#: A call that says a message, as it would be written inside an f-string's braces.
_SAID = re.compile(r"\b(?:n?gettext|_)\(")


def test_no_message_is_said_inside_an_f_string() -> None:
    """Babel's extractor reads no call inside an f-string: its message would never reach the
    catalogue, and every language would print it in English."""
    hidden = []
    for path in sorted((ROOT / "src" / "backcoach").rglob("*.py")):
        with path.open("rb") as source:
            for token in tokenize.tokenize(source.readline):
                prefix = token.string[: len(token.string) - len(token.string.lstrip("rRbBuUfF"))]
                is_f_string = token.type == tokenize.STRING and "f" in prefix.lower()
                if is_f_string and _SAID.search(token.string):
                    hidden.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert hidden == []


def test_the_script_writes_the_same_catalogue(tmp_path: Path, catalogue: Catalog) -> None:
    output = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"  # the one beside this test's Python
    script = ROOT / "scripts" / "messages.sh"
    environment = {**os.environ, "PYBABEL": str(pybabel)}
    subprocess.run(["bash", str(script), str(output)], check=True, env=environment)
    with output.open("rb") as written:
        assert _ids(read_po(written)) == _ids(catalogue)


def test_english_is_the_default_and_a_locale_is_only_active_inside() -> None:
    german = _german({"Moves up": "Steigt auf"})
    assert active_translations() is ENGLISH
    with translations_in(german):
        assert DECISION_WORDS[Decision.PROGRESS] == "Steigt auf"
        assert gettext("Moves up") == "Steigt auf"
    assert DECISION_WORDS[Decision.PROGRESS] == "Moves up"
    assert active_translations() is ENGLISH


def test_another_thread_keeps_its_own_language() -> None:
    seen: list[str] = []
    german = _german({"Moves up": "Steigt auf"})
    with translations_in(german):
        worker = threading.Thread(target=lambda: seen.append(gettext("Moves up")))
        worker.start()
        worker.join()
    assert seen == ["Moves up"]


def test_a_reason_is_translated_before_its_parameters_go_in() -> None:
    template = DAY_NOTES[LONG_BREAK]
    german = _german({template: "{days} Tage seit der letzten Einheit: langsam wieder anfangen."})
    note = reason(LONG_BREAK, days=9)
    with translations_in(german):
        assert say_note(note) == "9 Tage seit der letzten Einheit: langsam wieder anfangen."
    assert say_note(note) == "9 days since the last session: easing back in."


def test_counts_say_one_and_many_in_english() -> None:
    assert ngettext("{count} second", "{count} seconds", 1) == "{count} second"
    assert tempo_words("1-0-2-0") == "Lower in 1 second, lift in 2 seconds."
    assert error_words("login.wait", {"wait_seconds": 1}) == (
        "Too many failed attempts. Please wait 1 second and try again."
    )
    assert error_words("login.wait", {"wait_seconds": 61}) == (
        "Too many failed attempts. Please wait 61 seconds and try again."
    )
    assert error_words("login.wait", {"wait_seconds": 91}) == (
        "Too many failed attempts. Please wait 2 minutes and try again."
    )


def test_the_pseudo_language_wraps_every_message() -> None:
    with translations_in(pseudo_translations()):
        assert gettext("Moves up") == "⟦Moves up⟧"
        assert tempo_words("hold") == "⟦Hold the position still and keep breathing.⟧"
        assert ngettext("{count} second", "{count} seconds", 2) == "{count}⟦ seconds⟧"
