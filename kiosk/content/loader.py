"""Reading a content folder into a ``Library``.

What a content folder holds (topics, pages and their headers, pictures,
translations, topic.toml) is written for the clinic's admin in
docs/authoring.md; the keys are ``PAGE_KEYS`` and ``TOPIC_KEYS`` here.

Loading reads every file and does the cheap checks that decide whether a page
can be shown (its header, UTF-8, its pictures exist), so the set of pages that
will be shown, and so every link's fate, is known at load. A page's Markdown is
rendered the first time its HTML is asked for (``PageBody``), once. A
translation (``name.es.md``) shares its English page's key, so links and the
page order are the English ones.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from kiosk.content.budget import (
    COULD_NOT_SHOW,
    MAX_PAGE_BYTES,
    OverBudget,
    check_output,
    check_size,
    check_source,
)
from kiosk.content.in_short import IN_SHORT_KEY, box_html
from kiosk.content.model import (
    DEFAULT_LANGUAGE,
    TILE,
    TILE_PLACES,
    TRANSLATION_LANGUAGES,
    TRANSLATION_STATES,
    Library,
    Page,
    PageBody,
    Problem,
    Rendered,
    Severity,
    Topic,
    TopicText,
    split_language,
)
from kiosk.content.pictures import (
    find_pictures,
    inside,
    line_of,
    resolve_picture,
)
from kiosk.paths import icon_dir
from kiosk.support.hints import did_you_mean, toml_problem
from kiosk.support.nesting import deepest_line, parser_failure

if TYPE_CHECKING:
    from kiosk.content.render import Renderer

log = logging.getLogger(__name__)

TOPIC_FILE = "topic.toml"
PAGE_KEYS = {
    "title": str,
    "order": int,
    "summary": str,
    "picture": str,
    # What "picture" shows, in words: read to people who cannot see it.
    "picture_text": str,
    "translation": str,
    # Clinical review: who checked the page, and when it is due again.
    "reviewed_by": str,
    "review_by": date,
    # "In short": a "- point" line each below it (kiosk.content.in_short).
    IN_SHORT_KEY: list,
    # Home: "tile: footer" makes the page a small link under the tiles; "icon"
    # names a built-in icon or a picture for its tile.
    "tile": str,
    "icon": str,
}
#: Keys a translation takes from its English page: written in one, they are ignored.
ENGLISH_ONLY_KEYS = ("tile", "icon")
#: A built-in icon's name (``icons/<name>.svg``); anything else is a picture's path.
ICON_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_PAGE_KEYS = ("title", "order")
#: A translation takes its order from its English page.
REQUIRED_TRANSLATION_KEYS = ("title",)
#: What a language's table in topic.toml (``[es]``) may hold.
TOPIC_TEXT_KEYS = ("title", "summary")
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


def _closing_hint(lines: list[str], index: int, read_to: int) -> str:
    """Why line ``index`` may not be "key: value": its first word a key with
    no ":" after it; or, where keys were read (to line ``read_to``) and no
    "---" comes later, a blank line or a sentence before it, a deleted "---"
    (the line is the page's text, not a broken key)."""
    line = lines[index].strip()
    first = line.split()[0].lower()
    import difflib  # only for a header that cannot be read: a hint to give

    if difflib.get_close_matches(first, list(PAGE_KEYS), n=1, cutoff=0.8):
        return f' (is the ":" after "{line.split()[0]}" missing?)'
    if any(later.strip() == "---" for later in lines[index + 1 :]):
        return ""
    if read_to > 1 and (not lines[index - 1].strip() or len(line.split()) > 6):
        return f' (is the line "---" that ends the header missing after line {read_to}?)'
    return ""


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
    points: list[str] | None = None  # the list being read ("in_short:" then "- ..." lines)
    read_to = 1  # the header's last line read so far
    for index in range(1, len(lines)):
        number = index + 1
        line = lines[index].strip()
        if line == "---":
            body = "\n".join(lines[index + 1 :])
            return _Header(values, body, number + 1), warnings
        if not line or line.startswith("#"):
            continue
        if points is not None and line.startswith("-"):
            point = line[1:].strip()
            if point:
                points.append(point)
            read_to = number
            continue
        points = None
        key, sep, raw = line.partition(":")
        key = key.strip().lower()
        if not sep or not key:
            raise MetadataError(
                f'"{line}" is not "key: value"{_closing_hint(lines, index, read_to)}', number
            )
        read_to = number
        if key in values:
            raise MetadataError(f'"{key}" is given twice (first on line {values[key][1]})', number)
        if key not in PAGE_KEYS:
            warnings.append((number, f'unknown key "{key}", ignored{did_you_mean(key, PAGE_KEYS)}'))
            continue
        value: Any = raw.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            # Quoted, as topic.toml's values are: the quotes were shown on screen.
            value = value[1:-1].strip()
        if PAGE_KEYS[key] is list:
            points = [value] if value else []
            values[key] = (points, number)
            continue
        if PAGE_KEYS[key] is date:
            if not value:
                continue  # "review_by:" with no date yet: as if not written
            try:
                value = date.fromisoformat(value)
            except ValueError:
                warnings.append(
                    (number, f'"{key}" must be a date like 2027-06-30, got "{value}"; ignored')
                )
                continue
        elif PAGE_KEYS[key] is int:
            try:
                value = int(value)
            except ValueError:
                raise MetadataError(
                    f'"{key}" must be a whole number, got "{raw.strip()}"', number
                ) from None
        values[key] = (value, number)
    raise MetadataError('the metadata header has no closing "---"', 1)


def _read_text(path: Path, limit: int | None = None) -> str:
    """UTF-8 text of ``path``; raise MetadataError naming the line of a bad byte.
    With ``limit``, at most that many bytes are read (a 50 MB page is never read
    whole), the last character possibly cut: enough for its header."""
    if limit is not None:
        with path.open("rb") as file:
            raw = file.read(limit)
        if len(raw) == limit:
            return raw.decode("utf-8-sig", errors="replace")
    else:
        raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise MetadataError("is not valid UTF-8 text (save it as UTF-8)", line) from None


@dataclass
class PageSource:
    """A page file that passed the cheap checks: it will be shown."""

    topic_id: str
    page_id: str
    path: Path
    text: str
    header: _Header
    #: The page's language; a translation's ``page_id`` is its English page's.
    language: str = DEFAULT_LANGUAGE
    #: Set when the page asks too much of the renderer: it is never rendered.
    over_budget: OverBudget | None = None
    #: Where home shows the page, and its tile's icon (``Loader._home_place``).
    tile: str = TILE
    icon: Path | None = None

    @property
    def key(self) -> str:
        return f"{self.topic_id}/{self.page_id}"


Report = Callable[[Problem], None]


class _LazyRenderer:
    """Renders a library's pages when they are first asked for: one Markdown
    instance for the library, one page at a time (a lock: Markdown keeps state)."""

    def __init__(self, root: Path, keys: frozenset[str], report: Report | None) -> None:
        self.root = root
        self.keys = keys  # every page that can be shown: known before any render
        self.report = report
        self._renderer: Renderer | None = None
        self._lock = threading.Lock()

    def body(self, source: PageSource) -> PageBody:
        inputs = (self.root, source.path, source.text, self.keys)
        return PageBody(functools.partial(self.render, source), inputs)

    def render(self, source: PageSource) -> Rendered:
        """The page's body; never raises: a page that cannot be rendered is
        shown as its text, escaped, and the error reported."""
        with self._lock:
            try:
                rendered = self._render(source)
            except Exception as exc:  # one odd page must never stop the kiosk
                rendered = self._fallback(source, exc)
        # "In short" above the clinic's text, in the HTML only: ``plain_text``
        # stays the clinic's text (the checker grades the two apart); the
        # document's text, which Listen reads, starts with the box.
        box = box_html(_points(source.header), source.language)
        if box:
            rendered = replace(rendered, html=box + rendered.html)
        if self.report is not None:
            for problem in rendered.problems:
                self.report(problem)
        return rendered

    def _render(self, source: PageSource) -> Rendered:
        path, header = source.path, source.header
        if source.over_budget is not None:  # reported at load; Markdown never sees it
            return _could_not_show()
        # Markdown, ElementTree, nh3 and html.parser: when a page is first shown, not at start-up
        from kiosk.content.render import RenderContext, Renderer, plain_text

        problems: list[Problem] = []
        body = header.body
        context = RenderContext(self.root, path, self.keys, source.text)
        if "picture" in header.values:
            picture, _line = header.values["picture"]
            file, _refused = resolve_picture(self.root, path.parent, picture)
            if file is not None:  # refused ones were reported at load
                words = str(header.values.get("picture_text", ("", 0))[0])
                described = re.sub(r"([\\\[\]])", r"\\\1", words)  # brackets as text
                body = f"![{described}]({picture})\n\n{body}"
        if self._renderer is None:
            self._renderer = Renderer()
        markup = self._renderer.render(body, context)
        too_deep = check_output(markup)
        if too_deep is not None:  # Qt's layout of deep nesting takes minutes
            return _could_not_show(Problem(path, too_deep.line, "error", too_deep.message))
        problems.extend(Problem(path, at, "warning", message) for at, message in context.warnings)
        text = plain_text(markup)
        if not text.strip() and not context.images:
            problems.append(
                Problem(
                    path,
                    header.body_line,
                    "warning",
                    "the page has no text; write some below the header, or remove the file",
                )
            )
        return Rendered(
            html=markup,
            plain_text=text,
            images=MappingProxyType(dict(context.images)),
            problems=tuple(problems),
            pictures=tuple(context.pictures),
        )

    def _fallback(self, source: PageSource, exc: Exception) -> Rendered:
        log.debug("rendering %s failed", source.path, exc_info=True)
        why = f"could not be shown ({type(exc).__name__}: {exc})"
        paragraphs = [
            _without_markdown(p.strip())
            for p in re.split(r"\n[ \t]*\n", source.header.body)
            if p.strip()
        ]
        import html  # html.entities' table: only for a page that could not be rendered

        return Rendered(
            html="".join(f"<p>{html.escape(p)}</p>" for p in paragraphs),
            plain_text="\n\n".join(paragraphs),
            problems=(Problem(source.path, None, "error", f"{why}; shown as plain text instead"),),
        )


def _could_not_show(*problems: Problem) -> Rendered:
    import html  # html.entities' table: only for a page over its budget, when shown

    return Rendered(
        html=f"<p>{html.escape(COULD_NOT_SHOW)}</p>",
        plain_text=COULD_NOT_SHOW,
        problems=problems,
    )


def _points(header: _Header) -> tuple[str, ...]:
    return tuple(header.values.get(IN_SHORT_KEY, ((), 0))[0])


def _without_markdown(text: str) -> str:
    """The words of a Markdown paragraph without its syntax, for the fallback:
    pictures dropped, links as their words, no heading marks, emphasis or
    list bullets."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(?m)^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+\.\s+|>\s?)", "", text)
    text = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    return text.strip()


class Loader:
    """Reads a content folder: headers and the cheap checks that decide which
    pages can be shown. Bodies are rendered later, on first use (``PageBody``).

    ``report`` is told each problem a page's render finds, when it finds it
    (``load_library`` logs them); the problems found here are in
    ``Library.problems``.
    """

    def __init__(self, root: Path, report: Report | None = None) -> None:
        self.root = root.resolve()
        self.report = report
        self.problems: list[Problem] = []
        #: Every page file found (shown or not), and the ones that will be shown.
        self.page_files: list[Path] = []
        self.sources: list[PageSource] = []
        #: The same for translations (``name.es.md``; also those in a language
        #: the kiosk does not offer), apart: the English pages are the library's shape.
        self.translation_files: list[Path] = []
        self.translation_sources: list[PageSource] = []
        self._pending_translations: list[tuple[Path, str, str]] = []  # path, English stem, code
        #: Topic folders found (shown or not).
        self.topic_folders: list[Path] = []
        self._topic_orders: dict[str, tuple[int, int | None]] = {}

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
        self.topic_folders = folders
        pending = {folder.name: self._read_pages(folder) for folder in folders}
        self.sources = [source for folder in folders for source in pending[folder.name]]
        # Every page that can be shown is known now, before any is rendered:
        # links to a page left out become text when their page is rendered.
        keys = frozenset(source.key for source in self.sources)
        self.translation_sources = self._read_translations(keys)
        renderer = _LazyRenderer(self.root, keys, self.report)
        topics = []
        english: dict[str, Page] = {}
        for folder in folders:
            pages = [self._page(source, renderer) for source in pending[folder.name]]
            english.update((page.key, page) for page in pages)
            topic = self._topic(folder, pages)  # its topic.toml is checked all the same
            if not pages:
                self.problem(
                    folder, None, "warning", "topic has no pages that can be shown; left out"
                )
                continue
            topics.append(topic)
        self._check_topic_orders(topics)
        topics.sort(key=lambda t: (t.order, t.topic_id))
        if not topics:
            message = "no topic has a page that can be shown"
            here = any(self.root.glob("*.md")) or (self.root / "topic.toml").is_file()
            below = any(
                folder.is_dir() and any(folder.glob("*.md")) for folder in self.root.iterdir()
            )
            if here and not below:
                # Pages here, not in folders: a topic's own folder given for the content's.
                message += (
                    f" (this folder holds pages itself: is it one topic's folder? The content "
                    f'folder is the one above it, "{self.root.parent}")'
                )
            self.problem(self.root, None, "error", message)
        translations = tuple(
            self._translated_page(source, english[source.key], renderer)
            for source in self.translation_sources
        )
        return Library(self.root, tuple(topics), tuple(self.problems), translations)

    def _misnamed_pages(self, folder: Path) -> None:
        """Files meant as pages whose names keep them from being read: said, not
        skipped in silence (Notepad's ".md.txt", ".MD", ".markdown")."""
        for path in sorted(folder.iterdir()):
            name = path.name
            if name.startswith((".", "_")) or not path.is_file() or path.suffix == ".md":
                continue
            lower = name.lower()
            if lower.endswith(".md.txt"):
                right = name[: -len(".txt")]
                why = 'a text editor added ".txt" to its name'
            elif path.suffix.lower() == ".md" or path.suffix.lower() == ".markdown":
                right = path.stem + ".md"
                why = 'pages end in ".md", in small letters'
            else:
                continue
            self.problem(path, None, "warning", f'not read as a page: {why}; rename it "{right}"')

    def _read_pages(self, folder: Path) -> list[PageSource]:
        result = []
        self._misnamed_pages(folder)
        for path in sorted(folder.glob("*.md")):
            if path.name.startswith((".", "_")) or not path.is_file():
                continue
            stem, code = split_language(path.stem)
            if code is not None:
                self.translation_files.append(path)
                if code in TRANSLATION_LANGUAGES:
                    self._pending_translations.append((path, stem, code))
                elif code.lower() == DEFAULT_LANGUAGE:
                    self.problem(
                        path,
                        None,
                        "warning",
                        f'pages in English need no language suffix: name it "{stem}.md"; left out',
                    )
                else:
                    offered = ", ".join(
                        f'{name}: ".{c}"' for c, name in TRANSLATION_LANGUAGES.items()
                    )
                    self.problem(
                        path,
                        None,
                        "warning",
                        f'".{code}" is not a language the kiosk offers ({offered}); left out',
                    )
                continue
            self.page_files.append(path)
            source = self._read_source(path, folder.name, path.stem, DEFAULT_LANGUAGE)
            if source is not None:
                result.append(source)
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

    def _read_source(
        self, path: Path, topic_id: str, page_id: str, language: str
    ) -> PageSource | None:
        """The page at ``path`` if it passes the cheap checks; else None, the
        problem noted (a translation's English page shows in its place)."""
        translated = language != DEFAULT_LANGUAGE
        instead = "the English page shows instead" if translated else "page left out"
        # The folder is inside the content folder: only a symlink can lead out.
        if path.is_symlink() and not inside(self.root, path):
            self.problem(path, None, "warning", "links to outside the content folder; left out")
            return None
        try:
            # The budget is checked on the file's size and text, before any
            # regular expression or Markdown runs over it (kiosk.content.budget).
            over = check_size(path.stat().st_size)
            if over is not None:  # named at the line where the page passes the budget
                text = _read_text(path, MAX_PAGE_BYTES)
                over = OverBudget(text.count("\n") + 1, over.message)
            else:
                text = _read_text(path)
                over = check_source(text)
            header, warnings = parse_header(text)
            for line, message in warnings:
                self.problem(path, line, "warning", message)
            self._check_page_header(header, translated)
            if over is None:
                self._check_pictures(path, text, header)
        except MetadataError as exc:
            self.problem(
                path,
                exc.line,
                "error",
                f"{exc}; {instead}" if "left out" not in str(exc) else str(exc),
            )
            return None
        except OSError as exc:
            self.problem(path, None, "error", f"cannot be read ({exc.strerror}); {instead}")
            return None
        if "translation" in header.values:
            value, line = header.values["translation"]
            if not translated:
                self.problem(
                    path,
                    line,
                    "warning",
                    '"translation" is only for translated pages (name.es.md); ignored',
                )
            elif value not in TRANSLATION_STATES:
                states = " or ".join(f'"{state}"' for state in TRANSLATION_STATES)
                self.problem(
                    path,
                    line,
                    "warning",
                    f'"translation" must be {states}, got "{value}"; taken as "draft"',
                )
        if over is not None:
            self.problem(path, over.line, "error", f'{over.message}; it shows "{COULD_NOT_SHOW}"')
        tile, icon = self._home_place(path, header, translated)
        return PageSource(topic_id, page_id, path, text, header, language, over, tile, icon)

    def _home_place(self, path: Path, header: _Header, translated: bool) -> tuple[str, Path | None]:
        """Where home shows the page (``tile:``) and its tile's icon (``icon:``);
        a value that cannot be used is reported and the default taken."""
        if translated:
            for key in ENGLISH_ONLY_KEYS:
                if key in header.values:
                    self.problem(
                        path,
                        header.values[key][1],
                        "warning",
                        f'"{key}" comes from the English page; ignored',
                    )
            return TILE, None
        tile = TILE
        if "tile" in header.values:
            value, line = header.values["tile"]
            if value.lower() in TILE_PLACES:
                tile = value.lower()
            elif value:
                places = " or ".join(f'"{place}"' for place in TILE_PLACES)
                hint = did_you_mean(value.lower(), TILE_PLACES)
                self.problem(
                    path,
                    line,
                    "error",
                    f'"tile" must be {places}, got "{value}"{hint}; shown as a tile',
                )
        icon = None
        if header.values.get("icon", ("", 0))[0]:
            value, line = header.values["icon"]
            icon = self._icon(path, line, value)
        return tile, icon

    def _icon(self, path: Path, line: int, value: str) -> Path | None:
        """The file ``icon: value`` names: a built-in icon, or a picture in the
        content folder; None (reported) when there is no such file."""
        if ICON_NAME.match(value):
            shipped = icon_dir() / f"{value}.svg"
            if shipped.is_file():
                return shipped
            names = builtin_icons()
            self.problem(
                path,
                line,
                "warning",
                f'icon "{value}" is not a built-in icon{did_you_mean(value, names)}; the tile '
                f"shows the default icon (built-in icons: {', '.join(names)})",
            )
            return None
        file, refused = resolve_picture(self.root, path.parent, value)
        if file is None:
            self.problem(path, line, "warning", f"icon {refused}")
            return None
        if not file.is_file():
            message = f"{_not_found('icon picture', value, file)}; the tile shows the default icon"
            self.problem(path, line, "warning", message)
            return None
        return file

    def _read_translations(self, keys: frozenset[str]) -> list[PageSource]:
        """The translations that can be shown: each needs its English page
        (``keys``: the pages that will be shown) and the same cheap checks."""
        result = []
        for path, stem, code in self._pending_translations:
            folder = path.parent
            if f"{folder.name}/{stem}" not in keys:
                english = f"{stem}.md"
                if (folder / english).is_file():
                    message = (
                        f'the English page "{english}" is left out, so this translation is too'
                    )
                else:
                    message = f'no English page "{english}" for this translation; left out'
                self.problem(path, None, "warning", message)
                continue
            source = self._read_source(path, folder.name, stem, code)
            if source is not None:
                result.append(source)
        return result

    @staticmethod
    def _check_page_header(header: _Header, translated: bool = False) -> None:
        for key in REQUIRED_TRANSLATION_KEYS if translated else REQUIRED_PAGE_KEYS:
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

    def _check_pictures(self, path: Path, text: str, header: _Header) -> None:
        """A page whose picture is missing is left out (raise MetadataError);
        a picture from outside the content folder is only left out (warning),
        by the render for those in the text."""
        if "picture" in header.values:
            picture, line = header.values["picture"]
            file, refused = resolve_picture(self.root, path.parent, picture)
            if file is None:
                self.problem(path, line, "warning", refused or "picture left out")
            elif not file.is_file():
                raise MetadataError(_not_found("picture", picture, file), line)
        for src in find_pictures(header.body):
            file, _refused = resolve_picture(self.root, path.parent, src)
            if file is not None and not file.is_file():
                raise MetadataError(_not_found("picture", src, file), line_of(text, src))

    @staticmethod
    def _page(source: PageSource, renderer: _LazyRenderer) -> Page:
        header = source.header
        return Page(
            topic_id=source.topic_id,
            page_id=source.page_id,
            title=header.values["title"][0],
            order=header.values["order"][0],
            summary=header.values.get("summary", ("", 0))[0],
            source=source.path,
            body=renderer.body(source),
            reviewed_by=header.values.get("reviewed_by", ("", 0))[0],
            review_by=header.values.get("review_by", (None, 0))[0],
            in_short=_points(header),
            tile=source.tile,
            icon=source.icon,
        )

    @staticmethod
    def _translated_page(source: PageSource, english: Page, renderer: _LazyRenderer) -> Page:
        header = source.header
        state = header.values.get("translation", (None, 0))[0]
        return Page(
            topic_id=source.topic_id,
            page_id=source.page_id,
            title=header.values["title"][0],
            order=english.order,
            summary=header.values.get("summary", ("", 0))[0],
            source=source.path,
            body=renderer.body(source),
            language=source.language,
            in_short=_points(header),
            tile=english.tile,
            icon=english.icon,
            # An unknown value was reported at load; until fixed, assume not reviewed.
            translation=state if state is None or state in TRANSLATION_STATES else "draft",
        )

    def _check_topic_orders(self, topics: list[Topic]) -> None:
        used: dict[int, str] = {}
        for topic in topics:
            if topic.topic_id not in self._topic_orders:
                continue
            order, line = self._topic_orders[topic.topic_id]
            if order in used:
                self.problem(
                    self.root / topic.topic_id / TOPIC_FILE,
                    line,
                    "warning",
                    f'order {order} is also used by the topic "{used[order]}"',
                )
            used.setdefault(order, topic.topic_id)

    def _topic(self, folder: Path, pages: list[Page]) -> Topic:
        pages.sort(key=lambda p: (p.order, p.page_id))
        meta_file = folder / TOPIC_FILE
        where = TopicFolder(
            self.root, folder, folder.name.replace("-", " ").replace("_", " ").capitalize()
        )
        text, data = self._read_topic_file(meta_file, where.fallback_title)
        values = {key.name: key.default for key in TOPIC_KEYS}
        accepted: set[str] = set()
        translations: list[TopicText] = []
        for name, value in data.items():
            key = _TOPIC_KEYS_BY_NAME.get(name)
            if name in TRANSLATION_LANGUAGES:
                found = self._topic_text(meta_file, text, name, value)
                if found is not None:
                    translations.append(found)
            elif key is None:
                hint = did_you_mean(name, _TOPIC_KEYS_BY_NAME)
                self.problem(
                    meta_file,
                    topic_key_line(text, name),
                    "warning",
                    f'unknown key "{name}", ignored{hint}',
                )
            elif not _is_kind(value, key.kind):
                self.problem(
                    meta_file,
                    topic_key_line(text, name),
                    "error",
                    f'"{name}" must be {_KIND_NAMES[key.kind]}; ignored',
                )
            else:
                checked = key.check(name, value, where)
                if checked.severity is not None:
                    self.problem(
                        meta_file, topic_key_line(text, name), checked.severity, checked.message
                    )
                if checked.value is not None:
                    values[name] = checked.value
                    accepted.add(name)
        if "order" in accepted:
            self._topic_orders[folder.name] = (values["order"], topic_key_line(text, "order"))
        return Topic(
            folder.name,
            values["title"] or where.fallback_title,
            values["order"],
            values["summary"],
            values["cover"],
            tuple(pages),
            tuple(translations),
            values["mental_health"],
        )

    def _read_topic_file(self, meta_file: Path, fallback_title: str) -> tuple[str, dict[str, Any]]:
        """topic.toml's text and its keys; each reason it cannot be read is a problem, and
        then the topic has every default."""
        if not meta_file.is_file():
            saved_as = meta_file.with_name(meta_file.name + ".txt")
            hint = (
                f' (there is a "{saved_as.name}": a text editor added ".txt"; rename it '
                f'"{meta_file.name}")'
                if saved_as.is_file()
                else ""
            )
            self.problem(
                meta_file,
                None,
                "warning",
                f'missing; the topic is called "{fallback_title}" until it has one{hint}',
            )
            return "", {}
        if meta_file.is_symlink() and not inside(self.root, meta_file):
            self.problem(
                meta_file, None, "error", "links to outside the content folder; using defaults"
            )
            return "", {}
        text = ""
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
                f"{toml_problem(str(exc))}; using defaults",
            )
        except OSError as exc:
            self.problem(
                meta_file, None, "error", f"cannot be read ({exc.strerror}); using defaults"
            )
        except Exception as exc:
            # tomllib recurses on nested arrays (3,000 "[": RecursionError): whatever
            # the parser raises is a problem with the file, never a stopped kiosk
            self.problem(
                meta_file,
                deepest_line(text),
                "error",
                f"not valid TOML ({parser_failure(exc)}); using defaults",
            )
        else:
            if "title" not in data:
                self.problem(
                    meta_file,
                    None,
                    "warning",
                    f'has no "title"; the topic is called "{fallback_title}" until it has one',
                )
            return text, data
        return "", {}

    def _topic_text(self, meta_file: Path, text: str, code: str, table: Any) -> TopicText | None:
        """A topic's title and summary in language ``code`` (topic.toml's ``[es]``)."""
        if not isinstance(table, dict):
            self.problem(
                meta_file,
                topic_key_line(text, code),
                "error",
                f'"{code}" must be a table: a line [{code}], then title and summary; ignored',
            )
            return None
        values = {"title": "", "summary": ""}
        for key, value in table.items():
            line = table_key_line(text, code, key)
            if key not in TOPIC_TEXT_KEYS:
                self.problem(
                    meta_file,
                    line,
                    "warning",
                    f'unknown key "{key}" in [{code}], ignored; [{code}] takes only title '
                    f"and summary (other keys go above [{code}])",
                )
            elif not isinstance(value, str):
                self.problem(meta_file, line, "error", f'"{key}" in [{code}] must be text; ignored')
            elif len(value.strip()) > _TOPIC_LIMITS[key]:
                self.problem(
                    meta_file,
                    line,
                    "warning",
                    f'"{key}" in [{code}] is longer than {_TOPIC_LIMITS[key]} characters; '
                    "cut short",
                )
                values[key] = value.strip()[: _TOPIC_LIMITS[key]]
            else:
                values[key] = value.strip()
        if not values["title"] and not values["summary"]:
            return None
        return TopicText(code, values["title"], values["summary"])


_TOPIC_LIMITS = {"title": MAX_TITLE, "summary": MAX_SUMMARY}


@dataclass(frozen=True)
class TopicFolder:
    """What checking a topic.toml value may need: where the topic is, and what it is
    called when topic.toml gives no title (its folder's name)."""

    root: Path
    folder: Path
    fallback_title: str


@dataclass(frozen=True)
class KeyCheck:
    """A topic.toml value, checked: what the topic takes (``None``: the key's default)
    and, when something is wrong with it, the problem's severity and message."""

    value: Any
    severity: Severity | None = None
    message: str = ""


@dataclass(frozen=True)
class TopicKey:
    """One key of topic.toml, a row of ``TOPIC_KEYS``."""

    name: str
    kind: type  # a value of another type is an error, and ignored
    default: Any  # when the key is missing, or its value is ignored
    check: Callable[[str, Any, TopicFolder], KeyCheck]  # (name, value of ``kind``, topic)
    doc: str


_KIND_NAMES: dict[type, str] = {int: "a whole number", str: "text", bool: "true or false"}


def _short_text(
    limit: int, *, required: bool = False
) -> Callable[[str, Any, TopicFolder], KeyCheck]:
    """Text, trimmed, cut to ``limit`` characters; if ``required``, an empty one is ignored."""

    def check(name: str, value: Any, topic: TopicFolder) -> KeyCheck:
        text = str(value).strip()
        if required and not text:
            return KeyCheck(
                None,
                "warning",
                f'"{name}" is empty; the topic is called "{topic.fallback_title}" until it has one',
            )
        if len(text) > limit:
            return KeyCheck(
                text[:limit], "warning", f'"{name}" is longer than {limit} characters; cut short'
            )
        return KeyCheck(text)

    return check


def _any_number(_name: str, value: Any, _topic: TopicFolder) -> KeyCheck:
    return KeyCheck(int(value))


def _flag(_name: str, value: Any, _topic: TopicFolder) -> KeyCheck:
    return KeyCheck(bool(value))


def _cover_picture(_name: str, value: Any, topic: TopicFolder) -> KeyCheck:
    """A picture file inside the content folder, named from the topic's folder."""
    file, refused = resolve_picture(topic.root, topic.folder, str(value))
    if file is None:
        return KeyCheck(None, "warning", refused or f'cover picture "{value}" not found; left out')
    if not file.is_file():
        return KeyCheck(None, "warning", f"{_not_found('cover picture', value, file)}; left out")
    return KeyCheck(file)


def _not_found(kind: str, written: str, file: Path) -> str:
    """``kind "written" not found``, with what is there instead: the file, or a
    folder on its way, in other capitals or with its accents stored another
    way (found on the admin's Windows or Mac, not on the kiosk's Linux), or a
    name a letter off."""
    import unicodedata  # only when a picture is missing: a hint to give

    def same(one: str, other: str) -> bool:
        return unicodedata.normalize("NFC", one).casefold() == (
            unicodedata.normalize("NFC", other).casefold()
        )

    missing, there = file, file.parent
    while not there.is_dir() and there != there.parent:
        missing, there = there, there.parent
    try:
        names = [entry.name for entry in there.iterdir()]
    except OSError:  # not readable: nothing to suggest
        names = []
    look = f'{kind} "{written}" not found'
    near = [name for name in names if same(name, missing.name)]
    if near:
        what = "file" if missing == file else "folder"
        if unicodedata.normalize("NFC", near[0]) == unicodedata.normalize("NFC", missing.name):
            return (
                f"{look} (its {what} is there with its accents stored another way, as a "
                f"Mac may save them: type the {what}'s name again)"
            )
        return f'{look} (the {what} is "{near[0]}" there: a name must match in capitals too)'
    if missing != file:
        return look
    import difflib  # as above

    close = difflib.get_close_matches(file.name, names, n=1, cutoff=0.85)
    digits = re.compile(r"\d")
    if close and digits.sub("", close[0]) != digits.sub("", file.name):
        # (not "photo2.png" for "photo1.png": another picture, not a slip)
        folder = written.replace("\\", "/").rpartition("/")[0]
        return f'{look} (did you mean "{folder + "/" if folder else ""}{close[0]}"?)'
    return look


#: The keys of topic.toml (besides a language's table, ``[es]``): the one list
#: the loader reads them by, and the words of its messages. docs/authoring.md
#: shows them to the clinic's admin.
TOPIC_KEYS: tuple[TopicKey, ...] = (
    TopicKey(
        "title",
        str,
        "",
        _short_text(MAX_TITLE, required=True),
        "The topic's name on its tile and above its pages; without one, the folder's name.",
    ),
    TopicKey(
        "order",
        int,
        999,
        _any_number,
        "Where the topic's tile goes: lower numbers first; without one, after the others.",
    ),
    TopicKey(
        "summary",
        str,
        "",
        _short_text(MAX_SUMMARY),
        "One line under the title on the topic's tile.",
    ),
    TopicKey(
        "cover",
        str,
        None,
        _cover_picture,
        "A picture on the topic's tile, a path from the topic's folder.",
    ),
    TopicKey(
        "mental_health",
        bool,
        False,
        _flag,
        "true for mental-health content: check-content then makes sure a page that "
        "names suicide gives the 988 line.",
    ),
)
_TOPIC_KEYS_BY_NAME = MappingProxyType({key.name: key for key in TOPIC_KEYS})


def table_key_line(text: str, table: str, key: str) -> int | None:
    """The line of ``key = ...`` inside ``[table]`` in a topic.toml's text."""
    inside_table = False
    for number, line in enumerate(text.split("\n"), start=1):
        header = re.match(r"^\s*\[\s*([^\]]*?)\s*\]", line)
        if header:
            inside_table = header.group(1) == table
        elif inside_table and re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return None


def topic_key_line(text: str, key: str) -> int | None:
    """The line of the top-level ``key = ...`` (or of the table ``[key]``) in a
    topic.toml's text."""
    at_top = True  # until the first [table]: keys below one are the table's
    for number, line in enumerate(text.split("\n"), start=1):
        table = re.match(r"^\s*\[\s*([^\]]*?)\s*\]", line)
        if table:
            if table.group(1) == key:
                return number
            at_top = False
        elif at_top and re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _is_kind(value: Any, kind: type) -> bool:
    """TOML's true/false are not whole numbers, though Python's bool is an int."""
    return (kind is bool) == isinstance(value, bool) and isinstance(value, kind)


def builtin_icons() -> list[str]:
    """The names ``icon:`` can give: the shipped ``icons/*.svg``, sorted."""
    return sorted(path.stem for path in icon_dir().glob("*.svg"))


def load_library(root: Path) -> Library:
    """Load every topic under ``root``; log and keep each problem found."""
    library = Loader(root, report=_log).load()
    for problem in library.problems:
        _log(problem)
    return library


def _log(problem: Problem) -> None:
    (log.error if problem.severity == "error" else log.warning)("content: %s", problem)
