"""Checking a content folder for the clinic's admin: ``kiosk check-content``.

The checker loads the folder with the kiosk's own loader (so it finds exactly
what the running kiosk would leave out), renders every page as the kiosk would
on first show (links to no page, pictures refused, empty pages), then adds what
only an admin needs to hear about: pictures too big for a tablet, raw HTML the
sanitiser will drop, and each page's reading level (English pages only).

Every problem is a ``Problem``: ``file:line: error|warning|info: message``. What
each severity means, and every message, is in docs/authoring.md ("Check your
changes", "Every message, and what to do"); a new check follows it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.loader import TOPIC_FILE, Loader, PageSource, topic_key_line
from kiosk.content.model import TRANSLATION_LANGUAGES, Page, Problem, split_language
from kiosk.content.render import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, DROP_WITH_CONTENT, mask_code

#: Reading level above which a page gets a warning (Flesch-Kincaid grade).
READING_GRADE_AIM = 8.0
#: Pictures bigger than this (bytes) or wider/taller than this (pixels) get a warning.
MAX_PICTURE_BYTES = 2 * 1024 * 1024
MAX_PICTURE_SIDE = 4096

_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?/?>")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=[\"'\u201d\u2019)\]]*(?:\s|$))")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class ReadingLevel:
    """A page's Flesch-Kincaid grade, on the text the screen shows."""

    path: Path
    grade: float
    words: int
    sentences: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words


@dataclass(frozen=True)
class ContentReport:
    """What ``kiosk check-content`` prints."""

    root: Path
    #: Sorted by file, then line.
    problems: tuple[Problem, ...]
    #: One per page shown that has words, in file order.
    levels: tuple[ReadingLevel, ...]
    page_files: int
    pages_shown: int
    topic_folders: int
    #: Translation files found (``name.es.md``, and any other language suffix).
    translation_files: int = 0
    #: Translations shown, by language code.
    translations_shown: tuple[tuple[str, int], ...] = ()
    #: Translations marked ``translation: draft``.
    drafts: tuple[Path, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


def check_content(root: Path) -> list[Problem]:
    """Every problem in the content folder ``root``, by file then line."""
    return list(check(root).problems)


def check(root: Path) -> ContentReport:
    """Check the content folder ``root``: problems, reading levels and counts."""
    loader = Loader(root)  # no report: nothing is logged, everything is returned
    library = loader.load()
    problems = list(library.render_all())
    sources = {source.key: source for source in loader.sources}
    levels = []
    drafts = []
    shown: dict[str, int] = {}
    for source, page in zip(loader.translation_sources, library.translations, strict=True):
        problems.extend(_raw_html(source))
        problems.extend(_page_pictures(page))
        shown[page.language] = shown.get(page.language, 0) + 1
        if page.translation == "draft":
            drafts.append(page.source)
            problems.append(
                Problem(
                    page.source,
                    source.header.values.get("translation", (None, None))[1],
                    "info",
                    "draft translation: have it reviewed (by a qualified medical translator), "
                    'then write "translation: reviewed"',
                )
            )
    for page in library.pages:
        source = sources[page.key]
        problems.extend(_raw_html(source))
        problems.extend(_page_pictures(page))
        level = reading_level(page.source, page.plain_text)
        if level is not None:
            levels.append(level)
            if level.grade > READING_GRADE_AIM:
                problems.append(
                    Problem(
                        page.source,
                        _first_text_line(source),  # where the text to simplify starts
                        "warning",
                        f"reading level is grade {level.grade:.1f}, above "
                        f"{READING_GRADE_AIM:g}: use shorter sentences and everyday words "
                        f"(now {level.words_per_sentence:.0f} words a sentence, "
                        f"{level.syllables_per_word:.1f} syllables a word)",
                    )
                )
    for topic in library.topics:
        if topic.cover is not None:
            toml = loader.root / topic.topic_id / TOPIC_FILE
            text = toml.read_text(encoding="utf-8-sig", errors="replace")
            value = _toml_string(text, "cover") or topic.cover.name
            problems.extend(_picture_size(toml, topic_key_line(text, "cover"), value, topic.cover))
    return ContentReport(
        root=loader.root,
        problems=tuple(_sorted(problems)),
        levels=tuple(sorted(levels, key=lambda level: level.path.parts)),
        page_files=len(loader.page_files),
        pages_shown=len(library.pages),
        topic_folders=len(loader.topic_folders),
        translation_files=len(loader.translation_files),
        translations_shown=tuple(sorted(shown.items())),
        drafts=tuple(drafts),
    )


def _first_text_line(source: PageSource) -> int:
    body = source.header.body
    return source.header.body_line + body[: len(body) - len(body.lstrip())].count("\n")


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    """By file, then line (a problem with no line first); the same problem once.
    A translation's lines come right after its English page's."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (_file_order(p.path), p.line or 0))


def _file_order(path: Path) -> tuple[str, ...]:
    """``t/01-a.md`` -> ``("t", "01-a.md", "")``; ``t/01-a.es.md`` -> ``("t", "01-a.md", "es")``."""
    if path.suffix == ".md":
        stem, code = split_language(path.stem)
        if code is not None:
            return (*path.parts[:-1], f"{stem}.md", code)
    return (*path.parts, "")


def _toml_string(text: str, key: str) -> str | None:
    match = re.search(rf"""^\s*{re.escape(key)}\s*=\s*(["'])(.*?)\1""", text, re.MULTILINE)
    return match.group(2) if match else None


# Raw HTML ------------------------------------------------------------------


def _raw_html(source: PageSource) -> list[Problem]:
    """Raw HTML tags the sanitiser drops (or strips attributes from), by line."""
    problems = []
    first = source.header.body_line
    body = mask_code(source.header.body)
    # Over the whole body, not line by line: a tag's attributes may run onto
    # the next lines (<iframe\n src=...>), and the sanitiser drops it all the same.
    for match in _TAG.finditer(body):
        message = _raw_html_message(match.group(1).lower(), match.group(2) or "")
        if message:
            line = first + body.count("\n", 0, match.start())
            problems.append(Problem(source.path, line, "warning", message))
    return problems


def _raw_html_message(tag: str, attributes: str) -> str | None:
    if tag == "a":
        return (
            "raw HTML link <a> is shown as plain text; write links in Markdown: "
            "[words to tap](02-other-page.md)"
        )
    if tag == "img":
        return (
            "raw HTML picture <img> is not shown; write pictures in Markdown: "
            "![what it shows](images/picture.jpg)"
        )
    if tag in DROP_WITH_CONTENT:
        return f"raw HTML <{tag}> is not shown, nor anything inside it; remove it"
    if tag not in ALLOWED_TAGS:
        return (
            f"raw HTML <{tag}> is dropped (the text inside it still shows); "
            "use Markdown instead, or remove it"
        )
    allowed = ALLOWED_ATTRIBUTES.get(tag, set())
    dropped = [name for name in _ATTRIBUTE.findall(attributes) if name.lower() not in allowed]
    if not dropped:
        return None
    names = ", ".join(f'"{name}"' for name in dict.fromkeys(dropped))
    if len(dropped) == 1:
        return f"attribute {names} of <{tag}> is dropped; remove it"
    return f"attributes {names} of <{tag}> are dropped; remove them"


# Pictures ------------------------------------------------------------------


def _page_pictures(page: Page) -> list[Problem]:
    problems = []
    for line, src, file in page.body.get().pictures:
        problems.extend(_picture_size(page.source, line, src, file))
    return problems


def _picture_size(path: Path, line: int | None, src: str, file: Path) -> list[Problem]:
    import imagesize  # type: ignore[import-untyped]  # only when there is a picture

    problems = []
    try:
        size = file.stat().st_size
    except OSError:
        return []
    if size > MAX_PICTURE_BYTES:
        problems.append(
            Problem(
                path,
                line,
                "warning",
                f'picture "{src}" is {size / (1024 * 1024):.1f} MB; save it smaller than '
                f"{MAX_PICTURE_BYTES // (1024 * 1024)} MB (about 1600 pixels wide, as JPEG)",
            )
        )
    try:
        width, height = imagesize.get(str(file))
    except (OSError, ValueError):
        width = height = -1
    if width < 0 or height < 0:
        if file.suffix.lower() in {".png", ".jpg", ".jpeg", ".gif", ".webp"}:
            problems.append(
                Problem(
                    path,
                    line,
                    "warning",
                    f'picture "{src}" cannot be read as a {file.suffix[1:].upper()} picture; '
                    "save it again as PNG or JPEG",
                )
            )
    elif max(width, height) > MAX_PICTURE_SIDE:
        problems.append(
            Problem(
                path,
                line,
                "warning",
                f'picture "{src}" is {width}x{height} pixels; make it at most '
                f"{MAX_PICTURE_SIDE} pixels on each side (about 1600 wide is plenty)",
            )
        )
    return problems


# Reading level -------------------------------------------------------------


def reading_level(path: Path, text: str) -> ReadingLevel | None:
    """The Flesch-Kincaid grade of ``text`` (the words a patient sees), or None
    if it has no words: 0.39 * words/sentences + 11.8 * syllables/words - 15.59.

    A sentence ends at ``.``, ``!`` or ``?`` followed by a space, or at the end
    of a paragraph, heading or list item; numbers are not words.
    """
    words = 0
    sentences = 0
    syllables = 0
    for block in text.split("\n"):
        for sentence in _SENTENCE_END.split(block):
            found = _WORD.findall(sentence)
            if not found:
                continue
            sentences += 1
            words += len(found)
            syllables += sum(count_syllables(word) for word in found)
    if not words:
        return None
    grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    return ReadingLevel(path, round(grade, 1), words, sentences, syllables)


@functools.cache
def _hyphenator() -> object:
    import pyphen  # type: ignore[import-untyped]  # only when checking content

    return pyphen.Pyphen(lang="en_US")


@functools.lru_cache(maxsize=8192)
def count_syllables(word: str) -> int:
    """Syllables in an English word: the hyphenation dictionary's count (pyphen),
    or the vowel groups when that is more: the dictionary leaves out breaks
    next to a single letter ("o-ver", "i-de-a")."""
    parts = [part for part in word.lower().replace("\u2019", "'").split("-") if part]
    if len(parts) > 1:  # "well-tolerated": each part on its own
        return sum(count_syllables(part) for part in parts)
    lower = parts[0] if parts else word.lower()
    hyphenated = len(_hyphenator().positions(lower)) + 1  # type: ignore[attr-defined]
    return max(hyphenated, _vowel_groups(lower))


def _vowel_groups(word: str) -> int:
    """Syllables by vowel groups, with the common exceptions of English."""
    count = 0
    for match in _VOWEL_GROUP.finditer(word):
        count += 1
        run, before = match.group(0), word[: match.start()]
        if run[:2] in _SPLIT_PAIRS and not before.endswith(("q", "t", "s", "c", "g", "x")):
            count += 1  # ra-di-o, vi-de-o, u-su-al (not -tion, -sion, -cial, qua-)
        elif run == "ea" and match.end() == len(word):
            count += 1  # i-de-a, ar-e-a
    if count > 1 and (
        (word.endswith("e") and not word.endswith(("le", "ee", "ye")))
        or (word.endswith("es") and not word.endswith(_SOUNDED_ES))
        or (word.endswith("ed") and not word.endswith(("ted", "ded")))
    ):
        count -= 1  # a silent e: "make", "makes", "used"
    if count > 1 and _SILENT_E_SUFFIX.search(word):
        count -= 1  # safe-ly, state-ment
    return max(1, count)


_SPLIT_PAIRS = ("ia", "io", "eo", "ua", "uo", "iu")
_SOUNDED_ES = ("ses", "xes", "zes", "ches", "shes", "ces", "ges")
_SILENT_E_SUFFIX = re.compile(r"[^aeiouy]e(?:ly|ment|ness|ful|less)$")


# Printing ------------------------------------------------------------------


def relative(path: Path, root: Path) -> str:
    """``path`` as the CLI prints it: relative to the content folder."""
    try:
        rel = path.relative_to(root)
    except ValueError:
        return str(path)
    return str(path) if rel == Path() else rel.as_posix()


def format_problem(problem: Problem, root: Path) -> str:
    where = relative(problem.path, root)
    if problem.line:
        where += f":{problem.line}"
    return f"{where}: {problem.severity}: {problem.message}"


def format_level(level: ReadingLevel, root: Path) -> str:
    return (
        f"{relative(level.path, root)}: info: reading level grade {level.grade:.1f} "
        f"({_count(level.words, 'word')}, {_count(level.sentences, 'sentence')})"
    )


def summary(report: ContentReport) -> str:
    """``9 pages in 1 topic: 0 errors, 2 warnings``; with translations, a line
    before it: ``9 translations: 9 in Spanish; 9 drafts for the clinic to review``."""
    left_out = report.page_files - report.pages_shown
    last = (
        f"{_count(report.page_files, 'page')} in {_count(report.topic_folders, 'topic')}"
        + (f" ({left_out} left out)" if left_out else "")
        + f": {_count(len(report.errors), 'error')}, {_count(len(report.warnings), 'warning')}"
    )
    if not report.translation_files:
        return last
    shown = sum(count for _code, count in report.translations_shown)
    left_out = report.translation_files - shown
    by_language = ", ".join(
        f"{count} in {TRANSLATION_LANGUAGES.get(code, code)}"
        for code, count in report.translations_shown
    )
    translations = (
        _count(report.translation_files, "translation")
        + (f" ({left_out} left out)" if left_out else "")
        + (f": {by_language}" if by_language else "")
        + (
            f"; {_count(len(report.drafts), 'draft')} for the clinic to review"
            if report.drafts
            else ""
        )
    )
    return f"{translations}\n{last}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


__all__ = [
    "MAX_PICTURE_BYTES",
    "MAX_PICTURE_SIDE",
    "READING_GRADE_AIM",
    "ContentReport",
    "ReadingLevel",
    "check",
    "check_content",
    "count_syllables",
    "format_level",
    "format_problem",
    "reading_level",
    "summary",
]
