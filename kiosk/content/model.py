"""The content model: frozen dataclasses, no Qt."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Literal

#: The loader's problems are errors or warnings; ``kiosk check-content`` adds
#: notes ("info") that are neither, such as a draft translation.
Severity = Literal["error", "warning", "info"]

#: Pages without a language suffix are in this language.
DEFAULT_LANGUAGE = "en"
#: The languages a page can be translated into (``name.es.md``): code -> the
#: language's name in English, for the admin's messages. The kiosk's own words
#: have a catalogue for each (``kiosk/ui/i18n/locale/``); a test keeps the two lists equal.
TRANSLATION_LANGUAGES = MappingProxyType({"es": "Spanish"})
#: The values of a translated page's ``translation:`` header.
TRANSLATION_STATES = ("draft", "reviewed")
#: Where a page shows on home (its ``tile:`` header): a tile of its own (a
#: question a patient asks), or a small link under the tiles ("Conclusion",
#: "About this information").
TILE = "tile"
FOOTER = "footer"
TILE_PLACES = (TILE, FOOTER)

# "03-how-it-works.es" -> ("03-how-it-works", "es"); two letters, or a region
# too ("es-MX"), so "notes.v2" is a page called "notes.v2", not a language.
_LANGUAGE_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<code>[A-Za-z]{2}(?:[-_][A-Za-z]{2})?)$")


def split_language(stem: str) -> tuple[str, str | None]:
    """A page file's stem without its language suffix, and the suffix as written
    (``None`` when the stem has none): the key a translation shares with its
    English page comes from the first."""
    match = _LANGUAGE_SUFFIX.match(stem)
    if match is None:
        return stem, None
    return match.group("stem"), match.group("code")


#: Internal links in rendered HTML use this scheme: ``kiosk:page/<topic>/<page>``.
PAGE_LINK_PREFIX = "kiosk:page/"
#: Pictures in rendered HTML are named ``kiosk:image/<path in content folder>``.
IMAGE_PREFIX = "kiosk:image/"
#: A line ``[[request]]`` in a page: the "Request information" button goes there.
REQUEST_MARKER = "request"
#: Where a marker line was, in rendered HTML: an empty paragraph holding an
#: anchor of this name, which the page screen finds and puts the button over.
#: Only the renderer writes it (after sanitising: nh3 keeps no ``name``).
REQUEST_SLOT = "kiosk:request"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file: ``file:line: severity: message``."""

    path: Path
    line: int | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class Rendered:
    """A page's body as the screen shows it. ``html`` is already sanitised."""

    html: str
    plain_text: str
    #: Pictures the HTML may show: name in the HTML -> verified file inside the content folder.
    images: MappingProxyType[str, Path] = field(default_factory=lambda: MappingProxyType({}))
    #: What rendering found (links to no page, pictures refused, no text...): warnings.
    problems: tuple[Problem, ...] = ()
    #: Every picture shown: (line in the page file, reference as written, file).
    pictures: tuple[tuple[int | None, str, Path], ...] = ()


class PageBody:
    """A page's body, rendered the first time it is asked for, then kept.

    Loading a library only reads headers and does the cheap checks that decide
    whether a page can be shown; Markdown and the sanitiser run when a page is
    first shown (or checked). ``render`` must not raise: it returns a safe
    fallback itself (see ``kiosk.content.loader``). Safe to share between
    threads: the render runs once.

    Two bodies are equal when what their render reads is (``inputs``: the
    page's text, the pages its links may go to...), so a library loaded again
    from unchanged files equals the one on screen, rendered or not.
    """

    __slots__ = ("_inputs", "_lock", "_render", "_result")

    def __init__(self, render: Callable[[], Rendered], inputs: Hashable) -> None:
        self._render: Callable[[], Rendered] | None = render
        self._result: Rendered | None = None
        self._lock = threading.Lock()
        self._inputs = inputs

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PageBody):
            return NotImplemented
        return bool(self._inputs == other._inputs)

    def __hash__(self) -> int:
        return hash(self._inputs)

    @property
    def rendered(self) -> bool:
        return self._result is not None

    def get(self) -> Rendered:
        result = self._result
        if result is None:
            with self._lock:
                if self._result is None:
                    assert self._render is not None
                    self._result = self._render()
                    self._render = None  # let the page's source text go
                result = self._result
        return result


@dataclass(frozen=True)
class Page:
    """One screen of reading. Its body is rendered on first use (``html``,
    ``plain_text``, ``images``, ``problems``) and kept."""

    topic_id: str
    page_id: str
    title: str
    order: int
    summary: str
    source: Path
    body: PageBody = field(repr=False)
    #: The language the page is written in (``source`` is ``name.es.md`` for "es").
    language: str = DEFAULT_LANGUAGE
    #: The English page, shown in another language's view because that language
    #: has no translation of it (or one that could not be read): the UI says so.
    fallback: bool = False
    #: A translation's review state from its header ("draft" or "reviewed");
    #: None for a page in English.
    translation: str | None = None
    #: Clinical review, from the header: who reviewed the page ("" if no one
    #: has) and the date it is due again (None if not given).
    reviewed_by: str = ""
    review_by: date | None = None
    #: "In short": the page's key points in plain words (``kiosk.content.in_short``).
    in_short: tuple[str, ...] = ()
    #: Where home shows the page: ``TILE`` or ``FOOTER`` (from the English page's header).
    tile: str = TILE
    #: The tile's icon: a built-in icon (an SVG in the shipped ``icons/``) or a
    #: picture in the content folder, checked at load; None: home's default.
    icon: Path | None = None

    @property
    def key(self) -> str:
        return f"{self.topic_id}/{self.page_id}"

    def needs_review(self, today: date) -> bool:
        """No clinician has reviewed the page, or its review date has passed."""
        return not self.reviewed_by or (self.review_by is not None and self.review_by < today)

    @property
    def html(self) -> str:
        """The sanitised HTML (rendered now if it was not yet)."""
        return self.body.get().html

    @property
    def plain_text(self) -> str:
        return self.body.get().plain_text

    @property
    def images(self) -> MappingProxyType[str, Path]:
        """Pictures the HTML may show: name in the HTML -> verified file."""
        return self.body.get().images

    @property
    def problems(self) -> tuple[Problem, ...]:
        """What rendering this page found (warnings; an error if it fell back to text)."""
        return self.body.get().problems


@dataclass(frozen=True)
class TopicText:
    """A topic's title and summary in another language (``[es]`` in topic.toml)."""

    language: str
    title: str
    summary: str


@dataclass(frozen=True)
class Topic:
    topic_id: str
    title: str
    order: int
    summary: str
    cover: Path | None
    pages: tuple[Page, ...]
    #: Title and summary in other languages; ``Library.translated`` uses them.
    translations: tuple[TopicText, ...] = ()
    #: ``mental_health = true`` in topic.toml: check-content applies the
    #: safe-messaging rules that need it (a page naming suicide gives 988).
    mental_health: bool = False

    def text_in(self, code: str) -> TopicText | None:
        for text in self.translations:
            if text.language == code:
                return text
        return None


@dataclass(frozen=True)
class Library:
    """Everything that can be shown, plus what was wrong with what could not."""

    root: Path
    topics: tuple[Topic, ...]
    problems: tuple[Problem, ...] = ()
    #: Every translated page that can be shown, in every language: each has the
    #: key of its English page (links and the page order are the English ones).
    translations: tuple[Page, ...] = ()
    #: The language of ``topics`` (see ``translated``); the library as loaded is English.
    language: str = DEFAULT_LANGUAGE
    _english: Library | None = field(default=None, repr=False, compare=False)
    _views: dict[str, Library] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages (codes, sorted) with at least one translated page."""
        return tuple(sorted({page.language for page in self.translations}))

    def translated(self, code: str) -> Library:
        """This library in language ``code``: each page's translation where it
        has one, else the English page marked ``fallback``; topic titles and
        summaries from topic.toml's ``[code]`` table, else English. Keys do not
        change, so a link or the page on screen finds its counterpart. "en"
        gives the library as loaded. Pages are not rendered here (a view shares
        the English library's lazily rendered bodies); the view is kept, so
        switching back and forth builds it once.
        """
        english = self._english or self
        if code == DEFAULT_LANGUAGE:
            return english
        if code not in TRANSLATION_LANGUAGES:
            raise ValueError(f"no translations can be in language {code!r}")
        view = english._views.get(code)
        if view is None:
            view = english._view(code)
            english._views[code] = view
        return view

    def _view(self, code: str) -> Library:
        by_key = {page.key: page for page in self.translations if page.language == code}
        topics = []
        for topic in self.topics:
            pages = tuple(
                by_key.get(page.key) or replace(page, fallback=True) for page in topic.pages
            )
            text = topic.text_in(code)
            topics.append(
                replace(
                    topic,
                    title=text.title if text and text.title else topic.title,
                    summary=text.summary if text and text.summary else topic.summary,
                    pages=pages,
                )
            )
        return Library(self.root, tuple(topics), self.problems, self.translations, code, self)

    def page(self, key: str) -> Page | None:
        for topic in self.topics:
            for page in topic.pages:
                if page.key == key:
                    return page
        return None

    def topic_of(self, page: Page) -> Topic:
        for topic in self.topics:
            if topic.topic_id == page.topic_id:
                return topic
        raise KeyError(page.topic_id)

    def needing_review(self, today: date) -> tuple[Page, ...]:
        """The English pages no clinician has reviewed, or whose review date has
        passed (``kiosk check-content`` warns about each)."""
        english = self._english or self
        return tuple(page for page in english.pages if page.needs_review(today))

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The errors found at load (every page left out is among them)."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def pages(self) -> tuple[Page, ...]:
        return tuple(page for topic in self.topics for page in topic.pages)

    def render_all(self) -> tuple[Problem, ...]:
        """Render every page and translation now; return the problems found at
        load and then those each page's render found, in page order, then the
        translations'."""
        english = self._english or self
        found = list(self.problems)
        for page in english.pages + english.translations:
            found.extend(page.problems)
        return tuple(found)
