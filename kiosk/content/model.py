"""The content model: frozen dataclasses, no Qt."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal

Severity = Literal["error", "warning"]

#: Internal links in rendered HTML use this scheme: ``kiosk:page/<topic>/<page>``.
PAGE_LINK_PREFIX = "kiosk:page/"
#: Pictures in rendered HTML are named ``kiosk:image/<path in content folder>``.
IMAGE_PREFIX = "kiosk:image/"


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

    def __init__(self, render: Callable[[], Rendered], inputs: Hashable = None) -> None:
        self._render: Callable[[], Rendered] | None = render
        self._result: Rendered | None = None
        self._lock = threading.Lock()
        self._inputs = inputs

    @classmethod
    def ready(cls, rendered: Rendered) -> PageBody:
        """A body rendered already (for tests, or a page made in code)."""
        inputs = (rendered.html, rendered.plain_text, tuple(rendered.images.items()))
        body = cls(lambda: rendered, inputs)
        body.get()
        return body

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PageBody):
            return NotImplemented
        if self._inputs is None or other._inputs is None:
            return self is other
        return bool(self._inputs == other._inputs)

    def __hash__(self) -> int:
        return id(self) if self._inputs is None else hash(self._inputs)

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

    @property
    def key(self) -> str:
        return f"{self.topic_id}/{self.page_id}"

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
class Topic:
    topic_id: str
    title: str
    order: int
    summary: str
    cover: Path | None
    pages: tuple[Page, ...]


@dataclass(frozen=True)
class Library:
    """Everything that can be shown, plus what was wrong with what could not."""

    root: Path
    topics: tuple[Topic, ...]
    problems: tuple[Problem, ...] = ()

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

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The errors found at load (every page left out is among them)."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def pages(self) -> tuple[Page, ...]:
        return tuple(page for topic in self.topics for page in topic.pages)

    def render_all(self) -> tuple[Problem, ...]:
        """Render every page now; return the problems found at load and then
        those each page's render found, in page order."""
        found = list(self.problems)
        for page in self.pages:
            found.extend(page.problems)
        return tuple(found)
