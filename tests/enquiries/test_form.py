"""The form's checks (kiosk.enquiries.form), and hostile input end to end through the
real store: every field is stored exactly, or refused with a message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk.enquiries import form as enquiry
from kiosk.enquiries.form import BestTime, FormInput, Method, check, unusual_characters
from kiosk.enquiries.keys import KdfParams, KeyRing, Opener
from kiosk.enquiries.store import EnquiryStore, open_personal
from tests.conftest import examples

GOOD = FormInput(
    name="Ana López",
    phone="(801) 555-0100",
    method=Method.CALL,
    best_time=BestTime.MORNING,
    topic="ketamine-and-depression",
    message="Is it covered by insurance?",
    consent=True,
)


def replace(form: FormInput, **changes: object) -> FormInput:
    from dataclasses import replace as dc_replace

    return dc_replace(form, **changes)  # type: ignore[arg-type]


# -- plain checks ---------------------------------------------------------------
def test_a_good_form_becomes_an_enquiry_with_the_number_in_international_form() -> None:
    result, problems = check(GOOD)
    assert problems == {}
    assert result is not None
    assert result.phone == "+18015550100"
    assert result.personal() == {
        "name": "Ana López",
        "phone": "+18015550100",
        "email": "",
        "method": "call",
        "best_time": "morning",
        "message": "Is it covered by insurance?",
    }
    assert "topic" not in result.personal()  # the topic is stored in the clear


def test_an_empty_form_names_every_missing_field_in_words() -> None:
    result, problems = check(FormInput())
    assert result is None
    assert problems == {
        "name": enquiry.NAME_MISSING,
        "phone": enquiry.REACH_MISSING,
        "method": enquiry.METHOD_MISSING,
        "consent": enquiry.CONSENT_MISSING,
    }


@pytest.mark.parametrize("phone", ["555-0100", "12", "1-800-FLOWERS", "+1 (801) 555-01000"])
def test_a_phone_number_that_cannot_be_reached_is_refused(phone: str) -> None:
    _result, problems = check(replace(GOOD, phone=phone))
    assert problems.keys() == {"phone"}


def test_numbers_are_read_for_the_clinics_region() -> None:
    mexico, problems = check(replace(GOOD, phone="55 1234 5678"), region="MX")
    assert problems == {} and mexico is not None
    assert mexico.phone == "+525512345678"
    us, us_problems = check(replace(GOOD, phone="55 1234 5678"), region="US")
    assert us_problems == {} and us is not None
    assert us.phone == "+15512345678"  # the same digits, read as a US number


def test_email_is_checked_for_syntax_and_kept_as_typed_apart_from_the_domain() -> None:
    result, problems = check(
        replace(GOOD, phone="", email=" Ana@Example.COM ", method=Method.EMAIL)
    )
    assert problems == {} and result is not None
    assert result.email == "Ana@example.com"
    for bad in ("ana@", "ana example.com", "ana@@example.com", "<script>@x.com"):
        _r, problems = check(replace(GOOD, email=bad))
        assert problems.get("email") == enquiry.EMAIL_BAD, bad


def test_a_method_needs_the_detail_it_uses() -> None:
    _r, problems = check(replace(GOOD, phone="", email="ana@example.com", method=Method.TEXT))
    assert problems == {"method": enquiry.METHOD_NEEDS_PHONE}
    _r, problems = check(replace(GOOD, method=Method.EMAIL))
    assert problems == {"method": enquiry.METHOD_NEEDS_EMAIL}


def test_the_message_has_a_limit_of_500_characters() -> None:
    ok, problems = check(replace(GOOD, message="x" * 500))
    assert problems == {} and ok is not None
    _r, problems = check(replace(GOOD, message="x" * 501))
    assert problems == {"message": enquiry.MESSAGE_TOO_LONG}


@pytest.mark.parametrize(
    ("text", "multiline", "unusual"),
    [
        ("Ana\x00", False, True),
        ("evil\u202eexe.txt", False, True),
        ("\u2066isolate", False, True),
        ("esc\x1b[31m", False, True),
        ("two\nlines", False, True),
        ("two\nlines", True, False),
        ("José 😀 Ñandú 李", False, False),
        ("👩‍👩‍👧", False, False),  # a joined emoji keeps its joiners
    ],
)
def test_unusual_characters(text: str, multiline: bool, unusual: bool) -> None:
    assert unusual_characters(text, multiline=multiline) is unusual


# -- hostile input, end to end ------------------------------------------------
HOSTILE_CHARS = st.sampled_from(
    ["\x00", "\x07", "\x1b", "\r", "\n", "\t", "\u202e", "\u202d", "\u2067", "\u200f",
     "\ufeff", "\u200d", "😀", "\U0010ffff", "\ud800", "<", ">", "&", "'", '"', "=", "\\",
     "é", "李", "ع"]
)  # fmt: skip
HOSTILE_PIECES = st.one_of(
    HOSTILE_CHARS, st.sampled_from(["👩‍⚕️", "%s", "{0}", "'; DROP TABLE enquiries;--", "=1+2"])
)
HOSTILE_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(st.one_of(HOSTILE_CHARS, st.characters()), max_size=60),
    st.lists(HOSTILE_PIECES, max_size=20).map("".join),
)
PASTE = "Paste " * 1667  # 10,002 characters


@pytest.fixture(scope="module")
def ring_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EnquiryStore, Opener]]:
    folder = tmp_path_factory.mktemp("hostile")
    ring, code = KeyRing.create(
        folder / "keys.json", folder / "code.txt", kdf=KdfParams.fast_for_tests()
    )
    store = EnquiryStore(folder / "enquiries.sqlite3", ring.sealer())
    yield store, ring.unlock(code)
    store.close()


def _round_trip(store: EnquiryStore, opener: Opener, form: FormInput) -> dict[str, str] | None:
    """Check and save ``form``; what staff would read back, or None if refused."""
    result, problems = check(form)
    if result is None:
        assert problems, "refused without a message"
        assert all(isinstance(m, str) and m.endswith(".") for m in problems.values())
        return None
    import uuid

    saved = store.save(uuid.uuid4().hex, result.topic, result.personal())
    stored = next(e for e in store.enquiries() if e.id == saved.id)
    return open_personal(opener, stored)


SETTINGS = settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(text=HOSTILE_TEXT)
@example(text=PASTE)
@example(text="\x00")
@example(text="Robert'); DROP TABLE enquiries;--")
@example(text="\x1fAna\x85")  # control characters str.strip() would drop silently
@example(text="\u00a0Ana\u2028")
def test_any_name_is_stored_exactly_or_refused(
    ring_store: tuple[EnquiryStore, Opener], text: str
) -> None:
    read = _round_trip(*ring_store, replace(GOOD, name=text))
    if read is None:
        assert "name" in check(replace(GOOD, name=text))[1]
    else:
        assert read["name"] == text.strip(" \t\n")


@SETTINGS
@given(text=HOSTILE_TEXT)
@example(text=PASTE)
@example(text='=HYPERLINK("http://x")\n\u202e')
def test_any_message_is_stored_exactly_or_refused(
    ring_store: tuple[EnquiryStore, Opener], text: str
) -> None:
    read = _round_trip(*ring_store, replace(GOOD, message=text))
    if read is None:
        assert "message" in check(replace(GOOD, message=text))[1]
    else:
        assert read["message"] == text.strip(" \t\n")


@SETTINGS
@given(text=HOSTILE_TEXT)
@example(text=PASTE)
@example(text="+1 801 555 0100\x00")
def test_any_phone_is_stored_as_a_valid_number_or_refused(
    ring_store: tuple[EnquiryStore, Opener], text: str
) -> None:
    read = _round_trip(*ring_store, replace(GOOD, phone=text, email="a@example.com"))
    if read is not None:
        assert re.fullmatch(r"\+[1-9][0-9]{6,14}", read["phone"]) or read["phone"] == ""


@SETTINGS
@given(text=HOSTILE_TEXT)
@example(text=PASTE + "@example.com")
@example(text="a\u202e@example.com")
def test_any_email_is_stored_as_a_valid_address_or_refused(
    ring_store: tuple[EnquiryStore, Opener], text: str
) -> None:
    read = _round_trip(*ring_store, replace(GOOD, email=text, method=Method.EMAIL))
    if read is not None:
        assert "@" in read["email"]
        assert not unusual_characters(read["email"])


def test_nothing_refused_is_half_saved(ring_store: tuple[EnquiryStore, Opener]) -> None:
    store, _opener = ring_store
    before = store.count()
    assert _round_trip(*ring_store, replace(GOOD, name="\x00")) is None
    assert _round_trip(*ring_store, replace(GOOD, message=PASTE)) is None
    assert store.count() == before


def test_check_never_raises_on_absurd_input(tmp_path: Path) -> None:
    for text in ("\ud800", "\U0010ffff" * 300, "\x00" * 10_000, "@" * 10_000):
        form = FormInput(name=text, phone=text, email=text, message=text, consent=True)
        result, problems = check(form)
        assert result is None and problems


def test_a_refused_phone_number_is_told_every_character_it_may_have() -> None:
    """ "801.555.0100" is taken: the reason given for a refused number named
    digits, spaces, + - ( and ), but not the dots it also takes."""
    words = {" ": "spaces", ".": "dots", "+": "+", "-": "-", "(": "(", ")": ")"}
    allowed = enquiry._PHONE_CHARS - set("0123456789")
    assert allowed == set(words)
    assert "digits" in enquiry.PHONE_ODD
    for word in words.values():
        assert word in enquiry.PHONE_ODD, word
    assert check(replace(GOOD, phone="801.555.0100"), "US")[1] == {}
    assert check(replace(GOOD, phone="801 555 0100 x"), "US")[1]["phone"] == enquiry.PHONE_ODD
