"""The machinery behind ``strings`` and ``staff_strings``: gettext, and classes
whose attributes are English words that come out translated.

A subclass of ``Words`` names one gettext domain and lists the English words as
class attributes, each marked for ``pybabel extract``::

    class PatientWords(Words, domain="patient"):
        HOME = N_("Home")
        KEY_NEXT = NC_("keyboard key", "Next")            # a context tells two "Next" apart
        METHOD_LABELS = {"call": N_("Call"), ...}          # a dict: translated value by value

        def still_there_body(self, seconds: int) -> str:   # a plural: one ngettext call
            return self.ngettext("... {seconds} second.", "... {seconds} seconds.", seconds)

Type checkers see the attributes as the ``str`` (or ``dict[str, str]``) they
are written as. At run time ``__init_subclass__`` turns each into a descriptor,
so reading ``words.HOME`` gives the word in the domain's active translation.
Nothing is ever overwritten: ``activate`` swaps the translation object.

Only the standard library's ``gettext`` is used here: the compiled ``.mo``
files beside this module are all the running kiosk needs (Babel makes them,
``make translations``). English is the source language, so it loads no file
(and does not even import ``gettext``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Protocol, Self, overload

LOCALE = Path(__file__).parent / "locale"

# gettext joins a message's context and its English with this character.
_CONTEXT_SEPARATOR = "\x04"


class Catalogue(Protocol):
    """What the words need of a translation (``gettext.GNUTranslations`` has it)."""

    def gettext(self, message: str, /) -> str: ...
    def pgettext(self, context: str, message: str, /) -> str: ...
    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


class _English:
    """The source language: every message is its own translation (what
    ``gettext.NullTranslations`` does, without importing gettext)."""

    def gettext(self, message: str, /) -> str:
        return message

    def pgettext(self, context: str, message: str, /) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return singular if n == 1 else plural


ENGLISH: Catalogue = _English()
_active: dict[str, Catalogue] = {}


def N_(message: str) -> str:
    """Marks ``message`` for extraction; the word itself, untranslated."""
    return message


def NC_(context: str, message: str) -> str:
    """Marks ``message`` for extraction with a ``context`` (msgctxt), for the
    same English that needs two translations ("Next" page, "Next" key)."""
    return f"{context}{_CONTEXT_SEPARATOR}{message}"


@cache
def translations(domain: str, code: str | None) -> Catalogue:
    """The compiled catalogue of ``domain`` in language ``code``; ``None`` is the
    source language (English): no file is read. A missing ``.mo`` is an error."""
    if code is None:
        return ENGLISH
    import gettext  # only for another language: English needs none of it

    return gettext.translation(domain, LOCALE, languages=[code])


def activate(domain: str, code: str | None) -> None:
    """From now on ``domain``'s words come out in ``code`` (``None``: English)."""
    _active[domain] = translations(domain, code)


def _translate(message: str, catalogue: Catalogue) -> str:
    context, separator, english = message.rpartition(_CONTEXT_SEPARATOR)
    if separator:
        return catalogue.pgettext(context, english)
    return catalogue.gettext(message)


def english(message: str) -> str:
    """The English of a marked message (its context left out)."""
    return message.rpartition(_CONTEXT_SEPARATOR)[2]


class _Text:
    """A class attribute that is one message."""

    def __init__(self, message: str) -> None:
        self.message = message

    def translate(self, catalogue: Catalogue) -> str:
        return _translate(self.message, catalogue)

    def english(self) -> str:
        return english(self.message)

    @overload
    def __get__(self, words: None, owner: type[Words]) -> Self: ...
    @overload
    def __get__(self, words: Words, owner: type[Words]) -> str: ...
    def __get__(self, words: Words | None, owner: type[Words]) -> Self | str:
        return self if words is None else self.translate(words.catalogue())


class _Texts:
    """A class attribute that is a dict of messages (labels by key)."""

    def __init__(self, messages: dict[str, str]) -> None:
        self.messages = dict(messages)

    def translate(self, catalogue: Catalogue) -> dict[str, str]:
        return {key: _translate(message, catalogue) for key, message in self.messages.items()}

    def english(self) -> dict[str, str]:
        return {key: english(message) for key, message in self.messages.items()}

    @overload
    def __get__(self, words: None, owner: type[Words]) -> Self: ...
    @overload
    def __get__(self, words: Words, owner: type[Words]) -> dict[str, str]: ...
    def __get__(self, words: Words | None, owner: type[Words]) -> Self | dict[str, str]:
        return self if words is None else self.translate(words.catalogue())


class Words:
    """One gettext domain's words; see the module's docstring."""

    domain: ClassVar[str]
    _texts: ClassVar[dict[str, _Text | _Texts]]

    def __init_subclass__(cls, domain: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.domain = domain
        cls._texts = {}
        for name, value in list(vars(cls).items()):
            if not name.isupper() or name.startswith("_"):
                continue
            if isinstance(value, str):
                cls._texts[name] = _Text(value)
            elif isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                cls._texts[name] = _Texts(value)
            else:
                raise TypeError(f"{cls.__name__}.{name}: a word is a str or a dict of str")
            setattr(cls, name, cls._texts[name])

    def catalogue(self) -> Catalogue:
        """The translation the words come out in now."""
        return _active.get(self.domain, ENGLISH)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a message for the number ``n`` (the language's plural rule)."""
        return self.catalogue().ngettext(singular, plural, n)

    @classmethod
    def names(cls) -> list[str]:
        """The names of the words that are attributes (not the plural methods)."""
        return list(cls._texts)

    @classmethod
    def english(cls) -> dict[str, str | dict[str, str]]:
        """Every attribute's English, by name."""
        return {name: text.english() for name, text in cls._texts.items()}

    @classmethod
    def table(cls, catalogue: Catalogue) -> dict[str, str | dict[str, str]]:
        """Every attribute in ``catalogue``'s language, by name, without switching."""
        return {name: text.translate(catalogue) for name, text in cls._texts.items()}
