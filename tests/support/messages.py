"""The message catalogue as scripts/messages.sh extracts it, and a pseudo-language built from it.

The pseudo-language wraps the words of every message in ⟦ ⟧, so a page rendered in it shows at a
glance (and to a test) which words went through the wording layer and which were left as plain
English.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.support import Translations

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "backcoach"
POT = PACKAGE / "wording" / "messages.pot"
OPEN, CLOSE = "⟦", "⟧"
#: A message's placeholders: ``{name}``/``{name:g}`` (the wording layer), ``%(name)s`` (templates).
PLACEHOLDER = re.compile(r"(\{[^{}]*\}|%\(\w+\)[a-z])")


def extract() -> Catalog:
    """Every marked message of the package, by babel.cfg's mapping (as scripts/messages.sh)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map, options_map
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def wrapped(message: str) -> str:
    """The message's own words in ⟦ ⟧, its placeholders left outside: what fills them is
    checked on its own (a word passed in unmarked would hide inside the markers otherwise)."""
    parts = PLACEHOLDER.split(message)
    return "".join(
        part if PLACEHOLDER.fullmatch(part) else f"{OPEN}{part}{CLOSE}" for part in parts if part
    )


def pseudo_translations() -> Translations:
    """Every extracted message translated to itself in ⟦ ⟧ (plurals both ways)."""
    source = extract()
    pseudo = Catalog(locale="en")
    for message in source:
        if not message.id:
            continue
        if isinstance(message.id, str):
            pseudo.add(message.id, wrapped(message.id))
        else:  # singular and plural
            pseudo.add(message.id, tuple(wrapped(form) for form in message.id))
    compiled = io.BytesIO()
    write_mo(compiled, pseudo)
    compiled.seek(0)
    return Translations(compiled)
