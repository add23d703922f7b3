"""Reading a content folder into a ``Library``.

Layout::

    content/
      ketamine-and-depression/      a topic (folders starting with _ or . are skipped)
        topic.toml                  title, order, summary, cover
        01-ketamine-and-depression.md
        images/...

A page starts with a metadata header::

    ---
    title: What is ketamine?
    order: 2
    summary: One line for the home screen.     (optional)
    picture: images/clinic.jpg                 (optional)
    ---
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kiosk.content.model import Library, Page, Problem, Severity, Topic
from kiosk.content.render import (
    BrokenPageError,
    RenderContext,
    Renderer,
    inside,
    plain_text,
    resolve_picture,
)
from kiosk.hints import did_you_mean

log = logging.getLogger(__name__)

TOPIC_FILE = "topic.toml"
PAGE_KEYS = {"title": str, "order": int, "summary": str, "picture": str}
REQUIRED_PAGE_KEYS = ("title", "order")
TOPIC_KEYS = {"title": str, "order": int, "summary": str, "cover": str}
MAX_TITLE = 120
MAX_SUMMARY = 200


@dataclass(frozen=True)
class _Header:
    values: dict[str, tuple[Any, int]]  # key -> (value, line)
    body: str
    body_line: int  # line number of the body's first line


class MetadataError(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def parse_header(text: str) -> tuple[_Header, list[tuple[int, str]]]:
    """Split a page into its metadata header and body; raise MetadataError if broken."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise MetadataError(
            'the page must start with a metadata header: a line "---", '
            '"title: ...", "order: ...", then "---"',
            1,
        )
    warnings: list[tuple[int, str]] = []
    values: dict[str, tuple[Any, int]] = {}
    for index in range(1, len(lines)):
        number = index + 1
        line = lines[index].strip()
        if line == "---":
            body = "\n".join(lines[index + 1 :])
            return _Header(values, body, number + 1), warnings
        if not line or line.startswith("#"):
            continue
        key, sep, raw = line.partition(":")
        key = key.strip().lower()
        if not sep or not key:
            raise MetadataError(f'"{line}" is not "key: value"', number)
        if key in values:
            raise MetadataError(f'"{key}" is given twice (first on line {values[key][1]})', number)
        if key not in PAGE_KEYS:
            warnings.append((number, f'unknown key "{key}", ignored{did_you_mean(key, PAGE_KEYS)}'))
            continue
        value: Any = raw.strip()
        if PAGE_KEYS[key] is int:
            try:
                value = int(value)
            except ValueError:
                raise MetadataError(
                    f'"{key}" must be a whole number, got "{raw.strip()}"', number
                ) from None
        values[key] = (value, number)
    raise MetadataError('the metadata header has no closing "---"', 1)


def _read_text(path: Path) -> str:
    """UTF-8 text of ``path``; raise MetadataError naming the line of a bad byte."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MetadataError(
            "is not valid UTF-8 text (save it as UTF-8); page left out", line
        ) from None


@dataclass
class _PendingPage:
    topic_id: str
    page_id: str
    path: Path
    text: str
    header: _Header

    @property
    def key(self) -> str:
        return f"{self.topic_id}/{self.page_id}"


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.problems: list[Problem] = []
        self.renderer = Renderer()

    def problem(self, path: Path, line: int | None, severity: Severity, message: str) -> None:
        self.problems.append(Problem(path, line, severity, message))

    def load(self) -> Library:
        if not self.root.is_dir():
            self.problem(self.root, None, "error", "the content folder does not exist")
            return Library(self.root, (), tuple(self.problems))
        folders = []
        for path in sorted(self.root.iterdir()):
            if not path.is_dir() or path.name.startswith((".", "_")):
                continue
            if not inside(self.root, path):
                self.problem(path, None, "warning", "links to outside the content folder; left out")
                continue
            folders.append(path)
        pending: dict[str, list[_PendingPage]] = {}
        for folder in folders:
            pending[folder.name] = self._read_pages(folder)
        keys = frozenset(f"{t}/{p.page_id}" for t, pages in pending.items() for p in pages)
        rendered = self._render_all(pending, keys)
        topics = []
        for folder in folders:
            pages = [page for p in pending[folder.name] if (page := rendered[p.key]) is not None]
            if not pages:
                self.problem(
                    folder, None, "warning", "topic has no pages that can be shown; left out"
                )
                continue
            topics.append(self._topic(folder, pages))
        topics.sort(key=lambda t: (t.order, t.topic_id))
        if not topics:
            self.problem(self.root, None, "error", "no topic has a page that can be shown")
        return Library(self.root, tuple(topics), tuple(self.problems))

    def _render_all(
        self, pending: dict[str, list[_PendingPage]], keys: frozenset[str]
    ) -> dict[str, Page | None]:
        """Render every page. A page that cannot be shown is left out, so links
        to it must not stay live: render again without it until nothing changes."""
        while True:
            problems: list[Problem] = []
            rendered = {
                p.key: self._render(p, keys, problems) for pages in pending.values() for p in pages
            }
            shown = keys & frozenset(key for key, page in rendered.items() if page is not None)
            if shown == keys:
                self.problems.extend(problems)
                return rendered
            keys = shown  # only ever shrinks, so this ends

    def _read_pages(self, folder: Path) -> list[_PendingPage]:
        result = []
        for path in sorted(folder.glob("*.md")):
            if path.name.startswith((".", "_")) or not path.is_file():
                continue
            if not inside(self.root, path):
                self.problem(path, None, "warning", "links to outside the content folder; left out")
                continue
            try:
                text = _read_text(path)
                header, warnings = parse_header(text)
                for line, message in warnings:
                    self.problem(path, line, "warning", message)
                self._check_page_header(header)
            except MetadataError as exc:
                self.problem(
                    path,
                    exc.line,
                    "error",
                    f"{exc}; page left out" if "left out" not in str(exc) else str(exc),
                )
                continue
            except OSError as exc:
                self.problem(path, None, "error", f"cannot be read ({exc.strerror}); page left out")
                continue
            result.append(_PendingPage(folder.name, path.stem, path, text, header))
        orders: dict[int, Path] = {}
        for page in result:
            order, line = page.header.values["order"]
            if order in orders:
                self.problem(
                    page.path,
                    line,
                    "warning",
                    f"order {order} is also used by {orders[order].name}",
                )
            orders.setdefault(order, page.path)
        return result

    @staticmethod
    def _check_page_header(header: _Header) -> None:
        for key in REQUIRED_PAGE_KEYS:
            if key not in header.values:
                raise MetadataError(f'the metadata header has no "{key}"', 1)
        title, line = header.values["title"]
        if not title:
            raise MetadataError('"title" is empty', line)
        if len(title) > MAX_TITLE:
            raise MetadataError(f'"title" is longer than {MAX_TITLE} characters', line)
        if "summary" in header.values and len(header.values["summary"][0]) > MAX_SUMMARY:
            raise MetadataError(
                f'"summary" is longer than {MAX_SUMMARY} characters', header.values["summary"][1]
            )

    def _render(
        self, pending: _PendingPage, keys: frozenset[str], problems: list[Problem]
    ) -> Page | None:
        """The page, or None if it cannot be shown; what is wrong goes to ``problems``."""
        path = pending.path

        def problem(line: int | None, severity: Severity, message: str) -> None:
            problems.append(Problem(path, line, severity, message))

        header = pending.header
        body = header.body
        context = RenderContext(self.root, path, keys, pending.text)
        if "picture" in header.values:
            picture, line = header.values["picture"]
            file, refused = resolve_picture(self.root, path.parent, picture)
            if file is None:
                problem(line, "warning", refused or "picture left out")
            elif not file.is_file():
                problem(line, "error", f'picture "{picture}" not found; page left out')
                return None
            else:
                body = f"![]({picture})\n\n{body}"
        try:
            html = self.renderer.render(body, context)
        except BrokenPageError as exc:
            problem(exc.line, "error", f"{exc}; page left out")
            return None
        except Exception as exc:  # one odd page must never stop the kiosk
            log.debug("rendering %s failed", path, exc_info=True)
            problem(
                None, "error", f"could not be shown ({type(exc).__name__}: {exc}); page left out"
            )
            return None
        for at, message in context.warnings:
            problem(at, "warning", message)
        text = plain_text(html)
        if not text.strip() and not context.images:
            problem(header.body_line, "warning", "the page has no text")
        return Page(
            topic_id=pending.topic_id,
            page_id=pending.page_id,
            title=header.values["title"][0],
            order=header.values["order"][0],
            summary=header.values.get("summary", ("", 0))[0],
            source=path,
            html=html,
            plain_text=text,
            images=MappingProxyType(dict(context.images)),
        )

    def _topic(self, folder: Path, pages: list[Page]) -> Topic:
        pages.sort(key=lambda p: (p.order, p.page_id))
        meta_file = folder / TOPIC_FILE
        title = folder.name.replace("-", " ").replace("_", " ").capitalize()
        order, summary, cover = 999, "", None
        data: dict[str, Any] = {}
        text = ""
        if not meta_file.is_file():
            self.problem(
                meta_file,
                None,
                "warning",
                f'missing; the topic is called "{title}" until it has one',
            )
        else:
            try:
                text = _read_text(meta_file)
                data = tomllib.loads(text)
            except MetadataError as exc:
                self.problem(meta_file, exc.line, "error", f"{exc}; using defaults")
            except tomllib.TOMLDecodeError as exc:
                match = re.search(r"line (\d+)", str(exc))
                self.problem(
                    meta_file,
                    int(match.group(1)) if match else None,
                    "error",
                    f"not valid TOML ({exc}); using defaults",
                )
            except OSError as exc:
                self.problem(meta_file, None, "error", f"cannot be read ({exc.strerror})")

        def line_of(key: str) -> int | None:
            for number, line in enumerate(text.split("\n"), start=1):
                if re.match(rf"^\s*{re.escape(key)}\s*=", line):
                    return number
            return None

        for key, value in data.items():
            kind = TOPIC_KEYS.get(key)
            if kind is None:
                self.problem(
                    meta_file,
                    line_of(key),
                    "warning",
                    f'unknown key "{key}", ignored{did_you_mean(key, TOPIC_KEYS)}',
                )
            elif not _is_kind(value, kind):
                self.problem(
                    meta_file,
                    line_of(key),
                    "error",
                    f'"{key}" must be {"a whole number" if kind is int else "text"}; ignored',
                )
            elif key == "title" and str(value).strip():
                title = str(value).strip()[:MAX_TITLE]
            elif key == "order":
                order = int(value)
            elif key == "summary":
                summary = str(value).strip()[:MAX_SUMMARY]
            elif key == "cover":
                file, refused = resolve_picture(self.root, folder, str(value))
                if file is None or not file.is_file():
                    self.problem(
                        meta_file,
                        line_of(key),
                        "warning",
                        refused or f'cover picture "{value}" not found; left out',
                    )
                else:
                    cover = file
        return Topic(folder.name, title, order, summary, cover, tuple(pages))


def _is_kind(value: Any, kind: type) -> bool:
    """TOML's true/false are not whole numbers, though Python's bool is an int."""
    return not isinstance(value, bool) and isinstance(value, kind)


def load_library(root: Path) -> Library:
    """Load every topic under ``root``; log and keep each problem found."""
    library = _Loader(root).load()
    for problem in library.problems:
        (log.error if problem.severity == "error" else log.warning)("content: %s", problem)
    return library
