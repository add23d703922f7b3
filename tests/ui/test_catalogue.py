"""The kiosk's own words as gettext catalogues (kiosk/ui/i18n/locale/): every
translation complete and current, compiled, with the right placeholders and
plural forms; and switching to Spanish and back restores every word (no window
needed).

The catalogues are checked against the words in the code, extracted here the
way ``make translations`` extracts them: a reworded English word fails these
tests until a translator has translated it again, so a translation can never
silently go stale.
"""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.frontend import parse_keywords
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.content import Library
from kiosk.content.model import TRANSLATION_LANGUAGES
from kiosk.ui import i18n
from kiosk.ui.i18n import staff_strings, strings
from kiosk.ui.i18n.patient import PatientWords
from kiosk.ui.i18n.words import ENGLISH, LOCALE

# As in the Makefile's EXTRACT_ARGS (a difference shows as a .pot out of date).
KEYWORDS = parse_keywords(["N_", "NC_:1c,2", "ngettext:1,2"])
DOMAINS = ("patient", "staff")
SOURCE = Path(i18n.__file__).parent

POS = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
PO_IDS = [f"{po.parent.parent.name}/{po.stem}" for po in POS]

Key = tuple[str | None, str]  # (context, English)


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """Whatever a test switches to, the next test starts in English."""
    yield
    i18n.use(i18n.DEFAULT)


def in_code(domain: str) -> dict[Key, str | tuple[str, ...]]:
    """The messages ``kiosk/ui/i18n/<domain>.py`` marks, as pybabel extracts them."""
    found: dict[Key, str | tuple[str, ...]] = {}
    for _line, message, _comments, context in extract_from_file(
        "python", str(SOURCE / f"{domain}.py"), keywords=KEYWORDS, comment_tags=["Translators:"]
    ):
        english = message[0] if isinstance(message, tuple) else message
        found[(context, english)] = message
    return found


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file)


def forms(value: object) -> tuple[str, ...]:
    """A message's id or string as a tuple (Babel gives a tuple for plurals)."""
    return tuple(str(v) for v in value) if isinstance(value, tuple | list) else (str(value),)


def singular(message: Message) -> str:
    return forms(message.id)[0]


def get(catalog: Catalog, message_id: str) -> Message:
    message = catalog.get(message_id)
    assert message is not None, message_id
    return message


def entries(catalog: Catalog) -> dict[Key, Message]:
    return {(m.context, singular(m)): m for m in catalog if m.id}


def out_of_sync(code: dict[Key, str | tuple[str, ...]], catalog: Catalog) -> list[str]:
    """What differs between the code's messages and a .pot or .po, one line each."""
    found = entries(catalog)
    out = [f"not in the catalogue: {key[1]!r}" for key in code if key not in found]
    out += [f"no longer in the code: {key[1]!r}" for key in found if key not in code]
    out += [
        f"plural differs: {key[1]!r}"
        for key, message in found.items()
        if key in code and message.id != code[key]
    ]
    out += [f"obsolete entry: {singular(m)!r}" for m in catalog.obsolete.values()]
    return out


def untranslated(catalog: Catalog) -> list[str]:
    """Entries a translator still has to look at: empty, fuzzy, wrong number of forms."""
    out = []
    for message in catalog:
        if not message.id:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            out.append(f"fuzzy: {singular(message)!r}")
        elif not all(forms):
            out.append(f"not translated: {singular(message)!r}")
        elif message.pluralizable and len(forms) != catalog.num_plurals:
            out.append(f"needs {catalog.num_plurals} plural forms: {singular(message)!r}")
    return out


def wrong_placeholders(catalog: Catalog) -> list[str]:
    """Translations whose ``{names}`` differ from the English."""
    out = []
    for message in catalog:
        if not message.id:
            continue
        ids = forms(message.id)
        expected = i18n.placeholders(ids[-1])
        if any(i18n.placeholders(text) != expected for text in (*ids, *forms(message.string))):
            out.append(f"placeholders should be {sorted(expected)}: {singular(message)!r}")
    return out


def compiled(catalog: Catalog) -> gettext.GNUTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def table(translations: gettext.GNUTranslations) -> dict[object, str]:
    """A compiled catalogue's messages, its header left out (the header names
    the Babel version that wrote the file)."""
    catalog: dict[object, str] = vars(translations)["_catalog"]
    return {key: value for key, value in catalog.items() if key != ""}


# -- the catalogues ---------------------------------------------------------------


def test_every_language_has_its_patient_catalogue_and_every_domain_a_template() -> None:
    for domain in DOMAINS:
        assert (LOCALE / f"{domain}.pot").is_file(), domain
    for code in set(i18n.LANGUAGES) - {i18n.DEFAULT}:
        assert (LOCALE / code / "LC_MESSAGES" / "patient.po").is_file(), code
    assert {po.parent.parent.name for po in POS} <= set(i18n.LANGUAGES)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_template_holds_the_words_in_the_code(domain: str) -> None:
    """``make translations`` was run after the last change of an English word."""
    assert out_of_sync(in_code(domain), read(LOCALE / f"{domain}.pot")) == []


@pytest.mark.parametrize("po", POS, ids=PO_IDS)
def test_each_translation_has_exactly_the_words_in_the_code(po: Path) -> None:
    """No English word missing from a .po, none left over, none obsolete."""
    assert out_of_sync(in_code(po.stem), read(po)) == []


@pytest.mark.parametrize("po", POS, ids=PO_IDS)
def test_every_message_is_translated_and_none_is_fuzzy(po: Path) -> None:
    assert untranslated(read(po)) == []


@pytest.mark.parametrize("po", POS, ids=PO_IDS)
def test_translations_keep_the_placeholders(po: Path) -> None:
    assert wrong_placeholders(read(po)) == []


@pytest.mark.parametrize("po", POS, ids=PO_IDS)
def test_the_committed_mo_is_the_compiled_po(po: Path) -> None:
    """Nobody forgot ``make translations`` after editing a .po."""
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{mo} is missing: run make translations"
    with mo.open("rb") as file:
        committed = gettext.GNUTranslations(file)
    fresh = compiled(read(po))
    assert table(committed) == table(fresh)
    plural_of = vars(committed)["plural"], vars(fresh)["plural"]
    assert [plural_of[0](n) for n in range(200)] == [plural_of[1](n) for n in range(200)]


def test_spanish_has_two_plural_forms_one_for_one() -> None:
    catalog = read(LOCALE / "es" / "LC_MESSAGES" / "patient.po")
    assert catalog.plural_forms == "nplurals=2; plural=(n != 1);"


# -- the checks catch what they should ----------------------------------------------


def test_a_reworded_english_word_fails_until_it_is_translated_again() -> None:
    """Reword an English word: the .po no longer matches the code; after
    ``make translations`` (pybabel update) its Spanish is fuzzy, which fails too."""
    code = in_code("patient")
    old = (None, "Home")
    reworded = {key: message for key, message in code.items() if key != old}
    reworded[(None, "Start")] = "Start"
    spanish = read(LOCALE / "es" / "LC_MESSAGES" / "patient.po")
    assert out_of_sync(reworded, spanish) == [
        "not in the catalogue: 'Start'",
        "no longer in the code: 'Home'",
    ]

    template = Catalog()
    for (context, _english), message in reworded.items():
        template.add(message, context=context)
    spanish.update(template)  # what pybabel update does
    assert untranslated(spanish) in (["fuzzy: 'Start'"], ["not translated: 'Start'"])
    assert out_of_sync(reworded, spanish) == ["obsolete entry: 'Home'"]


def test_a_missing_fuzzy_or_wrong_translation_is_caught() -> None:
    spanish = read(LOCALE / "es" / "LC_MESSAGES" / "patient.po")
    get(spanish, "Close").string = ""
    get(spanish, "Previous").flags.add("fuzzy")
    get(spanish, "We will text you at {phone}.").string = "Le enviaremos un mensaje al {telefono}."
    plural = next(m for m in spanish if m.pluralizable)
    plural.string = (forms(plural.string)[0], "")
    assert untranslated(spanish) == [
        "fuzzy: 'Previous'",
        "not translated: 'Close'",
        f"not translated: {singular(plural)!r}",
    ]
    assert wrong_placeholders(spanish) == [
        "placeholders should be ['phone']: 'We will text you at {phone}.'",
        f"placeholders should be {sorted(i18n.placeholders(forms(plural.id)[-1]))}: "
        f"{singular(plural)!r}",
    ]


def test_a_changed_po_without_a_new_mo_is_caught() -> None:
    po = LOCALE / "es" / "LC_MESSAGES" / "patient.po"
    with po.with_suffix(".mo").open("rb") as file:
        committed = gettext.GNUTranslations(file)
    spanish = read(po)
    get(spanish, "Home").string = "Principio"
    assert table(committed) != table(compiled(spanish))


# -- the words as the kiosk reads them ----------------------------------------------


def test_spanish_then_english_restores_every_word() -> None:
    names = PatientWords.names()
    english = {name: getattr(strings, name) for name in names}
    assert english == PatientWords.english() == i18n.table("en")
    i18n.use("es")
    assert i18n.current() == "es"
    assert strings.HOME == "Inicio"
    assert strings.NEXT == "Siguiente" and strings.KEY_NEXT == "Sig."  # two contexts
    assert strings.METHOD_LABELS == {
        "call": "Llamada",
        "text": "Mensaje de texto",
        "email": "Correo electrónico",
    }
    assert strings.BEST_TIME_LABELS["morning"] == "Por la mañana"  # alone, "Mañana" is tomorrow
    spanish = {name: getattr(strings, name) for name in names}
    assert spanish == i18n.table("es")
    changed = [name for name in names if spanish[name] != english[name]]
    # Only "Aa", "123", "ABC", "áé" and "{method}: {detail}" read the same in both languages.
    assert set(names) - set(changed) == {
        "TEXT_SIZE",
        "KEY_NUMBERS",
        "KEY_LETTERS",
        "KEY_ACCENTS",
        "ANSWER_CONTACT",
    }
    i18n.use("en")
    assert i18n.current() == "en"
    assert {name: getattr(strings, name) for name in names} == english
    assert strings.still_there_body(1).endswith("in 1 second.")


def test_an_unknown_language_is_refused_and_changes_nothing() -> None:
    i18n.use("es")
    with pytest.raises(ValueError, match="xx"):
        i18n.use("xx")
    assert i18n.current() == "es" and strings.HOME == "Inicio"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", ["in 0 seconds.", "in 1 second.", "in 2 seconds."]),
        ("es", ["en 0 segundos.", "en 1 segundo.", "en 2 segundos."]),
    ],
)
def test_plural_forms_for_0_1_and_2(code: str, expected: list[str]) -> None:
    i18n.use(code)
    for n, ending in zip((0, 1, 2), expected, strict=True):
        assert strings.still_there_body(n).endswith(ending), (n, strings.still_there_body(n))


def test_staff_words_have_plurals_and_stay_english() -> None:
    """The staff screens read the clinic's language whatever the patient chose."""
    i18n.use("es")
    assert [staff_strings.seconds(n) for n in (0, 1, 2)] == ["0 seconds", "1 second", "2 seconds"]
    assert staff_strings.days(1) == "1 day"
    assert staff_strings.purge_done(1) == "Deleted 1 enquiry."
    assert staff_strings.purge_done(0) == "Deleted 0 enquiries."
    assert staff_strings.files_too(1, 90) == (
        "The 1 export file older than 90 days in the export folder goes too."
    )
    assert staff_strings.export_done(2, "/x") == "Exported 2 enquiries to:\n/x"
    assert staff_strings.pin_dots(1) == "1 digit typed"
    assert staff_strings.CANCEL == "Cancel"


def test_english_reads_no_catalogue_file() -> None:
    """Start-up in English loads nothing: the source words are the English."""
    assert i18n.catalogue("patient", "en") is ENGLISH
    assert isinstance(i18n.catalogue("patient", "es"), gettext.GNUTranslations)


# -- what the Spanish says ------------------------------------------------------------

ES = i18n.table("es")


def test_spanish_crisis_help_names_988_in_spanish_911_and_the_front_desk() -> None:
    """The crisis card in Spanish: 988's Spanish option (press 2, text AYUDA),
    Crisis Text Line in Spanish, rich text like the English; then its own lines,
    the QR codes', 911's and the front desk's."""
    body = ES["CRISIS_BODY"]
    assert isinstance(body, str)
    text = re.sub(r"<[^>]+>", "", body)
    assert "llame o envíe un mensaje de texto al 988" in text
    assert "llame al 988 y oprima el 2" in text
    assert "envíe AYUDA por mensaje de texto al 988" in text
    assert "AYUDA por mensaje de texto al 741741" in text
    assert body.startswith("<p>") and body.endswith("</p>")
    assert set(re.findall(r"</?(\w+)", body)) <= {"p", "b"}
    assert "llamar al 988" in str(ES["CRISIS_CALL_QR"])
    assert "texto al 988" in str(ES["CRISIS_TEXT_QR"])
    assert "llame al 911" in str(ES["CRISIS_EMERGENCY"])
    assert "recepción" in str(ES["CRISIS_FRONT_DESK"])


def test_keyboard_labels_fit_their_keys() -> None:
    """Special keys are about as wide as the English ones: seven letters at most."""
    for name in ("KEY_SHIFT", "KEY_NUMBERS", "KEY_LETTERS", "KEY_SPACE", "KEY_DELETE"):
        assert len(str(ES[name])) <= 7, name
    assert len(str(ES["KEY_ACCENTS"])) <= 4
    for name in ("KEY_NEXT", "KEY_DONE"):
        assert len(str(ES[name])) <= 5, name


def test_spanish_pages_name_the_buttons_by_their_spanish_labels(
    shipped_library: Library,
) -> None:
    """ "Talk to us" tells the reader which button to tap: the same words as on it."""
    key = "ketamine-and-depression/08-talk-to-us"
    english, spanish = shipped_library.page(key), shipped_library.translated("es").page(key)
    assert english is not None and spanish is not None
    assert str(PatientWords.english()["REQUEST_INFO"]) in english.plain_text
    assert str(ES["REQUEST_INFO"]) in spanish.plain_text


def test_every_content_language_has_a_catalogue() -> None:
    """The languages pages can be translated into are the ones the switch offers."""
    assert set(TRANSLATION_LANGUAGES) == set(i18n.LANGUAGES) - {i18n.DEFAULT}
    assert set(i18n.LANGUAGE_NAMES) == set(i18n.LANGUAGES)
