"""Which language the kiosk's own words are in, and switching it.

The UI reads ``strings.NAME`` (the patients' words, ``patient.py``) and
``staff_strings.NAME`` (the staff screens', ``staff.py``) at the moment it
builds or relabels a widget. Their English is the source; each other language
is a gettext catalogue under ``locale/`` (``.po`` for translators, the compiled
``.mo`` beside it for the kiosk; ``make translations``, docs/authoring.md).
``use(code)`` switches the patients' words to ``code``'s catalogue, and widgets
then relabel themselves (``KioskWindow.set_language`` drives that). Words with
a number are methods (``strings.still_there_body(5)``): one ngettext call each.

Staff screens stay in the clinic's language (English): the language switch is
the patient's, and it resets when they leave.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.ui.i18n.patient import PatientWords
from kiosk.ui.i18n.words import Catalogue, activate, translations

if TYPE_CHECKING:
    from kiosk.ui.i18n.staff import StaffWords

    #: The staff screens' words, in the clinic's language (made on first use, below).
    staff_strings: StaffWords

#: The language the words are written in, and the kiosk's at start.
DEFAULT = "en"
#: Every language the switch offers, the default first (the one list: add a
#: language here, then ``pybabel init``; see docs/authoring.md).
LANGUAGES = ("en", "es")
#: Each language named in itself, as people look for it on a switch.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

#: The patients' words, in the language ``use`` chose.
strings = PatientWords()

_current = DEFAULT


def catalogue(domain: str, code: str) -> Catalogue:
    """The compiled translation of ``domain`` for ``code`` (English: none, the source)."""
    if code not in LANGUAGES:
        raise ValueError(f"no catalogue for language {code!r}")
    return translations(domain, None if code == DEFAULT else code)


def use(code: str) -> None:
    """From now on the patients' words come out in ``code``."""
    global _current
    catalogue(PatientWords.domain, code)  # an unknown code fails before anything changes
    activate(PatientWords.domain, None if code == DEFAULT else code)
    _current = code


def current() -> str:
    return _current


def table(code: str) -> dict[str, str | dict[str, str]]:
    """Every patient word (not the plural methods) in ``code``, by name, without switching."""
    return PatientWords.table(catalogue(PatientWords.domain, code))


def __getattr__(name: str) -> object:
    """``staff_strings`` is made when staff mode first asks for it: patients never need it."""
    if name == "staff_strings":
        # start-up time: the staff words load with staff mode
        from kiosk.ui.i18n.staff import StaffWords

        globals()[name] = words = StaffWords()
        return words
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a format string expects."""
    import string  # for the tests and tools: not needed at start-up

    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


__all__ = [
    "DEFAULT",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "catalogue",
    "current",
    "placeholders",
    "staff_strings",
    "strings",
    "table",
    "use",
]
