"""The Spanish catalogue of the kiosk's own words: complete, caught when not,
and switching back to English restores every word (no window needed)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from kiosk.content import Library
from kiosk.content.model import TRANSLATION_LANGUAGES
from kiosk.ui import i18n, strings
from kiosk.ui.catalogues.es import STRINGS


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """Whatever a test switches to, the next test starts in English."""
    yield
    i18n.use(i18n.DEFAULT)


def test_the_spanish_catalogue_is_complete() -> None:
    """Every name in kiosk.ui.strings, same type, dict keys and placeholders."""
    assert i18n.problems("es") == []
    assert set(STRINGS) == set(i18n.ENGLISH)


@pytest.mark.parametrize("name", ["HOME", "CRISIS_BODY", "BEST_TIME_LABELS", "THANK_YOU"])
def test_a_missing_word_is_caught(name: str) -> None:
    """A catalogue with one name removed fails the same check."""
    broken = {key: value for key, value in STRINGS.items() if key != name}
    assert i18n.check_catalogue("es", broken) == [f"es: {name} is not translated"]


def test_wrong_placeholders_keys_and_types_are_caught() -> None:
    broken = dict(STRINGS)
    broken["THANK_YOU"] = "Gracias. Nos comunicaremos con usted por {metodo}."
    broken["SIZE_NAMES"] = {"default": "Normal", "large": "Grande"}
    broken["HOME"] = ["Inicio"]
    broken["EXTRA"] = "De más"
    assert i18n.check_catalogue("es", broken) == [
        "es: HOME should be a str",
        "es: THANK_YOU should use the placeholders ['method']",
        "es: SIZE_NAMES should have the keys ['default', 'large', 'largest']",
        "es: EXTRA is not a word the kiosk uses",
    ]


def test_spanish_then_english_restores_every_word() -> None:
    english = {name: getattr(strings, name) for name in i18n.ENGLISH}
    i18n.use("es")
    assert i18n.current() == "es"
    note = STRINGS["NOT_TRANSLATED"]
    assert strings.HOME == "Inicio"
    assert note == strings.NOT_TRANSLATED
    changed = [name for name in i18n.ENGLISH if getattr(strings, name) != english[name]]
    # Only "Aa", "123" and "ABC" read the same in both languages.
    assert set(i18n.ENGLISH) - set(changed) == {"TEXT_SIZE", "KEY_NUMBERS", "KEY_LETTERS"}
    i18n.use("en")
    assert i18n.current() == "en"
    assert {name: getattr(strings, name) for name in i18n.ENGLISH} == english
    assert english == i18n.ENGLISH


def test_spanish_crisis_help_names_988_in_spanish_911_and_the_front_desk() -> None:
    """The crisis card in Spanish: 988's Spanish option (press 2, text AYUDA),
    911, Crisis Text Line in Spanish, the front desk; rich text like the English."""
    body = STRINGS["CRISIS_BODY"]
    assert isinstance(body, str)
    text = re.sub(r"<[^>]+>", "", body)
    assert "llame o envíe un mensaje de texto al 988" in text
    assert "llame al 988 y oprima el 2" in text
    assert "envíe AYUDA por mensaje de texto al 988" in text
    assert "AYUDA por mensaje de texto al 741741" in text
    assert "llame al 911" in text
    assert "recepción" in text
    assert body.startswith("<p>") and body.endswith("</p>")
    assert set(re.findall(r"</?(\w+)", body)) <= {"p", "b"}


def test_keyboard_labels_fit_their_keys() -> None:
    """Special keys are about as wide as the English ones: seven letters at most."""
    for name in ("KEY_SHIFT", "KEY_NUMBERS", "KEY_LETTERS", "KEY_SPACE", "KEY_DELETE"):
        assert len(str(STRINGS[name])) <= 7, name
    for name in ("KEY_NEXT", "KEY_DONE"):
        assert len(str(STRINGS[name])) <= 5, name


def test_spanish_pages_name_the_buttons_by_their_spanish_labels(
    shipped_library: Library,
) -> None:
    """ "Talk to us" tells the reader which button to tap: the same words as on it."""
    key = "ketamine-and-depression/08-talk-to-us"
    english, spanish = shipped_library.page(key), shipped_library.translated("es").page(key)
    assert english is not None and spanish is not None
    assert i18n.ENGLISH["REQUEST_INFO"] in english.plain_text
    assert str(STRINGS["REQUEST_INFO"]) in spanish.plain_text


def test_every_content_language_has_a_catalogue() -> None:
    """The languages pages can be translated into are the ones the switch offers."""
    assert set(TRANSLATION_LANGUAGES) == set(i18n.LANGUAGES) - {i18n.DEFAULT}
    assert set(i18n.LANGUAGE_NAMES) == set(i18n.LANGUAGES)
