"""A patient's request to be contacted: what the form collects, and the checks
that turn what they typed into an enquiry or into plain-words problems.

Plain Python: the form (``kiosk.ui.patient.request``) shows the problems next to their
fields; the store (``kiosk.enquiries.store``) seals ``Enquiry.personal()``. Text is kept
exactly as typed (after trimming the ends), or refused with a reason: nothing
is silently rewritten, so what staff read is what the patient wrote.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum

MAX_NAME = 100
MAX_PHONE = 40
MAX_EMAIL = 254  # RFC 5321's limit on a path
MAX_MESSAGE = 500

# Characters a person never means to type, which could hide or reorder what
# staff read: bidirectional overrides and isolates (the "Trojan Source" set).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
# Letters and marks that are drawn as nothing (Hangul fillers, the Braille
# blank, the Arabic letter mark U+061C): with format characters (zero-width
# space and joiners, U+FEFF), spaces and lone combining marks, a name of only
# these is a blank name, and a blank call-back list row.
_DRAWN_AS_NOTHING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u061c\u180e")
_SHOWS_NOTHING = frozenset({"Cf", "Mn", "Me", "Zs", "Cc"})


class Method(Enum):
    """How the patient wants to be contacted."""

    CALL = "call"
    TEXT = "text"
    EMAIL = "email"

    @property
    def needs(self) -> str:
        """The field this method needs: "phone" or "email"."""
        return "email" if self is Method.EMAIL else "phone"


class BestTime(Enum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    ANY = "any"


@dataclass(frozen=True)
class FormInput:
    """What the form holds when the patient taps Send, exactly as typed."""

    name: str = ""
    phone: str = ""
    email: str = ""
    method: Method | None = None
    best_time: BestTime = BestTime.ANY
    topic: str = ""
    message: str = ""
    consent: bool = False


@dataclass(frozen=True)
class Enquiry:
    """A checked request: ready to be sealed and saved."""

    name: str
    phone: str  # E.164 ("+18015550100"), or "" when none was given
    email: str  # normalised by email-validator, or ""
    method: Method
    best_time: BestTime
    topic: str  # a topic id, or "" for a general question
    message: str

    def personal(self) -> dict[str, str]:
        """Everything a person typed or chose: the part that is sealed at rest."""
        return {
            "name": self.name,
            "phone": self.phone,
            "email": self.email,
            "method": self.method.value,
            "best_time": self.best_time.value,
            "message": self.message,
        }


# The messages shown next to each field. Plain words, never colour alone.
NAME_MISSING = "Please enter your name."
NAME_TOO_LONG = f"Please shorten your name to at most {MAX_NAME} characters."
NAME_ODD = "Please remove the unusual characters from your name."
REACH_MISSING = "Please give a phone number or an email address, so we can reach you."
PHONE_BAD = "This doesn't look like a phone number. Please check it, with the area code."
PHONE_ODD = "A phone number can only have digits, spaces, dots, +, -, ( and )."
EMAIL_BAD = "This doesn't look like an email address. Please check it (like name@example.com)."
METHOD_MISSING = "Please choose how we should contact you."
METHOD_NEEDS_PHONE = "To get a call or a text, please give a phone number."
METHOD_NEEDS_EMAIL = "To get an email, please give an email address."
MESSAGE_TOO_LONG = f"Please shorten your message to at most {MAX_MESSAGE} characters."
MESSAGE_ODD = "Please remove the unusual characters from your message."
CONSENT_MISSING = "Please tick this box, so the clinic may contact you."

#: Every message by name: the UI shows them in the patient's language
#: (``kiosk.ui.i18n.strings.FORM_PROBLEMS`` has the same names).
PROBLEMS = {
    "NAME_MISSING": NAME_MISSING,
    "NAME_TOO_LONG": NAME_TOO_LONG,
    "NAME_ODD": NAME_ODD,
    "REACH_MISSING": REACH_MISSING,
    "PHONE_BAD": PHONE_BAD,
    "PHONE_ODD": PHONE_ODD,
    "EMAIL_BAD": EMAIL_BAD,
    "METHOD_MISSING": METHOD_MISSING,
    "METHOD_NEEDS_PHONE": METHOD_NEEDS_PHONE,
    "METHOD_NEEDS_EMAIL": METHOD_NEEDS_EMAIL,
    "MESSAGE_TOO_LONG": MESSAGE_TOO_LONG,
    "MESSAGE_ODD": MESSAGE_ODD,
    "CONSENT_MISSING": CONSENT_MISSING,
}

_PHONE_CHARS = frozenset("0123456789+-() .")


def unusual_characters(text: str, *, multiline: bool = False) -> bool:
    """True if ``text`` holds characters nobody types on purpose: control
    characters (NUL, escape...; line breaks only where ``multiline``), lone
    surrogates, and bidirectional overrides that could disguise what staff read.
    Emoji, accents and every script are fine."""
    for ch in text:
        if ch in _BIDI_CONTROLS:
            return True
        category = unicodedata.category(ch)
        if category == "Cs":
            return True
        if category in ("Cc", "Zl", "Zp") and not (multiline and ch in "\n\t"):
            return True
    return False


def shows_nothing(text: str) -> bool:
    """True if ``text`` draws no visible character at all."""
    return all(
        ch in _DRAWN_AS_NOTHING or ch.isspace() or unicodedata.category(ch) in _SHOWS_NOTHING
        for ch in text
    )


def _trim(text: str) -> str:
    """Spaces, tabs and line breaks off the ends, nothing else: ``str.strip()``
    would also drop control characters it counts as space (\x1c-\x1f, \x85),
    and what is refused must be refused, not quietly cut."""
    return text.strip(" \t\n")


def _check_phone(text: str, region: str) -> tuple[str, str | None]:
    import phonenumbers  # its metadata is large: loaded when a number is checked

    if len(text) > MAX_PHONE or not set(text) <= _PHONE_CHARS:
        return "", PHONE_ODD
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return "", PHONE_BAD
    if not phonenumbers.is_valid_number(number):
        return "", PHONE_BAD
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), None


def phone_for_display(text: str, region: str) -> str:
    """A phone number written as people in ``region`` write it ("(801) 555-0100"),
    or in international form when it is from elsewhere; ``text`` as given when
    it is not a valid number (shown back to the patient, never rewritten in storage)."""
    import phonenumbers  # its metadata is large: loaded when a number is shown

    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    home = phonenumbers.region_code_for_number(number) == region
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, style.NATIONAL if home else style.INTERNATIONAL)


def _check_email(text: str) -> tuple[str, str | None]:
    from email_validator import EmailNotValidError, validate_email

    if len(text) > MAX_EMAIL or unusual_characters(text) or any(c.isspace() for c in text):
        return "", EMAIL_BAD
    try:
        # Syntax only: the kiosk never looks anything up on the network.
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return "", EMAIL_BAD
    return str(checked.normalized), None


def check(form: FormInput, region: str = "US") -> tuple[Enquiry | None, dict[str, str]]:
    """The enquiry, or None and a message per field ("name", "phone", "email",
    "method", "message", "consent") saying what to fix."""
    problems: dict[str, str] = {}
    name = _trim(form.name)
    if unusual_characters(form.name):
        problems["name"] = NAME_ODD
    elif shows_nothing(name):  # "" too
        problems["name"] = NAME_MISSING
    elif len(name) > MAX_NAME:
        problems["name"] = NAME_TOO_LONG

    phone_text, email_text = _trim(form.phone), _trim(form.email)
    phone = email = ""
    if not phone_text and not email_text and form.method is None:
        # With a method chosen, its own message says which detail is missing.
        problems["phone"] = REACH_MISSING
    if phone_text:
        phone, problem = _check_phone(phone_text, region)
        if problem:
            problems["phone"] = problem
    if email_text:
        email, problem = _check_email(email_text)
        if problem:
            problems["email"] = problem

    if form.method is None:
        problems["method"] = METHOD_MISSING
    elif form.method.needs == "phone" and not phone_text:
        problems["method"] = METHOD_NEEDS_PHONE
    elif form.method.needs == "email" and not email_text:
        problems["method"] = METHOD_NEEDS_EMAIL

    message = _trim(form.message)
    if unusual_characters(form.message, multiline=True):
        problems["message"] = MESSAGE_ODD
    elif len(message) > MAX_MESSAGE:
        problems["message"] = MESSAGE_TOO_LONG

    if not form.consent:
        problems["consent"] = CONSENT_MISSING

    if problems or form.method is None:
        return None, problems
    return (
        Enquiry(
            name=name,
            phone=phone,
            email=email,
            method=form.method,
            best_time=form.best_time,
            topic=form.topic,
            message=message,
        ),
        {},
    )
