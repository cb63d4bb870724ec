"""The active language of every word this layer says, and the functions that translate.

The pages (Jinja2's i18n extension), the printed handout and the command line all call
`gettext`/`ngettext` here, so one catalogue (``messages.pot``, see docs/translation.md) serves
them all. The active translations live in a context variable: English as written (a
`gettext.NullTranslations`) unless a caller renders inside `translations_in`.
"""

from __future__ import annotations

import gettext as gettext_module
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: English as written in the source: every msgid is its own translation.
ENGLISH: gettext_module.NullTranslations = gettext_module.NullTranslations()

_ACTIVE: ContextVar[gettext_module.NullTranslations] = ContextVar(
    "backcoach_translations", default=ENGLISH
)


def N_(message: str) -> str:  # the name Babel's extractor looks for
    """Mark a message for extraction where it is written; it is translated where it is said."""
    return message


def gettext(message: str) -> str:
    """A message in the active language."""
    return _ACTIVE.get().gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for ``count``, in the active language."""
    return _ACTIVE.get().ngettext(singular, plural, count)


def active_translations() -> gettext_module.NullTranslations:
    """The translations in force here (English unless inside `translations_in`)."""
    return _ACTIVE.get()


@contextmanager
def translations_in(translations: gettext_module.NullTranslations) -> Iterator[None]:
    """Say everything inside in the language of ``translations`` (e.g. a
    `babel.support.Translations` loaded from a compiled catalogue)."""
    token = _ACTIVE.set(translations)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
