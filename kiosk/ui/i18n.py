"""Which language the kiosk's own words are in, and switching it.

``kiosk.ui.strings`` holds the English words as module constants, and the rest
of the UI reads them as ``strings.NAME`` at the moment it builds or relabels a
widget. A catalogue per other language (``kiosk/ui/catalogues/<code>.py``, a
``STRINGS`` dict with the same names) holds its translations; ``use(code)``
puts one language's words into ``strings``. Widgets then relabel themselves
(``KioskWindow.set_language`` drives that). Tests check that every catalogue
has every name, with the same placeholders.

Staff screens (``kiosk/ui/staff_*.py``) stay in the clinic's language: the
language switch is the patient's, and it resets when they leave.
"""

from __future__ import annotations

import importlib
import string
from typing import Any

from kiosk.ui import strings

DEFAULT = "en"
LANGUAGES = ("en", "es")
# Each language named in itself, as people look for it on a switch.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

ENGLISH: dict[str, Any] = {
    name: value
    for name, value in vars(strings).items()
    if name.isupper() and not name.startswith("_")
}
_current = DEFAULT


def catalogue(code: str) -> dict[str, Any]:
    """The translations for ``code`` (English: the source words themselves)."""
    if code == DEFAULT:
        return dict(ENGLISH)
    if code not in LANGUAGES:
        raise ValueError(f"no catalogue for language {code!r}")
    module = importlib.import_module(f"kiosk.ui.catalogues.{code}")
    table: dict[str, Any] = module.STRINGS
    return table


def use(code: str) -> None:
    """Put ``code``'s words into ``kiosk.ui.strings`` (a missing word stays English)."""
    global _current
    table = {**ENGLISH, **catalogue(code)}
    for name, value in table.items():
        if name in ENGLISH:
            setattr(strings, name, value)
    _current = code


def current() -> str:
    return _current


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a format string expects."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def problems(code: str) -> list[str]:
    """What is missing or wrong in a catalogue, one sentence each (empty when complete)."""
    return check_catalogue(code, catalogue(code))


def check_catalogue(code: str, found: dict[str, Any]) -> list[str]:
    """What is missing or wrong in ``found``, the catalogue for ``code`` (kept
    apart from loading it, so a test can check a broken one)."""
    out = []
    for name, english in ENGLISH.items():
        if name not in found:
            out.append(f"{code}: {name} is not translated")
            continue
        value = found[name]
        if type(value) is not type(english):
            out.append(f"{code}: {name} should be a {type(english).__name__}")
        elif isinstance(english, dict):
            if set(value) != set(english):
                out.append(f"{code}: {name} should have the keys {sorted(english)}")
        elif isinstance(english, str) and placeholders(value) != placeholders(english):
            out.append(
                f"{code}: {name} should use the placeholders {sorted(placeholders(english))}"
            )
    out += [f"{code}: {name} is not a word the kiosk uses" for name in found if name not in ENGLISH]
    return out
