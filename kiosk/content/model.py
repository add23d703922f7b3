"""The content model: frozen dataclasses, no Qt."""

from __future__ import annotations

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
class Page:
    """One screen of reading. ``html`` is already sanitised."""

    topic_id: str
    page_id: str
    title: str
    order: int
    summary: str
    source: Path
    html: str
    plain_text: str
    #: Pictures the HTML may show: name in the HTML -> verified file inside the content folder.
    images: MappingProxyType[str, Path] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def key(self) -> str:
        return f"{self.topic_id}/{self.page_id}"


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
        return tuple(p for p in self.problems if p.severity == "error")
